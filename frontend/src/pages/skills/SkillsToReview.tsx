import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { describeError } from "../../api/errors";
import type { Skill } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { formatDate } from "../../lib/format";
import { unlistedSkillsQueryOptions, useListSkill } from "../../queries/skills";

/**
 * For administrators: skills first named by a tag in a private community. They stay out of the
 * directory, search and their own page for everyone else until a public community's post uses
 * them or an administrator lists them here.
 */
export function SkillsToReview() {
  const skills = useInfiniteQuery(unlistedSkillsQueryOptions());
  const items = skills.data?.pages.flatMap((page) => page.items) ?? [];
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="panel stack stack--sm" aria-labelledby="skills-review-title">
      <div className="panel__header">
        <h2 id="skills-review-title">Skills to review</h2>
        <p className="panel__lead">
          Named by a tag in a private community, so only administrators see them. Listing one makes its name public.
        </p>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {skills.isPending ? (
        <LoadingState label="Loading skills to review…" />
      ) : skills.isError && items.length === 0 ? (
        <ErrorState error={skills.error} title="Skills to review didn’t load" onRetry={() => void skills.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted-note">No skills are waiting for review.</p>
      ) : (
        <>
          <ul className="member-list" aria-label="Skills to review">
            {items.map((skill) => (
              <ReviewRow key={skill.id} skill={skill} onListed={setNotice} />
            ))}
          </ul>
          {skills.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              loading={skills.isFetchingNextPage}
              onClick={() => void skills.fetchNextPage()}
            >
              Show more skills to review
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function ReviewRow({ skill, onListed }: { skill: Skill; onListed: (message: string) => void }) {
  const list = useListSkill(skill.slug, {
    onSuccess: (listed) => {
      onListed(`“${listed.name}” is listed: everyone can find it now.`);
    },
  });

  return (
    <li className="member-list__item">
      <div className="person__text">
        <p className="person__name">
          <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>
        </p>
        <p className="person__meta">First used {formatDate(skill.created_at)}</p>
      </div>
      <div className="member-list__actions">
        <Button
          size="sm"
          loading={list.isPending}
          aria-disabled={list.isPending || undefined}
          aria-label={`List ${skill.name}`}
          onClick={() => {
            if (!list.isPending) list.mutate();
          }}
        >
          {list.isPending ? "Listing…" : "List"}
        </Button>
      </div>
      {list.isError && (
        <div className="member-list__error">
          <Alert tone="error">{describeError(list.error)}</Alert>
        </div>
      )}
    </li>
  );
}
