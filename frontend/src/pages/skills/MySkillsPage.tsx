import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { Link, useLocation } from "react-router";
import { describeError } from "../../api/errors";
import type { LearningGoal, Me, SkillRef, UserSkill } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { formatDay } from "../../lib/dates";
import { EditGoalForm, NewGoalForm } from "../../components/skills/GoalForm";
import { GOAL_STATUS_LABELS, LEVELS, levelLabel } from "../../lib/skillLevels";
import { learningGoalsQueryOptions, useDeleteGoal, useRemoveMySkill, userSkillsQueryOptions } from "../../queries/skills";
import { SkillLevelForm } from "./SkillLevelForm";
import { SkillPicker } from "../../components/SkillPicker";
import { useFocusReturn } from "../../lib/useFocusReturn";
import { pluralize } from "../../lib/format";

/** The caller's skills (with Dreyfus levels explained) and learning goals, at /me/skills. */
export function MySkillsPage() {
  usePageTitle("My skills and goals");
  const me = useMe();
  const { hash } = useLocation();

  // "#goals" from the skill page: scroll to the section once it's there.
  useEffect(() => {
    if (hash && me.isSuccess) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [hash, me.isSuccess]);

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/skills">Skills</Link>
      </nav>
      <header className="page__header">
        <h1>My skills and goals</h1>
        <p className="page__lead">
          What you know, so colleagues can find you; and what you’re learning, so Leaderful can suggest mentors and
          posts.
        </p>
      </header>
      {me.isPending ? (
        <LoadingState label="Loading your skills…" />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <>
          <MySkillsSection me={me.data} />
          <GoalsSection />
        </>
      )}
    </div>
  );
}

