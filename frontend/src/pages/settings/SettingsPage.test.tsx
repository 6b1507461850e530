import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { accessToken, ada } from "../../test/fixtures";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";

function section(name: string) {
  return within(screen.getByRole("region", { name }));
}

describe("profile settings", () => {
  it("sends only what changed, clearing emptied fields", async () => {
    const api = asSignedIn(mockApi(), { ...ada, location: "London", timezone: "Europe/London", time_zone: "Europe/London" })
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PATCH", "/api/v1/me", (call) => json(200, { ...ada, ...(JSON.parse(call.body ?? "{}") as object) }));
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    await user.type(profile.getByLabelText(/^Title/), "Analyst");
    await user.clear(profile.getByLabelText(/^Location/));
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Your profile is saved.")).toBeInTheDocument();
    const [call] = api.callsTo("PATCH", "/api/v1/me");
    expect(JSON.parse(call?.body ?? "")).toEqual({ title: "Analyst", location: null });
  });

  it("shows validation problems from the server on the fields", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PATCH", "/api/v1/me", () =>
        problem(422, {
          title: "Unprocessable Content",
          errors: [{ loc: ["body", "timezone"], msg: "Unknown time zone", type: "value_error" }],
        }),
      );
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    const zone = profile.getByLabelText(/^Time zone/);
    await user.clear(zone);
    await user.type(zone, "Europe/Paris");
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Unknown time zone")).toBeInTheDocument();
    expect(profile.getByLabelText(/^Time zone/)).toHaveAttribute("aria-invalid", "true");
  });
});

describe("time zone and working hours", () => {
  it("starts from the browser's time zone when none is set, and saves it with the profile", async () => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PATCH", "/api/v1/me", (call) => json(200, { ...ada, ...(JSON.parse(call.body ?? "{}") as object) }));
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    expect(profile.getByLabelText(/^Time zone/)).toHaveValue(browserZone);
    expect(profile.getByText(/Taken from your browser/)).toBeInTheDocument();
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Your profile is saved.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PATCH", "/api/v1/me")[0]?.body ?? "")).toEqual({ timezone: browserZone });
  });

  it("refuses a time zone that is not in the list", async () => {
    const api = asSignedIn(mockApi(), { ...ada, timezone: "Europe/London", time_zone: "Europe/London" }).on(
      "GET",
      "/api/v1/me/tokens",
      () => json(200, { items: [], next_cursor: null }),
    );
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    const zone = profile.getByLabelText(/^Time zone/);
    await user.clear(zone);
    await user.type(zone, "Mars/Olympus");
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Choose a time zone from the list, such as Europe/Paris.")).toBeInTheDocument();
    expect(api.callsTo("PATCH", "/api/v1/me")).toHaveLength(0);
  });

  it("sends working days and hours, and explains a window that crosses midnight", async () => {
    const api = asSignedIn(mockApi(), { ...ada, timezone: "Asia/Singapore", time_zone: "Asia/Singapore" })
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PATCH", "/api/v1/me", (call) => {
        const body = JSON.parse(call.body ?? "{}") as { working_hours: object };
        return json(200, { ...ada, timezone: "Asia/Singapore", working_hours: body.working_hours, working_hours_set: true });
      });
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    const days = within(profile.getByRole("group", { name: "Working days" }));
    expect(days.getByRole("checkbox", { name: "Monday" })).toBeChecked();
    expect(days.getByRole("checkbox", { name: "Saturday" })).not.toBeChecked();
    await user.click(days.getByRole("checkbox", { name: "Friday" }));
    await user.click(days.getByRole("checkbox", { name: "Sunday" }));
    const start = profile.getByLabelText("Starts");
    const end = profile.getByLabelText("Ends");
    await user.clear(start);
    await user.type(start, "22:00");
    await user.clear(end);
    await user.type(end, "06:00");
    expect(profile.getByText(/crosses midnight/)).toBeInTheDocument();
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Your profile is saved.")).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("PATCH", "/api/v1/me")[0]?.body ?? "")).toEqual({
      working_hours: { days: [1, 2, 3, 4, 7], start: "22:00", end: "06:00" },
    });
  });

  it("needs at least one working day and a start that differs from the end", async () => {
    const api = asSignedIn(mockApi(), { ...ada, timezone: "Europe/London", time_zone: "Europe/London" }).on(
      "GET",
      "/api/v1/me/tokens",
      () => json(200, { items: [], next_cursor: null }),
    );
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const profile = section("Profile");
    const end = profile.getByLabelText("Ends");
    await user.clear(end);
    await user.type(end, "09:00");
    await user.click(profile.getByRole("button", { name: "Save profile" }));
    expect(await profile.findByText("Your working day needs a start and an end that differ.")).toBeInTheDocument();

    const days = within(profile.getByRole("group", { name: "Working days" }));
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) {
      await user.click(days.getByRole("checkbox", { name: day }));
    }
    await user.click(profile.getByRole("button", { name: "Save profile" }));
    expect(await profile.findByText("Choose at least one working day.")).toBeInTheDocument();
    expect(api.callsTo("PATCH", "/api/v1/me")).toHaveLength(0);
  });
});

