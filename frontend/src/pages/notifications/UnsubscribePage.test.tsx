import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { renderApp } from "../../test/renderApp";

const API = "/api/v1/unsubscribe";
const DESCRIBED = { category: "notification:mention", description: "e-mail about mentions", done: false };

describe("unsubscribe page", () => {
  it("opening the link changes nothing; the button unsubscribes without signing in", async () => {
    const api = mockApi()
      .on("GET", API, () => json(200, DESCRIBED))
      .on("POST", API, () => json(200, { ...DESCRIBED, done: true }));
    const { user } = renderApp("/unsubscribe?token=abc.def");

    expect(await screen.findByRole("heading", { level: 1, name: "Unsubscribe" })).toBeInTheDocument();
    expect(await screen.findByText("e-mail about mentions")).toBeInTheDocument();
    expect(api.callsTo("POST", API)).toHaveLength(0);
    const [look] = api.callsTo("GET", API);
    expect(look?.url.searchParams.get("token")).toBe("abc.def");

    await user.click(screen.getByRole("button", { name: "Unsubscribe" }));

    expect(await screen.findByText("Done: you will no longer get e-mail about mentions.")).toBeInTheDocument();
    const [call] = api.callsTo("POST", API);
    expect(call?.url.searchParams.get("token")).toBe("abc.def");
    expect(call?.headers.get("Content-Type")).toContain("application/x-www-form-urlencoded");
    expect(call?.body).toBe("List-Unsubscribe=One-Click");
    expect(call?.headers.get("Authorization")).toBeNull();
    expect(screen.getByRole("link", { name: "Change your notification settings" })).toHaveAttribute(
      "href",
      "/settings/notifications",
    );
  });

  it("says clearly when the link was changed or cut short", async () => {
    const api = mockApi().on("GET", API, () =>
      problem(422, { title: "Unprocessable Content", detail: "This unsubscribe link is not valid." }),
    );
    renderApp("/unsubscribe?token=tampered");

    expect(await screen.findByRole("alert")).toHaveTextContent("This unsubscribe link is not valid");
    expect(screen.queryByRole("button", { name: "Unsubscribe" })).not.toBeInTheDocument();
    expect(api.callsTo("POST", API)).toHaveLength(0);
  });

  it("without a token it asks nothing of the server", async () => {
    const api = mockApi();
    renderApp("/unsubscribe");

    expect(await screen.findByRole("alert")).toHaveTextContent("This unsubscribe link is not valid");
    expect(api.callsTo("GET", API)).toHaveLength(0);
  });

  it("shows why unsubscribing failed and lets you try again", async () => {
    mockApi()
      .on("GET", API, () => json(200, DESCRIBED))
      .on("POST", API, () => problem(503, { title: "Service Unavailable", detail: "Try again in a minute." }));
    const { user } = renderApp("/unsubscribe?token=abc.def");

    await user.click(await screen.findByRole("button", { name: "Unsubscribe" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/Try again|unavailable/i);
    expect(screen.getByRole("button", { name: "Unsubscribe" })).toBeEnabled();
  });
});
