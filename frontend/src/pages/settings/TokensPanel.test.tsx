import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PersonalAccessToken } from "../../api/types";
import { ciToken } from "../../test/fixtures";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";

const SECRET = "lf_pat_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

const reportToken: PersonalAccessToken = {
  id: "5c0d7e2a-1b3c-4d5e-8f90-a1b2c3d4e5f6",
  name: "Weekly report",
  scopes: ["read", "write"],
  created_at: "2026-11-28T10:00:00Z",
  expires_at: "2026-12-28T10:00:00Z",
  last_used_at: null,
};

/** The "Create a token" form (the profile form has a "Name" field too). */
function tokenForm() {
  return within(screen.getByRole("form", { name: "Create a token" }));
}

describe("personal access tokens", () => {
  it("shows a new token's secret once, with a copy button", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        "/api/v1/me/tokens",
        () => json(200, { items: [ciToken], next_cursor: null }),
        () => json(200, { items: [reportToken, ciToken], next_cursor: null }),
      )
      .on("POST", "/api/v1/me/tokens", () => json(201, { ...reportToken, token: SECRET }));
    const { user } = renderApp("/settings");

    expect(await screen.findByText("CI export")).toBeInTheDocument();
    await user.type(tokenForm().getByLabelText(/^Name/), "Weekly report");
    await user.click(tokenForm().getByRole("checkbox", { name: /Write/ }));
    await user.selectOptions(tokenForm().getByLabelText("Expires after"), "30 days");
    await user.click(tokenForm().getByRole("button", { name: "Create token" }));

    // The secret is shown, with a warning, and focus moves to it.
    const callout = await screen.findByRole("heading", { name: "Copy your new token now" });
    expect(callout).toHaveFocus();
    expect(screen.getByText(SECRET)).toBeInTheDocument();
    expect(screen.getByText(/only time Leaderful shows/)).toBeInTheDocument();

    const [create] = api.callsTo("POST", "/api/v1/me/tokens");
    expect(JSON.parse(create?.body ?? "")).toEqual({
      name: "Weekly report",
      scopes: ["read", "write"],
      expires_in_days: 30,
    });

    await user.click(screen.getByRole("button", { name: "Copy token" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(screen.getByRole("button", { name: "Copied" })).toBeInTheDocument();

    // The list is reloaded and shows the new token, without its secret.
    await waitFor(() => {
      expect(screen.getByText("Weekly report", { selector: ".token-list__name" })).toBeInTheDocument();
    });
    expect(api.callsTo("GET", "/api/v1/me/tokens")).toHaveLength(2);

    await user.click(screen.getByRole("button", { name: "I’ve saved it" }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Copy your new token now" })).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("asks for a name and at least one scope", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    const { user } = renderApp("/settings");

    expect(await screen.findByText("No tokens yet")).toBeInTheDocument();
    await user.click(tokenForm().getByRole("checkbox", { name: /Read/ }));
    await user.click(tokenForm().getByRole("button", { name: "Create token" }));

    const name = tokenForm().getByLabelText(/^Name/);
    expect(name).toHaveAccessibleDescription(/Name the token/);
    expect(name).toHaveFocus();
    expect(screen.getByText("Choose at least one scope.")).toBeInTheDocument();
    expect(api.callsTo("POST", "/api/v1/me/tokens")).toHaveLength(0);
  });

  it("offers the admin scope to admins only", async () => {
    asSignedIn(mockApi()).on("GET", "/api/v1/me/tokens", () => json(200, { items: [], next_cursor: null }));
    renderApp("/settings");

    await screen.findByText("No tokens yet");
    expect(tokenForm().queryByRole("checkbox", { name: /Admin/ })).not.toBeInTheDocument();
    expect(tokenForm().getByRole("checkbox", { name: /Read/ })).toBeChecked();
  });

  it("revokes a token after confirmation", async () => {
    const api = asSignedIn(mockApi())
      .on(
        "GET",
        "/api/v1/me/tokens",
        () => json(200, { items: [ciToken], next_cursor: null }),
        () => json(200, { items: [], next_cursor: null }),
      )
      .on("DELETE", `/api/v1/me/tokens/${ciToken.id}`, () => noContent());
    const { user } = renderApp("/settings");

    await user.click(await screen.findByRole("button", { name: "Revoke CI export" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("stop working immediately");
    await user.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    expect(await screen.findByText("No tokens yet")).toBeInTheDocument();
    expect(screen.getByText("“CI export” is revoked.")).toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(api.callsTo("DELETE", `/api/v1/me/tokens/${ciToken.id}`)).toHaveLength(1);
  });

  it("shows an error with a retry when the list does not load", async () => {
    asSignedIn(mockApi()).on(
      "GET",
      "/api/v1/me/tokens",
      () => problem(503, { title: "Service Unavailable" }),
      () => json(200, { items: [ciToken], next_cursor: null }),
    );
    const { user } = renderApp("/settings");

    expect(await screen.findByText("Your tokens didn’t load")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("CI export")).toBeInTheDocument();
  });
});