function MySkillsSection({ me }: { me: Me }) {
  const skills = useInfiniteQuery(userSkillsQueryOptions(me.handle));
  const items = skills.data?.pages.flatMap((page) => page.items) ?? [];
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const focusRef = useFocusReturn<HTMLElement>(adding);

  return (
    <section ref={focusRef} className="panel" aria-labelledby="my-skills-title">
      <div className="panel__header panel__header--row">
        <div>
          <h2 id="my-skills-title">Your skills</h2>
          <p className="panel__lead">
            Shown on <Link to={`/people/${encodeURIComponent(me.handle)}`}>your profile</Link>, strongest first.
          </p>
        </div>
        <Button
          variant={adding ? "ghost" : "primary"}
          aria-expanded={adding}
          data-return-focus
          onClick={() => {
            setAdding((open) => !open);
            setNotice(null);
          }}
        >
          {adding ? "Close" : "Add a skill"}
        </Button>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {adding && (
        <AddMySkill
          held={new Map(items.map((item) => [item.skill.slug, item]))}
          onSaved={(saved) => {
            setAdding(false);
            setNotice(`${saved.skill.name} is on your profile at ${levelLabel(saved.level)}.`);
          }}
        />
      )}
      <LevelGuide />
      {skills.isPending ? (
        <LoadingState label="Loading your skills…" />
      ) : skills.isError && items.length === 0 ? (
        <ErrorState error={skills.error} title="Your skills didn’t load" onRetry={() => void skills.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No skills on your profile yet">
          Add what you know — even as a novice. Colleagues look here before they ask a question.
        </EmptyState>
      ) : (
        <>
          <ul className="member-list">
            {items.map((item) => (
              <MySkillRow key={item.skill.slug} item={item} handle={me.handle} onNotice={setNotice} />
            ))}
          </ul>
          {skills.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={skills.isFetchingNextPage} onClick={() => void skills.fetchNextPage()}>
                {skills.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The Dreyfus levels, one line each, for reference while rating yourself. */
function LevelGuide() {
  return (
    <details className="level-guide">
      <summary>What do the levels mean?</summary>
      <dl className="level-guide__list">
        {LEVELS.map((level) => (
          <div key={level.value}>
            <dt>
              {level.value} · {level.name}
            </dt>
            <dd>{level.description}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function AddMySkill({ held, onSaved }: { held: Map<string, UserSkill>; onSaved: (saved: UserSkill) => void }) {
  const id = useId();
  const [skill, setSkill] = useState<SkillRef | null>(null);
  return (
    <div className="stack">
      <SkillPicker
        label="Find the skill"
        name={`${id}-skill`}
        value={skill}
        hint="Not on the list? Add it on the Skills page first."
        note={(slug) => {
          const item = held.get(slug);
          return item ? `On your profile: ${levelLabel(item.level)}` : null;
        }}
        onChange={setSkill}
      />
      {skill && <SkillLevelForm key={skill.slug} skill={skill} current={held.get(skill.slug) ?? null} onSaved={onSaved} />}
    </div>
  );
}

function MySkillRow({ item, handle, onNotice }: { item: UserSkill; handle: string; onNotice: (text: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const description = LEVELS.find((level) => level.value === item.level)?.description;
  const rowRef = useFocusReturn<HTMLLIElement>(editing);

  const remove = useRemoveMySkill(item.skill.slug, handle, {
    onSuccess: () => {
      setConfirming(false);
      onNotice(`${item.skill.name} is off your profile.`);
    },
  });

  return (
    <li ref={rowRef} className="member-list__item my-skill-row">
      <div className="my-skill-row__main">
        <p className="person__name">
          <Link to={`/skills/${item.skill.slug}`}>{item.skill.name}</Link>
        </p>
        <p className="my-skill-row__level">
          {levelLabel(item.level)}
          {item.wants_to_teach && <span className="badge badge--success">Happy to teach</span>}
        </p>
        {description && <p className="person__meta">{description}</p>}
        <p className="person__meta">
          {pluralize(item.endorsement_count, "endorsement")} · {pluralize(item.evidence.posts, "post")} ·{" "}
          {pluralize(item.evidence.accepted_answers, "accepted answer")}
        </p>
      </div>
      <div className="member-list__actions">
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={editing}
          aria-label={`Change level in ${item.skill.name}`}
          data-return-focus
          onClick={() => {
            setEditing((open) => !open);
          }}
        >
          Change level
        </Button>
        <ConfirmDialog
          open={confirming}
          onOpenChange={(open) => {
            setConfirming(open);
            if (!open) remove.reset();
          }}
          trigger={
            <Button variant="ghost" size="sm" aria-label={`Remove ${item.skill.name}`}>
              Remove
            </Button>
          }
          title={`Remove ${item.skill.name} from your profile?`}
          description={
            item.endorsement_count > 0
              ? `The ${pluralize(item.endorsement_count, "endorsement")} you received for it go too, and adding it again won’t bring them back.`
              : "You can add it again later."
          }
          confirmLabel="Remove skill"
          pendingLabel="Removing…"
          pending={remove.isPending}
          error={remove.isError && describeError(remove.error)}
          onConfirm={() => {
            remove.mutate();
          }}
        />
      </div>
      {editing && (
        <div className="member-list__error">
          <SkillLevelForm
            skill={item.skill}
            current={item}
            onSaved={(saved) => {
              setEditing(false);
              onNotice(`Saved: you’re at ${levelLabel(saved.level)} in ${saved.skill.name}.`);
            }}
            onCancel={() => {
              setEditing(false);
            }}
          />
        </div>
      )}
    </li>
  );
}

function GoalsSection() {
  const goals = useInfiniteQuery(learningGoalsQueryOptions());
  const items = goals.data?.pages.flatMap((page) => page.items) ?? [];
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const bySkill = new Map(items.map((goal) => [goal.skill.slug, goal]));
  const focusRef = useFocusReturn<HTMLElement>(adding);

  return (
    <section ref={focusRef} id="goals" className="panel" aria-labelledby="goals-title">
      <div className="panel__header panel__header--row">
        <div>
          <h2 id="goals-title">Learning goals</h2>
          <p className="panel__lead">
            One goal per skill. Active goals shape your feed and the mentors suggested to you on the{" "}
            <Link to="/mentorship">Mentorship</Link> page.
          </p>
        </div>
        <Button
          variant={adding ? "ghost" : "primary"}
          aria-expanded={adding}
          data-return-focus
          onClick={() => {
            setAdding((open) => !open);
            setNotice(null);
          }}
        >
          {adding ? "Close" : "New goal"}
        </Button>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {adding && (
        <NewGoalForm
          note={(slug) => (bySkill.has(slug) ? "You have a goal for it" : null)}
          onSaved={(goal) => {
            setAdding(false);
            setNotice(`Goal set: reach ${levelLabel(goal.target_level)} in ${goal.skill.name}.`);
          }}
          onCancel={() => {
            setAdding(false);
          }}
        />
      )}
      {goals.isPending ? (
        <LoadingState label="Loading your goals…" />
      ) : goals.isError && items.length === 0 ? (
        <ErrorState error={goals.error} title="Your goals didn’t load" onRetry={() => void goals.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No learning goals yet">
          Pick a skill you want to grow in and the level you’re aiming for. You’ll get mentor suggestions for it.
        </EmptyState>
      ) : (
        <>
          <ul className="member-list">
            {items.map((goal) => (
              <GoalRow key={goal.id} goal={goal} onNotice={setNotice} />
            ))}
          </ul>
          {goals.hasNextPage && (
            <div className="load-more">
              <Button variant="secondary" loading={goals.isFetchingNextPage} onClick={() => void goals.fetchNextPage()}>
                {goals.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

const STATUS_BADGES: Record<LearningGoal["status"], string> = {
  active: "badge",
  achieved: "badge badge--success",
  dropped: "badge badge--neutral",
};

function GoalRow({ goal, onNotice }: { goal: LearningGoal; onNotice: (text: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const rowRef = useFocusReturn<HTMLLIElement>(editing);
  const remove = useDeleteGoal(goal.id, {
    onSuccess: () => {
      setConfirming(false);
      onNotice(`Your goal for ${goal.skill.name} is deleted.`);
    },
  });

  return (
    <li ref={rowRef} className="member-list__item">
      <div className="my-skill-row__main">
        <p className="person__name">
          <Link to={`/skills/${goal.skill.slug}`}>{goal.skill.name}</Link>{" "}
          <span className={STATUS_BADGES[goal.status]}>{GOAL_STATUS_LABELS[goal.status]}</span>
        </p>
        <p className="my-skill-row__level">Aiming for {levelLabel(goal.target_level)}</p>
        <p className="person__meta">
          {goal.current_level === null ? "Not on your profile yet" : `Now: ${levelLabel(goal.current_level)}`}
          {goal.due_on && ` · Due ${formatDay(goal.due_on)}`}
        </p>
        {goal.note && <p className="nomination__reason">{goal.note}</p>}
      </div>
      <div className="member-list__actions">
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={editing}
          aria-label={`Change goal for ${goal.skill.name}`}
          data-return-focus
          onClick={() => {
            setEditing((open) => !open);
          }}
        >
          Change
        </Button>
        <ConfirmDialog
          open={confirming}
          onOpenChange={(open) => {
            setConfirming(open);
            if (!open) remove.reset();
          }}
          trigger={
            <Button variant="ghost" size="sm" aria-label={`Delete goal for ${goal.skill.name}`}>
              Delete
            </Button>
          }
          title={`Delete your goal for ${goal.skill.name}?`}
          description="To keep a record of it instead, change its status to achieved or dropped."
          confirmLabel="Delete goal"
          pendingLabel="Deleting…"
          pending={remove.isPending}
          error={remove.isError && describeError(remove.error)}
          onConfirm={() => {
            remove.mutate();
          }}
        />
      </div>
      {editing && (
        <div className="member-list__error">
          <EditGoalForm
            goal={goal}
            onSaved={(saved) => {
              setEditing(false);
              onNotice(`Your goal for ${saved.skill.name} is saved.`);
            }}
            onCancel={() => {
              setEditing(false);
            }}
          />
        </div>
      )}
    </li>
  );
}
