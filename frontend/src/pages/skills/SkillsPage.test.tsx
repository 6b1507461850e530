import { screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { ada } from "../../test/fixtures";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { page, skill } from "../../test/skillFixtures";

const sql = skill({
  id: "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
  slug: "sql",
  name: "SQL",
  category: "data",
  aliases: [],
  expert_count: 1,
  teacher_count: 0,
  learner_count: 2,
});

// The pages load lazily; warm their chunk so no test's first query waits on a cold import.
beforeAll(async () => {
  await import("./pages");
});

describe("skills directory", () => {
  it("lists skills with their counts, and searches, filters and sorts through the API", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/skills", (call) =>
      json(200, page(call.url.searchParams.get("q") === "sq" ? [sql] : [skill(), sql], null)),
    );
    const { user, router } = renderApp("/skills");

    expect(await screen.findByRole("heading", { level: 1, name: "Skills" })).toBeInTheDocument();
    const python = within((await screen.findByRole("link", { name: "Python" })).closest("li") ?? document.body);
    expect(python.getByText("Languages")).toBeInTheDocument();
    expect(python.getByText("Also: py, python3")).toBeInTheDocument();
    const counts = within(python.getByRole("list", { name: "People" }));
    expect(counts.getByText("experts", { exact: false })).toHaveTextContent("4 experts");
    expect(counts.getByText("can teach", { exact: false })).toHaveTextContent("3 can teach");
    expect(counts.getByText("learning", { exact: false })).toHaveTextContent("7 learning");
    expect(screen.getByRole("link", { name: "Python" })).toHaveAttribute("href", "/skills/python");

    await user.type(screen.getByRole("searchbox", { name: "Search" }), "sq");
    await screen.findByText("1 skill shown.");
    await user.selectOptions(screen.getByLabelText("Category"), "Data");
    await user.selectOptions(screen.getByLabelText("Sort by"), "Most people");
    const last = api.callsTo("GET", "/api/v1/skills").at(-1);
    expect(last?.url.searchParams.get("q")).toBe("sq");
    expect(last?.url.searchParams.get("category")).toBe("data");
    expect(last?.url.searchParams.get("sort")).toBe("popular");
    expect(currentPath(router)).toBe("/skills?q=sq&category=data&sort=popular");
  });

  it("names the existing skill, with a link, when the new one is a duplicate (409)", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/skills", () => json(200, page([sql])))
      .on("POST", "/api/v1/skills", () =>
        problem(409, {
          title: "Conflict",
          detail: '"Py" is already a name of the skill "Python" (slug python).',
        }),
      );
    const { user } = renderApp("/skills");

    await screen.findByRole("link", { name: "SQL" });
    await user.click(screen.getByRole("button", { name: "Add a skill" }));
    const form = within(screen.getByRole("form", { name: "Add a skill" }));
    await user.type(form.getByLabelText("Name"), "Py");
    await user.type(form.getByLabelText(/^Other names/), "pyth, py3");
    await user.click(form.getByRole("button", { name: "Add skill" }));

    const alert = within(await form.findByRole("status"));
    expect(alert.getByText("That skill is already on Leaderful")).toBeInTheDocument();
    expect(alert.getByText('"Py" is already a name of the skill "Python" (slug python).')).toBeInTheDocument();
    expect(alert.getByRole("link", { name: "Go to Python" })).toHaveAttribute("href", "/skills/python");
    expect(JSON.parse(api.callsTo("POST", "/api/v1/skills")[0]?.body ?? "")).toEqual({ name: "Py", aliases: ["pyth", "py3"] });
  });

  it("opens the new skill after adding it", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/skills", () => json(200, page([])))
      .on("POST", "/api/v1/skills", () => json(201, skill({ slug: "rust", name: "Rust", aliases: [] })))
      .on("GET", "/api/v1/users/ada/skills", () => json(200, page([])))
      .on("GET", "/api/v1/me/learning-goals", () => json(200, page([])))
      .on("GET", "/api/v1/skills/rust/experts", () => json(200, page([])));
    const { user, router } = renderApp("/skills");

    expect(await screen.findByText("No skills yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "Add a skill" })[0]!);
    const form = within(screen.getByRole("form", { name: "Add a skill" }));
    await user.type(form.getByLabelText("Name"), "Rust");
    await user.selectOptions(form.getByLabelText(/^Category/), "Languages");
    await user.click(form.getByRole("button", { name: "Add skill" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Rust" })).toBeInTheDocument();
    expect(currentPath(router)).toBe("/skills/rust");
    expect(screen.getByText("“Rust” is added. Add it to your profile, or set a goal to learn it.")).toBeInTheDocument();
  });

  it("shows administrators the skills to review, and lists one", async () => {
    const hush = skill({
      id: "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
      slug: "hushskill",
      name: "Hushskill",
      category: null,
      description: null,
      aliases: [],
      listed: false,
    });
    let listed = false;
    const api = asSignedIn(mockApi(), { ...ada, role: "admin" })
      .on("GET", "/api/v1/skills", (call) =>
        json(200, page(call.url.searchParams.get("listed") === "false" ? (listed ? [] : [hush]) : [sql])),
      )
      .on("PATCH", "/api/v1/skills/hushskill", () => {
        listed = true;
        return json(200, { ...hush, listed: true });
      });
    const { user } = renderApp("/skills");

    const review = within(await screen.findByRole("region", { name: "Skills to review" }));
    expect(await review.findByRole("link", { name: "Hushskill" })).toHaveAttribute("href", "/skills/hushskill");
    await user.click(review.getByRole("button", { name: "List Hushskill" }));

    expect(await review.findByText("“Hushskill” is listed: everyone can find it now.")).toBeInTheDocument();
    expect(await review.findByText("No skills are waiting for review.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PATCH", "/api/v1/skills/hushskill")[0]?.body ?? "")).toEqual({ listed: true });
  });

  it("explains a failed listing next to the skill", async () => {
    const hush = skill({ slug: "hushskill", name: "Hushskill", aliases: [], listed: false });
    asSignedIn(mockApi(), { ...ada, role: "admin" })
      .on("GET", "/api/v1/skills", (call) => json(200, page(call.url.searchParams.get("listed") === "false" ? [hush] : [])))
      .on("PATCH", "/api/v1/skills/hushskill", () => problem(404, { title: "Not Found", detail: "Skill not found." }));
    const { user } = renderApp("/skills");

    const review = within(await screen.findByRole("region", { name: "Skills to review" }));
    await user.click(await review.findByRole("button", { name: "List Hushskill" }));
    expect(await review.findByRole("alert")).toHaveTextContent("Skill not found.");
  });

  it("has no review section for other people, and never asks for unlisted skills", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/skills", () => json(200, page([sql])));
    renderApp("/skills");

    await screen.findByRole("link", { name: "SQL" });
    expect(screen.queryByRole("region", { name: "Skills to review" })).not.toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/skills").every((call) => !call.url.searchParams.has("listed"))).toBe(true);
  });
});
