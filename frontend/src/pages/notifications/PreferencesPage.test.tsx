import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { channels } from "../../test/notificationFixtures";

const PREFS = "/api/v1/me/notification-preferences";
const SETTINGS = "/api/v1/me/notification-settings";
const WEEKLY = { email_digest: "weekly", email_on_mention: true, email_on_mentorship: true };
const SAVED = {
  preferences: [channels("new_post"), channels("comment_on_post", { email: true }), channels("mention", { email: true })],
};

describe("notification settings", () => {
  it("lists every kind by its human name with a labelled checkbox per channel", async () => {
    asSignedIn(mockApi())
      .on("GET", PREFS, () => json(200, SAVED))
      .on("GET", SETTINGS, () => json(200, WEEKLY));
    renderApp("/settings/notifications");

    expect(await screen.findByRole("heading", { level: 1, name: "Notification settings" })).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "Where each kind of notification reaches you" });
    expect(table).toHaveTextContent("Answers and comments on your posts");
    expect(screen.getByRole("columnheader", { name: "E-mail" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Answers and comments on your posts: E-mail" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "New posts in your communities: E-mail" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Mentions of you: Push" })).not.toBeChecked();
    expect(screen.getAllByRole("checkbox")).toHaveLength(9);
  });

  it("saves only the kinds that changed and confirms", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", PREFS, () => json(200, SAVED))
      .on("GET", SETTINGS, () => json(200, WEEKLY))
      .on("PUT", PREFS, () =>
        json(200, { preferences: [channels("new_post", { in_app: false }), ...SAVED.preferences.slice(1)] }),
      );
    const { user } = renderApp("/settings/notifications");

    await user.click(await screen.findByRole("checkbox", { name: "New posts in your communities: In the app" }));
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText("Your notification settings are saved.")).toBeInTheDocument();
    const [call] = api.callsTo("PUT", PREFS);
    expect(JSON.parse(call?.body ?? "")).toEqual({
      preferences: [{ kind: "new_post", in_app: false, email: false, push: false }],
    });
    expect(screen.getByRole("checkbox", { name: "New posts in your communities: In the app" })).not.toBeChecked();
  });

  it("shows why saving failed and keeps the choices", async () => {
    asSignedIn(mockApi())
      .on("GET", PREFS, () => json(200, SAVED))
      .on("GET", SETTINGS, () => json(200, WEEKLY))
      .on("PUT", PREFS, () => problem(503, { title: "Service Unavailable", detail: "Try again in a minute." }));
    const { user } = renderApp("/settings/notifications");

    await user.click(await screen.findByRole("checkbox", { name: "Mentions of you: Push" }));
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/Try again|unavailable/i);
    expect(screen.getByRole("checkbox", { name: "Mentions of you: Push" })).toBeChecked();
  });

  it("shows the digest choice and saves it; the per-kind e-mail is read again", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        PREFS,
        () => json(200, SAVED),
        () => json(200, SAVED),
      )
      .on("GET", SETTINGS, () => json(200, WEEKLY))
      .on("PUT", SETTINGS, () => json(200, { ...WEEKLY, email_digest: "daily" }));
    const { user } = renderApp("/settings/notifications");

    expect(await screen.findByRole("heading", { level: 2, name: "E-mail digest" })).toBeInTheDocument();
    expect(await screen.findByRole("radio", { name: /Weekly/ })).toBeChecked();
    expect(screen.getByRole("radio", { name: /Off/ })).not.toBeChecked();
    await user.click(screen.getByRole("radio", { name: /Daily/ }));
    await user.click(screen.getByRole("button", { name: "Save digest" }));

    expect(await screen.findByText("Your digest setting is saved.")).toBeInTheDocument();
    const [call] = api.callsTo("PUT", SETTINGS);
    expect(JSON.parse(call?.body ?? "")).toEqual({ email_digest: "daily" });
    expect(screen.getByRole("radio", { name: /Daily/ })).toBeChecked();
    await waitFor(() => {
      expect(api.callsTo("GET", PREFS)).toHaveLength(2);
    });
    expect(screen.getByText(/E-mail goes out within a minute/)).toBeInTheDocument();
  });

  it("says when the digest setting did not load, and the rest still works", async () => {
    asSignedIn(mockApi())
      .on("GET", PREFS, () => json(200, SAVED))
      .on("GET", SETTINGS, () => problem(503, { title: "Service Unavailable" }));
    renderApp("/settings/notifications");

    expect(await screen.findByRole("checkbox", { name: "Mentions of you: E-mail" })).toBeChecked();
    expect(await screen.findByRole("button", { name: /Try again|Retry/i })).toBeInTheDocument();
  });

  it("is linked from the settings page", async () => {
    asSignedIn(mockApi()).on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    renderApp("/settings");

    expect(await screen.findByRole("link", { name: "Choose your notification settings" })).toHaveAttribute(
      "href",
      "/settings/notifications",
    );
  });
});
