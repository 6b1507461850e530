import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { InboxItem } from "../../api/types";
import { json, mockApi, noContent, problem, type MockApi } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";
import { ANSWER_ID, aiko, groupedAnswers, inboxItem } from "../../test/notificationFixtures";
import { POST_ID, comment, post } from "../../test/postFixtures";

const INBOX = "/api/v1/me/notifications";
const OLDER = "01938e00-0000-7000-8000-000000000009";
const NEWEST = "01938f00-0000-7000-8000-00000000000f";

function visit(...pages: ReturnType<typeof page<InboxItem>>[]): MockApi {
  return asSignedIn(mockApi()).on("GET", INBOX, ...pages.map((body) => () => json(200, body)));
}

function lines() {
  return within(screen.getByRole("list", { name: /notifications/ }));
}

describe("notifications page", () => {
  it("shows grouped lines with their reason, unread ones marked, and links to the settings", async () => {
    visit(
      page([
        groupedAnswers({ id: NEWEST }),
        inboxItem({
          id: OLDER,
          kind: "mention",
          reason: "mentioned",
          read_at: "2026-12-01T11:00:00Z",
          subject: { type: "post", id: POST_ID, title: "Aiko Tanaka mentioned you on Naming tables", url: `/posts/${POST_ID}` },
        }),
      ]),
    );
    renderApp("/notifications");

    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeInTheDocument();
    const answered = await screen.findByRole("link", { name: /Aiko Tanaka and 2 others answered/ });
    expect(answered).toHaveAccessibleName(/^Unread: Aiko Tanaka and 2 others answered: How do we review a data model\?/);
    expect(answered).toHaveTextContent("because you asked");
    expect(answered).toHaveClass("inbox-line--unread");
    expect(answered).toHaveAttribute("href", `/posts/${POST_ID}#comment-${ANSWER_ID}`);
    const mention = lines().getByRole("link", { name: /mentioned you on/ });
    expect(mention).not.toHaveClass("inbox-line--unread");
    expect(mention).toHaveTextContent("because you were mentioned");
    expect(screen.getByRole("link", { name: "Notification settings" })).toHaveAttribute("href", "/settings/notifications");
    expect(screen.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");
  });

  it("marks a line read when it is followed, and the post opens at the anchored answer", async () => {
    const api = visit(page([inboxItem()]))
      .on("GET", "/api/v1/me/notifications/unread-count", () => json(200, { unread: 1 }), () => json(200, { unread: 0 }))
      .on("POST", `${INBOX}/${inboxItem().id}/read`, () => noContent())
      .on("GET", `/api/v1/posts/${POST_ID}`, () => json(200, post(), { ETag: '"v1"' }))
      .on("GET", `/api/v1/posts/${POST_ID}/comments`, () => json(200, page([comment({ author: aiko })])))
      .on("GET", "/api/v1/communities/data-science", () => json(200, community(), { ETag: '"v1"' }));
    const { user, router } = renderApp("/notifications");

    expect(await screen.findByRole("link", { name: "Notifications, 1 unread" })).toBeInTheDocument();
    await user.click(await screen.findByRole("link", { name: /Aiko Tanaka answered/ }));

    await waitFor(() => {
      expect(currentPath(router)).toBe(`/posts/${POST_ID}`);
    });
    expect(router.state.location.hash).toBe(`#comment-${ANSWER_ID}`);
    await waitFor(() => {
      expect(api.callsTo("POST", `${INBOX}/${inboxItem().id}/read`)).toHaveLength(1);
    });
    const answer = await screen.findByRole("article", { name: "answer by Aiko Tanaka" });
    expect(answer).toHaveClass("comment--highlighted");
    await waitFor(() => {
      expect(answer).toHaveFocus();
    });
    expect(await screen.findByRole("link", { name: "Notifications" })).toBeInTheDocument();
  });

  it("marks all read up to the newest line shown", async () => {
    const read = { read_at: "2026-12-01T12:00:00Z" };
    const api = visit(
      page([inboxItem({ id: NEWEST }), inboxItem({ id: OLDER, kind: "mention", reason: "mentioned", subject: { ...inboxItem().subject, title: "Aiko Tanaka mentioned you on Naming tables" } })]),
      page([inboxItem({ id: NEWEST, ...read }), inboxItem({ id: OLDER, kind: "mention", reason: "mentioned", subject: { ...inboxItem().subject, title: "Aiko Tanaka mentioned you on Naming tables" }, ...read })]),
    ).on(
      "POST",
      `${INBOX}/read-all`,
      () => noContent(),
    );
    const { user } = renderApp("/notifications");

    await user.click(await screen.findByRole("button", { name: "Mark all as read" }));

    expect(await screen.findByText("Everything shown is marked as read.")).toBeInTheDocument();
    const [call] = api.callsTo("POST", `${INBOX}/read-all`);
    expect(JSON.parse(call?.body ?? "")).toEqual({ up_to: NEWEST });
    expect(lines().getByRole("link", { name: /mentioned you on/ })).not.toHaveClass("inbox-line--unread");
  });

  it("filters to unread lines, and says when there are none", async () => {
    const api = visit(page([inboxItem({ read_at: "2026-12-01T11:00:00Z" })]), page([]));
    const { user } = renderApp("/notifications");

    await screen.findByRole("link", { name: /Aiko Tanaka answered/ });
    expect(screen.queryByRole("button", { name: "Mark all as read" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Unread" }));

    expect(await screen.findByText("You’re all caught up")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Unread" })).toHaveAttribute("aria-pressed", "true");
    expect(api.callsTo("GET", INBOX).map((call) => call.url.searchParams.get("unread"))).toEqual(["false", "true"]);
  });

  it("loads more with the cursor", async () => {
    const api = visit(page([inboxItem({ id: NEWEST })], "next-page"), page([inboxItem({ id: OLDER, kind: "mention", reason: "mentioned", subject: { ...inboxItem().subject, title: "Aiko Tanaka mentioned you on Naming tables" } })]));
    const { user } = renderApp("/notifications");

    await user.click(await screen.findByRole("button", { name: "Load more" }));

    expect(await screen.findByRole("link", { name: /mentioned you on/ })).toBeInTheDocument();
    expect(api.callsTo("GET", INBOX)[1]?.url.searchParams.get("cursor")).toBe("next-page");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("shows an error with a way to try again", async () => {
    asSignedIn(mockApi()).on(
      "GET",
      INBOX,
      () => problem(503, { title: "Service Unavailable", detail: "Try again in a minute." }),
      () => json(200, page([])),
    );
    const { user } = renderApp("/notifications");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Your notifications didn’t load");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No notifications yet")).toBeInTheDocument();
  });
});
