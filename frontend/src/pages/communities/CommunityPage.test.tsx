import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Community } from "../../api/types";
import { json, mockApi, noContent, problem, type MockApi } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { report } from "../../test/postFixtures";
import { adaSummary, auditEntry, community, grace, invitation, member, page, pendingInvitation } from "../../test/communityFixtures";

const BASE = "/api/v1/communities/data-science";

/**
 * A signed-in visit to one community page, with its log and Ada's invitations. `after` is how
 * the community reads once an action changed it (the page reloads it after joining or leaving).
 */
function visit(subject: Community, invitations = page<ReturnType<typeof invitation>>([]), after?: Community): MockApi {
  return asSignedIn(mockApi())
    .on(
      "GET",
      BASE,
      () => json(200, subject, { ETag: `"v${subject.version}"` }),
      () => json(200, after ?? subject, { ETag: `"v${(after ?? subject).version}"` }),
    )
    .on("GET", `${BASE}/audit-log`, () => json(200, page([auditEntry()])))
    .on("GET", `${BASE}/posts`, () => json(200, page([])))
    .on("GET", `${BASE}/invitations`, () => json(200, page([])))
    .on("GET", "/api/v1/me/invitations", () => json(200, invitations));
}

async function membership() {
  return within(await screen.findByRole("group", { name: "Membership" }));
}

