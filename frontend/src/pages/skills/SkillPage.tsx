import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import type { Skill, SkillRef } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ErrorState, LoadingState } from "../../components/States";
import { usePageTitle } from "../../lib/usePageTitle";
import { formatDay } from "../../lib/dates";
import { ExpertsList } from "./ExpertsList";
import { LevelHistogram } from "./LevelHistogram";
import { NewGoalForm } from "../../components/skills/GoalForm";
import { CATEGORY_LABELS, GOAL_STATUS_LABELS, LEVELS, levelLabel } from "../../lib/skillLevels";
import { goalIndexQueryOptions, skillIndexQueryOptions, skillQueryOptions } from "../../queries/skills";
import { SkillLevelForm } from "./SkillLevelForm";
import { useFocusReturn } from "../../lib/useFocusReturn";

export function SkillPage() {
  const { slug = "" } = useParams();
  const skill = useQuery(skillQueryOptions(slug));
  const navigate = useNavigate();
  const location = useLocation();
  const notFound = skill.error instanceof ApiError && skill.error.status === 404;
  usePageTitle(notFound ? "Skill not found" : (skill.data?.name ?? "Skill"));

  // A former slug or an alias finds the skill too: show its current address.
  const canonical = skill.data?.slug;
  useEffect(() => {
    if (canonical && canonical !== slug) {
      void navigate(`/skills/${canonical}${location.search}`, { replace: true, state: location.state as unknown });
    }
  }, [canonical, slug, navigate, location.search, location.state]);

  if (skill.isPending) return <LoadingState label="Loading the skill…" />;
  if (skill.isError) {
    return (
      <div className="page page--narrow">
        {notFound ? (
          <div className="notice-page">
            <p className="notice-page__eyebrow">Not found</p>
            <h1>There’s no skill here</h1>
            <p className="notice-page__text">
              No skill has the address <code>/skills/{slug}</code>. It may have been merged into another one.
            </p>
            <Link className="btn btn--secondary" to={`/skills?q=${encodeURIComponent(slug.replaceAll("-", " "))}`}>
              Search the skills
            </Link>
          </div>
        ) : (
          <ErrorState error={skill.error} title="This skill didn’t load" onRetry={() => void skill.refetch()} />
        )}
      </div>
    );
  }
  return <SkillView key={skill.data.id} skill={skill.data} />;
}

function SkillView({ skill }: { skill: Skill }) {
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/skills">Skills</Link>
      </nav>
      {notice && <Alert tone="success">{notice}</Alert>}

      <header className="community-hero">
        <div className="community-hero__top">
          <div className="community-hero__title">
            <p className="community-hero__eyebrow">
              Skill
              {skill.category && <span className="badge badge--neutral">{CATEGORY_LABELS[skill.category]}</span>}
              {!skill.listed && (
                <span className="badge badge--warning" title="Only administrators see this skill until it is listed">
                  Waiting for review
                </span>
              )}
            </p>
            <h1>{skill.name}</h1>
          </div>
        </div>
        {skill.description && <p className="skill-hero__description">{skill.description}</p>}
        {skill.aliases.length > 0 && (
          <div className="skill-hero__aliases">
            <span className="skill-hero__aliases-label">Also called</span>
            <ul className="badge-list" aria-label="Also called">
              {skill.aliases.map((alias) => (
                <li key={alias} className="badge badge--neutral">
                  {alias}
                </li>
              ))}
            </ul>
          </div>
        )}
        <dl className="stat-grid skill-stats">
          <SkillStat label="People with it" value={skill.holder_count} explain="List it on their profile." />
          <SkillStat label="Experts" value={skill.expert_count} explain="At level 4 (proficient) or 5 (expert)." />
          <SkillStat label="Can teach" value={skill.teacher_count} explain="Say they’re happy to teach it." />
          <SkillStat label="Learners" value={skill.learner_count} explain="Have an active goal to learn it." />
        </dl>
      </header>

      <MySkillActions skill={skill} />

      <LevelHistogram skill={skill} />

      <ExpertsList skill={skill} />
    </div>
  );
}

