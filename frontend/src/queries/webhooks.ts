/**
 * Webhooks: the organisation's (administrators) and one community's (its stewards). Every hook
 * takes the owner (`slug` null for the organisation), so one set of screens serves both.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
  type Versioned,
  type WebhookOwner,
} from "../api/client";
import type { Webhook, WebhookCreate, WebhookDelivery, WebhookUpdate, WebhookWithSecret } from "../api/types";
import { newIdempotencyKey } from "../lib/idempotency";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

export const webhookKeys = {
  all: (owner: WebhookOwner) => ["webhooks", owner.slug ?? "organisation"] as const,
  list: (owner: WebhookOwner) => [...webhookKeys.all(owner), "list"] as const,
  detail: (owner: WebhookOwner, id: string) => [...webhookKeys.all(owner), "detail", id] as const,
  /** Every deliveries query of one webhook (its log and its latest delivery). */
  deliveries: (owner: WebhookOwner, id: string) => [...webhookKeys.all(owner), "deliveries", id] as const,
};

/** While a delivery is about to be tried (a ping, a redelivery), its outcome is polled for. */
const POLL_MS = 2000;
/**
 * A try under way holds its delivery for a lease of 2 minutes (`next_attempt_at` moves to the
 * lease's end until the try is recorded), so anything due within this window is polled for.
 */
const POLL_WINDOW_MS = 150_000;

/** True while some delivery is pending with a try due (or under way) within the window. */
export function awaitingTry(deliveries: readonly WebhookDelivery[], now = Date.now()): boolean {
  return deliveries.some(
    (delivery) =>
      delivery.status === "pending" &&
      (delivery.next_attempt_at === null || Date.parse(delivery.next_attempt_at) - now < POLL_WINDOW_MS),
  );
}

export function webhooksQueryOptions(owner: WebhookOwner) {
  return infiniteQueryOptions({
    queryKey: webhookKeys.list(owner),
    queryFn: ({ pageParam, signal }) => listWebhooks(owner, { cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

/** The webhook with its ETag, always read afresh before an edit. */
export function webhookQueryOptions(owner: WebhookOwner, id: string) {
  return queryOptions({
    queryKey: webhookKeys.detail(owner, id),
    queryFn: ({ signal }) => getWebhook(owner, id, signal),
    staleTime: 0,
  });
}

/** The log of one webhook's deliveries, newest first, a keyset page at a time. */
export function webhookDeliveriesQueryOptions(owner: WebhookOwner, id: string) {
  return infiniteQueryOptions({
    queryKey: [...webhookKeys.deliveries(owner, id), "log"] as const,
    queryFn: ({ pageParam, signal }) => listWebhookDeliveries(owner, id, { cursor: pageParam, limit: 20 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    refetchInterval: (query) =>
      awaitingTry(query.state.data?.pages.flatMap((page) => page.items) ?? []) ? POLL_MS : false,
  });
}

/** The newest delivery (null: none yet), for the list's "last delivery" line. */
export function lastDeliveryQueryOptions(owner: WebhookOwner, id: string) {
  return queryOptions({
    queryKey: [...webhookKeys.deliveries(owner, id), "last"] as const,
    queryFn: async ({ signal }) => (await listWebhookDeliveries(owner, id, { limit: 1 }, signal)).items[0] ?? null,
    refetchInterval: (query) => (query.state.data && awaitingTry([query.state.data]) ? POLL_MS : false),
  });
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/**
 * A new webhook. Its secret goes only to the page's onSuccess, never into the cache. One
 * Idempotency-Key per distinct body: resubmitting after a network error cannot subscribe twice.
 */
export function useCreateWebhook(
  owner: WebhookOwner,
  callbacks: MutationCallbacks<Versioned<WebhookWithSecret>, WebhookCreate> = {},
) {
  const queryClient = useQueryClient();
  const lastAttempt = useRef<{ body: string; key: string } | null>(null);
  return useMutation({
    mutationFn: (body: WebhookCreate) => {
      const serialized = JSON.stringify(body);
      if (lastAttempt.current?.body !== serialized) {
        lastAttempt.current = { body: serialized, key: newIdempotencyKey() };
      }
      return createWebhook(owner, body, lastAttempt.current.key);
    },
    ...aroundSuccess(callbacks, {
      after: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list(owner) }),
    }),
  });
}

/** An edit sent with `If-Match: etag` (a 412 reaches the page's onError). */
export function useUpdateWebhook<TAttempt extends { changes: WebhookUpdate; etag: string | null }>(
  owner: WebhookOwner,
  id: string,
  callbacks: MutationCallbacks<Versioned<Webhook>, TAttempt> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, etag }: TAttempt) => updateWebhook(owner, id, changes, etag),
    ...aroundSuccess(callbacks, {
      before: async (updated) => {
        queryClient.setQueryData(webhookKeys.detail(owner, id), updated);
        await queryClient.invalidateQueries({ queryKey: webhookKeys.list(owner) });
      },
    }),
  });
}

export function useDeleteWebhook(owner: WebhookOwner, id: string, callbacks: MutationCallbacks<void, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteWebhook(owner, id),
    ...aroundSuccess(callbacks, {
      after: async () => {
        queryClient.removeQueries({ queryKey: webhookKeys.detail(owner, id) });
        queryClient.removeQueries({ queryKey: webhookKeys.deliveries(owner, id) });
        await queryClient.invalidateQueries({ queryKey: webhookKeys.list(owner) });
      },
    }),
  });
}

/** A new secret: it goes only to the page's onSuccess, never into the cache. */
export function useRotateWebhookSecret(
  owner: WebhookOwner,
  id: string,
  callbacks: MutationCallbacks<WebhookWithSecret, void> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => rotateWebhookSecret(owner, id),
    ...aroundSuccess(callbacks, {
      after: async () => {
        await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(owner, id) });
        await queryClient.invalidateQueries({ queryKey: webhookKeys.list(owner) });
      },
    }),
  });
}

/** Queues a `webhook.ping`; the deliveries reload (and poll until it was tried). */
export function usePingWebhook(owner: WebhookOwner, id: string, callbacks: MutationCallbacks<WebhookDelivery, void> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => pingWebhook(owner, id),
    ...aroundSuccess(callbacks, {
      after: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(owner, id) }),
    }),
  });
}

export function useRedeliverWebhookDelivery(
  owner: WebhookOwner,
  id: string,
  callbacks: MutationCallbacks<WebhookDelivery, string> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => redeliverWebhookDelivery(owner, id, deliveryId),
    ...aroundSuccess(callbacks, {
      after: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(owner, id) }),
    }),
  });
}
