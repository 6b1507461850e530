import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import type { AuditEntry, Page } from "../../api/types";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { auditActionLabel } from "./labels";
import { ReportsQueue } from "./ReportsQueue";

const SYSTEM_ACTIONS = new Set(["term_ended", "term_renewed"]);

function sentence(entry: AuditEntry): string {
  const label = auditActionLabel(entry.action);
  if (SYSTEM_ACTIONS.has(entry.action)) return label;
  return `${entry.actor?.display_name ?? "Someone"} ${label}`;
}

/** The transparent moderation and leadership log, newest first. The query lives on the page,
 *  which hides this tab when the API answers 403. */
export function ModerationPanel({
  log,
  reportsFor = null,
}: {
  log: UseInfiniteQueryResult<InfiniteData<Page<AuditEntry>>>;
  /** The community's slug when the viewer moderates it: shows the open reports above the log. */
  reportsFor?: string | null;
}) {
  return (
    <div className="stack stack--lg">
      {reportsFor !== null && <ReportsQueue slug={reportsFor} />}
      <AuditLog log={log} />
    </div>
  );
}

function AuditLog({ log }: { log: UseInfiniteQueryResult<InfiniteData<Page<AuditEntry>>> }) {
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

  if (log.isPending) return <LoadingState label="Loading the moderation log…" />;
  if (log.isError) {
    return <ErrorState error={log.error} title="The moderation log didn’t load" onRetry={() => void log.refetch()} />;
  }

  return (
    <section className="stack" aria-labelledby="audit-title">
      <div className="panel__header">
        <h3 id="audit-title">Moderation log</h3>
        <p className="panel__lead">
          Every role change, removal and decision, so leadership stays accountable. People who report content are never
          named.
        </p>
      </div>
      {items.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <>
          <ol className="audit-list">
            {items.map((entry) => (
              <li key={entry.id} className="audit-list__item">
                <p className="audit-list__what">
                  {sentence(entry)}
                  {entry.subject && entry.subject.id !== entry.actor?.id && (
                    <>
                      {" "}
                      <span className="audit-list__subject">
                        — {entry.subject.display_name} (@{entry.subject.handle})
                      </span>
                    </>
                  )}
                </p>
                {entry.note && <p className="audit-list__note">{entry.note}</p>}
                <p className="audit-list__time">
                  <time dateTime={entry.created_at}>{formatDateTime(entry.created_at)}</time>
                </p>
              </li>
            ))}
          </ol>
          {log.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {log.isFetchingNextPage ? "Loading…" : "Show older entries"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
