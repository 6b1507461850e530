import { useQuery } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import type { Skill } from "../../api/types";
import { cx } from "../../lib/cx";
import { parseTags } from "../../lib/tags";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { skillSearchQueryOptions } from "../../queries/skills";

const SEARCH_DELAY_MS = 200;

/** Letters and digits only, lower case: how the server decides two names are one skill. */
function keyOf(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}+#]/gu, "");
}

/** The tag being typed: the text after the last comma. */
function currentToken(text: string): string {
  return (text.split(",").pop() ?? "").trim();
}

/** The alias of `skill` that `typed` starts, when the name itself does not (k8s → Kubernetes). */
function matchedAlias(skill: Skill, typed: string): string | null {
  const key = keyOf(typed);
  if (!key || keyOf(skill.name).startsWith(key)) return null;
  return skill.aliases.find((alias) => keyOf(alias).startsWith(key)) ?? null;
}

interface TagInputProps {
  id: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}

/**
 * Comma-separated tags with suggestions from the skill taxonomy (names and aliases) for the tag
 * being typed: an ARIA combobox (arrows move, Enter or a click chooses, Escape closes). A tag
 * that matches no skill is shown as a new skill that posting will propose.
 */
export function TagInput({ id, value, error, onChange }: TagInputProps) {
  const listId = `${id}-suggestions`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const newId = `${id}-new`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const token = currentToken(value);
  const settled = useDebouncedValue(token, SEARCH_DELAY_MS);
  const search = useQuery({ ...skillSearchQueryOptions(settled), enabled: settled.length > 0 });
  const chosen = new Set(parseTags(value).slice(0, -1).map(keyOf));
  const suggestions = settled && token ? (search.data?.items ?? []).filter((skill) => !chosen.has(keyOf(skill.name))) : [];
  const exact = suggestions.some(
    (skill) => keyOf(skill.name) === keyOf(token) || skill.aliases.some((alias) => keyOf(alias) === keyOf(token)),
  );
  const showList = open && suggestions.length > 0;
  const isNew = token.length > 0 && settled === token && search.isSuccess && !exact;
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1));
  const uid = useId();

  function choose(skill: Skill) {
    const before = value.includes(",") ? value.slice(0, value.lastIndexOf(",") + 1) + " " : "";
    onChange(`${before}${skill.name}, `.replace(/^\s+/, ""));
    setOpen(false);
    setActive(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!showList) {
      if (event.key === "ArrowDown" && suggestions.length > 0) {
        setOpen(true);
        event.preventDefault();
      }
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + suggestions.length) % suggestions.length);
    } else if (event.key === "Enter") {
      const skill = suggestions[activeIndex];
      if (skill) {
        event.preventDefault();
        choose(skill);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div className={cx("field", "tag-input", error && "field--invalid")}>
      <label className="field__label" htmlFor={id}>
        Tags<span className="field__optional"> (optional)</span>
      </label>
      <p className="field__hint" id={hintId}>
        Skills this is about, separated by commas; suggestions include other names (“k8s” finds Kubernetes). Up to 10.
      </p>
      <input
        id={id}
        className="input"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList ? `${uid}-option-${activeIndex}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : null, hintId, isNew ? newId : null].filter(Boolean).join(" ")}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false);
        }}
        onFocus={() => {
          setOpen(true);
        }}
      />
      <ul id={listId} role="listbox" aria-label="Matching skills" className="suggestions" hidden={!showList}>
        {suggestions.map((skill, index) => {
          const alias = matchedAlias(skill, token);
          return (
            <li
              key={skill.slug}
              id={`${uid}-option-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              className={cx("suggestions__option", index === activeIndex && "suggestions__option--active")}
              // Chosen on mousedown, before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(skill);
              }}
            >
              <span className="suggestions__name">{skill.name}</span>
              {alias && <span className="suggestions__meta">also “{alias}”</span>}
            </li>
          );
        })}
      </ul>
      {isNew && (
        <p className="tag-input__new" id={newId} aria-live="polite">
          <span className="badge badge--warning">New skill</span> “{token}” isn’t in the skills list yet: posting proposes it
          as a new skill.
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
