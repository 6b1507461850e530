import { screen, waitFor, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { adaSummary, alan, goal, grace, mentorship, page, recommendation } from "../../test/skillFixtures";

const INCOMING = "11111111-2222-4333-8444-555555555555";
const OUTGOING = "66666666-7777-4888-9999-000000000000";

function item(name: string) {
  return within(screen.getByRole("link", { name }).closest("li") ?? document.body);
}

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
});

describe("find a mentor", () => {
  it("shows recommendations with their reasons, validates the request form and posts it", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([recommendation(grace)])))
      .on("POST", "/api/v1/mentorships", () => json(201, mentorship(grace, adaSummary)));
    const { user } = renderApp("/mentorship");

    expect(await screen.findByRole("heading", { level: 1, name: "Mentorship" })).toBeInTheDocument();
    const suggestion = within((await screen.findByRole("link", { name: "Grace Hopper" })).closest("li")!);
    const reasons = within(suggestion.getByRole("list", { name: "Why Grace Hopper" }));
    expect(reasons.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Expert (level 5) in Python",
      "3 accepted answers on Python",
      "6 working hours overlap",
    ]);
    // Without ?skill=, the API answers for the caller's learning goals.
    expect(api.callsTo("GET", "/api/v1/mentors")[0]?.url.searchParams.has("skill")).toBe(false);

    await user.click(suggestion.getByRole("button", { name: "Ask Grace Hopper to mentor you" }));
    const form = within(suggestion.getByRole("form", { name: "Ask Grace Hopper to mentor you" }));
    expect(form.getByLabelText("Skill")).toHaveValue("python");
    await user.click(form.getByRole("button", { name: "Send request" }));
    expect(await form.findByText("Say what you want to learn: it’s what the mentor decides on.")).toBeInTheDocument();
    expect(form.getByLabelText("What do you want to learn?")).toHaveFocus();
    expect(api.callsTo("POST", "/api/v1/mentorships")).toHaveLength(0);

    await user.type(form.getByLabelText("What do you want to learn?"), "Write idiomatic Python");
    await user.type(form.getByLabelText(/^Message to Grace/), "Weekly 30 minutes?");
    await user.click(form.getByRole("button", { name: "Send request" }));

    expect(await screen.findByText("Request sent to Grace Hopper.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", "/api/v1/mentorships")[0]?.body ?? "")).toEqual({
      mentor: "grace",
      skill: "python",
      goal: "Write idiomatic Python",
      message: "Weekly 30 minutes?",
    });
  });

  it("tells having no goals apart from having no one free for them", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])), () => json(200, page([goal()])));
    const first = renderApp("/mentorship");
    expect(await screen.findByText("No suggestions yet")).toBeInTheDocument();
    // The goal is set right here; the suggestions follow without leaving the page.
    expect(screen.getByRole("form", { name: "New learning goal" })).toBeInTheDocument();
    expect(screen.getByLabelText("Target level")).toHaveValue("3");
    first.unmount();

    renderApp("/mentorship");
    expect(await screen.findByText("No mentors free for your goals right now")).toBeInTheDocument();
  });

  it("shows why a request was refused (409)", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([recommendation(grace)])))
      .on("POST", "/api/v1/mentorships", () => problem(409, { title: "Conflict", detail: "Grace Hopper has no places left." }));
    const { user } = renderApp("/mentorship?skill=python");

    await user.click(await screen.findByRole("button", { name: "Ask Grace Hopper to mentor you" }));
    await user.type(screen.getByLabelText("What do you want to learn?"), "Packaging");
    await user.click(screen.getByRole("button", { name: "Send request" }));

    expect(await screen.findByText("Grace Hopper has no places left.")).toBeInTheDocument();
  });
});

