import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { alan, expert, goal, grace, page, skill, userSkill } from "../../test/skillFixtures";

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
});

describe("skill page", () => {
  it("shows the skill, its level histogram as a table, and ranks experts in one line each with details on demand", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/skills/python", () => json(200, skill()))
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("GET", "/api/v1/skills/python/levels", () =>
        json(200, {
          levels: [
            { level: 1, count: 8 },
            { level: 2, count: 4 },
            { level: 3, count: 2 },
            { level: 4, count: 0 },
            { level: 5, count: 1 },
          ],
        }),
      )
      .on("GET", "/api/v1/skills/python/experts", () =>
        json(
          200,
          page([
            expert(grace),
            expert(alan, {
              level: 3,
              endorsement_count: 0,
              score: 6,
              ranking_score: 6,
              parts: { level: 6, endorsements: 0, accepted_answers: 0, helpful_reactions: 0 },
            }),
          ]),
        ),
      );
    const { user } = renderApp("/skills/python");

    expect(await screen.findByRole("heading", { level: 1, name: "Python" })).toBeInTheDocument();
    expect(screen.getByText("The programming language, its standard library and ecosystem.")).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Also called" })).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "py",
      "python3",
    ]);
    expect(screen.getByText("Learners").nextElementSibling).toHaveTextContent("7");

    // The histogram is a table: levels as row headers, counts in words.
    const levels = await screen.findByRole("table", { name: "People who list Python, at each level" });
    const rows = within(levels).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "1 · Novice8 people",
      "2 · Advanced beginner4 people",
      "3 · Competent2 people",
      "4 · Proficient0 people",
      "5 · Expert1 person",
    ]);

    // Novices are not listed: the ranking is asked from level 2 up.
    expect(api.callsTo("GET", "/api/v1/skills/python/experts")[0]?.url.searchParams.get("min_level")).toBe("2");

    const first = within(await screen.findByRole("listitem", { name: /Grace Hopper/ }));
    expect(first.getByText("16.1")).toBeInTheDocument();
    expect(first.getByText("Level 5 · Expert")).toBeInTheDocument();
    // The parts are one click away.
    const details = first.getByText("How the score adds up", { exact: false });
    expect(details.closest("details")).not.toHaveAttribute("open");
    await user.click(details);
    expect(details.closest("details")).toHaveAttribute("open");
    const parts = within(details.closest("details") as HTMLElement);
    expect(parts.getByText("Level:", { exact: false })).toHaveTextContent("Level: 10 points");
    expect(parts.getByText("Rates themselves expert (level 5); each level is worth 2 points.")).toBeInTheDocument();
    expect(parts.getByText("Endorsements:", { exact: false })).toHaveTextContent("Endorsements: 2.6 points");
    expect(parts.getByText(/^2 colleagues vouched for them/)).toBeInTheDocument();
    expect(parts.getByText("Accepted answers:", { exact: false })).toHaveTextContent("Accepted answers: 3 points");
    expect(parts.getByText("2 answers accepted on questions about Python, 1.5 points each.")).toBeInTheDocument();
    expect(parts.getByText("Helpful reactions:", { exact: false })).toHaveTextContent("Helpful reactions: 0.5 points");
    expect(parts.getByText("2 “helpful” reactions on their posts and answers about Python, 0.25 points each.")).toBeInTheDocument();

    // Bars are scaled to the top score: 16.1 fills the width, 6 about a third of it.
    const fills = document.querySelectorAll<HTMLElement>(".score-bar__fill");
    expect(Array.from(fills).map((fill) => fill.style.width)).toEqual(["100%", "37%"]);

    const second = within(screen.getByRole("listitem", { name: /Alan Turing/ }));
    expect(second.getByRole("link", { name: "Alan Turing" })).toHaveAttribute("href", "/people/alan");
    expect(second.getByText("How the score adds up", { exact: false }).closest("details")).not.toHaveAttribute("open");
  });

  it("adds the skill to my profile from its page", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/skills/python", () => json(200, skill()))
      .on(
        "GET",
        "/api/v1/users/ada/skills",
        () => json(200, page([])),
        () => json(200, page([userSkill({ level: 3 })])),
      )
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([goal({ current_level: null })])))
      .on("GET", "/api/v1/skills/python/experts", () => json(200, page([])))
      .on("PUT", "/api/v1/me/skills/python", () => json(200, userSkill({ level: 3 })));
    const { user } = renderApp("/skills/python");

    const mine = within(await screen.findByRole("region", { name: "You and Python" }));
    expect(await mine.findByText("It’s not on your profile yet.")).toBeInTheDocument();
    expect(mine.getByText("Your goal:", { exact: false }).closest("p")).toHaveTextContent("reach Level 4 · Proficient");
    expect(mine.queryByRole("button", { name: "Set a learning goal" })).not.toBeInTheDocument();

    await user.click(mine.getByRole("button", { name: "Add to my profile" }));
    await user.click(mine.getByRole("radio", { name: /3 · Competent/ }));
    await user.click(within(mine.getByRole("form")).getByRole("button", { name: "Add to my profile" }));

    expect(await mine.findByText("Python is on your profile at Level 3 · Competent.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PUT", "/api/v1/me/skills/python")[0]?.body ?? "")).toEqual({ level: 3, wants_to_teach: false });
    expect(await mine.findByText("On your profile:")).toBeInTheDocument();
    expect(mine.getByText("On your profile:").closest("p")).toHaveTextContent("Level 3 · Competent");
  });

  it("says so when there is no such skill", async () => {
    asSignedIn(mockApi()).on("GET", "/api/v1/skills/nope", () => problem(404, { title: "Not Found", detail: "Skill not found." }));
    renderApp("/skills/nope");

    expect(await screen.findByRole("heading", { level: 1, name: "There’s no skill here" })).toBeInTheDocument();
  });
});
