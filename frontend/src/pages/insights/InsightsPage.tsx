import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import type { RankedCommunity } from "../../api/types";
import { TrendChart } from "../../components/charts/TrendChart";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { organisationHealthQueryOptions } from "../../queries/insights";

const WEEKS = 26;
const percent = (value: number) => `${Math.round(value * 100)}%`;
const change = (value: number) => `${value > 0 ? "+" : value < 0 ? "−" : "±"}${Math.abs(Math.round(value * 100))} points`;

/** The organisation's overview: is leadership spreading? The index trend and the communities ranked. */
export function InsightsPage() {
  usePageTitle("Insights");
  const overview = useQuery(organisationHealthQueryOptions(WEEKS));

  if (overview.isPending) return <LoadingState label="Loading insights…" />;
  if (overview.isError) {
    return (
      <div className="page">
        <ErrorState error={overview.error} title="Insights didn’t load" onRetry={() => void overview.refetch()} />
      </div>
    );
  }
  const { weeks, by_index: byIndex, by_change: byChange, scope } = overview.data;
  const latest = weeks.at(-1);

  return (
    <div className="page stack">
      <header className="page__header">
        <h1>Insights</h1>
        <p className="page__lead">
          Is leadership spreading? The leaderful index is the share of active members who took a leadership step in the last
          13 weeks: answers that were accepted, best practices, mentoring, moderating, stewarding.
          {scope === "public" && " Only public communities are counted here."}
        </p>
        <p>
          <Link to="/insights/skills">Skills gap and bus factors</Link>: where help is short, and which skills rest on one or
          two people.
        </p>
      </header>
      {latest === undefined ? (
        <EmptyState title="No weekly figures yet">The first figures appear within a few minutes.</EmptyState>
      ) : (
        <>
          <div className="chart-grid">
            <TrendChart
              title="Leaderful index, organisation"
              summary={`This week ${percent(latest.index.share)}: ${latest.index.leaders.toLocaleString()} of ${latest.index.active_members.toLocaleString()} active members led.`}
              points={weeks.map((w) => ({ at: new Date(w.week_start), value: w.index.share }))}
              valueLabel="Active members who led"
              format={percent}
              max={1}
            />
            <TrendChart
              title="Concentration of leading"
              summary={
                latest.index.concentration === null
                  ? "No leadership acts in the last 13 weeks."
                  : `The busiest tenth of leaders did ${percent(latest.index.concentration)} of the leading; lower is more distributed.`
              }
              points={weeks.map((w) => ({ at: new Date(w.week_start), value: w.index.concentration }))}
              valueLabel="Share by the busiest tenth"
              format={percent}
              max={1}
            />
          </div>
          <div className="chart-grid">
            <Ranking title="Communities by leaderful index" communities={byIndex} show="share" />
            <Ranking title="Biggest change in four weeks" communities={byChange} show="change" />
          </div>
        </>
      )}
    </div>
  );
}

function Ranking({ title, communities, show }: { title: string; communities: RankedCommunity[]; show: "share" | "change" }) {
  return (
    <section className="stack stack--sm" aria-label={title}>
      <h2 className="section-title">{title}</h2>
      {communities.length === 0 ? (
        <p className="muted">Nothing to rank yet.</p>
      ) : (
        <table className="ranking">
          <thead>
            <tr>
              <th scope="col">Community</th>
              <th scope="col">{show === "share" ? "Index" : "Change"}</th>
              <th scope="col">Leaders</th>
            </tr>
          </thead>
          <tbody>
            {communities.map((entry) => (
              <tr key={entry.community.slug}>
                <td>
                  <Link to={`/communities/${entry.community.slug}?tab=health`}>{entry.community.name}</Link>
                </td>
                <td>{show === "share" ? percent(entry.share) : change(entry.change ?? 0)}</td>
                <td>
                  {entry.leaders.toLocaleString()} of {entry.active_members.toLocaleString()}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
