import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { WebhookOwner } from "../../api/client";
import type { WebhookDelivery } from "../../api/types";
import { describeError } from "../../api/errors";
import { formatDateTime } from "../../lib/format";
import { pluralize } from "../../lib/format";
import { useRedeliverWebhookDelivery, webhookDeliveriesQueryOptions } from "../../queries/webhooks";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { EmptyState, ErrorState, LoadingState } from "../States";
import { answerOf, eventLabel } from "./events";

const STATUS_LABELS: Record<WebhookDelivery["status"], string> = {
  pending: "Pending",
  succeeded: "Delivered",
  failed: "Failed",
};
const STATUS_BADGES: Record<WebhookDelivery["status"], string> = {
  pending: "badge--neutral",
  succeeded: "badge--success",
  failed: "badge--danger",
};

export function DeliveryStatus({ delivery }: { delivery: WebhookDelivery }) {
  return <span className={`badge ${STATUS_BADGES[delivery.status]}`}>{STATUS_LABELS[delivery.status]}</span>;
}

interface DeliveriesPanelProps {
  owner: WebhookOwner;
  webhookId: string;
  /** Redelivery is refused (409) while the webhook is disabled. */
  enabled: boolean;
  headingId: string;
}

/** One webhook's deliveries, newest first, with their tries, a redeliver button and "Load more". */
export function DeliveriesPanel({ owner, webhookId, enabled, headingId }: DeliveriesPanelProps) {
  const deliveries = useInfiniteQuery(webhookDeliveriesQueryOptions(owner, webhookId));
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const redeliver = useRedeliverWebhookDelivery(owner, webhookId, {
    onSuccess: () => {
      setNotice({ tone: "success", text: "Sent again: its outcome shows here in a moment." });
    },
    onError: (error) => {
      setNotice({ tone: "error", text: describeError(error) });
    },
  });
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="webhook__deliveries stack stack--sm" aria-labelledby={headingId}>
      <h4 id={headingId}>Deliveries</h4>
      <div aria-live="polite">{notice && <Alert tone={notice.tone}>{notice.text}</Alert>}</div>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} title="The deliveries didn’t load" onRetry={() => void deliveries.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No deliveries yet">
          Events you subscribed to are sent as they happen. Send a ping to check your receiver now.
        </EmptyState>
      ) : (
        <>
          <ul className="delivery-list">
            {items.map((delivery) => (
              <li key={delivery.id} className="delivery-list__item">
                <div className="delivery-list__main">
                  <p className="delivery-list__title">
                    <span className="delivery-list__event">{eventLabel(delivery.event_type)}</span>{" "}
                    <DeliveryStatus delivery={delivery} />
                  </p>
                  <p className="delivery-list__meta">
                    <span>{answerOf(delivery)}</span> ·{" "}
                    <span>{pluralize(delivery.attempt_count, "attempt")}</span> ·{" "}
                    <time dateTime={delivery.created_at}>{formatDateTime(delivery.created_at)}</time>
                    {delivery.status === "pending" && delivery.next_attempt_at && (
                      <>
                        {" "}
                        · Next try <time dateTime={delivery.next_attempt_at}>{formatDateTime(delivery.next_attempt_at)}</time>
                      </>
                    )}
                  </p>
                  {delivery.attempts.length > 0 && (
                    <details className="delivery-list__tries">
                      <summary>Tries</summary>
                      <ol>
                        {delivery.attempts.map((attempt) => (
                          <li key={attempt.id}>
                            <time dateTime={attempt.attempted_at}>{formatDateTime(attempt.attempted_at)}</time>:{" "}
                            {attempt.status_code !== null ? `HTTP ${String(attempt.status_code)}` : "no answer"} in{" "}
                            {attempt.duration_ms} ms{attempt.error ? ` (${attempt.error})` : ""}
                            {attempt.response_excerpt && <pre className="delivery-list__excerpt">{attempt.response_excerpt}</pre>}
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                </div>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={!enabled}
                  title={enabled ? undefined : "Enable the webhook to send deliveries again"}
                  loading={redeliver.isPending && redeliver.variables === delivery.id}
                  onClick={() => {
                    setNotice(null);
                    redeliver.mutate(delivery.id);
                  }}
                >
                  Redeliver{" "}
                  <span className="visually-hidden">
                    {eventLabel(delivery.event_type)} of {formatDateTime(delivery.created_at)}
                  </span>
                </Button>
              </li>
            ))}
          </ul>
          {deliveries.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={deliveries.isFetchingNextPage}
              onClick={() => void deliveries.fetchNextPage()}
            >
              {deliveries.isFetchingNextPage ? "Loading…" : "Load more deliveries"}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
