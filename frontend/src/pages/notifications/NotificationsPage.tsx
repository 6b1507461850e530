import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { describeError } from "../../api/errors";
import type { InboxItem } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Avatar } from "../../components/Avatar";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { cx } from "../../lib/cx";
import { formatDateTime } from "../../lib/format";
import { usePageTitle } from "../../lib/usePageTitle";
import { inboxQueryOptions, useMarkAllNotificationsRead, useMarkNotificationRead } from "../../queries/notifications";
import { describe, REASON_LABELS } from "./labels";

const FILTERS = [
  { value: "all", label: "All" },
  { value: "unread", label: "Unread" },
] as const;

export function NotificationsPage() {
  usePageTitle("Notifications");
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("filter") === "unread";
  const inbox = useInfiniteQuery(inboxQueryOptions(unreadOnly));
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const [notice, setNotice] = useState<string | null>(null);
  const newest = items[0];
  const anyUnread = items.some((item) => item.read_at === null);

  const markAll = useMarkAllNotificationsRead({
    onSuccess: () => {
      setNotice("Everything shown is marked as read.");
    },
  });
  const markOne = useMarkNotificationRead();

  function choose(filter: "all" | "unread") {
    setNotice(null);
    markAll.reset();
    setParams(filter === "unread" ? { filter } : {}, { replace: true });
  }

  return (
    <div className="page page--narrow inbox">
      <header className="page__header inbox__header">
        <div>
          <h1>Notifications</h1>
          <p className="page__lead">What happened around your posts, communities and mentorships.</p>
        </div>
        <Link className="btn btn--ghost btn--sm" to="/settings/notifications">
          Notification settings
        </Link>
      </header>

      <div className="inbox__toolbar">
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((filter) => (
            <button
              key={filter.value}
              type="button"
              className="segmented__option"
              aria-pressed={(filter.value === "unread") === unreadOnly}
              onClick={() => {
                choose(filter.value);
              }}
            >
              {filter.label}
            </button>
          ))}
        </div>
        {newest && anyUnread && (
          <Button
            variant="secondary"
            size="sm"
            loading={markAll.isPending}
            onClick={() => {
              setNotice(null);
              markAll.mutate(newest.id);
            }}
          >
            Mark all as read
          </Button>
        )}
      </div>

      {notice && <Alert tone="success">{notice}</Alert>}
      {markAll.isError && <Alert tone="error">{describeError(markAll.error)}</Alert>}
      {markOne.isError && <Alert tone="error">{describeError(markOne.error)}</Alert>}

      {inbox.isPending ? (
        <LoadingState label="Loading your notifications…" />
      ) : inbox.isError && items.length === 0 ? (
        <ErrorState error={inbox.error} title="Your notifications didn’t load" onRetry={() => void inbox.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={unreadOnly ? "You’re all caught up" : "No notifications yet"}>
          {unreadOnly
            ? "Nothing unread. New answers, mentions and requests show up here."
            : "When someone answers your questions, mentions you or asks you for something, it shows up here."}
        </EmptyState>
      ) : (
        <ol className="inbox__list" aria-label={unreadOnly ? "Unread notifications" : "All notifications"}>
          {items.map((item) => (
            <li key={item.id}>
              <InboxLine
                item={item}
                onOpen={() => {
                  if (item.read_at === null) markOne.mutate(item);
                }}
              />
            </li>
          ))}
        </ol>
      )}

      {inbox.isFetchNextPageError && <Alert tone="error">More notifications didn’t load. Try again.</Alert>}
      {inbox.hasNextPage && (
        <div className="load-more">
          <Button variant="secondary" loading={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>
            {inbox.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}

/** One line: the whole line is the link to where it happened; following it marks it read. */
function InboxLine({ item, onOpen }: { item: InboxItem; onOpen: () => void }) {
  const unread = item.read_at === null;
  const { who, rest, times } = describe(item);
  const face = item.actor ?? item.actors[0] ?? null;
  return (
    <Link to={item.link} className={cx("inbox-line", unread && "inbox-line--unread")} onClick={onOpen}>
      {face ? (
        <Avatar name={face.display_name} url={face.avatar_url} size="sm" />
      ) : (
        <span className="inbox-line__icon" aria-hidden="true" />
      )}
      <span className="inbox-line__body">
        <span className="inbox-line__text">
          {unread && <span className="visually-hidden">Unread:</span>} {who && <strong>{who}</strong>}
          {rest}
          {times !== null && ` (${times} times)`}
        </span>{" "}
        <span className="inbox-line__meta">
          <span>{REASON_LABELS[item.reason]}</span>
          {" · "}
          <time dateTime={item.created_at}>{formatDateTime(item.created_at)}</time>
        </span>
      </span>
      {unread && <span className="inbox-line__dot" aria-hidden="true" />}
    </Link>
  );
}
