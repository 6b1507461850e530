import { useInfiniteQuery } from "@tanstack/react-query";
import type { Expert, Skill } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { Link } from "react-router";
import { Avatar } from "../../components/Avatar";
import { SCORE_WEIGHTS, formatPoints, levelLabel, pointsLabel, scoreLines } from "../../lib/skillLevels";
import { expertsQueryOptions } from "../../queries/skills";

/**
 * The people who know a skill best, each with a score and the four parts it adds up from, in
 * plain words, so a ranking is never a black box.
 */
export function ExpertsList({ skill }: { skill: Skill }) {
  const experts = useInfiniteQuery(expertsQueryOptions(skill.slug));
  const items = experts.data?.pages.flatMap((page) => page.items) ?? [];
  const top = Math.max(0, ...items.map((expert) => expert.score));

  return (
    <section className="stack" aria-labelledby="experts-title">
      <div className="panel__header">
        <h2 id="experts-title" className="section-title">
          Who knows {skill.name}
        </h2>
        <p className="panel__lead">
          Ranked by a score of four parts: the level people give themselves ({SCORE_WEIGHTS.perLevel} points a level),
          colleagues’ endorsements, accepted answers and “helpful” reactions on {skill.name}. Bars compare each score
          with the top one; novices are counted in the levels above, not listed. The order uses public content only;
          scores you see also count your private communities, so one can exceed the one above it.
        </p>
      </div>

      {experts.isPending ? (
        <LoadingState label="Loading experts…" />
      ) : experts.isError && items.length === 0 ? (
        <ErrorState error={experts.error} title="The ranking didn’t load" onRetry={() => void experts.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={`No one beyond a novice knows ${skill.name} yet`}>
          Add it to your profile and you’ll be among the first colleagues can ask.
        </EmptyState>
      ) : (
        <>
          <ol className="expert-list">
            {items.map((expert, index) => (
              <ExpertItem key={expert.user.id} expert={expert} rank={index + 1} skillName={skill.name} top={top} />
            ))}
          </ol>
          {experts.isFetchNextPageError && <Alert tone="error">More people didn’t load. Try again.</Alert>}
          {experts.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={experts.isFetchingNextPage} onClick={() => void experts.fetchNextPage()}>
                {experts.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ExpertItem({ expert, rank, skillName, top }: { expert: Expert; rank: number; skillName: string; top: number }) {
  const lines = scoreLines(expert.parts, {
    level: expert.level,
    endorsementCount: expert.endorsement_count,
    skillName,
  });
  const total = lines.reduce((sum, line) => sum + Math.max(0, line.points), 0);
  const headingId = `expert-${expert.user.id}`;
  // The bar's length is this score against the top one on the page; its parts split it.
  const width = top > 0 ? Math.max(2, Math.round((Math.max(0, expert.score) / top) * 100)) : 0;
  const name = expert.user.display_name;
  return (
    <li className="expert expert--compact" aria-labelledby={headingId}>
      <div className="expert__line">
        <span className="expert__rank" aria-hidden="true">
          {rank}
        </span>
        <Avatar name={name} url={expert.user.avatar_url} size="sm" />
        <p className="expert__who" id={headingId}>
          <Link to={`/people/${encodeURIComponent(expert.user.handle)}`}>{name}</Link>{" "}
          <span className="expert__level">{expert.proposed ? "Proposed by peers" : levelLabel(expert.level)}</span>
        </p>
        <p className="expert__score">
          <span className="expert__score-value">{formatPoints(expert.score)}</span>{" "}
          <span className="expert__score-label">{expert.score === 1 ? "point" : "points"}</span>
        </p>
      </div>
      {total > 0 && (
        <div className="score-bar score-bar--scaled" aria-hidden="true">
          <div className="score-bar__fill" style={{ width: `${width}%` }}>
            {lines.map((line) =>
              line.points > 0 ? (
                <span
                  key={line.key}
                  className={`score-bar__part score-bar__part--${line.key}`}
                  style={{ flexGrow: line.points }}
                />
              ) : null,
            )}
          </div>
        </div>
      )}
      <details className="expert__details">
        <summary>
          How the score adds up<span className="visually-hidden"> for {name}</span>
        </summary>
        <dl className="score-parts">
          {lines.map((line) => (
            <div key={line.key} className="score-parts__item">
              <dt>
                <span className={`score-parts__swatch score-bar__part--${line.key}`} aria-hidden="true" />
                {line.label}: <span className="score-parts__points">{pointsLabel(line.points)}</span>
              </dt>
              <dd>{line.explanation}</dd>
            </div>
          ))}
        </dl>
      </details>
    </li>
  );
}
