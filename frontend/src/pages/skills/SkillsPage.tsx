import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { Skill, SkillSort } from "../../api/types";
import { useMe } from "../../auth/queries";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Spinner } from "../../components/Spinner";
import { EmptyState, ErrorState, LoadingState } from "../../components/States";
import { useAddressParams, useTypedAddressParam } from "../../lib/useAddressParams";
import { usePageTitle } from "../../lib/usePageTitle";
import { AddSkillForm } from "./AddSkillForm";
import { CATEGORIES, CATEGORY_LABELS, isCategory } from "../../lib/skillLevels";
import { skillDirectoryQueryOptions } from "../../queries/skills";
import { SkillsToReview } from "./SkillsToReview";
import { pluralize } from "../../lib/format";
import { SelectField } from "../../components/Field";

const SEARCH_DELAY_MS = 300;
const SORT_LABELS: Record<SkillSort, string> = { name: "Name (A–Z)", popular: "Most people" };

/** The skills directory: search names and aliases, filter by category, sort; filters live in the address. */
export function SkillsPage() {
  usePageTitle("Skills");
  const { searchParams, setParam } = useAddressParams();
  const { value: q, input: query, setInput: setQuery, pending } = useTypedAddressParam("q", SEARCH_DELAY_MS);
  const rawCategory = searchParams.get("category");
  const category = isCategory(rawCategory) ? rawCategory : null;
  const sort: SkillSort = searchParams.get("sort") === "popular" ? "popular" : "name";
  const [adding, setAdding] = useState(false);
  const addToggle = useRef<HTMLButtonElement>(null);
  const ids = { search: useId(), category: useId(), sort: useId(), add: useId() };
  const { data: me } = useMe();

  const skills = useInfiniteQuery(skillDirectoryQueryOptions({ q, category, sort }));
  const items = skills.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = skills.isPlaceholderData || pending;

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div className="page__header">
          <h1>Skills</h1>
          <p className="page__lead">
            What people here know, and who can help you learn it. Levels run from novice to expert; peers endorse them.
          </p>
        </div>
        <div className="button-row">
          <Link className="btn btn--secondary" to="/me/skills">
            My skills and goals
          </Link>
          <Link className="btn btn--secondary" to="/insights/skills">
            Skills gap
          </Link>
          {/* A plain button: the shared Button does not take a ref, and focus returns here on Cancel. */}
          <button
            ref={addToggle}
            type="button"
            className="btn btn--primary"
            aria-expanded={adding}
            aria-controls={adding ? ids.add : undefined}
            onClick={() => {
              setAdding((open) => !open);
            }}
          >
            Add a skill
          </button>
        </div>
      </header>

      {adding && (
        <section id={ids.add} className="panel" aria-labelledby={`${ids.add}-title`}>
          <div className="panel__header">
            <h2 id={`${ids.add}-title`}>Add a skill</h2>
            <p className="panel__lead">
              Search first: it may be here under another name. Anyone can add a skill; administrators tidy the list.
            </p>
          </div>
          <AddSkillForm
            onCancel={() => {
              setAdding(false);
              addToggle.current?.focus();
            }}
          />
        </section>
      )}

      {me?.role === "admin" && <SkillsToReview />}

      <section className="stack" aria-labelledby="skills-directory-title">
        <h2 id="skills-directory-title" className="visually-hidden">
          All skills
        </h2>
        <form
          className="toolbar"
          role="search"
          aria-label="Find skills"
          onSubmit={(event) => {
            event.preventDefault();
            setParam("q", query.trim() || null);
          }}
        >
          <div className="field toolbar__search">
            <label className="field__label" htmlFor={ids.search}>
              Search
            </label>
            <input
              id={ids.search}
              className="input"
              type="search"
              value={query}
              maxLength={100}
              placeholder="Name or other name, e.g. “k8s”"
              autoComplete="off"
              onChange={(event) => {
                setQuery(event.target.value);
              }}
            />
          </div>
          <SelectField
            id={ids.category}
            label="Category"
            value={category ?? ""}
            onChange={(event) => {
              setParam("category", event.target.value || null);
            }}
          >
            <option value="">All categories</option>
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {CATEGORY_LABELS[value]}
              </option>
            ))}
          </SelectField>
          <SelectField
            id={ids.sort}
            label="Sort by"
            value={sort}
            onChange={(event) => {
              setParam("sort", event.target.value === "name" ? null : event.target.value);
            }}
          >
            {(Object.keys(SORT_LABELS) as SkillSort[]).map((value) => (
              <option key={value} value={value}>
                {SORT_LABELS[value]}
              </option>
            ))}
          </SelectField>
        </form>

        <p className="visually-hidden" role="status">
          {skills.isSuccess && !searching ? `${pluralize(items.length, "skill")} shown.` : ""}
        </p>

        {skills.isPending ? (
          <LoadingState label="Loading skills…" />
        ) : skills.isError && items.length === 0 ? (
          <ErrorState error={skills.error} title="Skills didn’t load" onRetry={() => void skills.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState
            title={q ? `No skills match “${q}”` : category ? `No skills in ${CATEGORY_LABELS[category]} yet` : "No skills yet"}
            action={
              !adding && (
                <Button
                  variant="secondary"
                  onClick={() => {
                    setAdding(true);
                  }}
                >
                  Add a skill
                </Button>
              )
            }
          >
            {q
              ? "Search looks at the start of names and other names. Try a shorter word, or add the skill."
              : "Add the first one, so colleagues can say what they know."}
          </EmptyState>
        ) : (
          <>
            {searching && (
              <p className="muted-note">
                <Spinner size="sm" /> Searching…
              </p>
            )}
            <ul className="card-grid" aria-busy={searching || undefined}>
              {items.map((skill) => (
                <SkillCard key={skill.id} skill={skill} />
              ))}
            </ul>
            {skills.isFetchNextPageError && <Alert tone="error">More skills didn’t load. Try again.</Alert>}
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
    </div>
  );
}

function SkillCard({ skill }: { skill: Skill }) {
  return (
    <li className="card community-card skill-card">
      <div className="community-card__body">
        <div className="skill-card__top">
          <h3 className="community-card__title">
            <Link className="community-card__link" to={`/skills/${skill.slug}`}>
              {skill.name}
            </Link>
          </h3>
          {skill.category && <span className="badge badge--neutral">{CATEGORY_LABELS[skill.category]}</span>}
        </div>
        {skill.description && <p className="skill-card__description">{skill.description}</p>}
        {skill.aliases.length > 0 && <p className="skill-card__aliases">Also: {skill.aliases.join(", ")}</p>}
        <ul className="skill-counts" aria-label="People">
          <li>
            <strong>{skill.expert_count.toLocaleString()}</strong> {skill.expert_count === 1 ? "expert" : "experts"}
          </li>
          <li>
            <strong>{skill.teacher_count.toLocaleString()}</strong> can teach
          </li>
          <li>
            <strong>{skill.learner_count.toLocaleString()}</strong> learning
          </li>
        </ul>
      </div>
    </li>
  );
}
