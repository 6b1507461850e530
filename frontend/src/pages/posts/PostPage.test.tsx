import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Community, Post, PostComment, PostWatch } from "../../api/types";
import { json, mockApi, noContent, problem, type MockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { adaSummary, community, grace, page } from "../../test/communityFixtures";
import { POST_ID, comment, post } from "../../test/postFixtures";

const POST = `/api/v1/posts/${POST_ID}`;
const MEMBER_PERMISSIONS: NonNullable<Community["my_permissions"]> = ["view_members", "view_audit", "nominate", "set_notify_level", "post"];

const asMember = community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null }, my_permissions: MEMBER_PERMISSIONS });
const asModerator = community({
  my_membership: { role: "moderator", status: "active", notify_level: "all", term_ends_at: null },
  my_permissions: [...MEMBER_PERMISSIONS, "approve_members", "remove_members", "view_pending", "moderate"],
});

/** Ada opens a post page: the post (with its ETag), its comments and the community's permissions. */
function visit(subject: Post, comments: PostComment[] = [], where: Community = asMember): MockApi {
  return asSignedIn(mockApi())
    .on("GET", POST, () => json(200, subject, { ETag: `"v${subject.version}"` }))
    .on("GET", `${POST}/comments`, () => json(200, page(comments)))
    .on("GET", `${POST}/watch`, () => json(200, { watching: false, reason: null }))
    .on("GET", "/api/v1/communities/data-science", () => json(200, where, { ETag: '"v1"' }));
}

