import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../api/errors";
import type { LearningGoal, MentorRecommendation, SkillRef } from "../../api/types";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Spinner } from "../../components/Spinner";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { PersonLink } from "../../components/PersonLink";
import { goalIndexQueryOptions, skillQueryOptions } from "../../queries/skills";
import { profileQueryOptions } from "../../queries/people";
import { SkillPicker } from "../../components/SkillPicker";
import { mentorsQueryOptions, peopleSearchQueryOptions } from "../../queries/mentorship";
import { RequestForm } from "../../components/mentorship/RequestForm";
import { useFocusReturn } from "../../lib/useFocusReturn";
import { levelName } from "../../lib/skillLevels";
import { NewGoalForm } from "../../components/skills/GoalForm";

/** A learning goal in words, the default of what a mentorship request asks for. */
function goalSentence(goal: LearningGoal): string {
  const sentence = `Reach ${levelName(goal.target_level).toLowerCase()} in ${goal.skill.name}.`;
  return goal.note ? `${sentence} ${goal.note}`.slice(0, 500) : sentence;
}

/**
 * Recommendations for the caller, best first, each with its reasons in plain words: for one
 * skill (`?skill=` in the address), or else for the caller's active learning goals. With
 * `?mentor=<handle>&skill=<slug>` (a suggested pair on the skills gap page), the request form
 * for that mentor and skill opens first, prefilled.
 */
export function FindMentor() {
  const [searchParams, setSearchParams] = useSearchParams();
  const skillSlug = searchParams.get("skill");
  const mentorHandle = searchParams.get("mentor");
  const skill = useQuery({ ...skillQueryOptions(skillSlug ?? ""), enabled: Boolean(skillSlug) });
  const mentors = useInfiniteQuery(mentorsQueryOptions(skillSlug));
  const items = mentors.data?.pages.flatMap((page) => page.items) ?? [];
  const [choosing, setChoosing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [goalNotice, setGoalNotice] = useState<string | null>(null);
  const id = useId();
  const skillName = skill.data?.name ?? skillSlug;
  const unknownSkill = mentors.error instanceof ApiError && mentors.error.status === 404;
  // An empty page without ?skill= means either "no active goals" or "no one free for them".
  // Also what a request is prefilled with: "Reach Competent in Python".
  const goals = useQuery(goalIndexQueryOptions());
  const hasActiveGoal = [...(goals.data?.values() ?? [])].some((goal) => goal.status === "active");

  function setSkill(slug: string | null) {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (slug) next.set("skill", slug);
        else next.delete("skill");
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }

  const chosen: SkillRef | null = skill.data
    ? { slug: skill.data.slug, name: skill.data.name, category: skill.data.category }
    : null;

  function dropMentor() {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete("mentor");
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }

  return (
    <div className="stack stack--lg">
      {mentorHandle && chosen && (
        <PrefilledRequest
          handle={mentorHandle}
          skill={chosen}
          goal={goals.data?.get(chosen.slug)}
          onSent={(text) => {
            dropMentor();
            setNotice(text);
          }}
          onCancel={dropMentor}
        />
      )}
      <section className="stack" aria-labelledby={`${id}-title`}>
        <div className="panel__header">
          <h2 id={`${id}-title`} className="section-title">
            Suggested mentors
          </h2>
          <p className="panel__lead">
            {skillSlug ? (
              <>
                For <strong>{skillName}</strong>.{" "}
              </>
            ) : (
              <>
                For your active <Link to="/me/skills#goals">learning goals</Link>.{" "}
              </>
            )}
            Only people who are taking mentees and have a place free are shown.
          </p>
        </div>
        <div className="button-row button-row--start">
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={choosing}
            onClick={() => {
              setChoosing((open) => !open);
            }}
          >
            {skillSlug ? "Choose another skill" : "Choose a skill"}
          </Button>
          {skillSlug && (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setSkill(null);
              }}
            >
              Use my learning goals
            </Button>
          )}
        </div>
        {choosing && (
          <div className="form form--boxed">
            <SkillPicker
              label="Skill you want to learn"
              name={`${id}-skill`}
              value={chosen}
              onChange={(picked) => {
                setSkill(picked.slug);
                setChoosing(false);
              }}
            />
          </div>
        )}
        {goalNotice && items.length > 0 && <Alert tone="success">{goalNotice}</Alert>}
        {notice && (
          <Alert tone="success">
            {notice} <Link to="/mentorship?tab=mine">See your requests</Link>
          </Alert>
        )}

        {mentors.isPending ? (
          <LoadingState label="Finding mentors…" />
        ) : mentors.isError && items.length === 0 ? (
          unknownSkill ? (
            <EmptyState title="That skill isn’t on Leaderful">Choose another skill above.</EmptyState>
          ) : (
            <ErrorState error={mentors.error} title="Suggestions didn’t load" onRetry={() => void mentors.refetch()} />
          )
        ) : items.length === 0 ? (
          skillSlug ? (
            <EmptyState title={`No mentors free for ${skillName ?? "this skill"} right now`}>
              Everyone who knows it well is full or not taking mentees, or you’ve asked them already. Try again later, or
              ask a question in a community.
            </EmptyState>
          ) : hasActiveGoal ? (
            <EmptyState title="No mentors free for your goals right now">
              Everyone who knows those skills well is full or not taking mentees, or you’ve asked them already. Choose
              another skill above, or try again later.
            </EmptyState>
          ) : (
            <div className="stack">
              <EmptyState title="No suggestions yet">
                Suggestions come from your active learning goals. Set one here, or choose a skill above.
              </EmptyState>
              <NewGoalForm
                defaultTargetLevel={3}
                onSaved={(goal) => {
                  setNotice(null);
                  setGoalNotice(`Goal set: ${goal.skill.name}. Here are the people who can help.`);
                }}
              />
            </div>
          )
        ) : (
          <>
            {mentors.isPlaceholderData && (
              <p className="muted-note">
                <Spinner size="sm" /> Updating suggestions…
              </p>
            )}
            <ul className="member-list" aria-busy={mentors.isPlaceholderData || undefined}>
              {items.map((recommendation) => (
                <Recommendation
                  key={`${recommendation.user.id}-${recommendation.skill.slug}`}
                  recommendation={recommendation}
                  goal={goals.data?.get(recommendation.skill.slug)}
                  onSent={setNotice}
                />
              ))}
            </ul>
            {mentors.isFetchNextPageError && <Alert tone="error">More suggestions didn’t load. Try again.</Alert>}
            {mentors.hasNextPage && (
              <div className="load-more">
                <Button variant="secondary" loading={mentors.isFetchingNextPage} onClick={() => void mentors.fetchNextPage()}>
                  {mentors.isFetchingNextPage ? "Loading…" : "More suggestions"}
                </Button>
              </div>
            )}
          </>
        )}
      </section>

      <PeopleSearch />
    </div>
  );
}

