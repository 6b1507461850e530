import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";

const member = community({
  my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null },
  my_permissions: ["view_members", "view_audit", "nominate", "set_notify_level", "post"],
});

describe("the buttons that start a post", () => {
  it("keep their full names for assistive technology while phones show the short labels", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([member])));
    renderApp("/");

    const ask = await screen.findByRole("button", { name: "Ask a question" });
    const row = within(ask.parentElement ?? document.body);
    expect(row.getAllByRole("button")).toHaveLength(4);
    for (const [name, short] of [
      ["Share a best practice", "Best practice"],
      ["Share a resource", "Resource"],
      ["Start a discussion", "Discussion"],
    ] as const) {
      const button = row.getByRole("button", { name });
      // Both labels are there; the stylesheet shows the full one, or the short one on phones.
      // The short one is part of the name, so "click Best practice" works for voice control.
      expect(within(button).getByText(name)).toHaveClass("composer-panel__label");
      expect(within(button).getByText(short)).toHaveClass("composer-panel__label--short");
      expect(name.toLowerCase()).toContain(short.toLowerCase());
    }
  });

  it("open the composer for their kind from the keyboard, and Cancel brings the focus back", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([member])));
    const { user } = renderApp("/");

    const ask = await screen.findByRole("button", { name: "Ask a question" });
    ask.focus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Share a best practice" })).toHaveFocus();
    await user.keyboard("{Enter}");

    const form = within(screen.getByRole("form", { name: "New post" }));
    expect(form.getByRole("radio", { name: "Best practice" })).toBeChecked();
    await user.click(form.getByRole("button", { name: "Cancel" }));

    expect(screen.queryByRole("form", { name: "New post" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Ask a question" })).toHaveFocus();
  });
});