function SkillStat({ label, value, explain }: { label: string; value: number; explain: string }) {
  return (
    <div className="stat">
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{value.toLocaleString()}</dd>
      <dd className="stat__explain">{explain}</dd>
    </div>
  );
}

type Panel = "level" | "goal" | null;

/** Where the caller stands with this skill: on their profile (and at what level), and any learning goal. */
function MySkillActions({ skill }: { skill: Skill }) {
  const { data: me } = useMe();
  const mine = useQuery({ ...skillIndexQueryOptions(me?.handle ?? ""), enabled: Boolean(me) });
  const goals = useQuery(goalIndexQueryOptions());
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const focusRef = useFocusReturn<HTMLElement>(panel !== null);
  const ref: SkillRef = { slug: skill.slug, name: skill.name, category: skill.category };
  const held = mine.data?.get(skill.slug) ?? null;
  const goal = goals.data?.get(skill.slug) ?? null;

  return (
    <section ref={focusRef} className="panel" aria-labelledby="my-skill-title">
      <div className="panel__header">
        <h2 id="my-skill-title">You and {skill.name}</h2>
        <p className="panel__lead">
          Put it on your profile so colleagues can find you, or set a goal to learn it and get mentor suggestions.
        </p>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      {mine.isPending || goals.isPending ? (
        <LoadingState label="Checking your profile…" />
      ) : mine.isError || goals.isError ? (
        <ErrorState
          error={mine.error ?? goals.error}
          title="Your skills didn’t load"
          onRetry={() => {
            void mine.refetch();
            void goals.refetch();
          }}
        />
      ) : (
        <>
          <div className="my-skill">
            <div className="my-skill__facts">
              {held ? (
                <p>
                  <strong>On your profile:</strong> {levelLabel(held.level)}
                  {held.wants_to_teach && <span className="badge badge--success">Happy to teach</span>}
                  <span className="my-skill__hint">{LEVELS.find((level) => level.value === held.level)?.description}</span>
                </p>
              ) : (
                <p>It’s not on your profile yet.</p>
              )}
              {goal && (
                <p>
                  <strong>Your goal:</strong> reach {levelLabel(goal.target_level)}
                  {goal.due_on && ` by ${formatDay(goal.due_on)}`}{" "}
                  <span className={goal.status === "active" ? "badge" : "badge badge--neutral"}>
                    {GOAL_STATUS_LABELS[goal.status]}
                  </span>{" "}
                  <Link to="/me/skills#goals">Manage your goals</Link>
                </p>
              )}
            </div>
            <div className="button-row my-skill__actions">
              <Button
                variant={held ? "secondary" : "primary"}
                aria-expanded={panel === "level"}
                data-return-focus
                onClick={() => {
                  setPanel(panel === "level" ? null : "level");
                  setNotice(null);
                }}
              >
                {held ? "Change my level" : "Add to my profile"}
              </Button>
              {!goal && (
                <Button
                  variant="secondary"
                  aria-expanded={panel === "goal"}
                  onClick={() => {
                    setPanel(panel === "goal" ? null : "goal");
                    setNotice(null);
                  }}
                >
                  Set a learning goal
                </Button>
              )}
            </div>
          </div>
          {panel === "level" && (
            <SkillLevelForm
              skill={ref}
              current={held}
              onSaved={(saved) => {
                setPanel(null);
                setNotice(
                  held
                    ? `Saved: you’re at ${levelLabel(saved.level)} in ${skill.name}.`
                    : `${skill.name} is on your profile at ${levelLabel(saved.level)}.`,
                );
              }}
              onCancel={() => {
                setPanel(null);
              }}
            />
          )}
          {panel === "goal" && (
            <NewGoalForm
              skill={ref}
              onSaved={(saved) => {
                setPanel(null);
                setNotice(`Goal set: reach ${levelLabel(saved.target_level)} in ${skill.name}. Find a mentor on the Mentorship page.`);
              }}
              onCancel={() => {
                setPanel(null);
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
