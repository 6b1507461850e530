import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";

const BASE = "/api/v1/communities/data-science";
const steward = { role: "steward", status: "active", notify_level: "all", term_ends_at: null } as const;

function editForm() {
  return within(screen.getByRole("form", { name: "Save changes" }));
}

describe("edit a community", () => {
  it("on 412 shows the newer version, keeps the user's edits and retries with the new ETag", async () => {
    const mine = community({ my_membership: steward, version: 1 });
    const theirs = community({
      my_membership: steward,
      version: 2,
      purpose: "We meet fortnightly to review each other's analyses and share notebooks.",
      tags: ["python", "statistics", "sql"],
    });
    const saved = { ...theirs, name: "Data Science Guild", version: 3 };
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        BASE,
        () => json(200, mine, { ETag: '"v1"' }),
        () => json(200, theirs, { ETag: '"v2"' }),
      )
      .on(
        "PATCH",
        BASE,
        () => problem(412, { title: "Precondition Failed", detail: "The community changed since you read it; reload and retry." }),
        () => json(200, saved, { ETag: '"v3"' }),
      )
      .on("GET", `${BASE}/audit-log`, () => json(200, page([])));
    const { user, router } = renderApp("/communities/data-science/edit");

    const name = await screen.findByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, "Data Science Guild");
    await user.click(editForm().getByRole("button", { name: "Save changes" }));

    // The conflict is explained, with what the other person saved, and focus moves to it.
    const heading = await screen.findByRole("heading", { name: "Someone changed this community meanwhile" });
    expect(heading).toHaveFocus();
    const conflict = within(heading.closest("section") ?? document.body);
    expect(conflict.getByText("Purpose")).toBeInTheDocument();
    expect(conflict.getByText(theirs.purpose)).toBeInTheDocument();
    expect(conflict.getByText("python, statistics, sql")).toBeInTheDocument();
    // Untouched fields now show the newer values; the user's own edit is kept.
    expect(editForm().getByLabelText(/^Purpose/)).toHaveValue(theirs.purpose);
    expect(editForm().getByLabelText(/^Tags/)).toHaveValue("python, statistics, sql");
    expect(editForm().getByLabelText(/^Name/)).toHaveValue("Data Science Guild");

    await user.click(conflict.getByRole("button", { name: "Save my changes again" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Data Science Guild" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/communities/data-science");
    expect(screen.getByText("Your changes are saved.")).toBeInTheDocument();
    const [first, retry] = api.callsTo("PATCH", BASE);
    expect(first?.headers.get("If-Match")).toBe('"v1"');
    expect(JSON.parse(first?.body ?? "")).toEqual({ name: "Data Science Guild" });
    expect(retry?.headers.get("If-Match")).toBe('"v2"');
    // Only the user's own change is sent: their purpose and tags are not overwritten.
    expect(JSON.parse(retry?.body ?? "")).toEqual({ name: "Data Science Guild" });
  });

  it("marks fields both people changed, and can discard the user's edits", async () => {
    const mine = community({ my_membership: steward });
    const theirs = community({ my_membership: steward, version: 2, name: "Data Science Circle" });
    asSignedIn(mockApi())
      .on(
        "GET",
        BASE,
        () => json(200, mine, { ETag: '"v1"' }),
        () => json(200, theirs, { ETag: '"v2"' }),
      )
      .on("PATCH", BASE, () => problem(412, { title: "Precondition Failed" }));
    const { user } = renderApp("/communities/data-science/edit");

    const name = await screen.findByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, "Data Science Guild");
    await user.click(editForm().getByRole("button", { name: "Save changes" }));

    expect(await screen.findByText(/You changed this too/)).toBeInTheDocument();
    expect(screen.getByText("Data Science Circle", { selector: ".conflict__value" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Discard my changes" }));
    expect(editForm().getByLabelText(/^Name/)).toHaveValue("Data Science Circle");
    expect(screen.queryByRole("heading", { name: "Someone changed this community meanwhile" })).not.toBeInTheDocument();
  });

  it("tells non-stewards they can't edit", async () => {
    asSignedIn(mockApi()).on("GET", BASE, () =>
      json(200, community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } }), { ETag: '"v1"' }),
    );
    renderApp("/communities/data-science/edit");

    expect(await screen.findByRole("heading", { level: 1, name: "You can’t edit Data Science" })).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
  });
});
