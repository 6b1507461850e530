/**
 * The caller's inbox: its lines, the unread count, channel preferences, and the live stream that
 * keeps the first two current without polling.
 */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import { useEffect, useState } from "react";
import {
  createStreamTicket,
  getNotificationPreferences,
  confirmUnsubscribe,
  describeUnsubscribe,
  getNotificationSettings,
  getUnreadCount,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationStreamUrl,
  setNotificationPreferences,
  setNotificationSettings,
} from "../api/client";
import { ApiError } from "../api/errors";
import type {
  InboxItem,
  NotificationPreferences,
  NotificationPreferencesUpdate,
  NotificationSettings,
  NotificationSettingsUpdate,
  Page,
  UnreadCount,
} from "../api/types";
import { aroundSuccess, type MutationCallbacks } from "./mutations";

export const notificationKeys = {
  all: ["me", "notifications"] as const,
  lists: () => ["me", "notifications", "list"] as const,
  list: (unread: boolean) => ["me", "notifications", "list", { unread }] as const,
  unreadCount: () => ["me", "notifications", "unread-count"] as const,
  preferences: () => ["me", "notification-preferences"] as const,
  settings: () => ["me", "notification-settings"] as const,
};

/** Without the stream, the unread count is asked for this often (and on window focus). */
export const UNREAD_POLL_MS = 60_000;
const PAGE_SIZE = 20;

export function inboxQueryOptions(unread: boolean) {
  return infiniteQueryOptions({
    queryKey: notificationKeys.list(unread),
    queryFn: ({ pageParam, signal }) => listNotifications({ unread, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}

/**
 * The unread count. While the live stream is open it pushes every change, so nothing is
 * refetched; without it, the count is refetched on window focus and every minute.
 */
export function unreadCountQueryOptions(live: boolean) {
  return queryOptions({
    queryKey: notificationKeys.unreadCount(),
    queryFn: ({ signal }) => getUnreadCount(signal),
    staleTime: live ? Infinity : 0,
    refetchOnWindowFocus: !live,
    refetchInterval: live ? false : UNREAD_POLL_MS,
  });
}

/** The e-mail digest and the two e-mail switches (the same settings as the per-kind e-mail). */
export function notificationSettingsQueryOptions() {
  return queryOptions({
    queryKey: notificationKeys.settings(),
    queryFn: ({ signal }) => getNotificationSettings(signal),
  });
}

export function preferencesQueryOptions() {
  return queryOptions({
    queryKey: notificationKeys.preferences(),
    queryFn: ({ signal }) => getNotificationPreferences(signal),
  });
}

// --- the cache, changed from outside (the stream) or after a change ------------------------------

type InboxData = InfiniteData<Page<InboxItem>, string | null>;

function updateLists(queryClient: QueryClient, update: (data: InboxData, unreadOnly: boolean) => InboxData) {
  for (const [key, data] of queryClient.getQueriesData<InboxData>({ queryKey: notificationKeys.lists() })) {
    if (!data) continue;
    const filter = key[3] as { unread?: boolean } | undefined;
    queryClient.setQueryData<InboxData>(key, update(data, filter?.unread === true));
  }
}

function sameLine(a: InboxItem, b: InboxItem): boolean {
  return a.kind === b.kind && a.subject.type === b.subject.type && a.subject.id === b.subject.id;
}

/**
 * A line the stream delivered goes to the top of every loaded inbox list. An event that joins
 * an unread line gives that line a new id, so the line it replaces (same kind and subject, still
 * unread) leaves its old place.
 */
export function receiveNotification(queryClient: QueryClient, item: InboxItem): void {
  updateLists(queryClient, (data, unreadOnly) => {
    if (unreadOnly && item.read_at !== null) return data;
    const replaced = (line: InboxItem) => line.id === item.id || (line.read_at === null && sameLine(line, item));
    const pages = data.pages.map((page, index) => {
      const items = page.items.filter((line) => !replaced(line));
      return { ...page, items: index === 0 ? [item, ...items] : items };
    });
    return { ...data, pages };
  });
}

export function receiveUnreadCount(queryClient: QueryClient, unread: number): void {
  queryClient.setQueryData<number>(notificationKeys.unreadCount(), unread);
}

/** Lines marked read: `read_at` set everywhere they are shown; the unread list keeps them until refetched. */
function markReadInLists(queryClient: QueryClient, isRead: (line: InboxItem) => boolean) {
  const now = new Date().toISOString();
  updateLists(queryClient, (data) => ({
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((line) => (line.read_at === null && isRead(line) ? { ...line, read_at: now } : line)),
    })),
  }));
}

// --- the live stream ------------------------------------------------------------------------------

/** First retry after this long, doubling up to the maximum (with jitter). */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** A server without the stream (404) is asked again this much later; polling covers meanwhile. */
const NO_STREAM_RETRY_MS = 5 * 60_000;

/** An event's JSON data (the stream's schema is the API's), or null when it is not JSON. */
function parse(event: Event): unknown {
  try {
    return JSON.parse((event as MessageEvent<string>).data);
  } catch {
    return null;
  }
}

/**
 * Holds the tab's one live inbox stream while mounted (the signed-in shell mounts it once) and
 * writes what it says into the cache: `notification` events into the inbox lists,
 * `unread_count` into the count. A ticket is single-use, so on any error the stream is closed
 * and reopened with a fresh ticket, backing off; after a reconnect the lists are refetched for
 * what was missed. Returns whether the stream is open, so the count knows to poll when not.
 */
export function useNotificationStream(): boolean {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let openedBefore = false;

    function retry(delay?: number) {
      const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures);
      failures += 1;
      timer = setTimeout(() => void connect(), delay ?? backoff / 2 + Math.random() * (backoff / 2));
    }

    async function connect() {
      let ticket: string;
      try {
        ({ ticket } = await createStreamTicket());
      } catch (error) {
        if (stopped) return;
        // 401 ends the session (and this shell); 404/405: this server has no stream yet.
        const missing = error instanceof ApiError && (error.status === 404 || error.status === 405);
        retry(missing ? NO_STREAM_RETRY_MS : undefined);
        return;
      }
      if (stopped) return;
      const opened = new EventSource(notificationStreamUrl(ticket));
      source = opened;
      opened.onopen = () => {
        failures = 0;
        setLive(true);
        if (openedBefore) void queryClient.invalidateQueries({ queryKey: notificationKeys.lists() });
        openedBefore = true;
      };
      opened.addEventListener("notification", (event) => {
        const item = parse(event) as InboxItem | null;
        if (item?.id) receiveNotification(queryClient, item);
      });
      opened.addEventListener("unread_count", (event) => {
        const count = parse(event) as UnreadCount | null;
        if (typeof count?.unread === "number") receiveUnreadCount(queryClient, count.unread);
      });
      opened.onerror = () => {
        opened.close();
        if (source !== opened || stopped) return;
        source = null;
        setLive(false);
        retry();
      };
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
      source = null;
    };
  }, [queryClient]);

  return live;
}

