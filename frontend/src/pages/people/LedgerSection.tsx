import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { exportMyLedger } from "../../api/client";
import { describeError } from "../../api/errors";
import type { LeadershipAct } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { BarChart } from "../../components/charts/BarChart";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDate, pluralize } from "../../lib/format";
import { ledgerQueryOptions, ledgerSummaryQueryOptions } from "../../queries/insights";
import { ACT_LABELS, evidencePage } from "./ledger";

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The person's leadership ledger: acts per quarter as a bar chart, then a compact timeline. */
export function LedgerSection({ handle, isMe }: { handle: string; isMe: boolean }) {
  const summary = useQuery(ledgerSummaryQueryOptions(handle));
  const acts = useInfiniteQuery(ledgerQueryOptions(handle));
  const [exportError, setExportError] = useState<string | null>(null);

  const exportCsv = async () => {
    setExportError(null);
    try {
      download(await exportMyLedger("csv"), "leadership-ledger.csv");
    } catch (error) {
      setExportError(describeError(error));
    }
  };

  return (
    <section aria-labelledby="ledger-title" className="stack stack--sm ledger">
      <div className="panel__header ledger__header">
        <h2 id="ledger-title" className="section-title">
          Leadership ledger
        </h2>
        {isMe && (
          <Button variant="secondary" size="sm" onClick={() => void exportCsv()}>
            Export CSV
          </Button>
        )}
      </div>
      {exportError && <Alert tone="error">{exportError}</Alert>}
      {summary.isPending ? (
        <LoadingState label="Loading the ledger…" />
      ) : summary.isError ? (
        <ErrorState error={summary.error} title="The ledger didn’t load" onRetry={() => void summary.refetch()} />
      ) : summary.data.quarters.length === 0 ? (
        <EmptyState title="No leadership acts yet">
          Answers that get accepted, best practices, mentoring, moderation and stewarding show up here.
        </EmptyState>
      ) : (
        <BarChart
          title="Leadership acts per quarter"
          summary={quarterSummary(summary.data.quarters)}
          valueLabel="Acts"
          data={summary.data.quarters.map((q) => ({ label: q.quarter, value: q.total }))}
        />
      )}
      {acts.isPending ? null : acts.isError ? (
        <ErrorState error={acts.error} title="The timeline didn’t load" onRetry={() => void acts.refetch()} />
      ) : (
        <>
          <ol className="ledger__timeline" aria-label="Leadership acts, newest first">
            {acts.data.pages.flatMap((page) => page.items).map((act) => (
              <LedgerItem key={act.id} act={act} />
            ))}
          </ol>
          {acts.hasNextPage && (
            <Button variant="ghost" size="sm" onClick={() => void acts.fetchNextPage()} disabled={acts.isFetchingNextPage}>
              {acts.isFetchingNextPage ? "Loading…" : "Show earlier acts"}
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function quarterSummary(quarters: { quarter: string; total: number }[]): string {
  const latest = quarters.at(-1);
  const total = quarters.reduce((sum, q) => sum + q.total, 0);
  const last = latest ? ` Latest, ${latest.quarter}: ${latest.total.toLocaleString()}.` : "";
  return `${pluralize(total, "act")} over ${pluralize(quarters.length, "quarter")}.${last}`;
}

function LedgerItem({ act }: { act: LeadershipAct }) {
  const evidence = evidencePage(act.evidence_url);
  return (
    <li className="ledger__item">
      <time dateTime={act.occurred_at} className="ledger__date">
        {formatDate(act.occurred_at)}
      </time>
      <span className="ledger__what">
        <Link to={evidence}>{ACT_LABELS[act.kind]}</Link>
        {act.community && (
          <>
            {" in "}
            <Link to={`/communities/${act.community.slug}`}>{act.community.name}</Link>
          </>
        )}
      </span>
    </li>
  );
}