describe("my mentorships", () => {
  it("offers accept and decline only to the mentor of a request; the mentee can withdraw", async () => {
    const incoming = mentorship(adaSummary, grace, { id: INCOMING, message: "I’d love help with packaging." });
    const outgoing = mentorship(alan, adaSummary, { id: OUTGOING, goal: "Prove things" });
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/mentorships", (call) =>
        json(200, page(call.url.searchParams.get("status") === "requested" ? [incoming, outgoing] : [])),
      )
      .on("POST", `/api/v1/mentorships/${INCOMING}/accept`, () => json(200, { ...incoming, status: "active" }));
    const { user } = renderApp("/mentorship?tab=mine");

    await screen.findByRole("link", { name: "Grace Hopper" });
    const asMentor = item("Grace Hopper");
    expect(asMentor.getByText("Your mentee", { exact: false })).toBeInTheDocument();
    expect(asMentor.getByText("I’d love help with packaging.")).toBeInTheDocument();
    expect(asMentor.getByRole("button", { name: "Accept" })).toBeInTheDocument();
    expect(asMentor.getByRole("button", { name: "Decline" })).toBeInTheDocument();
    expect(asMentor.queryByRole("button", { name: "Withdraw request" })).not.toBeInTheDocument();

    const asMentee = item("Alan Turing");
    expect(asMentee.getByText("Your mentor", { exact: false })).toBeInTheDocument();
    expect(asMentee.queryByRole("button", { name: "Accept" })).not.toBeInTheDocument();
    expect(asMentee.queryByRole("button", { name: "Decline" })).not.toBeInTheDocument();
    expect(asMentee.getByRole("button", { name: "Withdraw request" })).toBeInTheDocument();

    await user.click(asMentor.getByRole("button", { name: "Accept" }));
    expect(api.callsTo("POST", `/api/v1/mentorships/${INCOMING}/accept`)).toHaveLength(1);
    // The lists are read again after the answer.
    await waitFor(() => {
      expect(api.callsTo("GET", "/api/v1/mentorships").filter((call) => call.url.searchParams.get("status") === "requested")).toHaveLength(2);
    });
  });

  it("declines with a reason", async () => {
    const incoming = mentorship(adaSummary, grace, { id: INCOMING });
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/mentorships", (call) => json(200, page(call.url.searchParams.get("status") === "requested" ? [incoming] : [])))
      .on("POST", `/api/v1/mentorships/${INCOMING}/decline`, () =>
        json(200, { ...incoming, status: "declined", decline_reason: "Full this quarter" }),
      );
    const { user } = renderApp("/mentorship?tab=mine");

    await screen.findByRole("link", { name: "Grace Hopper" });
    await user.click(item("Grace Hopper").getByRole("button", { name: "Decline" }));
    await user.type(item("Grace Hopper").getByLabelText(/^Reason/), "Full this quarter");
    await user.click(item("Grace Hopper").getByRole("button", { name: "Decline request" }));

    await waitFor(() => {
      expect(api.callsTo("POST", `/api/v1/mentorships/${INCOMING}/decline`)).toHaveLength(1);
    });
    expect(JSON.parse(api.callsTo("POST", `/api/v1/mentorships/${INCOMING}/decline`)[0]?.body ?? "")).toEqual({
      reason: "Full this quarter",
    });
    // The form closes once the request is declined.
    await waitFor(() => {
      expect(screen.queryByRole("form", { name: "Decline Grace Hopper’s request" })).not.toBeInTheDocument();
    });
  });

  it("logs a session of an active mentorship and completes it with a confirmed level", async () => {
    const active = mentorship(adaSummary, grace, { id: INCOMING, status: "active", responded_at: "2026-11-27T10:00:00Z" });
    let completed = false;
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/mentorships", (call) => {
        const status = call.url.searchParams.get("status");
        if (status === "active" && !completed) return json(200, page([active]));
        if (status === "completed" && completed) return json(200, page([{ ...active, status: "completed", confirmed_level: 3 }]));
        return json(200, page([]));
      })
      .on("GET", `/api/v1/mentorships/${INCOMING}/sessions`, () => json(200, page([])))
      .on("POST", `/api/v1/mentorships/${INCOMING}/sessions`, (call) =>
        json(201, { id: "s1", created_by: adaSummary, created_at: "2026-11-28T10:00:00Z", notes: null, ...(JSON.parse(call.body ?? "{}") as object) }),
      )
      .on("POST", `/api/v1/mentorships/${INCOMING}/complete`, () => {
        completed = true;
        return json(200, { ...active, status: "completed", confirmed_level: 3 });
      });
    const { user } = renderApp("/mentorship?tab=mine");

    await screen.findByRole("link", { name: "Grace Hopper" });
    await user.click(item("Grace Hopper").getByRole("button", { name: "Sessions" }));
    const log = within(item("Grace Hopper").getByRole("form", { name: "Log a session" }));
    await user.clear(log.getByLabelText("Date"));
    await user.type(log.getByLabelText("Date"), "2026-11-20");
    await user.clear(log.getByLabelText("Minutes"));
    await user.type(log.getByLabelText("Minutes"), "60");
    await user.type(log.getByLabelText(/^Notes/), "Reviewed the packaging plan.");
    await user.click(log.getByRole("button", { name: "Log session" }));
    expect(await log.findByText("Session logged.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", `/api/v1/mentorships/${INCOMING}/sessions`)[0]?.body ?? "")).toEqual({
      held_on: "2026-11-20",
      minutes: 60,
      notes: "Reviewed the packaging plan.",
    });

    await user.click(item("Grace Hopper").getByRole("button", { name: "Complete" }));
    await user.selectOptions(item("Grace Hopper").getByLabelText(/^Grace Hopper’s level in Python now/), "Level 3 · Competent");
    await user.click(item("Grace Hopper").getByRole("button", { name: "Complete mentorship" }));
    expect(await screen.findByText("No active mentorships.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", `/api/v1/mentorships/${INCOMING}/complete`)[0]?.body ?? "")).toEqual({ confirmed_level: 3 });
    // It moves to the past ones, with the level the mentor confirmed.
    expect(await item("Grace Hopper").findByText("Level 3 · Competent")).toBeInTheDocument();
  });

  it("takes feedback on a completed mentorship, and explains a second attempt", async () => {
    const done = mentorship(grace, adaSummary, { id: OUTGOING, status: "completed", completed_at: "2026-11-27T10:00:00Z" });
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/mentorships", (call) => json(200, page(call.url.searchParams.get("status") === "completed" ? [done] : [])))
      .on(
        "POST",
        `/api/v1/mentorships/${OUTGOING}/feedback`,
        () => json(201, { id: "f1", mentorship_id: OUTGOING, author: adaSummary, role: "mentee", rating: 5, comment: null, created_at: "2026-11-28T10:00:00Z" }),
        () => problem(409, { title: "Conflict", detail: "You already gave feedback on this mentorship." }),
      );
    const { user } = renderApp("/mentorship?tab=mine");

    await screen.findByRole("link", { name: "Grace Hopper" });
    await user.click(item("Grace Hopper").getByRole("button", { name: "Give feedback" }));
    await user.click(item("Grace Hopper").getByRole("button", { name: "Send feedback" }));
    expect(await screen.findByText("Choose a rating from 1 to 5.")).toBeInTheDocument();
    await user.click(item("Grace Hopper").getByRole("radio", { name: /5/ }));
    await user.type(item("Grace Hopper").getByLabelText(/^Comment/), "Generous with time.");
    await user.click(item("Grace Hopper").getByRole("button", { name: "Send feedback" }));
    expect(await screen.findByText("Thank you: your feedback is saved.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", `/api/v1/mentorships/${OUTGOING}/feedback`)[0]?.body ?? "")).toEqual({
      rating: 5,
      comment: "Generous with time.",
    });

    await user.click(item("Grace Hopper").getByRole("button", { name: "Give feedback" }));
    await user.click(item("Grace Hopper").getByRole("radio", { name: /4/ }));
    await user.click(item("Grace Hopper").getByRole("button", { name: "Send feedback" }));
    expect(await screen.findByText("You’ve already given feedback on this mentorship.")).toBeInTheDocument();
  });
});

