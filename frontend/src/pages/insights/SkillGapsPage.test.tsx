import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import type { SkillInsight } from "../../api/types";
import { json, mockApi, problem } from "../../test/fetchMock";
import { ada } from "../../test/fixtures";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";
import { alan, grace, profile } from "../../test/skillFixtures";

const admin = { ...ada, role: "admin" as const };

function insight(overrides: Partial<SkillInsight> = {}): SkillInsight {
  return {
    skill: { slug: "rust", name: "Rust", category: "languages" },
    demand: { learners: 2, questions: 4, unanswered: 1, unanswered_share: 0.25, median_first_answer_minutes: 95 },
    supply: { experts: 1, answerers: 1, mentors: 0 },
    gap: 2.5,
    parts: { learners: 2, questions: 2, unanswered: 1, wait: 0, experts: -1.5, answerers: -1, mentors: 0 },
    accepted_answers: 3,
    bus_factor: 1,
    at_risk: true,
    pairs: [{ expert: grace, learner: alan }],
    refreshed_at: "2026-12-07T06:00:00Z",
    ...overrides,
  };
}

const go = insight({
  skill: { slug: "go", name: "Go", category: "languages" },
  gap: -3,
  parts: { learners: 0, questions: 0, unanswered: 0, wait: 0, experts: -3, answerers: 0, mentors: 0 },
  bus_factor: 3,
  at_risk: false,
  pairs: [],
});

beforeAll(async () => {
  await import("./SkillGapsPage");
});

describe("skills gap", () => {
  it("shows an administrator the organisation's skills with parts, risk badges and pair links", async () => {
    const api = asSignedIn(mockApi(), admin)
      .on("GET", "/api/v1/communities", () => json(200, page([community()])))
      .on("GET", "/api/v1/insights/skills", () => json(200, page([insight(), go])));
    const { user, router } = renderApp("/insights/skills");

    expect(await screen.findByRole("heading", { level: 1, name: "Skills gap" })).toBeInTheDocument();
    const table = await screen.findByRole("table");
    const rust = within(within(table).getByRole("rowheader", { name: "Rust" }).closest("tr")!);
    expect(rust.getByText("At risk")).toBeInTheDocument();
    expect(rust.getByText("25% unanswered")).toBeInTheDocument();
    expect(rust.getByText("first answer: 2 h")).toBeInTheDocument();
    const parts = within(rust.getByRole("list", { name: "Parts of the gap for Rust" }));
    expect(parts.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Learners +2",
      "Questions +2",
      "Unanswered +1",
      "Experts -1.5",
      "Answerers -1",
    ]);
    expect(
      rust.getByRole("link", { name: "Request mentorship in Rust from Grace Hopper for Alan Turing" }),
    ).toHaveAttribute("href", "/mentorship?skill=rust&mentor=grace");
    const goRow = within(within(table).getByRole("rowheader", { name: "Go" }).closest("tr")!);
    expect(goRow.queryByText("At risk")).not.toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/insights/skills")[0]?.url.searchParams.has("community")).toBe(false);

    await user.selectOptions(screen.getByLabelText("Sort by"), "Most at risk");
    await user.selectOptions(screen.getByLabelText("Scope"), community().name);
    const last = api.callsTo("GET", "/api/v1/insights/skills").at(-1);
    expect(last?.url.searchParams.get("sort")).toBe("risk");
    expect(last?.url.searchParams.get("community")).toBe(community().slug);
    expect(currentPath(router)).toBe(`/insights/skills?sort=risk&community=${community().slug}`);
  });

  it("asks a member to choose a community instead of calling for the organisation", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/communities", () => json(200, page([community()])));
    renderApp("/insights/skills");

    expect(await screen.findByText("Pick a community to see its skills")).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/insights/skills")).toHaveLength(0);
  });

  it("says so when a community has nothing yet, and when the caller may not see it", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/communities", () => json(200, page([community()])))
      .on(
        "GET",
        "/api/v1/insights/skills",
        () => json(200, page([])),
        () => problem(403, { title: "Forbidden", detail: "For stewards." }),
      );
    const { user } = renderApp(`/insights/skills?community=${community().slug}`);

    expect(await screen.findByText("Nothing to show yet")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Sort by"), "Most at risk");
    expect(await screen.findByText("Not yours to see")).toBeInTheDocument();
  });

  it("shows an error with a retry when the figures fail to load", async () => {
    asSignedIn(mockApi(), admin)
      .on("GET", "/api/v1/communities", () => json(200, page([])))
      .on("GET", "/api/v1/insights/skills", () => problem(500, { title: "Internal Server Error" }), () => json(200, page([insight()])));
    const { user } = renderApp("/insights/skills");

    expect(await screen.findByText("The skills gap didn’t load")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("rowheader", { name: "Rust" })).toBeInTheDocument();
  });
});

describe("mentorship request prefilled from a suggested pair", () => {
  it("opens the request form for the mentor and skill in the address", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/skills/rust", () =>
        json(200, {
          id: "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
          slug: "rust",
          name: "Rust",
          category: "languages",
          description: null,
          aliases: [],
          expert_count: 1,
          teacher_count: 0,
          learner_count: 1,
          created_at: "2026-11-28T10:00:00Z",
          listed: true,
        }),
      )
      .on("GET", "/api/v1/users/grace", () => json(200, profile(grace)))
      .on("GET", "/api/v1/mentors", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("POST", "/api/v1/mentorships", () => json(201, {}));
    const { user } = renderApp("/mentorship?skill=rust&mentor=grace");

    const form = within(await screen.findByRole("form", { name: "Ask Grace Hopper to mentor you" }));
    expect(form.getByLabelText("Skill")).toHaveValue("rust");
    await user.type(form.getByLabelText("What do you want to learn?"), "Ownership");
    await user.click(form.getByRole("button", { name: "Send request" }));
    const sent = api.callsTo("POST", "/api/v1/mentorships")[0];
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({ mentor: "grace", skill: "rust", goal: "Ownership" });
  });
});
