import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { listSkillInsights } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { SkillInsight, SkillInsightSort } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { SelectField } from "../../components/Field";
import { PersonName } from "../../components/PersonName";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useAddressParams } from "../../lib/useAddressParams";
import { usePageTitle } from "../../lib/usePageTitle";
import { directoryQueryOptions } from "../../queries/communities";
import "./SkillGaps.css";

const ORGANISATION = "";

function skillInsightsQueryOptions(sort: SkillInsightSort, community: string | null) {
  return infiniteQueryOptions({
    queryKey: ["insights", "skills", { sort, community }] as const,
    queryFn: ({ pageParam, signal }) => listSkillInsights({ sort, community, cursor: pageParam, limit: 25 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

const points = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });

/** "35 min", "5 h", "2 days": the median wait for a first answer. */
function waitText(minutes: number | null | undefined): string {
  if (minutes == null) return "no answers yet";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / (24 * 60))} days`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const PART_LABELS: [keyof SkillInsight["parts"], string][] = [
  ["learners", "Learners"],
  ["questions", "Questions"],
  ["unanswered", "Unanswered"],
  ["wait", "Wait"],
  ["experts", "Experts"],
  ["answerers", "Answerers"],
  ["mentors", "Free mentors"],
];

/** Where a suggested pair leads: the mentorship request form, prefilled with mentor and skill. */
function pairLink(skill: string, mentor: string): string {
  return `/mentorship?${new URLSearchParams({ skill, mentor }).toString()}`;
}

/**
 * Skills gap: per skill, demand against supply (the gap, with the points of each part) and the
 * bus factor, for the organisation (administrators) or one community. At-risk skills carry
 * suggested mentorship pairs that open the request form.
 */
export function SkillGapsPage() {
  usePageTitle("Skills gap");
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const { searchParams, setParam } = useAddressParams();
  const sort: SkillInsightSort = searchParams.get("sort") === "risk" ? "risk" : "gap";
  const community = searchParams.get("community") ?? ORGANISATION;
  const communities = useInfiniteQuery(directoryQueryOptions({ q: "", mine: true, sort: "new" }));
  const mine = communities.data?.pages.flatMap((page) => page.items) ?? [];
  const chosen = community !== ORGANISATION || isAdmin;
  const insights = useInfiniteQuery({
    ...skillInsightsQueryOptions(sort, community || null),
    enabled: me.isSuccess && chosen,
  });
  const items = insights.data?.pages.flatMap((page) => page.items) ?? [];
  const refreshed = items[0]?.refreshed_at;
  const forbidden = insights.error instanceof ApiError && insights.error.status === 403;
  const missing = insights.error instanceof ApiError && insights.error.status === 404;

  return (
    <div className="page">
      <header className="page__header">
        <h1>Skills gap</h1>
        <p className="page__lead">
          Where the need for a skill outruns the people who can help, and which skills rest on one or two people. The{" "}
          <strong>gap</strong> adds points for learners, questions of the last 90 days, unanswered questions and the wait
          for a first answer, and takes points away for experts, recent answerers and mentors with a free place. The{" "}
          <strong>bus factor</strong> is the fewest people who gave half of the accepted answers in the last 12 months;
          1 or 2 is at risk. <Link to="/skills">Back to skills</Link>
        </p>
      </header>

      <form
        className="skill-gaps__filters"
        aria-label="Skills gap filters"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <SelectField
          label="Scope"
          name="community"
          value={community}
          onChange={(event) => {
            setParam("community", event.target.value || null);
          }}
        >
          {(isAdmin || community === ORGANISATION) && (
            <option value={ORGANISATION}>{isAdmin ? "Whole organisation" : "Choose a community"}</option>
          )}
          {community !== ORGANISATION && !mine.some((c) => c.slug === community) && (
            <option value={community}>{community}</option>
          )}
          {mine.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Sort by"
          name="sort"
          value={sort}
          onChange={(event) => {
            setParam("sort", event.target.value === "risk" ? "risk" : null);
          }}
        >
          <option value="gap">Largest gap</option>
          <option value="risk">Most at risk</option>
        </SelectField>
      </form>

      {me.isPending ? (
        <LoadingState />
      ) : !chosen ? (
        <EmptyState title="Pick a community to see its skills">
          The whole organisation’s figures are for administrators. Pick one of your communities above; the figures of a
          public community are open to everyone, a private community’s to its stewards.
        </EmptyState>
      ) : insights.isPending ? (
        <LoadingState label="Loading the skills gap…" />
      ) : insights.isError && items.length === 0 ? (
        forbidden ? (
          <EmptyState title="Not yours to see">
            {community
              ? "A private community’s skills gap is for its stewards."
              : "The whole organisation’s skills gap is for administrators."}
          </EmptyState>
        ) : missing ? (
          <EmptyState title="No such community">Choose another scope above.</EmptyState>
        ) : (
          <ErrorState error={insights.error} title="The skills gap didn’t load" onRetry={() => void insights.refetch()} />
        )
      ) : items.length === 0 ? (
        <EmptyState title="Nothing to show yet">
          Figures appear once people set learning goals, list skills or ask questions tagged with a skill, and are
          refreshed every few minutes.
        </EmptyState>
      ) : (
        <section className="stack" aria-busy={insights.isPlaceholderData || undefined}>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Skills gap table">
            <table className="skill-gaps">
              <caption>
                Skills {sort === "risk" ? "by risk (bus factor)" : "by gap"}
                {refreshed && <span className="skill-gaps__asof"> · as of {new Date(refreshed).toLocaleString()}</span>}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Skill</th>
                  <th scope="col">Demand</th>
                  <th scope="col">Supply</th>
                  <th scope="col">Gap</th>
                  <th scope="col">Bus factor</th>
                  <th scope="col">Suggested pairs</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <InsightRow key={item.skill.slug} item={item} />
                ))}
              </tbody>
            </table>
          </div>
          {insights.isFetchNextPageError && <Alert tone="error">More skills didn’t load. Try again.</Alert>}
          {insights.hasNextPage && (
            <div className="load-more">
              <Button
                variant="secondary"
                loading={insights.isFetchingNextPage}
                onClick={() => void insights.fetchNextPage()}
              >
                {insights.isFetchingNextPage ? "Loading…" : "More skills"}
              </Button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function InsightRow({ item }: { item: SkillInsight }) {
  const { skill, demand, supply, parts } = item;
  return (
    <tr>
      <th scope="row">
        <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>
      </th>
      <td>
        <ul className="skill-gaps__facts">
          <li>{demand.learners} learning</li>
          <li>{count(demand.questions, "question", "questions")} (90 days)</li>
          <li>
            {demand.unanswered_share == null ? "no questions" : `${percent.format(demand.unanswered_share)} unanswered`}
          </li>
          <li>first answer: {waitText(demand.median_first_answer_minutes)}</li>
        </ul>
      </td>
      <td>
        <ul className="skill-gaps__facts">
          <li>{count(supply.experts, "expert", "experts")}</li>
          <li>{supply.answerers} answered (90 days)</li>
          <li>{count(supply.mentors, "free mentor", "free mentors")}</li>
        </ul>
      </td>
      <td>
        <p className={item.gap > 0 ? "skill-gaps__gap skill-gaps__gap--short" : "skill-gaps__gap"}>
          {points.format(item.gap)}
        </p>
        <ul className="skill-gaps__parts" aria-label={`Parts of the gap for ${skill.name}`}>
          {PART_LABELS.filter(([key]) => parts[key] !== 0).map(([key, label]) => (
            <li key={key}>
              {label} {points.format(parts[key])}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <span className="skill-gaps__factor">{item.bus_factor === 0 ? "none yet" : item.bus_factor}</span>{" "}
        {item.at_risk && <span className="badge badge--danger">At risk</span>}
        <p className="skill-gaps__note">{count(item.accepted_answers, "accepted answer", "accepted answers")} (12 months)</p>
      </td>
      <td>
        {item.pairs.length > 0 ? (
          <ul className="skill-gaps__pairs">
            {item.pairs.map((pair) => (
              <li key={`${pair.expert.handle}-${pair.learner.handle}`}>
                <PersonName user={pair.learner} /> with <PersonName user={pair.expert} />:{" "}
                <Link
                  to={pairLink(skill.slug, pair.expert.handle)}
                  aria-label={`Request mentorship in ${skill.name} from ${pair.expert.display_name} for ${pair.learner.display_name}`}
                >
                  request
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <span className="skill-gaps__note">{item.at_risk ? "no pair to suggest" : "—"}</span>
        )}
      </td>
    </tr>
  );
}
