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
    const api = asSignedIn(mockApi(), { ...ada, location: "London" })
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
    await user.selectOptions(profile.getByLabelText(/^Time zone/), "Europe/Paris");
    await user.click(profile.getByRole("button", { name: "Save profile" }));

    expect(await profile.findByText("Unknown time zone")).toBeInTheDocument();
    expect(profile.getByLabelText(/^Time zone/)).toHaveAttribute("aria-invalid", "true");
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
