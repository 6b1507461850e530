import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi } from "../test/fetchMock";
import { asSignedIn, renderApp } from "../test/renderApp";
import { page } from "../test/communityFixtures";
import { post } from "../test/postFixtures";

function home(feed: unknown[], extra: { unanswered?: unknown[]; popular?: unknown[] } = {}) {
  return asSignedIn(mockApi())
    .on("GET", "/api/v1/feed", () => json(200, page(feed)))
    .on("GET", "/api/v1/communities", () => json(200, page([])))
    .on("GET", "/api/v1/me/unanswered-questions", () => json(200, page(extra.unanswered ?? [])))
    .on("GET", "/api/v1/feed/popular", () => json(200, page(extra.popular ?? [])));
}

describe("the home page", () => {
  it("shows the welcome until it is dismissed, and not again afterwards", async () => {
    home([post()]);
    const first = renderApp("/");
    expect(await screen.findByRole("heading", { level: 1, name: /Everyone here can lead/ })).toBeInTheDocument();
    await first.user.click(screen.getByRole("button", { name: "Dismiss the welcome" }));
    expect(screen.queryByText(/Everyone here can lead/)).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Home" })).toBeInTheDocument();
    first.unmount();

    renderApp("/");
    expect(await screen.findByRole("heading", { level: 1, name: "Home" })).toBeInTheDocument();
    expect(screen.queryByText(/Everyone here can lead/)).not.toBeInTheDocument();
  });

  it("lists unanswered questions on my skills, linking to each", async () => {
    const waiting = post({ id: "q-1", title: "How do we drain a node?", tags: ["kubernetes"] });
    home([post()], { unanswered: [waiting] });
    renderApp("/");
    const section = await screen.findByRole("region", { name: "Unanswered questions on your skills" });
    expect(within(section).getByRole("link", { name: "How do we drain a node?" })).toHaveAttribute("href", "/posts/q-1");
    expect(section).toHaveTextContent("#kubernetes");
  });

  it("leaves the section out when nothing waits", async () => {
    home([post({ title: "From my guild" })]);
    renderApp("/");
    expect(await screen.findByText("From my guild")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Unanswered questions on your skills" })).not.toBeInTheDocument();
  });

  it("falls back to popular public posts, labelled as such, while the feed is empty", async () => {
    const api = home([], { popular: [post({ title: "Pin your dependencies" })] });
    renderApp("/");
    expect(await screen.findByText("Your feed is empty for now")).toBeInTheDocument();
    const popular = await screen.findByRole("list", { name: "Popular in public communities" });
    expect(within(popular).getByText("Pin your dependencies")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Popular in public communities" })).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/feed/popular")).toHaveLength(1);
  });

  it("does not ask for popular posts when the feed has some", async () => {
    const api = home([post({ title: "From my guild" })]);
    renderApp("/");
    expect(await screen.findByText("From my guild")).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/feed/popular")).toHaveLength(0);
  });
});