describe("password settings", () => {
  it("changes the password and signs in again with the new one", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("POST", "/api/v1/me/password", () => noContent({ "Personal-Tokens-Revoked": "2" }))
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-2")));
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const password = section("Password");
    expect(password.getByRole("checkbox", { name: /Keep my personal access tokens/ })).not.toBeChecked();
    await user.type(password.getByLabelText("Current password"), "old password 123");
    await user.type(password.getByLabelText(/^New password/), "new password 456");
    await user.type(password.getByLabelText("Confirm new password"), "new password 456");
    await user.click(password.getByRole("button", { name: "Change password" }));

    expect(await password.findByText("Your password is changed.")).toBeInTheDocument();
    expect(password.getByText(/Your 2 personal access tokens have been revoked\./)).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", "/api/v1/me/password")[0]?.body ?? "")).toEqual({
      current_password: "old password 123",
      new_password: "new password 456",
      keep_personal_tokens: false,
    });
    const signIn = new URLSearchParams(api.callsTo("POST", "/api/v1/auth/token")[0]?.body ?? "");
    expect(signIn.get("username")).toBe(ada.email);
    expect(signIn.get("password")).toBe("new password 456");
  });

  it("can keep personal access tokens, and says so", async () => {
    const api = asSignedIn(mockApi())
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("POST", "/api/v1/me/password", () => noContent({ "Personal-Tokens-Revoked": "0" }))
      .on("POST", "/api/v1/auth/token", () => json(200, accessToken("access-2")));
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const password = section("Password");
    await user.type(password.getByLabelText("Current password"), "old password 123");
    await user.type(password.getByLabelText(/^New password/), "new password 456");
    await user.type(password.getByLabelText("Confirm new password"), "new password 456");
    await user.click(password.getByRole("checkbox", { name: /Keep my personal access tokens/ }));
    await user.click(password.getByRole("button", { name: "Change password" }));

    expect(await password.findByText(/Your personal access tokens keep working\./)).toBeInTheDocument();
    expect(JSON.parse(api.callsTo("POST", "/api/v1/me/password")[0]?.body ?? "")).toMatchObject({
      keep_personal_tokens: true,
    });
    expect(password.getByRole("checkbox", { name: /Keep my personal access tokens/ })).not.toBeChecked();
  });

  it("catches a mistyped confirmation before calling the API", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    const { user } = renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    const password = section("Password");
    await user.type(password.getByLabelText("Current password"), "old password 123");
    await user.type(password.getByLabelText(/^New password/), "new password 456");
    await user.type(password.getByLabelText("Confirm new password"), "new password 465");
    await user.click(password.getByRole("button", { name: "Change password" }));

    expect(password.getByLabelText("Confirm new password")).toHaveAccessibleDescription("The passwords don’t match.");
    expect(api.callsTo("POST", "/api/v1/me/password")).toHaveLength(0);
  });
});
