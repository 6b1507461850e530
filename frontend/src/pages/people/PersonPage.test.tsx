import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { adaSummary, endorsement, grace, mentorship, page, profile, userSkill } from "../../test/skillFixtures";

const POST_ID = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
const python = userSkill({ level: 4, level_name: "proficient", endorsement_count: 1, evidence: { posts: 2, accepted_answers: 1 } });

function skillRow(name: string) {
  return within(screen.getByRole("link", { name }).closest("li") ?? document.body);
}

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
});

describe("person profile", () => {
  it("shows the profile, stats and skills, and endorses a skill with a note and evidence", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on(
        "GET",
        "/api/v1/users/grace/skills",
        () => json(200, page([python])),
        () => json(200, page([{ ...python, endorsement_count: 2, endorsed_by_me: true }])),
      )
      .on("PUT", "/api/v1/users/grace/skills/python/endorsement", (call) =>
        json(201, endorsement(adaSummary, JSON.parse(call.body ?? "{}") as object)),
      );
    const { user } = renderApp("/people/grace");

    expect(await screen.findByRole("heading", { level: 1, name: "Grace Hopper" })).toBeInTheDocument();
    expect(screen.getByText("Rear Admiral")).toBeInTheDocument();
    expect(screen.getByText("I write compilers.")).toBeInTheDocument();
    expect(screen.getByText("Arlington")).toBeInTheDocument();
    expect(screen.getByText(/America\/New York/)).toBeInTheDocument();
    expect(screen.getByText("Endorsements received").nextElementSibling).toHaveTextContent("3");
    // No mentor profile: nothing to request.
    expect(screen.queryByRole("button", { name: "Request mentorship" })).not.toBeInTheDocument();

    await screen.findByRole("link", { name: "Python" });
    const row = skillRow("Python");
    expect(row.getByText("Level 4 · Proficient")).toBeInTheDocument();
    expect(row.getByText("1 endorsement · 2 posts about it · 1 accepted answer")).toBeInTheDocument();

    await user.click(row.getByRole("button", { name: "Endorse Grace Hopper for Python" }));
    const form = within(row.getByRole("form", { name: "Endorse Grace Hopper for Python" }));
    await user.type(form.getByLabelText(/^Note/), "Untangled our build with a clean packaging setup.");
    await user.type(form.getByLabelText(/^Evidence/), `https://leaderful.example/posts/${POST_ID}`);
    await user.click(form.getByRole("button", { name: "Endorse" }));

    expect(await screen.findByText("You endorsed Grace Hopper for Python.")).toBeInTheDocument();
    expect(document.body).not.toHaveFocus();
    expect(JSON.parse(api.callsTo("PUT", "/api/v1/users/grace/skills/python/endorsement")[0]?.body ?? "")).toEqual({
      note: "Untangled our build with a clean packaging setup.",
      evidence_post_id: POST_ID,
      propose: false,
    });
    expect(await skillRow("Python").findByText("You endorsed this")).toBeInTheDocument();
    expect(skillRow("Python").getByRole("button", { name: "Withdraw your endorsement for Python" })).toBeInTheDocument();
  });

  it("checks the evidence link before sending, and shows the server's reason for a wrong post", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on("GET", "/api/v1/users/grace/skills", () => json(200, page([python])))
      .on("PUT", "/api/v1/users/grace/skills/python/endorsement", () =>
        problem(422, {
          title: "Unprocessable Content",
          errors: [{ loc: ["body", "evidence_post_id"], msg: "The evidence post is not tagged with Python.", type: "value_error" }],
        }),
      );
    const { user } = renderApp("/people/grace");

    await screen.findByRole("link", { name: "Python" });
    await user.click(skillRow("Python").getByRole("button", { name: "Endorse Grace Hopper for Python" }));
    const evidence = skillRow("Python").getByLabelText(/^Evidence/);
    await user.type(evidence, "the post about wheels");
    await user.click(skillRow("Python").getByRole("button", { name: "Endorse" }));
    expect(await screen.findByText(/Paste the post’s address/)).toBeInTheDocument();
    expect(evidence).toHaveFocus();
    expect(api.callsTo("PUT", "/api/v1/users/grace/skills/python/endorsement")).toHaveLength(0);

    await user.clear(evidence);
    await user.type(evidence, POST_ID);
    await user.click(skillRow("Python").getByRole("button", { name: "Endorse" }));
    expect(await screen.findByText("The evidence post is not tagged with Python.")).toBeInTheDocument();
    expect(evidence).toHaveAttribute("aria-invalid", "true");
  });

  it("lists who endorsed a skill and withdraws my endorsement", async () => {
    const endorsed = { ...python, endorsed_by_me: true, endorsement_count: 2 };
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on(
        "GET",
        "/api/v1/users/grace/skills",
        () => json(200, page([endorsed])),
        () => json(200, page([{ ...python, endorsed_by_me: false }])),
      )
      .on("GET", "/api/v1/users/grace/skills/python/endorsements", () =>
        json(200, page([endorsement(adaSummary, { note: "Great reviews.", evidence_post_id: POST_ID })])),
      )
      .on("DELETE", "/api/v1/users/grace/skills/python/endorsement", () => noContent());
    const { user } = renderApp("/people/grace");

    await screen.findByRole("link", { name: "Python" });
    await user.click(skillRow("Python").getByRole("button", { name: "Endorsed by 2" }));
    const endorsers = within(await screen.findByRole("list", { name: "Endorsed for Python by" }));
    expect(endorsers.getByRole("link", { name: "Ada Lovelace" })).toHaveAttribute("href", "/people/ada");
    expect(endorsers.getByText("Great reviews.")).toBeInTheDocument();
    expect(endorsers.getByRole("link", { name: "See the evidence" })).toHaveAttribute("href", `/posts/${POST_ID}`);

    await user.click(skillRow("Python").getByRole("button", { name: "Withdraw your endorsement for Python" }));
    await user.click(await screen.findByRole("button", { name: "Withdraw endorsement" }));
    expect(await screen.findByText("You withdrew your endorsement of Grace Hopper for Python.")).toBeInTheDocument();
    expect(api.callsTo("DELETE", "/api/v1/users/grace/skills/python/endorsement")).toHaveLength(1);
  });

  it("requests mentorship from a mentor's profile", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () =>
        json(
          200,
          profile(grace, {
            mentor_profile: { accepting_mentees: true, capacity: 3, active_mentees: 1, open_slots: 2, about: "Fortnightly calls.", timezone: "America/New_York" },
          }),
        ),
      )
      .on("GET", "/api/v1/users/grace/skills", () => json(200, page([python])))
      .on("POST", "/api/v1/mentorships", () => json(201, mentorship(grace, adaSummary)));
    const { user } = renderApp("/people/grace");

    const mentoring = within(await screen.findByRole("region", { name: "Mentoring" }));
    expect(mentoring.getByText("Taking mentees")).toBeInTheDocument();
    expect(mentoring.getByText(/2 of 3 places open/)).toBeInTheDocument();
    expect(mentoring.getByText("Fortnightly calls.")).toBeInTheDocument();
    await user.click(mentoring.getByRole("button", { name: "Request mentorship" }));
    await user.selectOptions(mentoring.getByLabelText("Skill"), "Python");
    await user.type(mentoring.getByLabelText("What do you want to learn?"), "Write idiomatic Python");
    await user.click(mentoring.getByRole("button", { name: "Send request" }));

    expect(await mentoring.findByText(/Request sent to Grace Hopper/)).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", "/api/v1/mentorships")[0]?.body ?? "")).toEqual({
      mentor: "grace",
      skill: "python",
      goal: "Write idiomatic Python",
    });
  });

  it("says so when no one has the handle", async () => {
    asSignedIn(mockApi()).on("GET", "/api/v1/users/nobody", () => problem(404, { title: "Not Found", detail: "No such user." }));
    renderApp("/people/nobody");

    expect(await screen.findByRole("heading", { level: 1, name: "No one has that handle" })).toBeInTheDocument();
  });
});
