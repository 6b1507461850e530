import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { ada } from "../../test/fixtures";
import { asSignedIn, renderApp } from "../../test/renderApp";

const admin = { ...ada, role: "admin" as const };

function week(weekStart: string, share: number, concentration: number | null) {
  return {
    week_start: weekStart,
    members: 40,
    active_members: 20,
    posts: 30,
    questions: 10,
    answered_share: 0.8,
    median_first_response_minutes: 45,
    contributors: 15,
    leaders: 6,
    index: { share, concentration, active_members: 25, leaders: Math.round(share * 25), acts: 40 },
    computed_at: "2026-12-07T06:00:00Z",
  };
}

function ranked(slug: string, name: string, share: number, change: number | null) {
  return {
    community: { slug, name, is_private: false },
    share,
    concentration: 0.4,
    active_members: 10,
    leaders: Math.round(share * 10),
    change,
  };
}

describe("insights", () => {
  it("shows administrators the index trend and the communities ranked", async () => {
    asSignedIn(mockApi(), admin).on("GET", "/api/v1/insights/health", () =>
      json(200, {
        scope: "all",
        weeks: [week("2026-11-23T00:00:00Z", 0.32, 0.5), week("2026-11-30T00:00:00Z", 0.4, 0.45)],
        by_index: [ranked("data-science", "Data Science", 0.6, 0.1), ranked("ops", "Ops Guild", 0.3, -0.05)],
        by_change: [ranked("data-science", "Data Science", 0.6, 0.1), ranked("ops", "Ops Guild", 0.3, -0.05)],
      }),
    );
    const { user } = renderApp("/");

    await user.click(await screen.findByRole("link", { name: "Insights" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Insights" })).toBeInTheDocument();
    const trend = screen.getByRole("figure", { name: "Leaderful index, organisation" });
    expect(within(trend).getByText("This week 40%: 10 of 25 active members led.")).toBeInTheDocument();
    const byIndex = within(screen.getByRole("region", { name: "Communities by leaderful index" }));
    expect(byIndex.getAllByRole("row").map((row) => row.textContent)).toEqual([
      "CommunityIndexLeaders",
      "Data Science60%6 of 10",
      "Ops Guild30%3 of 10",
    ]);
    expect(byIndex.getByRole("link", { name: "Data Science" })).toHaveAttribute("href", "/communities/data-science?tab=health");
    const byChange = within(screen.getByRole("region", { name: "Biggest change in four weeks" }));
    expect(byChange.getByText("+10 points")).toBeInTheDocument();
    expect(byChange.getByText("−5 points")).toBeInTheDocument();
  });

  it("is not in the navigation of people who do not administer", async () => {
    asSignedIn(mockApi());
    renderApp("/");
    expect(await screen.findByRole("link", { name: "Communities" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Insights" })).not.toBeInTheDocument();
  });

  it("says so when the figures do not load, and offers to try again", async () => {
    asSignedIn(mockApi(), admin).on(
      "GET",
      "/api/v1/insights/health",
      () => problem(500, { title: "Internal Server Error", detail: "Something broke." }),
      () => json(200, { scope: "all", weeks: [], by_index: [], by_change: [] }),
    );
    const { user } = renderApp("/insights");
    expect(await screen.findByText("Insights didn’t load")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No weekly figures yet")).toBeInTheDocument();
  });
});
