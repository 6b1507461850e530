import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, mockApi } from "../test/fetchMock";
import { page } from "../test/communityFixtures";
import { asSignedIn, renderApp } from "../test/renderApp";
import { ada } from "../test/fixtures";
import { resolvedTheme, setTheme, storedTheme, watchTheme } from "./theme";

let systemDark = false;
const changeListeners = new Set<() => void>();

beforeEach(() => {
  systemDark = false;
  Object.defineProperty(window, "matchMedia", {
    configurable: true,
    value: (query: string) => ({
      get matches() {
        return query.includes("dark") && systemDark;
      },
      media: query,
      addEventListener: (_: string, listener: () => void) => changeListeners.add(listener),
      removeEventListener: (_: string, listener: () => void) => changeListeners.delete(listener),
    }),
  });
});

afterEach(() => {
  delete document.documentElement.dataset.theme;
  changeListeners.clear();
});

describe("the colour theme", () => {
  it("follows the device on System, and a chosen theme wins over it and is remembered", () => {
    const stop = watchTheme();
    expect(document.documentElement.dataset.theme).toBe("light");
    systemDark = true;
    for (const listener of changeListeners) listener();
    expect(document.documentElement.dataset.theme).toBe("dark");

    setTheme("light");
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(storedTheme()).toBe("light");
    expect(resolvedTheme("system")).toBe("dark");

    setTheme("system");
    expect(window.localStorage.getItem("leaderful:theme")).toBeNull();
    expect(document.documentElement.dataset.theme).toBe("dark");
    stop();
  });

  it("is chosen in the account menu, a radio group beside Settings", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([])));
    const { user } = renderApp("/settings");
    await user.click(await screen.findByRole("button", { name: `Account menu for ${ada.display_name}` }));

    const group = await screen.findByRole("group", { name: "Theme" });
    expect(group).toBeInTheDocument();
    expect(screen.getByRole("menuitemradio", { name: "System" })).toHaveAttribute("aria-checked", "true");
    await user.click(screen.getByRole("menuitemradio", { name: "Dark" }));

    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(window.localStorage.getItem("leaderful:theme")).toBe("dark");
    // The menu stays open, showing the new choice.
    expect(screen.getByRole("menuitemradio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  });
});
