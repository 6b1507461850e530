import type { WebhookEventType } from "../../api/types";

export const WEBHOOK_FIELDS = ["url", "event_types", "description", "enabled", "include_private_communities"] as const;

export interface WebhookValues {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  includePrivate: boolean;
}

export const EMPTY_WEBHOOK: WebhookValues = {
  url: "",
  description: "",
  eventTypes: ["post.created"],
  enabled: true,
  includePrivate: false,
};

/** Client-side checks; the server checks the address itself (https, public host). */
export function validateWebhook(values: WebhookValues): Record<string, string> {
  const found: Record<string, string> = {};
  const url = values.url.trim();
  if (!url) found.url = "Enter the address that receives the deliveries.";
  else if (!/^https?:\/\/\S+$/i.test(url)) found.url = "Enter a full address, starting with https://.";
  if (values.eventTypes.length === 0) found.event_types = "Choose at least one event.";
  return found;
}
