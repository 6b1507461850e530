import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Webhook } from "../../api/types";
import { ada } from "../../test/fixtures";
import { json, mockApi } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { page } from "../../test/communityFixtures";

const admin = { ...ada, role: "admin" as const };
const SECRET = "whsec_b3JnYW5pc2F0aW9uLXNlY3JldC0xMjM0NTY3ODkw";

const orgHook: Webhook = {
  id: "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
  url: "https://warehouse.example.com/leaderful",
  event_types: ["answer.accepted", "post.created"],
  description: "Knowledge warehouse",
  enabled: true,
  include_private_communities: true,
  community: null,
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
  failing_since: null,
  disabled_reason: null,
  previous_secret_expires_at: null,
  version: 1,
};

describe("organisation webhooks", () => {
  it("administrators reach them from the settings and add one that includes private communities", async () => {
    const api = asSignedIn(mockApi(), admin)
      .on("GET", "/api/v1/me/tokens", () => json(200, page([])))
      .on(
        "GET",
        "/api/v1/webhooks",
        () => json(200, page([])),
        () => json(200, page([orgHook])),
      )
      .on("POST", "/api/v1/webhooks", () => json(201, { ...orgHook, secret: SECRET }))
      .on("GET", `/api/v1/webhooks/${orgHook.id}/deliveries`, () => json(200, page([])));
    const { user } = renderApp("/settings");

    await user.click(await screen.findByRole("link", { name: "Manage organisation webhooks" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Organisation webhooks" })).toBeInTheDocument();
    expect(await screen.findByText("No webhooks yet")).toBeInTheDocument();

    const form = within(screen.getByRole("form", { name: "Add a webhook" }));
    await user.type(form.getByLabelText(/^Payload URL/), orgHook.url);
    await user.click(form.getByRole("checkbox", { name: /Answer accepted/ }));
    await user.click(form.getByRole("checkbox", { name: /Include private communities/ }));
    await user.click(form.getByRole("button", { name: "Add webhook" }));

    expect(await screen.findByRole("heading", { name: "Copy the signing secret now" })).toBeInTheDocument();
    const [create] = api.callsTo("POST", "/api/v1/webhooks");
    expect(JSON.parse(create?.body ?? "")).toMatchObject({
      url: orgHook.url,
      event_types: ["post.created", "answer.accepted"],
      include_private_communities: true,
    });
    await waitFor(() => {
      expect(screen.getByText("Includes private communities.")).toBeInTheDocument();
    });
  });

  it("members see no way in, and the page says it is for administrators", async () => {
    const api = asSignedIn(mockApi()).on("GET", "/api/v1/me/tokens", () => json(200, page([])));
    const { router } = renderApp("/settings");
    expect(await screen.findByRole("heading", { level: 2, name: "Personal access tokens" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Manage organisation webhooks" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Integrations" })).not.toBeInTheDocument();

    await router.navigate("/settings/webhooks");
    expect(await screen.findByText("Administrators only")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Add a webhook" })).not.toBeInTheDocument();
    expect(api.callsTo("GET", "/api/v1/webhooks")).toHaveLength(0);
  });
});
