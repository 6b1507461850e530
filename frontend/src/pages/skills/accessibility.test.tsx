/**
 * axe-core over the skills, people and mentorship pages, with their forms open. Colour contrast
 * is left out: jsdom does no layout or styling (tokens.css documents the ratios instead).
 */
import { screen } from "@testing-library/react";
import axe from "axe-core";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import {
  adaSummary,
  alan,
  expert,
  goal,
  grace,
  mentorship,
  page,
  profile,
  recommendation,
  skill,
  userSkill,
} from "../../test/skillFixtures";

async function violations(): Promise<string[]> {
  const results = await axe.run(document.body, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`);
}

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
  await import("../people/pages");
  await import("../mentorship/pages");
});

// axe is thorough and slow in jsdom (the time-zone select alone has 400-odd options).
describe("accessibility", { timeout: 20_000 }, () => {
  it("skills directory with the add form open", async () => {
    asSignedIn(mockApi()).on("GET", "/api/v1/skills", () => json(200, page([skill()], "next")));
    const { user } = renderApp("/skills");
    await screen.findByRole("link", { name: "Python" });
    await user.click(screen.getByRole("button", { name: "Add a skill" }));
    expect(await violations()).toEqual([]);
  });

  it("skill page with experts and the level form open", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/skills/python", () => json(200, skill()))
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("GET", "/api/v1/skills/python/experts", () => json(200, page([expert(grace), expert(alan)])));
    const { user } = renderApp("/skills/python");
    await screen.findByRole("link", { name: "Grace Hopper" });
    await user.click(screen.getByRole("button", { name: "Add to my profile" }));
    expect(await violations()).toEqual([]);
  });

  it("my skills and goals with both forms open", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([userSkill()])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([goal()])))
      .on("GET", "/api/v1/skills", () => json(200, page([skill()])));
    const { user } = renderApp("/me/skills");
    await user.click(await screen.findByRole("button", { name: "Change level in Python" }));
    await user.click(screen.getByRole("button", { name: "New goal" }));
    await screen.findAllByRole("radio", { name: /Python/ });
    expect(await violations()).toEqual([]);
  });

  it("a profile with the endorse and request forms open", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/users/grace", () =>
        json(
          200,
          profile(grace, {
            mentor_profile: { accepting_mentees: true, capacity: 2, active_mentees: 0, open_slots: 2, about: null, timezone: "UTC" },
          }),
        ),
      )
      .on("GET", "/api/v1/users/grace/skills", () => json(200, page([userSkill({ level: 5, endorsement_count: 1 })])));
    const { user } = renderApp("/people/grace");
    await user.click(await screen.findByRole("button", { name: "Endorse Grace Hopper for Python" }));
    await user.click(screen.getByRole("button", { name: "Request mentorship" }));
    expect(await violations()).toEqual([]);
  });

  function mentorshipApi() {
    return asSignedIn(mockApi())
      .on("GET", "/api/v1/mentors", () => json(200, page([recommendation(grace)])))
      .on("GET", "/api/v1/mentorships", (call) =>
        json(
          200,
          page(
            call.url.searchParams.get("status") === "requested"
              ? [mentorship(adaSummary, grace), mentorship(alan, adaSummary, { id: "66666666-7777-4888-9999-000000000000" })]
              : [],
          ),
        ),
      )
      .on("GET", "/api/v1/me/mentor-profile", () =>
        json(200, { accepting_mentees: true, capacity: 2, active_mentees: 0, open_slots: 2, about: null, timezone: "UTC" }),
      );
  }

  it("mentorship: find a mentor with the request form open", async () => {
    mentorshipApi();
    const { user } = renderApp("/mentorship");
    await user.click(await screen.findByRole("button", { name: "Ask Grace Hopper to mentor you" }));
    expect(await violations()).toEqual([]);
  });

  it("mentorship: my mentorships with the decline form open", async () => {
    mentorshipApi();
    const { user } = renderApp("/mentorship?tab=mine");
    await user.click(await screen.findByRole("button", { name: "Decline" }));
    expect(await violations()).toEqual([]);
  });

  it("mentorship: mentor profile", async () => {
    mentorshipApi();
    renderApp("/mentorship?tab=profile");
    await screen.findByRole("form", { name: "Mentor profile" });
    expect(await violations()).toEqual([]);
  });
});
