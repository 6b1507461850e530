import { describe, expect, it } from "vitest";
import type { WebhookDelivery } from "../api/types";
import { awaitingTry } from "./webhooks";

const NOW = Date.parse("2026-12-07T10:00:00Z");

function delivery(overrides: Partial<WebhookDelivery>): WebhookDelivery {
  return {
    id: "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
    event_id: null,
    event_type: "webhook.ping",
    status: "pending",
    attempt_count: 0,
    next_attempt_at: "2026-12-07T10:00:00Z",
    created_at: "2026-12-07T10:00:00Z",
    last_status_code: null,
    attempts: [],
    ...overrides,
  };
}

describe("awaitingTry: when the deliveries log polls for an outcome", () => {
  it("polls for a ping due now and for one whose try is under way (its 2-minute lease)", () => {
    expect(awaitingTry([delivery({})], NOW)).toBe(true);
    expect(awaitingTry([delivery({ next_attempt_at: "2026-12-07T10:02:00Z" })], NOW)).toBe(true);
  });

  it("stops once every delivery is finished, or the next retry is far off", () => {
    expect(awaitingTry([delivery({ status: "succeeded", next_attempt_at: null })], NOW)).toBe(false);
    expect(awaitingTry([delivery({ status: "failed", next_attempt_at: null })], NOW)).toBe(false);
    expect(awaitingTry([delivery({ attempt_count: 3, next_attempt_at: "2026-12-07T10:16:00Z" })], NOW)).toBe(false);
    expect(awaitingTry([], NOW)).toBe(false);
  });
});
