import { useQuery } from "@tanstack/react-query";
import type { HealthWeek } from "../../api/types";
import { TrendChart, type TrendPoint } from "../../components/charts/TrendChart";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { formatDuration } from "../../lib/format";
import { communityHealthQueryOptions } from "../../queries/insights";

const WEEKS = 26;
const percent = (value: number) => `${Math.round(value * 100)}%`;
const count = (value: number) => Math.round(value).toLocaleString();

interface Trend {
  title: string;
  valueLabel: string;
  value: (week: HealthWeek) => number | null;
  format: (value: number) => string;
  max?: number;
  axisFormat?: (value: number) => string;
  integer?: boolean;
  explain: string;
}

/** The community's weekly trends, each chart with its figures as a table. */
const TRENDS: Trend[] = [
  {
    title: "Leaderful index",
    valueLabel: "Active members who led",
    value: (w) => w.index.share,
    format: percent,
    max: 1,
    explain: "Share of the members active in the 13 weeks to that week who took at least one leadership step.",
  },
  {
    title: "Active members",
    valueLabel: "Active members",
    integer: true,
    value: (w) => w.active_members,
    format: count,
    explain: "Members who posted, answered, commented, reacted or led that week.",
  },
  {
    title: "Posts and questions",
    valueLabel: "Posts",
    integer: true,
    value: (w) => w.posts,
    format: count,
    explain: "Questions, practices, resources and discussions shared that week.",
  },
  {
    title: "Questions answered",
    valueLabel: "Answered share",
    value: (w) => w.answered_share,
    format: percent,
    max: 1,
    explain: "Share of the week’s questions that have an accepted answer.",
  },
  {
    title: "Typical wait for a first reply",
    valueLabel: "Median first reply",
    value: (w) => w.median_first_response_minutes,
    format: formatDuration,
    axisFormat: (v) => `${Math.round(v).toLocaleString()} min`,
    explain: "Half of the week’s questions got their first reply within this time.",
  },
  {
    title: "People leading",
    valueLabel: "Leaders",
    integer: true,
    value: (w) => w.leaders,
    format: count,
    explain: "Different people who took a leadership step that week.",
  },
];

function latestText(trend: Trend, weeks: HealthWeek[]): string {
  const latest = weeks.at(-1);
  const value = latest ? trend.value(latest) : null;
  return `${trend.explain} This week: ${value === null ? "—" : trend.format(value)}.`;
}

export function HealthPanel({ slug }: { slug: string }) {
  const health = useQuery(communityHealthQueryOptions(slug, WEEKS));

  if (health.isPending) return <LoadingState label="Loading community health…" />;
  if (health.isError) {
    return <ErrorState error={health.error} title="Community health didn’t load" onRetry={() => void health.refetch()} />;
  }
  const { weeks } = health.data;
  const latest = weeks.at(-1);

  return (
    <section className="stack" aria-labelledby="health-title">
      <div className="panel__header">
        <h3 id="health-title">Community health</h3>
        <p className="panel__lead">
          How the community is living up to its purpose, week by week over the last {WEEKS} weeks. Figures are updated every
          few minutes.
        </p>
      </div>
      {latest === undefined ? (
        <EmptyState title="No weekly figures yet">The first figures appear within a few minutes of the community starting.</EmptyState>
      ) : (
        <>
          <p className="health__headline">
            {count(latest.members)} members · {count(latest.index.leaders)} of {count(latest.index.active_members)} active
            members led in the last 13 weeks
            {latest.index.concentration !== null &&
              ` · the busiest tenth of leaders did ${percent(latest.index.concentration)} of the leading`}
          </p>
          <div className="chart-grid">
            {TRENDS.map((trend) => {
              const points: TrendPoint[] = weeks.map((w) => ({ at: new Date(w.week_start), value: trend.value(w) }));
              return (
                <TrendChart
                  key={trend.title}
                  title={trend.title}
                  summary={latestText(trend, weeks)}
                  points={points}
                  valueLabel={trend.valueLabel}
                  format={trend.format}
                  max={trend.max}
                  axisFormat={trend.axisFormat}
                  integer={trend.integer}
                />
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
