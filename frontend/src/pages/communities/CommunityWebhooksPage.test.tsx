import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Webhook, WebhookDelivery } from "../../api/types";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { asSignedIn, renderApp } from "../../test/renderApp";
import { community, page } from "../../test/communityFixtures";

const BASE = "/api/v1/communities/data-science";
const HOOKS = `${BASE}/webhooks`;
const HOOK_ID = "0b8f6a1e-3c2d-4e5f-9a7b-1c2d3e4f5a6b";
const ONE = `${HOOKS}/${HOOK_ID}`;
const SECRET = "whsec_c2VjcmV0LXNob3duLW9uY2UtMTIzNDU2Nzg5MA==";
const steward = { role: "steward", status: "active", notify_level: "all", term_ends_at: null } as const;
const memberOnly = { role: "member", status: "active", notify_level: "all", term_ends_at: null } as const;

function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: HOOK_ID,
    url: "https://hooks.example.com/leaderful",
    event_types: ["post.created", "answer.accepted"],
    description: "Posts to the team chat",
    enabled: true,
    include_private_communities: false,
    community: { id: community().id, slug: "data-science", name: "Data Science" },
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    failing_since: null,
    disabled_reason: null,
    previous_secret_expires_at: null,
    version: 1,
    ...overrides,
  };
}

function delivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
    event_id: null,
    event_type: "webhook.ping",
    status: "succeeded",
    attempt_count: 1,
    next_attempt_at: null,
    created_at: "2026-12-05T09:00:00Z",
    last_status_code: 204,
    attempts: [],
    ...overrides,
  };
}

function stewardApi() {
  return asSignedIn(mockApi()).on("GET", BASE, () => json(200, community({ my_membership: steward }), { ETag: '"c1"' }));
}

function item(url: string) {
  return within(screen.getByRole("heading", { level: 3, name: url }).closest("li") as HTMLElement);
}

