import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { adaSummary, community, page } from "../../test/communityFixtures";
import { POST_ID, post } from "../../test/postFixtures";

const member = community({
  my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null },
  my_permissions: ["view_members", "view_audit", "nominate", "set_notify_level", "post"],
});

function composer() {
  return within(screen.getByRole("form", { name: "New post" }));
}

describe("the composer on the home page", () => {
  it("posts a question, showing a field error from a 422 next to its field first", async () => {
    const created = post({ author: adaSummary, title: "How do you name fact tables?" });
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])), () => json(200, page([created])))
      .on("GET", "/api/v1/communities", () => json(200, page([member])))
      .on(
        "POST",
        "/api/v1/communities/data-science/posts",
        () =>
          problem(422, {
            title: "Unprocessable Content",
            errors: [{ loc: ["body", "title"], msg: "Value error, a title needs words, not only punctuation", type: "value_error" }],
          }),
        () => json(201, created, { Location: `/api/v1/posts/${POST_ID}` }),
      );
    const { user } = renderApp("/");

    expect(await screen.findByText("Your feed is empty for now")).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Ask a question" }));

    // Focus goes to the first field of the opened form.
    const where = composer().getByLabelText(/^Community/);
    expect(where).toHaveFocus();
    await user.selectOptions(where, "Data Science");
    expect(composer().getByRole("radio", { name: "Question" })).toBeChecked();
    await user.type(composer().getByLabelText(/^Title/), "???");
    await user.type(composer().getByLabelText(/^Details/), "Star schema or one big table?");
    await user.type(composer().getByLabelText(/^Tags/), "sql, data modelling");
    await user.click(composer().getByRole("button", { name: "Post question" }));

    const title = await composer().findByLabelText(/^Title/);
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription(/A title needs words, not only punctuation/);
    expect(title).toHaveFocus();
    expect(composer().getByRole("alert")).toHaveTextContent("Please correct the highlighted fields.");

    await user.clear(title);
    await user.type(title, "How do you name fact tables?");
    expect(title).not.toHaveAttribute("aria-invalid");
    await user.click(composer().getByRole("button", { name: "Post question" }));

    expect(await screen.findByText(/Question posted in Data Science/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "View your post" })).toHaveAttribute("href", `/posts/${POST_ID}`);
    expect(screen.queryByRole("form", { name: "New post" })).not.toBeInTheDocument();
    // The feed reloads and shows the new post.
    expect(await screen.findByRole("link", { name: "How do you name fact tables?" })).toBeInTheDocument();

    const [first, second] = api.callsTo("POST", "/api/v1/communities/data-science/posts");
    expect(JSON.parse(second?.body ?? "")).toEqual({
      kind: "question",
      title: "How do you name fact tables?",
      body: "Star schema or one big table?",
      tags: ["sql", "data modelling"],
      links: [],
      attachment_ids: [],
    });
    // A corrected body is a new request, with a new idempotency key.
    expect(first?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(second?.headers.get("Idempotency-Key")).not.toBe(first?.headers.get("Idempotency-Key"));
    expect(second?.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("asks for links when sharing a resource, and checks them before sending", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([member])));
    const { user } = renderApp("/");

    await user.click(await screen.findByRole("button", { name: "Share a resource" }));
    await user.selectOptions(composer().getByLabelText(/^Community/), "Data Science");
    await user.type(composer().getByLabelText(/^Title/), "A field guide to dimensional modelling");
    await user.click(composer().getByRole("button", { name: "Add a link" }));
    await user.type(composer().getByLabelText("Link 1 address"), "javascript:alert(1)");
    await user.click(composer().getByRole("button", { name: "Share resource" }));

    expect(composer().getByLabelText("Link 1 address")).toHaveAccessibleDescription(/https:\/\//);
    expect(api.callsTo("POST", "/api/v1/communities/data-science/posts")).toHaveLength(0);
  });

  it("explains how to start when the user belongs to no community", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([])));
    renderApp("/");

    expect(await screen.findByRole("link", { name: "Join a community" })).toHaveAttribute("href", "/communities");
    expect(screen.queryByRole("button", { name: "Ask a question" })).not.toBeInTheDocument();
    const empty = await screen.findByText("Your feed is empty for now");
    expect(within(empty.parentElement ?? document.body).getByRole("link", { name: "learning goals" })).toHaveAttribute(
      "href",
      "/skills",
    );
  });
});

describe("composer drafts", () => {
  it("keeps a typed question when the page is left, and forgets it once posted or discarded", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/feed", () => json(200, page([])))
      .on("GET", "/api/v1/communities", () => json(200, page([member])));
    const first = renderApp("/");
    const { user } = first;
    await user.click(await screen.findByRole("button", { name: "Ask a question" }));
    await user.type(composer().getByLabelText(/^Title/), "Where do we keep runbooks?");
    await user.type(composer().getByLabelText(/^Details/), "The wiki or the repo?");
    // Saved shortly after typing stops.
    await new Promise((resolve) => setTimeout(resolve, 600));
    first.unmount();

    const again = renderApp("/");
    await again.user.click(await screen.findByRole("button", { name: "Ask a question" }));
    expect(composer().getByLabelText(/^Title/)).toHaveValue("Where do we keep runbooks?");
    expect(composer().getByLabelText(/^Details/)).toHaveValue("The wiki or the repo?");
    expect(composer().getByRole("status")).toHaveTextContent("Your draft is back");

    await again.user.click(composer().getByRole("button", { name: "Discard draft" }));
    expect(composer().getByLabelText(/^Title/)).toHaveValue("");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(window.localStorage.length).toBe(0);
  });
});
