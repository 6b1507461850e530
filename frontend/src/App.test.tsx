import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, noContent, problem } from "./test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "./test/renderApp";

describe("app shell", () => {
  it("restores the session from the refresh cookie and shows home", async () => {
    const api = asSignedIn(mockApi());
    renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: /Hello, Ada/ })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Primary" });
    expect(within(nav).getAllByRole("link").map((link) => link.textContent)).toEqual([
      "Home",
      "Communities",
      "Skills",
      "People",
      "Mentorship",
      "Search",
    ]);
    expect(within(nav).getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
    expect(api.callsTo("GET", "/api/v1/me")[0]?.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("opens a section from the primary navigation and moves focus to its content", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, { items: [], next_cursor: null }))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, { items: [], next_cursor: null }));
    const { user } = renderApp("/");

    await user.click(await screen.findByRole("link", { name: "Mentorship" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Mentorship" })).toBeInTheDocument();
    expect(within(screen.getByRole("navigation", { name: "Primary" })).getByRole("link", { name: "Mentorship" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    expect(screen.getByRole("main")).toHaveFocus();
  });

  it("shows a 404 page for unknown paths", async () => {
    asSignedIn(mockApi());
    renderApp("/no/such/page");

    expect(await screen.findByRole("heading", { name: "We couldn’t find that page" })).toBeInTheDocument();
    expect(screen.getByText("/no/such/page")).toBeInTheDocument();
  });

  it("signs out from the user menu", async () => {
    const api = asSignedIn(mockApi()).on("POST", "/api/v1/auth/logout", () => noContent());
    const { user, router } = renderApp("/settings");

    await user.click(await screen.findByRole("button", { name: "Account menu for Ada Lovelace" }));
    await user.click(await screen.findByRole("menuitem", { name: "Sign out" }));

    expect(await screen.findByRole("heading", { name: "Sign in to Leaderful" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/signin");
    expect(api.callsTo("POST", "/api/v1/auth/logout")).toHaveLength(1);
  });

  it("sends the user to sign in, and back, when the session cannot be refreshed", async () => {
    asSignedIn(mockApi())
      .on("POST", "/api/v1/auth/refresh", () => json(200, { access_token: "access-1", token_type: "bearer", expires_in: 900 }), () => problem(401))
      .on("GET", "/api/v1/me/tokens", () => problem(401, { title: "Unauthorized" }));
    const { router } = renderApp("/settings");

    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
    expect(currentPath(router)).toBe("/signin?next=%2Fsettings");
  });

  it("explains when the API cannot be reached at start-up", async () => {
    mockApi().on(
      "POST",
      "/api/v1/auth/refresh",
      () => {
        throw new TypeError("Failed to fetch");
      },
      () => problem(401),
    );
    const { user } = renderApp("/");

    expect(await screen.findByRole("heading", { name: "Leaderful is out of reach" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => {
      expect(screen.getByRole("heading", { name: "Sign in to Leaderful" })).toBeInTheDocument();
    });
  });
});
