import { useQuery } from "@tanstack/react-query";
import type { CommunityStats } from "../../api/types";
import { ErrorState, LoadingState } from "../../components/States";
import { statsQueryOptions } from "../../queries/communities";
import { formatDuration } from "../../lib/format";

interface Figure {
  key: keyof CommunityStats;
  label: string;
  value: (stats: CommunityStats) => string;
  explain: (stats: CommunityStats) => string;
}

const count = (value: number) => value.toLocaleString();

/** The health figures, each with what it means in plain words. */
const FIGURES: Figure[] = [
  {
    key: "members",
    label: "Members",
    value: (s) => count(s.members),
    explain: () => "People in the community today.",
  },
  {
    key: "active_members_30d",
    label: "Active members",
    value: (s) => count(s.active_members_30d),
    explain: () => "Members who took part in the last 30 days.",
  },
  {
    key: "posts_30d",
    label: "Posts",
    value: (s) => count(s.posts_30d),
    explain: () => "Questions, practices and resources shared in the last 30 days.",
  },
  {
    key: "questions_30d",
    label: "Questions asked",
    value: (s) => count(s.questions_30d),
    explain: () => "Questions posted in the last 30 days.",
  },
  {
    key: "answered_ratio",
    label: "Questions answered",
    value: (s) => (s.questions_30d === 0 ? "—" : `${Math.round(s.answered_ratio * 100)}%`),
    explain: (s) =>
      s.questions_30d === 0
        ? "No questions in the last 30 days, so nothing to answer yet."
        : "Share of the last 30 days’ questions that got an answer.",
  },
  {
    key: "median_first_response_minutes",
    label: "Typical wait for a first reply",
    value: (s) => (s.median_first_response_minutes === null ? "—" : formatDuration(s.median_first_response_minutes)),
    explain: (s) =>
      s.median_first_response_minutes === null
        ? "No replies in the last 30 days to measure."
        : "Half of the last 30 days’ questions got their first reply within this time.",
  },
  {
    key: "contributors_30d",
    label: "Contributors",
    value: (s) => count(s.contributors_30d),
    explain: () => "Different people who posted, answered or commented in the last 30 days.",
  },
  {
    key: "leaders_30d",
    label: "People leading",
    value: (s) => count(s.leaders_30d),
    explain: () => "Stewards and moderators, and everyone who took a leadership step in the last 30 days.",
  },
  {
    key: "nudged_answered_30d",
    label: "Nudged questions answered",
    value: (s) => (s.nudged_questions_30d === 0 ? "—" : `${count(s.nudged_answered_30d)} of ${count(s.nudged_questions_30d)}`),
    explain: (s) =>
      s.nudged_questions_30d === 0
        ? "No question waited long enough for experts to be asked in the last 30 days."
        : "Questions that waited, so experts at work in their time zone were asked to answer them.",
  },
  {
    key: "median_nudged_first_answer_minutes",
    label: "Typical answer time after a nudge",
    value: (s) => (s.median_nudged_first_answer_minutes === null ? "—" : formatDuration(s.median_nudged_first_answer_minutes)),
    explain: (s) =>
      s.median_nudged_first_answer_minutes === null
        ? "No nudged question has an answer yet."
        : "Half of the nudged questions had their first answer within this time of being asked.",
  },
];

export function StatsPanel({ slug }: { slug: string }) {
  const stats = useQuery(statsQueryOptions(slug));

  if (stats.isPending) return <LoadingState label="Loading community health…" />;
  if (stats.isError) {
    return <ErrorState error={stats.error} title="Community health didn’t load" onRetry={() => void stats.refetch()} />;
  }

  return (
    <section className="stack" aria-labelledby="stats-title">
      <div className="panel__header">
        <h3 id="stats-title">Community health</h3>
        <p className="panel__lead">How the community is living up to its purpose, over the last 30 days.</p>
      </div>
      <dl className="stat-grid">
        {FIGURES.map((figure) => (
          <div key={figure.key} className="stat">
            <dt className="stat__label">{figure.label}</dt>
            <dd className="stat__value">{figure.value(stats.data)}</dd>
            <dd className="stat__explain">{figure.explain(stats.data)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