describe("community page", () => {
  it("puts the name and purpose first, and renders the sanitized description", async () => {
    visit(community());
    renderApp("/communities/data-science");

    expect(await screen.findByRole("heading", { level: 1, name: "Data Science" })).toBeInTheDocument();
    expect(screen.getByText(/turn messy data into decisions/)).toBeInTheDocument();
    expect(screen.getByText("monthly", { selector: "strong" })).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Tags" })).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByText("12 members")).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Posts" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByText("No posts yet")).toBeInTheDocument();
  });

  it("offers Join in an open community", async () => {
    const api = visit(community({ join_policy: "open" }), undefined, community({ member_count: 13, my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } })).on("POST", `${BASE}/members`, () =>
      json(201, { role: "member", status: "active", joined_at: "2026-11-28T10:00:00Z", notify_level: "mentions", term_ends_at: null }),
    );
    const { user } = renderApp("/communities/data-science");

    await user.click(await screen.findByRole("button", { name: "Join" }));

    expect(await screen.findByText(/Welcome to Data Science/)).toBeInTheDocument();
    expect((await membership()).getByRole("button", { name: "Leave" })).toBeInTheDocument();
    expect(api.callsTo("POST", `${BASE}/members`)).toHaveLength(1);
  });

  it("offers Request to join where approval is needed, then shows the request as pending", async () => {
    visit(community({ join_policy: "approval" }), undefined, community({ join_policy: "approval", my_membership: { role: "member", status: "pending", notify_level: "all", term_ends_at: null } })).on("POST", `${BASE}/members`, () =>
      json(202, { role: "member", status: "pending", joined_at: "2026-11-28T10:00:00Z", notify_level: "mentions", term_ends_at: null }),
    );
    const { user } = renderApp("/communities/data-science");

    await user.click(await screen.findByRole("button", { name: "Request to join" }));

    expect(await (await membership()).findByText("Pending approval")).toBeInTheDocument();
    expect((await membership()).getByRole("button", { name: "Withdraw request" })).toBeInTheDocument();
    expect(screen.getByText(/waiting for a moderator or steward to approve it/)).toBeInTheDocument();
  });

  it("says Invitation only, with no button, when invitation is the only way in", async () => {
    visit(community({ join_policy: "invite" }));
    renderApp("/communities/data-science");

    expect(await (await membership()).findByText("Invitation only")).toBeInTheDocument();
    expect((await membership()).queryByRole("button")).not.toBeInTheDocument();
  });

  it("offers Accept invitation to an invitee, which joins", async () => {
    const subject = community({ join_policy: "invite", visibility: "private" });
    const api = visit(subject, page([invitation(subject)]), { ...subject, my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } }).on("POST", `${BASE}/members`, () =>
      json(201, { role: "member", status: "active", joined_at: "2026-11-28T10:00:00Z", notify_level: "mentions", term_ends_at: null }),
    );
    const { user } = renderApp("/communities/data-science");

    await user.click(await (await membership()).findByRole("button", { name: "Accept invitation" }));

    expect(await (await membership()).findByRole("button", { name: "Leave" })).toBeInTheDocument();
    expect(api.callsTo("POST", `${BASE}/members`)).toHaveLength(1);
  });

  it("shows a pending request as Pending approval", async () => {
    visit(community({ join_policy: "approval", my_membership: { role: "member", status: "pending", notify_level: "all", term_ends_at: null } }));
    renderApp("/communities/data-science");

    expect(await (await membership()).findByText("Pending approval")).toBeInTheDocument();
    expect((await membership()).queryByRole("button", { name: /Join|Request/ })).not.toBeInTheDocument();
  });

  it("offers Leave to a member, without steward actions", async () => {
    const api = visit(community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } }));
    renderApp("/communities/data-science");

    expect(await (await membership()).findByRole("button", { name: "Leave" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Edit" })).not.toBeInTheDocument();
    // Members never need to ask whether they are invited.
    expect(api.callsTo("GET", "/api/v1/me/invitations")).toHaveLength(0);
  });

  it("explains why the last steward can't leave (409)", async () => {
    visit(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("DELETE", `${BASE}/members/me`, () =>
        problem(409, {
          title: "Conflict",
          detail: "A community always keeps at least one steward: name another steward first.",
        }),
      )
      .on("GET", `${BASE}/members`, () => json(200, page([member(adaSummary, { role: "steward" }), member(grace)])));
    const { user } = renderApp("/communities/data-science");

    await user.click(await (await membership()).findByRole("button", { name: "Leave" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Leave Data Science?" });
    await user.click(within(dialog).getByRole("button", { name: "Leave community" }));

    expect(await within(dialog).findByText("You’re the last steward, so you can’t leave yet.")).toBeInTheDocument();
    expect(within(dialog).getByRole("alert")).toHaveTextContent("Make another member a steward first");

    // The message leads to where that can be done.
    await user.click(within(dialog).getByRole("button", { name: "Go to members" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Members" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByRole("combobox", { name: "Role for Grace Hopper" })).toBeInTheDocument();
  });

  it("leaves after confirmation", async () => {
    const api = visit(community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } }), undefined, community()).on(
      "DELETE",
      `${BASE}/members/me`,
      () => noContent(),
    );
    const { user } = renderApp("/communities/data-science");

    await user.click(await (await membership()).findByRole("button", { name: "Leave" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Leave community" }));

    expect(await (await membership()).findByRole("button", { name: "Join" })).toBeInTheDocument();
    expect(screen.getByText("You left Data Science.")).toBeInTheDocument();
    expect(api.callsTo("DELETE", `${BASE}/members/me`)).toHaveLength(1);
  });

  it("shows the same friendly page for a missing or hidden community", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/communities/secret", () => problem(404, { title: "Not Found", detail: "Community not found." }))
      .on("GET", "/api/v1/communities/secret/audit-log", () => problem(404, { title: "Not Found" }));
    renderApp("/communities/secret");

    expect(await screen.findByRole("heading", { level: 1, name: "Community not found" })).toBeInTheDocument();
    expect(document.title).toBe("Community not found · Leaderful");
    expect(screen.queryByText(/private/i)).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Browse communities" })).toHaveAttribute("href", "/communities");
  });

  it("hides the Moderation tab when the API refuses the log (403), and shows it otherwise", async () => {
    visit(community()).on("GET", `${BASE}/audit-log`, () =>
      problem(403, { title: "Forbidden", detail: "Your role in this community does not allow this (view_audit)." }),
    );
    const first = renderApp("/communities/data-science?tab=moderation");

    await screen.findByRole("heading", { level: 1, name: "Data Science" });
    await screen.findByText("No posts yet");
    expect(screen.queryByRole("tab", { name: "Moderation" })).not.toBeInTheDocument();
    first.unmount();

    visit(community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } }));
    const { user } = renderApp("/communities/data-science");
    await user.click(await screen.findByRole("tab", { name: "Moderation" }));
    expect(await screen.findByText("Ada Lovelace changed a role")).toBeInTheDocument();
    expect(screen.getByText("member → moderator")).toBeInTheDocument();
  });

  it("shows an invitee the name, purpose and the way in, and nothing inside", async () => {
    const subject = community({ visibility: "private", join_policy: "invite", invited: true, my_permissions: [] });
    const api = visit(subject, page([invitation(subject)]));
    renderApp("/communities/data-science?tab=members");

    expect(await screen.findByRole("heading", { level: 1, name: "Data Science" })).toBeInTheDocument();
    expect(screen.getByText(/turn messy data into decisions/)).toBeInTheDocument();
    expect(await (await membership()).findByRole("button", { name: "Accept invitation" })).toBeInTheDocument();
    expect(screen.getByText("Posts and members are for members")).toBeInTheDocument();
    expect(screen.getByText(/Accept the invitation to see what the community shares/)).toBeInTheDocument();
    expect(screen.queryByRole("tablist")).not.toBeInTheDocument();
    // The API answers 404 to an invitee for everything inside: the page does not ask.
    for (const path of ["posts", "members", "health", "audit-log", "invitations"]) {
      expect(api.callsTo("GET", `${BASE}/${path}`)).toHaveLength(0);
    }
  });

  it("lists pending invitations to stewards and revokes one after confirmation", async () => {
    const api = visit(community({ visibility: "private", join_policy: "invite", my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("GET", `${BASE}/members`, () => json(200, page([member(adaSummary, { role: "steward" })])))
      .on(
        "GET",
        `${BASE}/invitations`,
        () => json(200, page([pendingInvitation(grace)])),
        () => json(200, page([])),
      )
      .on("DELETE", `${BASE}/invitations/grace`, () => noContent());
    const { user } = renderApp("/communities/data-science?tab=members");

    const list = within(await screen.findByRole("list", { name: "Pending invitations" }));
    expect(list.getByText("Grace Hopper")).toBeInTheDocument();
    expect(list.getByText(/Invited by Ada Lovelace/)).toBeInTheDocument();

    await user.click(list.getByRole("button", { name: "Revoke the invitation to Grace Hopper" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Revoke the invitation to Grace Hopper?" });
    expect(within(dialog).getByText(/can no longer see or join Data Science/)).toBeInTheDocument();
    // Nothing happens before the confirmation.
    expect(api.callsTo("DELETE", `${BASE}/invitations/grace`)).toHaveLength(0);
    await user.click(within(dialog).getByRole("button", { name: "Revoke invitation" }));

    expect(await screen.findByText("The invitation to Grace Hopper is withdrawn.")).toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(await screen.findByText("No invitations are waiting for an answer.")).toBeInTheDocument();
    expect(api.callsTo("DELETE", `${BASE}/invitations/grace`)).toHaveLength(1);
  });

  it("keeps the revoke dialog open with the reason when revoking fails", async () => {
    visit(community({ visibility: "private", join_policy: "invite", my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("GET", `${BASE}/members`, () => json(200, page([member(adaSummary, { role: "steward" })])))
      .on("GET", `${BASE}/invitations`, () => json(200, page([pendingInvitation(grace)])))
      .on("DELETE", `${BASE}/invitations/grace`, () =>
        problem(404, { title: "Not Found", detail: "That person holds no open invitation to this community." }),
      );
    const { user } = renderApp("/communities/data-science?tab=members");

    await user.click(await screen.findByRole("button", { name: "Revoke the invitation to Grace Hopper" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Revoke the invitation to Grace Hopper?" });
    await user.click(within(dialog).getByRole("button", { name: "Revoke invitation" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("holds no open invitation");
    expect(screen.getByRole("alertdialog")).toBeInTheDocument();
  });

  it("shows the pending invitations' loading and error states", async () => {
    let release: () => void = () => undefined;
    visit(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("GET", `${BASE}/members`, () => json(200, page([member(adaSummary, { role: "steward" })])))
      .on(
        "GET",
        `${BASE}/invitations`,
        () =>
          new Promise<Response>((resolve) => {
            release = () => {
              resolve(problem(500, { title: "Internal Server Error", detail: "Something broke." }));
            };
          }),
        () => json(200, page([pendingInvitation(grace)])),
      );
    const { user } = renderApp("/communities/data-science?tab=members");

    expect(await screen.findByText("Loading invitations…")).toBeInTheDocument();
    release();
    expect(await screen.findByText("Invitations didn’t load")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Try again/ }));
    expect(await screen.findByRole("button", { name: "Revoke the invitation to Grace Hopper" })).toBeInTheDocument();
  });

  it("lets stewards approve requests and change roles", async () => {
    const api = visit(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("GET", `${BASE}/members`, (call) =>
        json(
          200,
          call.url.searchParams.get("status") === "pending"
            ? page([member(grace, { status: "pending" })])
            : page([member(adaSummary, { role: "steward" })]),
        ),
      )
      .on("PATCH", `${BASE}/members/grace`, () => json(200, member(grace)));
    const { user } = renderApp("/communities/data-science?tab=members");

    expect(await screen.findByRole("heading", { name: "Pending requests" })).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Approve Grace Hopper" }));

    expect(await screen.findByText("Grace Hopper is now a member.")).toBeInTheDocument();
    const [call] = api.callsTo("PATCH", `${BASE}/members/grace`);
    expect(JSON.parse(call?.body ?? "")).toEqual({ status: "active" });
    expect(screen.getByRole("link", { name: "Edit" })).toHaveAttribute("href", "/communities/data-science/edit");
  });

  it("lets a steward archive the community after confirmation", async () => {
    const api = visit(community({ my_membership: { role: "steward", status: "active", notify_level: "all", term_ends_at: null } }))
      .on("DELETE", BASE, () => noContent())
      .on("GET", "/api/v1/communities", () => json(200, page([])));
    const { user, router } = renderApp("/communities/data-science");

    await user.click(await screen.findByRole("button", { name: "Archive" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Archive Data Science?" });
    expect(dialog).toHaveTextContent("becomes read-only");
    await user.click(within(dialog).getByRole("button", { name: "Archive community" }));

    expect(await screen.findByText(/“Data Science” is archived/)).toBeInTheDocument();
    expect(currentPath(router)).toBe("/communities");
    expect(api.callsTo("DELETE", BASE)).toHaveLength(1);
  });

  it("moves between tabs with the arrow keys", async () => {
    visit(community()).on("GET", `${BASE}/health`, () =>
      json(200, {
        community: { slug: "data-science", name: "Data Science", is_private: false },
        weeks: [healthWeek("2026-11-23T00:00:00Z", 0.4, 7), healthWeek("2026-11-30T00:00:00Z", 0.5, 9)],
      }),
    ).on("GET", `${BASE}/members`, () => json(200, page([member(grace)])));
    const { user, router } = renderApp("/communities/data-science");

    const posts = await screen.findByRole("tab", { name: "Posts" });
    await user.click(posts);
    await user.keyboard("{ArrowRight}{ArrowRight}{ArrowRight}");

    const health = screen.getByRole("tab", { name: "Health" });
    expect(health).toHaveFocus();
    expect(health).toHaveAttribute("aria-selected", "true");
    expect(currentPath(router)).toBe("/communities/data-science?tab=health");
    // Each trend is a chart with its figures as a table.
    const index = await screen.findByRole("figure", { name: "Leaderful index" });
    expect(within(index).getByText(/This week: 50%/)).toBeInTheDocument();
    const rows = within(index).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[2]).toHaveTextContent("50%");
    const perWeek = screen.getByRole("figure", { name: "Posts and questions" });
    expect(within(perWeek).getByRole("cell", { name: "9" })).toBeInTheDocument();
    expect(screen.getByText(/2 of 4 active members led/)).toBeInTheDocument();
  });
});

describe("reports queue", () => {
  it("lets moderators dismiss a report with a note", async () => {
    const moderator = community({
      my_membership: { role: "moderator", status: "active", notify_level: "all", term_ends_at: null },
      my_permissions: ["view_members", "view_audit", "post", "moderate"],
    });
    const api = visit(moderator)
      .on("GET", `${BASE}/reports`, () => json(200, page([report()])), () => json(200, page([])))
      .on("POST", `/api/v1/reports/${report().id}/resolve`, () =>
        json(200, { ...report(), status: "resolved", action: "dismiss", note: "A course we recommend." }),
      );
    const { user } = renderApp("/communities/data-science?tab=moderation");

    expect(await screen.findByRole("heading", { name: "Reports to review" })).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Buy our course" })).toHaveAttribute("href", `/posts/${report().target_id}`);
    expect(screen.getByText(/Same link posted in five communities/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Note for the moderation log/), "A course we recommend.");
    await user.click(screen.getByRole("button", { name: "Dismiss" }));

    expect(await screen.findByText("Report dismissed: the post stays.")).toBeInTheDocument();
    expect(await screen.findByText("No open reports")).toBeInTheDocument();
    const [call] = api.callsTo("POST", `/api/v1/reports/${report().id}/resolve`);
    expect(JSON.parse(call?.body ?? "")).toEqual({ action: "dismiss", note: "A course we recommend." });
    expect(api.callsTo("GET", `${BASE}/reports`)[0]?.url.searchParams.get("status")).toBe("open");
  });

  it("is not shown to members who don't moderate", async () => {
    const api = visit(community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null }, my_permissions: ["post"] }));
    renderApp("/communities/data-science?tab=moderation");

    expect(await screen.findByText("Ada Lovelace changed a role")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Reports to review" })).not.toBeInTheDocument();
    expect(api.callsTo("GET", `${BASE}/reports`)).toHaveLength(0);
  });
});

describe("community notifications", () => {
  it("lets a member choose the notify level, saved at once", async () => {
    const api = visit(
      community({
        my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null },
        my_permissions: ["post", "set_notify_level"],
      }),
    ).on("PATCH", `${BASE}/members/me`, () =>
      json(200, { role: "member", status: "active", joined_at: "2026-11-28T10:00:00Z", notify_level: "muted", term_ends_at: null }),
    );
    const { user } = renderApp("/communities/data-science");

    const level = await screen.findByRole("combobox", { name: "Notify me of" });
    expect(level).toHaveValue("all");
    expect(within(level).getAllByRole("option").map((option) => option.textContent)).toEqual([
      "All new posts",
      "Mentions only",
      "Muted",
    ]);

    await user.selectOptions(level, "muted");

    expect(await screen.findByText("Saved")).toBeInTheDocument();
    expect(level).toHaveValue("muted");
    const [call] = api.callsTo("PATCH", `${BASE}/members/me`);
    expect(JSON.parse(call?.body ?? "")).toEqual({ notify_level: "muted" });
  });

  it("is not offered to people who are not members", async () => {
    visit(community());
    renderApp("/communities/data-science");

    expect(await screen.findByRole("heading", { level: 1, name: "Data Science" })).toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "Notify me of" })).not.toBeInTheDocument();
  });
});

function healthWeek(weekStart: string, share: number, posts: number) {
  return {
    week_start: weekStart,
    members: 12,
    active_members: 4,
    posts,
    questions: 4,
    answered_share: 0.75,
    median_first_response_minutes: 130,
    contributors: 4,
    leaders: 2,
    index: { share, concentration: 0.6, active_members: 4, leaders: 2, acts: 5 },
    computed_at: "2026-12-01T10:00:00Z",
  };
}
