import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { grace, page, profile } from "../../test/skillFixtures";

beforeAll(async () => {
  await import("./pages");
});

const POST = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";

describe("leadership ledger on a profile", () => {
  it("shows acts per quarter as a chart and a timeline linking to the evidence", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on("GET", "/api/v1/users/grace/skills", () => json(200, page([])))
      .on("GET", "/api/v1/users/grace/ledger/summary", () =>
        json(200, {
          quarters: [
            { quarter: "2026-Q3", total: 2, by_kind: { answer_accepted: 2 } },
            { quarter: "2026-Q4", total: 3, by_kind: { moderation_decision: 1, best_practice_published: 2 } },
          ],
          totals: { answer_accepted: 2, moderation_decision: 1, best_practice_published: 2 },
        }),
      )
      .on("GET", "/api/v1/users/grace/ledger", () =>
        json(200, {
          items: [
            {
              id: "a1",
              kind: "moderation_decision",
              occurred_at: "2026-11-20T10:00:00Z",
              community: { slug: "ops", name: "Ops Guild", is_private: false },
              subject_type: "audit",
              subject_id: "b1",
              evidence_url: "/communities/ops/audit-log",
            },
            {
              id: "a2",
              kind: "answer_accepted",
              occurred_at: "2026-08-02T10:00:00Z",
              community: { slug: "ops", name: "Ops Guild", is_private: false },
              subject_type: "post",
              subject_id: POST,
              evidence_url: `/posts/${POST}`,
            },
          ],
          next_cursor: null,
        }),
      );
    renderApp("/people/grace");

    const chart = await screen.findByRole("figure", { name: "Leadership acts per quarter" });
    expect(within(chart).getByText("5 acts over 2 quarters. Latest, 2026-Q4: 3.")).toBeInTheDocument();
    const timeline = await screen.findByRole("list", { name: "Leadership acts, newest first" });
    const items = within(timeline).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByRole("link", { name: "Made a moderation decision" })).toHaveAttribute(
      "href",
      "/communities/ops?tab=moderation",
    );
    expect(within(items[1]!).getByRole("link", { name: "Gave an accepted answer" })).toHaveAttribute(
      "href",
      `/posts/${POST}`,
    );
    // Only the person can export their ledger.
    expect(screen.queryByRole("button", { name: "Export CSV" })).not.toBeInTheDocument();
  });

  it("shows an error with a retry when the ledger does not load", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on("GET", "/api/v1/users/grace/skills", () => json(200, page([])))
      .on(
        "GET",
        "/api/v1/users/grace/ledger/summary",
        () => problem(500, { title: "Internal Server Error", detail: "Something broke." }),
        () => json(200, { quarters: [], totals: {} }),
      )
      .on("GET", "/api/v1/users/grace/ledger", () => json(200, { items: [], next_cursor: null }));
    const { user } = renderApp("/people/grace");
    expect(await screen.findByText("The ledger didn’t load")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No leadership acts yet")).toBeInTheDocument();
  });
});
