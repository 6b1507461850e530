import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { community, invitation, page } from "../../test/communityFixtures";

const design = community({
  id: "1b2c3d4e-0000-4000-8000-000000000001",
  slug: "design",
  name: "Design Systems",
  purpose: "We keep our interfaces consistent by sharing components and reviewing each other's work.",
  visibility: "private",
  join_policy: "invite",
  my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null },
});
const data = community();
const ops = community({
  id: "1b2c3d4e-0000-4000-8000-000000000003",
  slug: "ops",
  name: "Incident Reviews",
  purpose: "We learn from incidents together, without blame.",
});

describe("communities directory", () => {
  it("lists communities with their purpose, badges and invitations, and loads more", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        "/api/v1/communities",
        () => json(200, page([design, data], "cursor-2")),
        () => json(200, page([ops])),
      )
      .on("GET", "/api/v1/me/invitations", () => json(200, page([invitation(ops)])));
    const { user } = renderApp("/communities");

    expect(await screen.findByRole("heading", { level: 1, name: "Communities of practice" })).toBeInTheDocument();
    const card = within((await screen.findByRole("link", { name: "Design Systems" })).closest("li") ?? document.body);
    expect(card.getByText(design.purpose)).toBeInTheDocument();
    expect(card.getByText("Private")).toBeInTheDocument();
    expect(card.getByText("You: Steward")).toBeInTheDocument();
    expect(card.getByText("12 members")).toBeInTheDocument();
    expect(card.getByText("0 posts")).toBeInTheDocument();
    expect(card.getByText(/^Created/)).toBeInTheDocument();

    const invitations = within(screen.getByRole("region", { name: "You’re invited" }));
    expect(invitations.getByText("Incident Reviews")).toBeInTheDocument();
    expect(invitations.getByRole("link", { name: "View Incident Reviews" })).toHaveAttribute("href", "/communities/ops");
    expect(screen.getByRole("link", { name: "Start a community" })).toHaveAttribute("href", "/communities/new");

    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Incident Reviews" })).toBeInTheDocument();
    const [, second] = api.callsTo("GET", "/api/v1/communities");
    expect(second?.url.searchParams.get("cursor")).toBe("cursor-2");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("searches as you type (debounced), filters to mine and sorts", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/communities", (call) =>
        json(200, page(call.url.searchParams.get("q") === "inci" ? [ops] : [design, data, ops])),
      )
      .on("GET", "/api/v1/me/invitations", () => json(200, page([])));
    const { user } = renderApp("/communities");

    await screen.findByRole("link", { name: "Design Systems" });
    await user.type(screen.getByRole("searchbox", { name: "Search" }), "inci");
    await screen.findByText("1 community shown.");
    expect(screen.queryByRole("link", { name: "Design Systems" })).not.toBeInTheDocument();
    // One request for the settled term, not one per keystroke.
    const searches = api.callsTo("GET", "/api/v1/communities").map((call) => call.url.searchParams.get("q"));
    expect(searches).toEqual([null, "inci"]);

    await user.click(screen.getByRole("switch", { name: "Mine only" }));
    await user.selectOptions(screen.getByLabelText("Sort by"), "Newest");
    const last = api.callsTo("GET", "/api/v1/communities").at(-1);
    expect(last?.url.searchParams.get("member")).toBe("me");
    expect(last?.url.searchParams.get("sort")).toBe("new");
    expect(last?.url.searchParams.get("q")).toBe("inci");
  });

  it("says so when nothing matches", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/communities", () => json(200, page([])))
      .on("GET", "/api/v1/me/invitations", () => json(200, page([])));
    renderApp("/communities?q=zzz");

    expect(await screen.findByText("No communities match “zzz”")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "You’re invited" })).not.toBeInTheDocument();
  });
});
