import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";

const PURPOSE = "We help each other turn messy data into decisions.";

function createForm() {
  return within(screen.getByRole("form", { name: "Create community" }));
}

async function fillIn(user: ReturnType<typeof renderApp>["user"], tags = "python") {
  const form = within(await screen.findByRole("form", { name: "Create community" }));
  await user.type(form.getByLabelText(/^Name/), "Data Science");
  await user.type(form.getByLabelText(/^Purpose/), PURPOSE);
  await user.type(form.getByLabelText(/^Tags/), tags);
}

describe("start a community", () => {
  it("shows a field error from a 422 problem next to its field", async () => {
    const api = asSignedIn(mockApi()).on("POST", "/api/v1/communities", () =>
      problem(422, {
        title: "Unprocessable Content",
        detail: "Tags must not be blank.",
        errors: [{ loc: ["body", "tags"], msg: "Tags must not be blank.", type: "value_error" }],
      }),
    );
    const { user } = renderApp("/communities/new");

    await fillIn(user, "python, !!!");
    await user.click(createForm().getByRole("button", { name: "Create community" }));

    const tags = createForm().getByLabelText(/^Tags/);
    expect(await screen.findByText("Tags must not be blank.")).toBeInTheDocument();
    expect(tags).toHaveAttribute("aria-invalid", "true");
    expect(tags).toHaveAccessibleDescription(expect.stringContaining("Tags must not be blank."));
    expect(tags).toHaveFocus();
    expect(createForm().getByLabelText(/^Purpose/)).not.toHaveAttribute("aria-invalid");
    expect(screen.getByRole("alert")).toHaveTextContent("Please correct the highlighted fields.");

    const [call] = api.callsTo("POST", "/api/v1/communities");
    expect(JSON.parse(call?.body ?? "")).toEqual({
      name: "Data Science",
      purpose: PURPOSE,
      description: "",
      visibility: "public",
      join_policy: "open",
      tags: ["python", "!!!"],
    });
    expect(call?.headers.get("Idempotency-Key")).toBeTruthy();
  });

  it("says clearly when the web address is taken (409) and lets the user pick another", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "POST",
        "/api/v1/communities",
        () =>
          problem(409, {
            title: "Conflict",
            detail: "The address /communities/data-science is taken; choose another slug.",
          }),
        () => json(201, community({ slug: "data-science-guild" }), { Location: "/api/v1/communities/data-science-guild" }),
      )
      .on("GET", "/api/v1/communities/data-science-guild/audit-log", () => json(200, page([])));
    const { user, router } = renderApp("/communities/new");

    await fillIn(user);
    await user.click(createForm().getByRole("button", { name: "Create community" }));

    expect(await screen.findByText("That web address is taken")).toBeInTheDocument();
    const slug = createForm().getByLabelText(/^Web address/);
    expect(slug).toHaveAttribute("aria-invalid", "true");
    expect(slug).toHaveAccessibleDescription(expect.stringContaining("is taken; choose another slug"));
    expect(slug).toHaveFocus();
    // A starting point to edit: the address the name would have given.
    expect(slug).toHaveValue("data-science");

    await user.clear(slug);
    await user.type(slug, "data-science-guild");
    expect(slug).not.toHaveAttribute("aria-invalid");
    await user.click(createForm().getByRole("button", { name: "Create community" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Data Science" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/communities/data-science-guild");
    expect(screen.getByText(/you’re its first steward/)).toBeInTheDocument();
    const [first, second] = api.callsTo("POST", "/api/v1/communities");
    expect(JSON.parse(second?.body ?? "")).toMatchObject({ slug: "data-science-guild" });
    // A different body is a new request, so it gets a new idempotency key.
    expect(second?.headers.get("Idempotency-Key")).not.toBe(first?.headers.get("Idempotency-Key"));
  });

  it("checks the purpose before calling the API, and forces invitations for private communities", async () => {
    const api = asSignedIn(mockApi());
    const { user } = renderApp("/communities/new");

    const form = within(await screen.findByRole("form", { name: "Create community" }));
    expect(form.getByLabelText(/^Purpose/)).toHaveAccessibleDescription(
      expect.stringContaining("A clear reason to meet is what keeps a community of practice alive"),
    );
    await user.type(form.getByLabelText(/^Name/), "Data Science");
    await user.type(form.getByLabelText(/^Purpose/), "Data");
    await user.click(form.getByRole("radio", { name: /Private/ }));

    expect(form.getByRole("radio", { name: /Invitation only/ })).toBeChecked();
    expect(form.getByRole("radio", { name: /Anyone can join/ })).toBeDisabled();
    expect(form.getByRole("group", { name: "Who can join" })).toHaveAccessibleDescription(
      expect.stringContaining("invitation is the only way in"),
    );

    await user.click(form.getByRole("button", { name: "Create community" }));
    expect(form.getByLabelText(/^Purpose/)).toHaveAccessibleDescription(expect.stringContaining("at least 10 characters"));
    expect(form.getByLabelText(/^Purpose/)).toHaveFocus();
    expect(api.callsTo("POST", "/api/v1/communities")).toHaveLength(0);
  });
});
