import type { WebhookDelivery, WebhookEventType } from "../../api/types";

/**
 * The event catalog a webhook can subscribe to, in the API's words (its OpenAPI `webhooks`
 * section). Typed by the generated schema: an event type added there fails the type check here
 * until it is described.
 */
export const WEBHOOK_EVENTS: Record<WebhookEventType, { label: string; description: string }> = {
  "post.created": { label: "New post", description: "A post was published in a community." },
  "comment.created": { label: "New comment", description: "A post got a comment or a reply." },
  "answer.accepted": { label: "Answer accepted", description: "A question’s answer was accepted." },
  "reaction.added": { label: "Reaction", description: "Someone reacted to a post or a comment." },
  "membership.approved": { label: "Member approved", description: "A join request was approved." },
};

export const EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];

export function isEventType(value: string): value is WebhookEventType {
  return value in WEBHOOK_EVENTS;
}

/** The catalog's order (the API sends names sorted alphabetically); unknown names last. */
export function inCatalogOrder(types: readonly string[]): string[] {
  const rank = (type: string) => (isEventType(type) ? EVENT_TYPES.indexOf(type) : EVENT_TYPES.length);
  return [...types].sort((a, b) => rank(a) - rank(b));
}

/** "New post" for a catalog type; "Ping" for webhook.ping; the raw name otherwise. */
export function eventLabel(type: string): string {
  if (isEventType(type)) return WEBHOOK_EVENTS[type].label;
  return type === "webhook.ping" ? "Ping" : type;
}

/** "HTTP 200", "No answer" (timeout, refused), or "Not tried yet". */
export function answerOf(delivery: WebhookDelivery): string {
  if (delivery.last_status_code !== null) return `HTTP ${String(delivery.last_status_code)}`;
  if (delivery.attempt_count === 0) return "Not tried yet";
  return "No answer";
}
