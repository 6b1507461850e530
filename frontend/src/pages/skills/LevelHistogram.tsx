import { useQuery } from "@tanstack/react-query";
import type { Skill } from "../../api/types";
import { ErrorState, LoadingState } from "../../components/States";
import { LEVELS } from "../../lib/skillLevels";
import { skillLevelsQueryOptions } from "../../queries/skills";

/**
 * How many people list the skill at each level, novice to expert. The chart is a table: each
 * row says the level and the number in words, and the bar beside it (scaled to the largest
 * level) only repeats that for the eye.
 */
export function LevelHistogram({ skill }: { skill: Skill }) {
  const levels = useQuery(skillLevelsQueryOptions(skill.slug));
  if (levels.isPending) return <LoadingState label="Loading levels…" />;
  if (levels.isError) {
    return <ErrorState error={levels.error} title="The levels didn’t load" onRetry={() => void levels.refetch()} />;
  }
  const most = Math.max(0, ...levels.data.map((row) => row.count));
  return (
    <section className="panel level-histogram" aria-labelledby="levels-title">
      <h2 id="levels-title" className="section-title">
        Levels
      </h2>
      <table className="level-histogram__table">
        <caption className="visually-hidden">People who list {skill.name}, at each level</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Level</th>
            <th scope="col">People</th>
          </tr>
        </thead>
        <tbody>
          {levels.data.map((row) => {
            const name = LEVELS.find((entry) => entry.value === row.level)?.name ?? `Level ${row.level}`;
            const width = most > 0 ? Math.round((row.count / most) * 100) : 0;
            return (
              <tr key={row.level}>
                <th scope="row" className="level-histogram__level">
                  {row.level} · {name}
                </th>
                <td className="level-histogram__count">
                  <span className="level-histogram__bar" aria-hidden="true">
                    <span className="level-histogram__fill" style={{ width: `${width}%` }} />
                  </span>
                  <span className="level-histogram__number">
                    {row.count.toLocaleString()} <span className="visually-hidden">{row.count === 1 ? "person" : "people"}</span>
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
