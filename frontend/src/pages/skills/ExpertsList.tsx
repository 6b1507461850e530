import { useInfiniteQuery } from "@tanstack/react-query";
import type { Expert, Skill } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { PersonLink } from "../../components/PersonLink";
import { SCORE_WEIGHTS, formatPoints, levelLabel, pointsLabel, scoreLines } from "../../lib/skillLevels";
import { expertsQueryOptions } from "../../queries/skills";

/**
 * The people who know a skill best, each with a score and the four parts it adds up from, in
 * plain words, so a ranking is never a black box.
 */
export function ExpertsList({ skill }: { skill: Skill }) {
  const experts = useInfiniteQuery(expertsQueryOptions(skill.slug));
  const items = experts.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="stack" aria-labelledby="experts-title">
      <div className="panel__header">
        <h2 id="experts-title" className="section-title">
          Who knows {skill.name}
        </h2>
        <p className="panel__lead">
          Ranked by a score made of four parts: the level people give themselves ({SCORE_WEIGHTS.perLevel} points a
          level), endorsements from colleagues, answers accepted on questions about {skill.name}, and “helpful”
          reactions to what they wrote about it. The order is the same for everyone and uses public content only; the numbers you’re shown also count what you can see in your private communities, so a score can be higher than the one above it.
        </p>
      </div>

      {experts.isPending ? (
        <LoadingState label="Loading experts…" />
      ) : experts.isError && items.length === 0 ? (
        <ErrorState error={experts.error} title="The ranking didn’t load" onRetry={() => void experts.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={`No one lists ${skill.name} yet`}>
          Add it to your profile and you’ll be the first colleagues can ask.
        </EmptyState>
      ) : (
        <>
          <ol className="expert-list">
            {items.map((expert, index) => (
              <ExpertItem key={expert.user.id} expert={expert} rank={index + 1} skillName={skill.name} />
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

function ExpertItem({ expert, rank, skillName }: { expert: Expert; rank: number; skillName: string }) {
  const lines = scoreLines(expert.parts, {
    level: expert.level,
    endorsementCount: expert.endorsement_count,
    skillName,
  });
  const total = lines.reduce((sum, line) => sum + Math.max(0, line.points), 0);
  const headingId = `expert-${expert.user.id}`;
  return (
    <li className="expert" aria-labelledby={headingId}>
      <div className="expert__head">
        <span className="expert__rank" aria-hidden="true">
          {rank}
        </span>
        <div className="expert__who" id={headingId}>
          <PersonLink user={expert.user}>
            <p className="person__meta">{levelLabel(expert.level)}</p>
          </PersonLink>
        </div>
        <p className="expert__score">
          <span className="expert__score-value">{formatPoints(expert.score)}</span>
          <span className="expert__score-label">{expert.score === 1 ? "point" : "points"}</span>
        </p>
      </div>
      {total > 0 && (
        <div className="score-bar" aria-hidden="true">
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
      )}
      <p className="visually-hidden">How {expert.user.display_name}’s score adds up:</p>
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
    </li>
  );
}
