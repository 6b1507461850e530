import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ada } from "../../test/fixtures";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { asSignedIn, asSignedOut, currentPath, renderApp } from "../../test/renderApp";

const unverified = { ...ada, email_verified: false, email_status: "unverified" as const };

afterEach(() => {
  sessionStorage.clear();
});

describe("the verification banner", () => {
  it("asks an unverified person to confirm, resends the link and can be dismissed", async () => {
    const api = asSignedIn(mockApi(), unverified)
      .on("GET", "/api/v1/communities", () => json(200, { items: [], next_cursor: null }))
      .on("POST", "/api/v1/me/email/verification", () => new Response(null, { status: 202 }));
    const { user } = renderApp("/settings");

    const banner = within(await screen.findByRole("region", { name: "Your e-mail address" }));
    expect(banner.getByText("Please confirm your e-mail address.")).toBeInTheDocument();
    expect(banner.getByText("ada@example.com")).toBeInTheDocument();
    await user.click(banner.getByRole("button", { name: "Resend" }));
    expect(await banner.findByText(/A new link is on its way/)).toBeInTheDocument();
    expect(api.callsTo("POST", "/api/v1/me/email/verification")).toHaveLength(1);

    await user.click(banner.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("region", { name: "Your e-mail address" })).not.toBeInTheDocument();
  });

  it("says why a resend was refused", async () => {
    asSignedIn(mockApi(), unverified).on("POST", "/api/v1/me/email/verification", () =>
      problem(429, { title: "Too Many Requests", detail: "Several verification e-mails were sent." }, { "Retry-After": "600" }),
    );
    const { user } = renderApp("/settings");

    const banner = within(await screen.findByRole("region", { name: "Your e-mail address" }));
    await user.click(banner.getByRole("button", { name: "Resend" }));
    expect(await banner.findByRole("alert")).toHaveTextContent("Please wait 10 minutes");
  });

  it("is not shown to people whose address is verified", async () => {
    asSignedIn(mockApi(), ada).on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    renderApp("/settings");

    await screen.findByRole("heading", { level: 1, name: "Settings" });
    expect(screen.queryByRole("region", { name: "Your e-mail address" })).not.toBeInTheDocument();
  });
});

describe("the verify-email page", () => {
  it("confirms the address with the link's token, once", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/verify-email", () => noContent());
    renderApp("/verify-email?token=lf_ve_abc");

    expect(await screen.findByText("Your e-mail address is confirmed.")).toBeInTheDocument();
    const calls = api.callsTo("POST", "/api/v1/auth/verify-email");
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]?.body ?? "")).toEqual({ token: "lf_ve_abc" });
    expect(screen.getByRole("link", { name: "Sign in" })).toBeInTheDocument();
  });

  it("explains an expired link", async () => {
    asSignedOut(mockApi()).on("POST", "/api/v1/auth/verify-email", () =>
      problem(422, { title: "Unprocessable Content", detail: "This link has expired. Ask for a new one." }),
    );
    renderApp("/verify-email?token=old");

    expect(await screen.findByRole("alert")).toHaveTextContent("This link has expired.");
  });
});

