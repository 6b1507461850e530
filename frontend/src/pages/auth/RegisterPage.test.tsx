import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { accessToken, ada } from "../../test/fixtures";
import { json, mockApi, problem } from "../../test/fetchMock";
import { asSignedOut, renderApp } from "../../test/renderApp";

async function fillIn(user: ReturnType<typeof renderApp>["user"]) {
  await user.type(await screen.findByLabelText("Full name"), "Ada Lovelace");
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText(/Handle/), "ada!");
  await user.type(screen.getByLabelText("Password"), "password1234");
}

describe("register page", () => {
  it("shows the field errors of a 422 problem next to their inputs", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/register", () =>
      problem(422, {
        title: "Unprocessable Content",
        detail: "The request has invalid fields.",
        errors: [
          { loc: ["body", "password"], msg: "Value error, this password is too common", type: "value_error" },
          { loc: ["body", "handle"], msg: "Use letters, numbers and underscores only", type: "string_pattern_mismatch" },
        ],
      }),
    );
    const { user } = renderApp("/register");

    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const handle = screen.getByLabelText(/Handle/);
    const password = screen.getByLabelText("Password");
    expect(await screen.findByText("This password is too common")).toBeInTheDocument();
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription(expect.stringContaining("This password is too common"));
    expect(handle).toHaveAttribute("aria-invalid", "true");
    expect(handle).toHaveAccessibleDescription(expect.stringContaining("Use letters, numbers and underscores only"));
    expect(screen.getByLabelText("Email")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByRole("alert")).toHaveTextContent("Please correct the highlighted fields.");
    // Focus moves to the first field in error, in form order.
    expect(handle).toHaveFocus();

    const [call] = api.callsTo("POST", "/api/v1/auth/register");
    expect(JSON.parse(call?.body ?? "")).toEqual({
      email: "ada@example.com",
      password: "password1234",
      display_name: "Ada Lovelace",
      handle: "ada!",
    });

    // Editing a field clears its message.
    await user.type(password, "x");
    expect(password).not.toHaveAttribute("aria-invalid");
  });

  it("shows a duplicate (409) as a form-level message", async () => {
    asSignedOut(mockApi()).on("POST", "/api/v1/auth/register", () =>
      problem(409, { title: "Conflict", detail: "An account with this email already exists." }),
    );
    const { user } = renderApp("/register");

    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this email already exists.");
  });

  it("signs the new user in and shows the home page", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/register", () =>
      json(201, { user: ada, ...accessToken("access-1") }),
    );
    const { user } = renderApp("/register");

    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { name: /Hello, Ada/ })).toBeInTheDocument();
    const [call] = api.callsTo("POST", "/api/v1/auth/register");
    expect(call?.url.searchParams.get("use_cookie")).toBe("true");
    expect(call?.credentials).toBe("include");
  });

  it("checks the password length before calling the API", async () => {
    const api = asSignedOut(mockApi());
    const { user } = renderApp("/register");

    await user.type(await screen.findByLabelText("Full name"), "Ada Lovelace");
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Use at least 10 characters/);
    expect(api.callsTo("POST", "/api/v1/auth/register")).toHaveLength(0);
  });
});