// --- mutations: each owns its request and the cache entries it changes ---------------------------

/** One line read (idempotent); the count drops at once and is then asked again. */
export function useMarkNotificationRead(callbacks: MutationCallbacks<void, InboxItem> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (item: InboxItem) => markNotificationRead(item.id),
    ...aroundSuccess(callbacks, {
      before: (_nothing, item) => {
        if (item.read_at !== null) return;
        markReadInLists(queryClient, (line) => line.id === item.id);
        queryClient.setQueryData<number>(notificationKeys.unreadCount(), (count) =>
          count === undefined ? count : Math.max(0, count - 1),
        );
      },
      after: () => queryClient.invalidateQueries({ queryKey: notificationKeys.unreadCount() }),
    }),
  });
}

/**
 * Everything up to `upTo` (the newest line shown) read; lines that arrived since stay unread.
 * Ids are time-ordered, so "older" is "sorts before".
 */
export function useMarkAllNotificationsRead(callbacks: MutationCallbacks<void, string> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (upTo: string) => markAllNotificationsRead(upTo),
    ...aroundSuccess(callbacks, {
      before: (_nothing, upTo) => {
        markReadInLists(queryClient, (line) => line.id <= upTo);
      },
      after: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
    }),
  });
}

/** Saves some kinds' channels; the server answers every kind, which becomes the cached value. */
export function useSaveNotificationPreferences(
  callbacks: MutationCallbacks<NotificationPreferences, NotificationPreferencesUpdate> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setNotificationPreferences,
    ...aroundSuccess(callbacks, {
      before: (saved) => {
        queryClient.setQueryData(notificationKeys.preferences(), saved);
        void queryClient.invalidateQueries({ queryKey: notificationKeys.settings() });
      },
    }),
  });
}

/** Saves the digest (and the switches); the per-kind e-mail choices are read again. */
export function useSaveNotificationSettings(
  callbacks: MutationCallbacks<NotificationSettings, NotificationSettingsUpdate> = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setNotificationSettings,
    ...aroundSuccess(callbacks, {
      before: (saved) => {
        queryClient.setQueryData(notificationKeys.settings(), saved);
        void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences() });
      },
    }),
  });
}

/** What a mail's unsubscribe link names (changes nothing; no sign-in). */
export function unsubscribeQueryOptions(token: string) {
  return queryOptions({
    queryKey: ["unsubscribe", token] as const,
    queryFn: ({ signal }) => describeUnsubscribe(token, signal),
    enabled: token !== "",
    retry: false,
  });
}

/** The one-click unsubscribe of the link's token; whoever is signed in, their settings are read again. */
export function useUnsubscribe(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => confirmUnsubscribe(token),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.settings() });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences() });
    },
  });
}
