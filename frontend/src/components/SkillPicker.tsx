import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { SkillRef } from "../api/types";
import { Spinner } from "./Spinner";
import { cx } from "../lib/cx";
import { useDebouncedValue } from "../lib/useDebouncedValue";
import { CATEGORY_LABELS } from "../lib/skillLevels";
import { skillSearchQueryOptions } from "../queries/skills";

interface SkillPickerProps {
  label: string;
  /** The radio group's name; unique per form on the page. */
  name: string;
  value: SkillRef | null;
  onChange: (skill: SkillRef) => void;
  error?: string;
  hint?: string;
  /** Shown next to skills that are listed already (e.g. "On your profile"). */
  note?: (slug: string) => string | null;
}

const SEARCH_DELAY_MS = 250;

/**
 * Find a skill by the start of its name or an alias, then choose it from the matches (radio
 * buttons: a native, keyboard-friendly single choice). Before any search, the most popular show.
 */
export function SkillPicker({ label, name, value, onChange, error, hint, note }: SkillPickerProps) {
  const id = useId();
  const [query, setQuery] = useState("");
  const settled = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const search = useQuery(skillSearchQueryOptions(settled));
  const found: SkillRef[] = search.data?.items ?? [];
  // The chosen skill stays visible (and checked) while another search runs.
  const options = value && !found.some((skill) => skill.slug === value.slug) ? [value, ...found] : found;
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const searching = search.isFetching || query.trim() !== settled;

  return (
    <div className={cx("skill-picker", error && "field--invalid")}>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-search`}>
          {label}
        </label>
        {hint && (
          <p className="field__hint" id={hintId}>
            {hint}
          </p>
        )}
        <input
          id={`${id}-search`}
          className="input"
          type="search"
          value={query}
          maxLength={100}
          autoComplete="off"
          placeholder="Type the start of a skill, e.g. “pyth”"
          aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setQuery(event.target.value);
          }}
        />
      </div>
      <fieldset className="fieldset" aria-describedby={errorId} aria-busy={searching || undefined}>
        <legend className="visually-hidden">{settled ? `Skills matching “${settled}”` : "Popular skills"}</legend>
        <p className="field__hint" aria-live="polite">
          {search.isPending ? (
            <span className="muted-note">
              <Spinner size="sm" /> Looking up skills…
            </span>
          ) : search.isError ? (
            "Skills didn’t load. Type again to retry."
          ) : found.length === 0 && settled ? (
            `No skill starts with “${settled}”. Check the spelling, or add it on the Skills page.`
          ) : settled ? (
            `Skills matching “${settled}”:`
          ) : (
            "Popular skills — or search above:"
          )}
        </p>
        {options.length > 0 && (
          <div className="skill-picker__options">
            {options.map((skill) => {
              const extra = note?.(skill.slug);
              return (
                <label key={skill.slug} className="choice choice--compact">
                  <input
                    type="radio"
                    name={name}
                    value={skill.slug}
                    checked={value?.slug === skill.slug}
                    aria-invalid={error ? true : undefined}
                    onChange={() => {
                      onChange({ slug: skill.slug, name: skill.name, category: skill.category });
                    }}
                  />
                  <span>
                    <span className="choice__label">{skill.name}</span>
                    {(skill.category ?? extra) && (
                      <span className="choice__description">
                        {[skill.category && CATEGORY_LABELS[skill.category], extra].filter(Boolean).join(" · ")}
                      </span>
                    )}
                  </span>
                </label>
              );
            })}
          </div>
        )}
      </fieldset>
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
