import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { auditEntry, community, page } from "../../test/communityFixtures";
import { post } from "../../test/postFixtures";

const BASE = "/api/v1/communities/data-science";

describe("a community's Posts tab", () => {
  it("shows pinned posts first, filters by kind, and offers members the composer", async () => {
    const pinned = post({ id: "11111111-2222-4333-8444-555555555555", title: "Start here: how we work", kind: "discussion", is_pinned: true });
    const recent = post({ title: "Which notebook tool do you use?" });
    const api = asSignedIn(mockApi())
      .on("GET", BASE, () =>
        json(200, community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null }, my_permissions: ["post", "view_audit"] }), {
          ETag: '"v1"',
        }),
      )
      .on("GET", `${BASE}/audit-log`, () => json(200, page([auditEntry()])))
      .on("GET", `${BASE}/posts`, (call) =>
        json(200, page(call.url.searchParams.get("pinned") === "true" ? [pinned] : [recent])),
      );
    const { user, router } = renderApp("/communities/data-science");

    // The first visit loads the communities chunk (and compiles it, in tests): allow it time.
    const pinnedList = await screen.findByRole("list", { name: "Pinned posts" }, { timeout: 4000 });
    expect(within(pinnedList).getByRole("link", { name: "Start here: how we work" })).toBeInTheDocument();
    const others = screen.getByRole("list", { name: "Other posts" });
    expect(within(others).getByRole("link", { name: "Which notebook tool do you use?" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Ask a question" })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText("Kind"), "Question");

    expect(currentPath(router)).toBe("/communities/data-science?kind=question");
    const lists = api.callsTo("GET", `${BASE}/posts`).filter((call) => call.url.searchParams.get("kind") === "question");
    expect(lists.map((call) => call.url.searchParams.get("pinned")).sort()).toEqual(["false", "true"]);
  });

  it("has no composer for visitors", async () => {
    asSignedIn(mockApi())
      .on("GET", BASE, () => json(200, community({ my_permissions: ["view_members", "view_audit"] }), { ETag: '"v1"' }))
      .on("GET", `${BASE}/audit-log`, () => json(200, page([])))
      .on("GET", "/api/v1/me/invitations", () => json(200, page([])))
      .on("GET", `${BASE}/posts`, () => json(200, page([])));
    renderApp("/communities/data-science");

    expect(await screen.findByText("No posts yet")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Ask a question" })).not.toBeInTheDocument();
  });
});
