import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, noContent } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { goal, page, skill, userSkill } from "../../test/skillFixtures";

function section(name: string) {
  return within(screen.getByRole("region", { name }));
}

/** The list item whose link names `name`. */
function row(scope: ReturnType<typeof section>, name: string) {
  return within(scope.getByRole("link", { name }).closest("li") ?? document.body);
}

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
});

describe("my skills", () => {
  it("sets my level with PUT and explains the level", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        "/api/v1/users/ada/skills",
        () => json(200, page([userSkill({ level: 2 })])),
        () => json(200, page([userSkill({ level: 4, level_name: "proficient", wants_to_teach: true })])),
      )
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("PUT", "/api/v1/me/skills/python", (call) =>
        json(200, userSkill({ ...(JSON.parse(call.body ?? "{}") as object), level_name: "proficient" })),
      );
    const { user } = renderApp("/me/skills");

    await screen.findByRole("heading", { level: 1, name: "My skills and goals" });
    const skills = section("Your skills");
    expect(await skills.findByText("Level 2 · Advanced beginner")).toBeInTheDocument();
    expect(row(skills, "Python").getByText(/You handle familiar, everyday tasks on your own/)).toBeInTheDocument();

    await user.click(skills.getByRole("button", { name: "Change level in Python" }));
    const form = within(skills.getByRole("form", { name: "Change your level in Python" }));
    // Every level says what it means, so people rate themselves against the same yardstick.
    const proficient = form.getByRole("radio", { name: /4 · Proficient/ });
    expect(proficient).toHaveAccessibleName(expect.stringContaining("You see the whole situation") as string);
    expect(form.getByRole("radio", { name: /2 · Advanced beginner/ })).toBeChecked();
    await user.click(proficient);
    await user.click(form.getByRole("switch", { name: "Happy to teach it" }));
    await user.click(form.getByRole("button", { name: "Save level" }));

    expect(await skills.findByText("Saved: you’re at Level 4 · Proficient in Python.")).toBeInTheDocument();
    // The form closed with its button; keyboard focus goes back to the button that opened it.
    expect(skills.getByRole("button", { name: "Change level in Python" })).toHaveFocus();
    expect(JSON.parse(api.callsTo("PUT", "/api/v1/me/skills/python")[0]?.body ?? "")).toEqual({
      level: 4,
      wants_to_teach: true,
    });
    expect(await skills.findByText("Level 4 · Proficient")).toBeInTheDocument();
    const python = row(skills, "Python");
    expect(python.getByText(/You see the whole situation, know what matters most/)).toBeInTheDocument();
    expect(python.getByText("Happy to teach")).toBeInTheDocument();
  });

  it("asks for a level before saving", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("GET", "/api/v1/skills", () => json(200, page([skill()])));
    const { user } = renderApp("/me/skills");

    const skills = within(await screen.findByRole("region", { name: "Your skills" }));
    expect(await skills.findByText("No skills on your profile yet")).toBeInTheDocument();
    await user.click(skills.getByRole("button", { name: "Add a skill" }));
    await user.click(await skills.findByRole("radio", { name: /Python/ }));
    await user.click(skills.getByRole("button", { name: "Add to my profile" }));

    expect(await skills.findByText("Choose how well you know Python.")).toBeInTheDocument();
    expect(api.callsTo("PUT", "/api/v1/me/skills/python")).toHaveLength(0);
  });

  it("changes a learning goal's status and deletes another", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () =>
        json(200, page([goal(), goal({ id: "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", skill: { slug: "sql", name: "SQL", category: "data" } })])),
      )
      .on("PATCH", "/api/v1/me/learning-goals/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f", () => json(200, goal({ status: "achieved" })))
      .on("DELETE", "/api/v1/me/learning-goals/7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", () => noContent());
    const { user } = renderApp("/me/skills");

    const goals = within(await screen.findByRole("region", { name: "Learning goals" }));
    await user.click(await goals.findByRole("button", { name: "Change goal for Python" }));
    expect(row(goals, "Python").getByText("Now: Level 2 · Advanced beginner", { exact: false })).toBeInTheDocument();
    await user.selectOptions(goals.getByLabelText(/^Status/), "Achieved");
    await user.click(goals.getByRole("button", { name: "Save goal" }));
    expect(await goals.findByText("Your goal for Python is saved.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PATCH", "/api/v1/me/learning-goals/8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f")[0]?.body ?? "")).toEqual({
      status: "achieved",
    });

    await user.click(goals.getByRole("button", { name: "Delete goal for SQL" }));
    await user.click(await screen.findByRole("button", { name: "Delete goal" }));
    expect(await goals.findByText("Your goal for SQL is deleted.")).toBeInTheDocument();
    expect(api.callsTo("DELETE", "/api/v1/me/learning-goals/7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e")).toHaveLength(1);
  });
});
