import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, currentPath, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";
import { POST_ID, hit } from "../../test/postFixtures";
import { safeSnippet } from "./snippet";

const SEARCH = "/api/v1/search/posts";

describe("search", () => {
  it("renders the highlighted snippet of each result", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/communities", () => json(200, page([community({ my_membership: { role: "member", status: "active", notify_level: "all", term_ends_at: null } })])))
      .on("GET", SEARCH, () =>
        json(
          200,
          page(
            [hit({ snippet: "Before a model ships we <mark>review</mark> names &lt;b&gt;together&lt;/b&gt; and <mark>review</mark> grain." })],
            "cursor-2",
          ),
        ),
      );
    renderApp("/search?q=review");

    const results = await screen.findByRole("list", { name: "Results for review" });
    const marks = results.querySelectorAll("mark");
    expect(Array.from(marks, (mark) => mark.textContent)).toEqual(["review", "review"]);
    // Escaped markup in the text stays text.
    expect(results.querySelector("b")).toBeNull();
    expect(within(results).getByText(/<b>together<\/b>/)).toBeInTheDocument();
    expect(within(results).getByRole("link", { name: "How do you review a data model before it ships?" })).toHaveAttribute(
      "href",
      `/posts/${POST_ID}`,
    );
    expect(screen.getByRole("status")).toHaveTextContent("More than 1 results for review.");
    expect(screen.getByRole("button", { name: "Load more" })).toBeInTheDocument();
    expect(api.callsTo("GET", SEARCH)[0]?.url.searchParams.get("q")).toBe("review");
  });

  it("searches from the box and filters by kind, keeping both in the address", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/communities", () => json(200, page([])))
      .on("GET", SEARCH, () => json(200, page([])));
    const { user, router } = renderApp("/search");

    expect(await screen.findByText("What are you looking for?")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Search for"), "rollback plan");
    await user.click(screen.getByRole("button", { name: "Search" }));

    expect(await screen.findByText("Nothing matches “rollback plan”")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Kind"), "Best practice");

    await screen.findByText("Try removing a filter, or use fewer or different words.");
    expect(currentPath(router)).toBe("/search?q=rollback+plan&kind=best_practice");
    const last = api.callsTo("GET", SEARCH).at(-1);
    expect(last?.url.searchParams.get("kind")).toBe("best_practice");
  });
});

describe("safeSnippet", () => {
  it("keeps <mark> and escapes every other tag", () => {
    expect(safeSnippet('a <mark>b</mark> <img src=x onerror="alert(1)"> </MARK>')).toBe(
      'a <mark>b</mark> &lt;img src=x onerror="alert(1)"> </MARK>',
    );
  });
});