function Recommendation({
  recommendation,
  goal,
  onSent,
}: {
  recommendation: MentorRecommendation;
  goal?: LearningGoal;
  onSent: (text: string) => void;
}) {
  const [requesting, setRequesting] = useState(false);
  const { user, skill, reasons } = recommendation;
  const rowRef = useFocusReturn<HTMLLIElement>(requesting);
  return (
    <li ref={rowRef} className="member-list__item">
      <PersonLink user={user}>
        <p className="person__meta">
          Can mentor you in <Link to={`/skills/${skill.slug}`}>{skill.name}</Link>
        </p>
        {reasons.length > 0 && (
          <ul className="reason-list" aria-label={`Why ${user.display_name}`}>
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
      </PersonLink>
      <div className="member-list__actions">
        {!requesting && (
          <Button
            size="sm"
            aria-label={`Ask ${user.display_name} to mentor you`}
            data-return-focus
            onClick={() => {
              setRequesting(true);
            }}
          >
            Request mentorship
          </Button>
        )}
      </div>
      {requesting && (
        <div className="member-list__error">
          <RequestForm
            mentor={user}
            skills={[skill]}
            defaultSkill={skill.slug}
            defaultGoal={goal?.status === "active" ? goalSentence(goal) : undefined}
            onSent={() => {
              setRequesting(false);
              onSent(`Request sent to ${user.display_name}.`);
            }}
            onCancel={() => {
              setRequesting(false);
            }}
          />
        </div>
      )}
    </li>
  );
}

/** The request form for one mentor and skill, named in the address (`?mentor=&skill=`). */
function PrefilledRequest({
  handle,
  skill,
  goal,
  onSent,
  onCancel,
}: {
  handle: string;
  skill: SkillRef;
  goal?: LearningGoal;
  onSent: (text: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const mentor = useQuery(profileQueryOptions(handle));
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <div className="panel__header">
        <h2 id={`${id}-title`} className="section-title">
          Request mentorship
        </h2>
      </div>
      {mentor.isPending ? (
        <LoadingState label="Loading the mentor…" />
      ) : mentor.isError ? (
        <ErrorState error={mentor.error} title="That person didn’t load" onRetry={() => void mentor.refetch()} />
      ) : (
        <RequestForm
          mentor={mentor.data}
          skills={[skill]}
          defaultSkill={skill.slug}
          defaultGoal={goal?.status === "active" ? goalSentence(goal) : undefined}
          onSent={() => {
            onSent(`Request sent to ${mentor.data.display_name}.`);
          }}
          onCancel={onCancel}
        />
      )}
    </section>
  );
}

/** Know who you'd like to learn from? Find them by name and ask from their profile. */
function PeopleSearch() {
  const id = useId();
  const [query, setQuery] = useState("");
  const settled = useDebouncedValue(query.trim(), 300);
  const people = useQuery({ ...peopleSearchQueryOptions(settled), enabled: settled.length > 0 });
  const found = people.data?.items ?? [];

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <div className="panel__header">
        <h2 id={`${id}-title`} className="section-title">
          Know who you’d like to learn from?
        </h2>
        <p className="panel__lead">Find them by name, then ask from their profile.</p>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-search`}>
          Name or handle
        </label>
        <input
          id={`${id}-search`}
          className="input"
          type="search"
          value={query}
          maxLength={100}
          autoComplete="off"
          onChange={(event) => {
            setQuery(event.target.value);
          }}
        />
      </div>
      <div aria-live="polite">
        {settled &&
          (people.isPending ? (
            <LoadingState label="Searching…" />
          ) : people.isError ? (
            <ErrorState error={people.error} title="Search didn’t work" onRetry={() => void people.refetch()} />
          ) : found.length === 0 ? (
            <p className="muted-note">No one’s name or handle starts with “{settled}”.</p>
          ) : (
            <ul className="member-list">
              {found.map((person) => (
                <li key={person.id} className="member-list__item">
                  <PersonLink user={person} />
                </li>
              ))}
            </ul>
          ))}
      </div>
    </section>
  );
}