describe("community webhooks", () => {
  it("creates a webhook, shows its secret once with a copy button, and lists it", async () => {
    const created = webhook();
    const api = stewardApi()
      .on(
        "GET",
        HOOKS,
        () => json(200, page([])),
        () => json(200, page([created])),
      )
      .on("POST", HOOKS, () => json(201, { ...created, secret: SECRET }, { ETag: '"w1"' }))
      .on("GET", `${ONE}/deliveries`, () => json(200, page([])));
    const { user } = renderApp("/communities/data-science/webhooks");

    expect(await screen.findByText("No webhooks yet")).toBeInTheDocument();
    const form = within(screen.getByRole("form", { name: "Add a webhook" }));
    await user.type(form.getByLabelText(/^Payload URL/), "https://hooks.example.com/leaderful");
    await user.type(form.getByLabelText(/^Description/), "Posts to the team chat");
    await user.click(form.getByRole("checkbox", { name: /Answer accepted/ }));
    await user.click(form.getByRole("button", { name: "Add webhook" }));

    const heading = await screen.findByRole("heading", { name: "Copy the signing secret now" });
    expect(heading).toHaveFocus();
    expect(screen.getByText(SECRET)).toBeInTheDocument();
    expect(screen.getByText(/You will not see this secret again/)).toBeInTheDocument();

    const [create] = api.callsTo("POST", HOOKS);
    expect(JSON.parse(create?.body ?? "")).toEqual({
      url: "https://hooks.example.com/leaderful",
      description: "Posts to the team chat",
      event_types: ["post.created", "answer.accepted"],
      enabled: true,
      include_private_communities: false,
    });
    expect(create?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{32,36}$/);

    await user.click(screen.getByRole("button", { name: "Copy secret" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    // The list reloads and shows the webhook, its events and state, never the secret.
    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    expect(row.getByText("Enabled")).toBeInTheDocument();
    expect(row.getByText("New post")).toBeInTheDocument();
    expect(row.getByText("Answer accepted")).toBeInTheDocument();
    expect(await row.findByText("No deliveries yet.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "I’ve saved it" }));
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("checks the form and shows the server's 422 beside the address", async () => {
    const api = stewardApi()
      .on("GET", HOOKS, () => json(200, page([])))
      .on("POST", HOOKS, () =>
        problem(422, {
          title: "Unprocessable Content",
          errors: [{ loc: ["body", "url"], msg: "The address resolves to a private network.", type: "value_error" }],
        }),
      );
    const { user } = renderApp("/communities/data-science/webhooks");

    const form = within(await screen.findByRole("form", { name: "Add a webhook" }));
    await user.click(form.getByRole("checkbox", { name: /New post/ }));
    await user.click(form.getByRole("button", { name: "Add webhook" }));
    expect(form.getByLabelText(/^Payload URL/)).toHaveAccessibleDescription(/Enter the address/);
    expect(form.getByText("Choose at least one event.")).toBeInTheDocument();
    expect(api.callsTo("POST", HOOKS)).toHaveLength(0);

    await user.type(form.getByLabelText(/^Payload URL/), "https://intranet.example.com/hook");
    await user.click(form.getByRole("checkbox", { name: /New comment/ }));
    await user.click(form.getByRole("button", { name: "Add webhook" }));

    const url = form.getByLabelText(/^Payload URL/);
    await waitFor(() => {
      expect(url).toHaveAccessibleDescription(/resolves to a private network/);
    });
    expect(url).toHaveFocus();
    expect(screen.queryByRole("heading", { name: /signing secret/ })).not.toBeInTheDocument();
  });

  it("shows state and the last delivery, sends a ping, and lists deliveries with redeliver and load more", async () => {
    const failing = webhook({ failing_since: "2026-12-04T08:00:00Z" });
    const failed = delivery({
      id: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
      event_type: "post.created",
      status: "failed",
      attempt_count: 8,
      last_status_code: 500,
      created_at: "2026-12-04T08:00:00Z",
    });
    const ping = delivery({ status: "pending", attempt_count: 0, last_status_code: null, next_attempt_at: "2026-12-05T09:00:00Z" });
    const older = delivery({ id: "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", event_type: "answer.accepted", created_at: "2026-12-01T08:00:00Z" });
    const api = stewardApi()
      .on("GET", HOOKS, () => json(200, page([failing])))
      .on(
        "GET",
        `${ONE}/deliveries`,
        (call) => json(200, call.url.searchParams.get("limit") === "1" ? page([failed]) : page([failed], "next-page")),
        (call) =>
          json(
            200,
            call.url.searchParams.get("cursor") === "next-page"
              ? page([older])
              : call.url.searchParams.get("limit") === "1"
                ? page([ping])
                : page([ping, failed], "next-page"),
          ),
      )
      .on("POST", `${ONE}/ping`, () => json(202, ping))
      .on("POST", `${ONE}/deliveries/${failed.id}/redeliver`, () => json(202, { ...failed, status: "pending" }));
    const { user } = renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    expect(row.getByText("Failing")).toBeInTheDocument();
    expect(await row.findByText(/Last delivery: New post/)).toHaveTextContent("HTTP 500");

    await user.click(row.getByRole("button", { name: "Send ping" }));
    expect(await row.findByText(/Ping sent/)).toBeInTheDocument();
    expect(api.callsTo("POST", `${ONE}/ping`)).toHaveLength(1);

    // The deliveries open: the ping (pending, not tried yet) and the failed post.
    const deliveries = within(await row.findByRole("region", { name: "Deliveries" }));
    expect(await deliveries.findByText("Ping")).toBeInTheDocument();
    expect(deliveries.getByText("Pending")).toBeInTheDocument();
    expect(deliveries.getByText("Not tried yet")).toBeInTheDocument();
    expect(deliveries.getByText("8 attempts")).toBeInTheDocument();
    expect(deliveries.getByText("Failed")).toBeInTheDocument();

    await user.click(deliveries.getByRole("button", { name: "Load more deliveries" }));
    expect(await deliveries.findByText("Answer accepted")).toBeInTheDocument();
    expect(deliveries.queryByRole("button", { name: "Load more deliveries" })).not.toBeInTheDocument();

    await user.click(deliveries.getByRole("button", { name: /^Redeliver New post/ }));
    expect(await deliveries.findByText(/Sent again/)).toBeInTheDocument();
    expect(api.callsTo("POST", `${ONE}/deliveries/${failed.id}/redeliver`)).toHaveLength(1);
  });

  it("shows a failing webhook healthy again once its ping got through", async () => {
    const api = stewardApi()
      .on(
        "GET",
        HOOKS,
        () => json(200, page([webhook({ failing_since: "2026-12-04T08:00:00Z" })])),
        () => json(200, page([webhook()])),
      )
      .on("GET", `${ONE}/deliveries`, () => json(200, page([delivery({ status: "succeeded", last_status_code: 200 })])));
    renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    expect(await row.findByText(/Last delivery: Ping/)).toHaveTextContent("HTTP 200");
    await waitFor(() => {
      expect(row.getByText("Enabled")).toBeInTheDocument();
    });
    expect(row.queryByText("Failing")).not.toBeInTheDocument();
    expect(api.callsTo("GET", HOOKS)).toHaveLength(2);
  });

  it("edits with If-Match, and on 412 reloads the latest version and says so", async () => {
    const mine = webhook();
    const theirs = webhook({ url: "https://hooks.example.com/v2", version: 2 });
    const saved = webhook({ url: "https://hooks.example.com/v2", enabled: false, version: 3 });
    const api = stewardApi()
      .on("GET", HOOKS, () => json(200, page([mine])))
      .on("GET", `${ONE}/deliveries`, () => json(200, page([])))
      .on(
        "GET",
        ONE,
        () => json(200, mine, { ETag: '"w1"' }),
        () => json(200, theirs, { ETag: '"w2"' }),
      )
      .on(
        "PATCH",
        ONE,
        () => problem(412, { title: "Precondition Failed", detail: "The webhook changed since you read it." }),
        () => json(200, saved, { ETag: '"w3"' }),
      );
    const { user } = renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    await user.click(row.getByRole("button", { name: /^Edit/ }));
    const form = within(await screen.findByRole("form", { name: "Edit webhook" }));
    await user.click(form.getByRole("checkbox", { name: /Enabled/ }));
    await user.click(form.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByText("Someone changed this webhook meanwhile")).toBeInTheDocument();
    const fresh = within(screen.getByRole("form", { name: "Edit webhook" }));
    expect(fresh.getByLabelText(/^Payload URL/)).toHaveValue("https://hooks.example.com/v2");
    expect(fresh.getByRole("checkbox", { name: /Enabled/ })).toBeChecked();

    await user.click(fresh.getByRole("checkbox", { name: /Enabled/ }));
    await user.click(fresh.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Your changes are saved.")).toBeInTheDocument();

    const patches = api.callsTo("PATCH", ONE);
    expect(patches.map((call) => call.headers.get("If-Match"))).toEqual(['"w1"', '"w2"']);
    expect(JSON.parse(patches[1]?.body ?? "")).toEqual({ enabled: false });
  });

  it("rotates the secret after a confirmation and shows the new one once", async () => {
    const api = stewardApi()
      .on("GET", HOOKS, () => json(200, page([webhook()])))
      .on("GET", `${ONE}/deliveries`, () => json(200, page([])))
      .on("POST", `${ONE}/rotate-secret`, () =>
        json(200, { ...webhook({ previous_secret_expires_at: "2026-12-06T10:00:00Z" }), secret: SECRET }),
      );
    const { user } = renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    await user.click(row.getByRole("button", { name: "Rotate secret" }));
    const dialog = within(await screen.findByRole("alertdialog", { name: "Rotate the signing secret?" }));
    await user.click(dialog.getByRole("button", { name: "Rotate secret" }));

    expect(await screen.findByRole("heading", { name: "Copy the new signing secret now" })).toHaveFocus();
    expect(screen.getByText(SECRET)).toBeInTheDocument();
    expect(screen.getByText(/previous secret keeps signing beside it for 24 hours/)).toBeInTheDocument();
    expect(api.callsTo("POST", `${ONE}/rotate-secret`)).toHaveLength(1);
  });

  it("deletes behind the confirm dialog", async () => {
    const api = stewardApi()
      .on(
        "GET",
        HOOKS,
        () => json(200, page([webhook()])),
        () => json(200, page([])),
      )
      .on("GET", `${ONE}/deliveries`, () => json(200, page([])))
      .on("DELETE", ONE, () => noContent());
    const { user } = renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    await user.click(row.getByRole("button", { name: "Delete" }));
    const dialog = within(await screen.findByRole("alertdialog", { name: "Delete this webhook?" }));
    await user.click(dialog.getByRole("button", { name: "Delete webhook" }));

    expect(await screen.findByText(/is deleted/)).toBeInTheDocument();
    expect(await screen.findByText("No webhooks yet")).toBeInTheDocument();
    expect(api.callsTo("DELETE", ONE)).toHaveLength(1);
  });

  it("tells a disabled webhook's reason and offers no ping", async () => {
    stewardApi()
      .on("GET", HOOKS, () =>
        json(200, page([webhook({ enabled: false, disabled_reason: "Every delivery failed for 3 days." })])),
      )
      .on("GET", `${ONE}/deliveries`, () => json(200, page([])));
    renderApp("/communities/data-science/webhooks");

    const row = await waitFor(() => item("https://hooks.example.com/leaderful"));
    expect(row.getByText("Turned off automatically")).toBeInTheDocument();
    expect(row.getByText(/Every delivery failed for 3 days/)).toBeInTheDocument();
    expect(row.getByRole("button", { name: "Send ping" })).toBeDisabled();
  });

  it("tells members the webhooks are for stewards and loads none", async () => {
    const api = asSignedIn(mockApi()).on("GET", BASE, () => json(200, community({ my_membership: memberOnly })));
    renderApp("/communities/data-science/webhooks");
    expect(await screen.findByRole("heading", { name: "You can’t manage Data Science’s webhooks" })).toBeInTheDocument();
    expect(api.callsTo("GET", HOOKS)).toHaveLength(0);
  });

  it("links stewards to the webhooks from the community's settings", async () => {
    stewardApi().on("GET", `${BASE}/audit-log`, () => json(200, page([])));
    renderApp("/communities/data-science/edit");
    const link = await screen.findByRole("link", { name: "Manage webhooks" });
    expect(link).toHaveAttribute("href", "/communities/data-science/webhooks");
  });
});