describe("post page", () => {
  it("renders the post: kind, title, author, community, tags and the sanitized body", async () => {
    visit(post({ kind: "resource", links: [{ url: "https://example.com/guide", title: "The guide" }] }));
    renderApp(`/posts/${POST_ID}`);

    expect(await screen.findByRole("heading", { level: 1, name: "How do you review a data model before it ships?" })).toBeInTheDocument();
    expect(document.title).toBe("How do you review a data model before it ships? · Leaderful");
    expect(within(screen.getByRole("list", { name: "About this post" })).getByText("Resource")).toBeInTheDocument();
    expect(screen.getByText("naming", { selector: "strong" })).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Tags" })).getByText("#data-modelling")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /The guide/ })).toHaveAttribute("rel", "noopener noreferrer nofollow");
    expect(screen.getAllByRole("link", { name: "Data Science" })[0]).toHaveAttribute("href", "/communities/data-science");
    expect(await screen.findByText("No comments yet.")).toBeInTheDocument();
  });

  it("toggles a reaction and shows the new count", async () => {
    const api = visit(post()).on("PUT", `${POST}/reactions/helpful`, () => noContent()).on(
      "DELETE",
      `${POST}/reactions/like`,
      () => noContent(),
    );
    const { user } = renderApp(`/posts/${POST_ID}`);

    const reactions = within(await screen.findByRole("group", { name: "Reactions to this post" }));
    const helpful = reactions.getByRole("button", { name: /Helpful/ });
    expect(helpful).toHaveAttribute("aria-pressed", "false");
    expect(helpful).toHaveTextContent("Helpful 0");

    await user.click(helpful);

    expect(await reactions.findByRole("button", { name: /Helpful 1/ })).toHaveAttribute("aria-pressed", "true");
    expect(api.callsTo("PUT", `${POST}/reactions/helpful`)).toHaveLength(1);
    expect(reactions.getByRole("button", { name: /Like/ })).toHaveTextContent("Like 2");
  });

  it("takes a reaction back", async () => {
    const api = visit(post({ my_reactions: ["like"] })).on("DELETE", `${POST}/reactions/like`, () => noContent());
    const { user } = renderApp(`/posts/${POST_ID}`);

    const like = within(await screen.findByRole("group", { name: "Reactions to this post" })).getByRole("button", { name: /Like/ });
    expect(like).toHaveAttribute("aria-pressed", "true");
    await user.click(like);

    expect(await screen.findByRole("button", { name: /Like 1/ })).toHaveAttribute("aria-pressed", "false");
    expect(api.callsTo("DELETE", `${POST}/reactions/like`)).toHaveLength(1);
  });

  it("offers no reaction buttons on the viewer's own post", async () => {
    visit(post({ author: adaSummary }));
    renderApp(`/posts/${POST_ID}`);

    expect(await screen.findByText("You can’t react to your own post.")).toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Reactions to this post" })).not.toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Reactions to this post" })).toHaveTextContent("Like 2");
  });

  describe("accepting an answer", () => {
    const answer = comment({ author: grace });

    it("is offered to the question's author, and highlights the accepted answer", async () => {
      const question = post({ author: adaSummary, comment_count: 1 });
      const accepted = { ...question, accepted_comment_id: answer.id, version: 2 };
      const api = visit(question, [answer])
        .on("GET", POST, () => json(200, question, { ETag: '"v1"' }), () => json(200, accepted, { ETag: '"v2"' }))
        .on("PUT", `${POST}/accepted-answer`, () => json(200, accepted));
      const { user } = renderApp(`/posts/${POST_ID}`);

      const thread = within(await screen.findByRole("article", { name: "answer by Grace Hopper" }));
      await user.click(thread.getByRole("button", { name: "Accept this answer" }));

      const acceptedAnswer = await screen.findByRole("article", { name: "Accepted answer by Grace Hopper" });
      expect(within(acceptedAnswer).getByText("Accepted answer")).toBeInTheDocument();
      expect(acceptedAnswer).toHaveClass("comment--accepted");
      expect(within(acceptedAnswer).getByRole("button", { name: "Unaccept" })).toBeInTheDocument();
      expect(screen.getByRole("link", { name: "Go to the accepted answer" })).toHaveAttribute("href", `#comment-${answer.id}`);
      const [call] = api.callsTo("PUT", `${POST}/accepted-answer`);
      expect(JSON.parse(call?.body ?? "")).toEqual({ comment_id: answer.id });
    });

    it("is offered to moderators", async () => {
      visit(post({ comment_count: 1 }), [answer], asModerator);
      renderApp(`/posts/${POST_ID}`);

      const thread = within(await screen.findByRole("article", { name: "answer by Grace Hopper" }));
      expect(await thread.findByRole("button", { name: "Accept this answer" })).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Pin" })).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Lock" })).toBeInTheDocument();
    });

    it("is not offered to other members", async () => {
      const mine = comment({ id: "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", author: adaSummary, body_html: "<p>Mine.</p>" });
      visit(post({ comment_count: 2 }), [answer, mine], asMember);
      renderApp(`/posts/${POST_ID}`);

      expect(await screen.findByRole("article", { name: "answer by Grace Hopper" })).toBeInTheDocument();
      // Wait for the community's permissions, which decide the buttons.
      expect(await screen.findByRole("button", { name: "Reply to Grace Hopper" })).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Accept this answer" })).not.toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Pin" })).not.toBeInTheDocument();
    });
  });

  it("threads replies under their comment, oldest first", async () => {
    const first = comment({ author: grace });
    const reply = comment({ id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", parent_id: first.id, body_html: "<p>Agreed.</p>" });
    visit(post({ comment_count: 2 }), [first, reply]);
    renderApp(`/posts/${POST_ID}`);

    const replies = await screen.findByRole("list", { name: "Replies to Grace Hopper" });
    expect(within(replies).getByText("Agreed.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "2 answers" })).toBeInTheDocument();
  });

  it("on 412 while editing shows the newer version, then saves on top of it with the new ETag", async () => {
    const mine = post({ author: adaSummary, version: 1 });
    const theirs = { ...mine, is_pinned: true, body: "Edited by someone else.", body_html: "<p>Edited by someone else.</p>", version: 2 };
    const saved = { ...theirs, title: "How do you review a data model?", version: 3 };
    const api = visit(mine)
      .on(
        "GET",
        POST,
        () => json(200, mine, { ETag: '"v1"' }),
        () => json(200, theirs, { ETag: '"v2"' }),
      )
      .on(
        "PATCH",
        POST,
        () => problem(412, { title: "Precondition Failed", detail: "The post changed since you read it; reload and retry." }),
        () => json(200, saved, { ETag: '"v3"' }),
      );
    const { user } = renderApp(`/posts/${POST_ID}`);

    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const form = within(screen.getByRole("form", { name: "Edit post" }));
    const title = form.getByLabelText(/^Title/);
    await user.clear(title);
    await user.type(title, "How do you review a data model?");
    await user.click(form.getByRole("button", { name: "Save changes" }));

    const heading = await screen.findByRole("heading", { name: "Someone changed this post meanwhile" });
    expect(heading).toHaveFocus();
    const conflict = within(heading.closest("section") ?? document.body);
    expect(conflict.getByText("Edited by someone else.")).toBeInTheDocument();
    expect(conflict.getByText("Pinned")).toBeInTheDocument();
    // The untouched body now shows the newer text; the user's own title is kept.
    expect(form.getByLabelText(/^Details/)).toHaveValue("Edited by someone else.");
    expect(form.getByLabelText(/^Title/)).toHaveValue("How do you review a data model?");

    await user.click(conflict.getByRole("button", { name: "Save my changes again" }));

    expect(await screen.findByRole("heading", { level: 1, name: "How do you review a data model?" })).toBeInTheDocument();
    expect(screen.getByText("Your changes are saved.")).toBeInTheDocument();
    const [first, retry] = api.callsTo("PATCH", POST);
    expect(first?.headers.get("If-Match")).toBe('"v1"');
    expect(JSON.parse(first?.body ?? "")).toEqual({ title: "How do you review a data model?" });
    expect(retry?.headers.get("If-Match")).toBe('"v2"');
    expect(JSON.parse(retry?.body ?? "")).toEqual({ title: "How do you review a data model?" });
  });

  it("reports a comment with a reason and detail", async () => {
    const api = visit(post({ comment_count: 1 }), [comment({ author: grace })]).on(
      "POST",
      `/api/v1/comments/${comment().id}/reports`,
      () => json(201, { id: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", status: "open", created_at: "2026-11-28T10:00:00Z" }),
    );
    const { user } = renderApp(`/posts/${POST_ID}`);

    await user.click(await screen.findByRole("button", { name: "Report answer by Grace Hopper" }));
    const dialog = within(await screen.findByRole("alertdialog", { name: "Report this comment" }));
    await user.click(dialog.getByRole("button", { name: "Send report" }));
    expect(dialog.getByText("Choose a reason.")).toBeInTheDocument();
    await user.click(dialog.getByRole("radio", { name: /Off topic/ }));
    await user.type(dialog.getByLabelText(/^Details/), "About another tool entirely.");
    await user.click(dialog.getByRole("button", { name: "Send report" }));

    expect(await screen.findByText(/Thanks for reporting it/)).toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    const [call] = api.callsTo("POST", `/api/v1/comments/${comment().id}/reports`);
    expect(JSON.parse(call?.body ?? "")).toEqual({ reason: "off_topic", detail: "About another tool entirely." });
  });

  it("shows a not-found page for a missing post", async () => {
    asSignedIn(mockApi()).on("GET", POST, () => problem(404, { title: "Not Found", detail: "Post not found." }));
    renderApp(`/posts/${POST_ID}`);

    expect(await screen.findByRole("heading", { level: 1, name: "Post not found" })).toBeInTheDocument();
  });
});

describe("watching a post", () => {
  it("watches and unwatches with a pressed toggle, reading the state back from the server", async () => {
    let state: PostWatch = { watching: false, reason: null };
    const api = visit(post())
      .on("GET", `${POST}/watch`, () => json(200, state))
      .on("PUT", `${POST}/watch`, () => {
        state = { watching: true, reason: "explicit" };
        return noContent();
      })
      .on("DELETE", `${POST}/watch`, () => {
        state = { watching: false, reason: null };
        return noContent();
      });
    const { user } = renderApp(`/posts/${POST_ID}`);

    const actions = within(await screen.findByRole("group", { name: "Post actions" }));
    const toggle = await actions.findByRole("button", { name: "Watch" });
    expect(toggle).toHaveAttribute("aria-pressed", "false");

    await user.click(toggle);
    const watching = await actions.findByRole("button", { name: "Watching" });
    expect(watching).toHaveAttribute("aria-pressed", "true");
    expect(api.callsTo("PUT", `${POST}/watch`)).toHaveLength(1);
    await waitFor(() => {
      expect(api.callsTo("GET", `${POST}/watch`)).toHaveLength(2);
    });
    expect(watching).toHaveAccessibleDescription("You chose to watch it.");

    await user.click(actions.getByRole("button", { name: "Watching" }));
    expect(await actions.findByRole("button", { name: "Watch" })).toHaveAttribute("aria-pressed", "false");
    expect(api.callsTo("DELETE", `${POST}/watch`)).toHaveLength(1);
  });

  it("shows what the server says, not a guess from the page", async () => {
    // Ada wrote the post but stopped watching it: the toggle follows the server, not authorship.
    visit(post({ author: adaSummary })).on("GET", `${POST}/watch`, () => json(200, { watching: false, reason: null }));
    renderApp(`/posts/${POST_ID}`);
    const actions = within(await screen.findByRole("group", { name: "Post actions" }));
    expect(await actions.findByRole("button", { name: "Watch" })).toHaveAttribute("aria-pressed", "false");
  });

  it("says why the caller watches", async () => {
    visit(post()).on("GET", `${POST}/watch`, () => json(200, { watching: true, reason: "commenter" }));
    renderApp(`/posts/${POST_ID}`);
    const actions = within(await screen.findByRole("group", { name: "Post actions" }));
    const toggle = await actions.findByRole("button", { name: "Watching" });
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(toggle).toHaveAccessibleDescription("You commented here.");
  });

  it("is busy while the state loads, and cannot be pressed", async () => {
    let answer: (response: Response) => void = () => undefined;
    const api = visit(post())
      .on("GET", `${POST}/watch`, () => new Promise<Response>((resolve) => (answer = resolve)))
      .on("PUT", `${POST}/watch`, () => noContent());
    const { user } = renderApp(`/posts/${POST_ID}`);
    const actions = within(await screen.findByRole("group", { name: "Post actions" }));
    const checking = actions.getByRole("button", { name: /checking whether you watch/ });
    expect(checking).toHaveAttribute("aria-busy", "true");
    expect(checking).not.toHaveAttribute("aria-pressed");
    await user.click(checking);
    expect(api.callsTo("PUT", `${POST}/watch`)).toHaveLength(0);

    answer(json(200, { watching: true, reason: "author" }));
    expect(await actions.findByRole("button", { name: "Watching" })).toHaveAccessibleDescription("You wrote this post.");
  });

  it("says when the state cannot be read, and tries again", async () => {
    const api = visit(post()).on(
      "GET",
      `${POST}/watch`,
      () => problem(503, { title: "Service Unavailable", detail: "The database is busy; retry shortly." }),
      () => json(200, { watching: true, reason: "explicit" }),
    );
    const { user } = renderApp(`/posts/${POST_ID}`);
    const actions = within(await screen.findByRole("group", { name: "Post actions" }));
    const alert = await actions.findByRole("alert", {}, { timeout: 5000 });
    expect(alert).toHaveTextContent("Couldn’t tell whether you watch this post");
    expect(actions.queryByRole("button", { name: /^Watch/ })).not.toBeInTheDocument();

    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await actions.findByRole("button", { name: "Watching" })).toHaveAttribute("aria-pressed", "true");
    expect(api.callsTo("GET", `${POST}/watch`).length).toBeGreaterThanOrEqual(2);
  });
});

describe("a link to a comment", () => {
  it("scrolls to the anchored comment, focuses and highlights it", async () => {
    const target = comment({ id: "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", author: grace });
    visit(post(), [comment(), target]);
    renderApp(`/posts/${POST_ID}#comment-${target.id}`);

    const anchored = await screen.findByRole("article", { name: "answer by Grace Hopper" });
    expect(anchored).toHaveClass("comment--highlighted");
    await waitFor(() => {
      expect(anchored).toHaveFocus();
    });
    expect(screen.getByRole("article", { name: "answer by Ada Lovelace" })).not.toHaveClass("comment--highlighted");
  });
});

describe("follow-the-sun nudges on a question", () => {
  const question = (overrides: Partial<Post> = {}) => post({ kind: "question", ...overrides });
  const nudge = {
    reason: "you're among the top experts in Kubernetes and it's 10:00 for you",
    nudged_at: "2026-12-07T02:00:00Z",
    dismissed: false,
  };

  it("says why the caller was asked, and “Not for me” stops it", async () => {
    const api = visit(question({ nudge })).on("POST", `${POST}/nudge/dismiss`, () => noContent());
    const { user } = renderApp(`/posts/${POST_ID}`);

    const callout = within(await screen.findByRole("complementary", { name: "You were asked to help with this question" }));
    expect(callout.getByText("Because you're among the top experts in Kubernetes and it's 10:00 for you.")).toBeInTheDocument();
    await user.click(callout.getByRole("button", { name: "Not for me" }));

    expect(await screen.findByText("Noted: we won’t ask you about this question again.")).toBeInTheDocument();
    expect(screen.queryByRole("complementary", { name: "You were asked to help with this question" })).not.toBeInTheDocument();
    expect(api.callsTo("POST", `${POST}/nudge/dismiss`)).toHaveLength(1);
  });

  it("shows nothing once dismissed, and nothing to people who were not asked", async () => {
    visit(question({ nudge: { ...nudge, dismissed: true } }));
    renderApp(`/posts/${POST_ID}`);
    expect(await screen.findByRole("heading", { level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Not for me" })).not.toBeInTheDocument();
  });

  it("shows the error when dismissing fails, and keeps the callout", async () => {
    visit(question({ nudge })).on("POST", `${POST}/nudge/dismiss`, () => problem(503, { title: "Service Unavailable", detail: "Try again in a moment." }));
    const { user } = renderApp(`/posts/${POST_ID}`);
    await user.click(await screen.findByRole("button", { name: "Not for me" }));
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Not for me" })).toBeInTheDocument();
  });

  it("lets a non-member join an open public community and answer in one click", async () => {
    const outsider = community({ join_policy: "open" });
    const api = visit(question({ nudge }), [], outsider).on("POST", "/api/v1/communities/data-science/members", () =>
      json(201, { role: "member", status: "active", joined_at: "2026-12-07T03:00:00Z", notify_level: "mentions", term_ends_at: null }),
    );
    const { user } = renderApp(`/posts/${POST_ID}`);

    expect(await screen.findByText("Know the answer? Join Data Science to share it.")).toBeInTheDocument();
    // The answers section offers the button instead of the plain hint.
    expect(screen.queryByText(/to answer, comment and react/, { selector: ".muted-note" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Join and answer" }));

    const answer = await screen.findByRole("textbox", { name: /Your answer/ });
    expect(answer).toHaveFocus();
    expect(api.callsTo("POST", "/api/v1/communities/data-science/members")).toHaveLength(1);
  });

  it("keeps the plain hint where joining needs approval", async () => {
    visit(question(), [], community({ join_policy: "approval" }));
    renderApp(`/posts/${POST_ID}`);
    expect(await screen.findByText("Join Data Science to answer, comment and react.", { selector: ".muted-note" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Join and answer" })).not.toBeInTheDocument();
  });
});