describe("forgot and reset password", () => {
  it("is linked from sign-in and asks for a link without saying whether the account exists", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/password-reset", () => new Response(null, { status: 202 }));
    const { user, router } = renderApp("/signin");

    await user.click(await screen.findByRole("link", { name: "Forgot password?" }));
    expect(currentPath(router)).toBe("/forgot-password");
    await user.click(screen.getByRole("button", { name: "Send me a reset link" }));
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(api.callsTo("POST", "/api/v1/auth/password-reset")).toHaveLength(0);

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.keyboard("{Enter}");
    expect(await screen.findByText("Check your inbox.")).toBeInTheDocument();
    expect(screen.getByText(/If an account uses ada@example.com/)).toBeInTheDocument();
    const [call] = api.callsTo("POST", "/api/v1/auth/password-reset");
    expect(JSON.parse(call?.body ?? "")).toEqual({ email: "ada@example.com" });
  });

  it("sets a new password with the link's token", async () => {
    const api = asSignedOut(mockApi()).on("POST", "/api/v1/auth/password-reset/confirm", () => noContent());
    const { user } = renderApp("/reset-password?token=lf_pr_xyz");

    await user.type(await screen.findByLabelText(/^New password/), "a-brand-new-passphrase");
    await user.type(screen.getByLabelText("Confirm new password"), "a-different-one");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByLabelText("Confirm new password")).toHaveAttribute("aria-invalid", "true");
    expect(api.callsTo("POST", "/api/v1/auth/password-reset/confirm")).toHaveLength(0);

    await user.clear(screen.getByLabelText("Confirm new password"));
    await user.type(screen.getByLabelText("Confirm new password"), "a-brand-new-passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByText("Your password is changed.")).toBeInTheDocument();
    const [call] = api.callsTo("POST", "/api/v1/auth/password-reset/confirm");
    expect(JSON.parse(call?.body ?? "")).toEqual({ token: "lf_pr_xyz", new_password: "a-brand-new-passphrase" });
  });

  it("shows why a reset link no longer works", async () => {
    asSignedOut(mockApi()).on("POST", "/api/v1/auth/password-reset/confirm", () =>
      problem(422, {
        title: "Unprocessable Content",
        detail: "This link was already used. Ask for a new one if you still need it.",
        errors: [{ loc: ["body", "token"], msg: "This link was already used.", type: "value_error" }],
      }),
    );
    const { user } = renderApp("/reset-password?token=used");

    await user.type(await screen.findByLabelText(/^New password/), "a-brand-new-passphrase");
    await user.type(screen.getByLabelText("Confirm new password"), "a-brand-new-passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already used");
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toBeInTheDocument();
  });
});

describe("the e-mail settings", () => {
  it("shows an undeliverable address and changes it with the current password", async () => {
    const bounced = {
      ...ada,
      email_status: "undeliverable" as const,
      email_undeliverable_reason: "550 5.1.1 No such user",
    };
    const api = asSignedIn(mockApi(), bounced)
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PUT", "/api/v1/me/email", () =>
        json(200, { ...ada, email: "ada@new.example", email_verified: false, email_status: "unverified" }),
      );
    const { user } = renderApp("/settings");

    const email = within(await screen.findByRole("region", { name: "E-mail address" }));
    expect(email.getByText("Undeliverable")).toBeInTheDocument();
    expect(email.getByText(/550 5.1.1 No such user/)).toBeInTheDocument();
    await user.type(email.getByLabelText("New e-mail address"), "ada@new.example");
    await user.type(email.getByLabelText("Current password"), "correct horse battery");
    await user.click(email.getByRole("button", { name: "Change address" }));

    expect(await email.findByText("Your address is changed.")).toBeInTheDocument();
    expect(email.getByText("Not verified")).toBeInTheDocument();
    const [call] = api.callsTo("PUT", "/api/v1/me/email");
    expect(JSON.parse(call?.body ?? "")).toEqual({ email: "ada@new.example", current_password: "correct horse battery" });
    await waitFor(() => {
      expect(screen.getByRole("region", { name: "Your e-mail address" })).toHaveTextContent("ada@new.example");
    });
  });

  it("puts a wrong password on its field", async () => {
    asSignedIn(mockApi())
      .on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }))
      .on("PUT", "/api/v1/me/email", () =>
        problem(422, {
          title: "Unprocessable Content",
          detail: "The current password is wrong.",
          errors: [{ loc: ["body", "current_password"], msg: "The current password is wrong.", type: "value_error" }],
        }),
      );
    const { user } = renderApp("/settings");

    const email = within(await screen.findByRole("region", { name: "E-mail address" }));
    await user.type(email.getByLabelText("New e-mail address"), "ada@new.example");
    await user.type(email.getByLabelText("Current password"), "nope");
    await user.click(email.getByRole("button", { name: "Change address" }));
    expect(await email.findByText("The current password is wrong.")).toBeInTheDocument();
    expect(email.getByLabelText("Current password")).toHaveAttribute("aria-invalid", "true");
  });
});
