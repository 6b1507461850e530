import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { Report } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { TextAreaField } from "../../components/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDateTime, pluralize } from "../../lib/format";
import { reportReasonLabel } from "../../lib/postLabels";
import { openReportsQueryOptions, useResolveReport } from "../../queries/posts";
import { ConfirmDialog } from "../../components/ConfirmDialog";

const NOTE_MAX = 1000;

/** Open reports for moderators: each one is dismissed or its content removed, with a note for the log. */
export function ReportsQueue({ slug }: { slug: string }) {
  const reports = useInfiniteQuery(openReportsQueryOptions(slug));
  const items = reports.data?.pages.flatMap((page) => page.items) ?? [];
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="stack" aria-labelledby="reports-title">
      <div className="panel__header">
        <h3 id="reports-title">Reports to review</h3>
        <p className="panel__lead">
          Members flag posts and comments here. Dismiss a report when the content is fine, or remove the content. Either
          way the moderation log records your decision and note, never who reported it.
        </p>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {reports.isPending ? (
        <LoadingState label="Loading reports…" />
      ) : reports.isError && items.length === 0 ? (
        <ErrorState error={reports.error} title="Reports didn’t load" onRetry={() => void reports.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No open reports">Nothing is waiting for a moderator.</EmptyState>
      ) : (
        <>
          <p className="muted-note">{pluralize(items.length, "open report")}{reports.hasNextPage ? " or more" : ""}</p>
          <ol className="report-list">
            {items.map((report) => (
              <ReportItem key={report.id} slug={slug} report={report} onResolved={setNotice} />
            ))}
          </ol>
          {reports.isFetchNextPageError && <Alert tone="error">More reports didn’t load. Try again.</Alert>}
          {reports.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={reports.isFetchingNextPage} onClick={() => void reports.fetchNextPage()}>
                {reports.isFetchingNextPage ? "Loading…" : "Show more reports"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ReportItem({ slug, report, onResolved }: { slug: string; report: Report; onResolved: (notice: string) => void }) {
  const [note, setNote] = useState("");
  const [confirmRemove, setConfirmRemove] = useState(false);
  const id = useId();
  const what = report.target_type === "post" ? "post" : "comment";

  const resolve = useResolveReport(slug, report.id, {
    onSuccess: (_resolved, { action }) => {
      setConfirmRemove(false);
      onResolved(
        action === "dismiss"
          ? `Report dismissed: the ${what} stays.`
          : `The reported ${what} is removed.`,
      );
    },
  });

  return (
    <li className="report-list__item">
      <article aria-labelledby={`${id}-title`}>
        <p className="report-list__meta">
          <span className="badge badge--warning">{reportReasonLabel(report.reason)}</span>{" "}
          <span id={`${id}-title`}>
            Reported {what}, <time dateTime={report.created_at}>{formatDateTime(report.created_at)}</time>
          </span>
        </p>
        <blockquote className="report-list__excerpt">
          {report.target_type === "post" ? (
            <Link to={`/posts/${report.target_id}`}>{report.excerpt}</Link>
          ) : (
            <p>{report.excerpt}</p>
          )}
        </blockquote>
        {report.detail && (
          <p className="report-list__detail">
            <span className="visually-hidden">The reporter added: </span>“{report.detail}”
          </p>
        )}
        <div className="report-list__decide">
          <TextAreaField
            id={`${id}-note`}
            label="Note for the moderation log"
            optional
            rows={2}
            maxLength={NOTE_MAX}
            value={note}
            onChange={(event) => {
              setNote(event.target.value);
            }}
          />
          <div className="form__actions">
            <Button
              variant="secondary"
              size="sm"
              loading={resolve.isPending && resolve.variables.action === "dismiss"}
              disabled={resolve.isPending && resolve.variables.action !== "dismiss"}
              aria-describedby={`${id}-title`}
              onClick={() => {
                resolve.mutate({ action: "dismiss", note: note.trim() || null });
              }}
            >
              Dismiss
            </Button>
            <ConfirmDialog
              open={confirmRemove}
              onOpenChange={(open) => {
                setConfirmRemove(open);
                if (!open && resolve.variables?.action === "remove_content") resolve.reset();
              }}
              trigger={
                <Button variant="danger" size="sm" disabled={resolve.isPending} aria-describedby={`${id}-title`}>
                  Remove {what}
                </Button>
              }
              title={`Remove this ${what}?`}
              description={`It disappears for everyone. The moderation log records the removal${note.trim() ? " with your note" : ""}.`}
              confirmLabel={`Remove ${what}`}
              pendingLabel="Removing…"
              pending={resolve.isPending}
              error={resolve.isError && resolve.variables.action === "remove_content" && describeError(resolve.error)}
              onConfirm={() => {
                resolve.mutate({ action: "remove_content", note: note.trim() || null });
              }}
            />
          </div>
          {resolve.isError && resolve.variables.action === "dismiss" && <Alert tone="error">{describeError(resolve.error)}</Alert>}
        </div>
      </article>
    </li>
  );
}