describe("mentor profile", () => {
  it("starts from defaults when there is none (404) and saves it", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/me/mentor-profile", () => problem(404, { title: "Not Found", detail: "You have no mentor profile yet." }))
      .on("PUT", "/api/v1/me/mentor-profile", (call) =>
        json(200, { active_mentees: 0, open_slots: 4, about: null, ...(JSON.parse(call.body ?? "{}") as object) }),
      );
    const { user } = renderApp("/mentorship?tab=profile");

    expect(await screen.findByText("You’re not offering to mentor yet")).toBeInTheDocument();
    const capacity = screen.getByLabelText(/^How many mentees at once/);
    await user.clear(capacity);
    await user.type(capacity, "25");
    await user.click(screen.getByRole("button", { name: "Offer to mentor" }));
    expect(await screen.findByText("Enter a whole number from 1 to 20.")).toBeInTheDocument();
    expect(api.callsTo("PUT", "/api/v1/me/mentor-profile")).toHaveLength(0);

    await user.clear(capacity);
    await user.type(capacity, "4");
    await user.selectOptions(screen.getByLabelText(/^Time zone/), "Europe/Paris");
    await user.type(screen.getByLabelText(/^About your mentoring/), "Pairing sessions.");
    await user.click(screen.getByRole("button", { name: "Offer to mentor" }));

    expect(await screen.findByText("Saved. Colleagues can now ask you to mentor them.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PUT", "/api/v1/me/mentor-profile")[0]?.body ?? "")).toEqual({
      accepting_mentees: true,
      capacity: 4,
      timezone: "Europe/Paris",
      about: "Pairing sessions.",
    });
  });
});
