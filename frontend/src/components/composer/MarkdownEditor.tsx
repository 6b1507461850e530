import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState, type KeyboardEvent, type ReactNode, type TextareaHTMLAttributes } from "react";
import type { UserSummary } from "../../api/types";
import { cx } from "../../lib/cx";
import { applyFormat, insertMention, mentionAt, type Edit, type Format, type MentionQuery } from "../../lib/markdownEdit";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { mentionSearchQueryOptions } from "../../queries/people";
import { previewQueryOptions } from "../../queries/posts";
import { Avatar } from "../Avatar";
import { ProseHtml } from "../uploads/ProseHtml";

const MENTION_DELAY_MS = 150;

interface Tool {
  format: Format;
  label: string;
  /** For aria-keyshortcuts, and the tooltip. */
  keys?: { aria: string; shown: string };
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);
const MOD = isMac ? { aria: "Meta", shown: "⌘" } : { aria: "Control", shown: "Ctrl+" };

const TOOLS: readonly Tool[] = [
  { format: "bold", label: "Bold", keys: { aria: `${MOD.aria}+B`, shown: `${MOD.shown}B` } },
  { format: "italic", label: "Italic", keys: { aria: `${MOD.aria}+I`, shown: `${MOD.shown}I` } },
  { format: "link", label: "Link", keys: { aria: `${MOD.aria}+K`, shown: `${MOD.shown}K` } },
  { format: "code", label: "Code" },
  { format: "list", label: "List" },
  { format: "quote", label: "Quote" },
];

const SHORTCUTS: Record<string, Format> = { b: "bold", i: "italic", k: "link" };

type Mode = "write" | "preview";

interface MarkdownEditorProps {
  /** The textarea's id (uploads find the textarea by it). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  optional?: boolean;
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  maxLength?: number;
  autoFocus?: boolean;
  /** Paste and drop handlers (images and files). */
  textareaProps?: Pick<TextareaHTMLAttributes<HTMLTextAreaElement>, "onPaste" | "onDrop" | "onDragOver">;
}

/**
 * A Markdown field with Write and Preview tabs, a formatting toolbar (with Ctrl/⌘+B, I and K)
 * and @mention suggestions. The preview is the server's own rendering of the text, so it shows
 * exactly what saving will (sanitized, mentions linked).
 *
 * Mentions follow the combobox pattern as far as a textarea allows (ARIA in HTML gives a
 * textarea no role but textbox): the list is a listbox the textarea controls, the active
 * person is its aria-activedescendant, arrows move, Enter or Tab inserts, Escape closes, and a
 * polite status says how many people match.
 */
export function MarkdownEditor({
  id,
  label,
  hint,
  optional,
  error,
  value,
  onChange,
  rows = 6,
  maxLength,
  autoFocus,
  textareaProps,
}: MarkdownEditorProps) {
  const uid = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const listId = `${uid}-people`;
  const tabId = (mode: Mode) => `${uid}-${mode}-tab`;
  const panelId = (mode: Mode) => `${uid}-${mode}-panel`;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<Mode>("write");
  const [toolFocus, setToolFocus] = useState(0);

  // --- mentions ---
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const settled = useDebouncedValue(mention?.query ?? "", MENTION_DELAY_MS);
  const people = useQuery(mentionSearchQueryOptions(settled));
  const candidates: UserSummary[] = mention && settled ? (people.data?.items ?? []) : [];
  const showList = mention !== null && dismissed !== mention.start && candidates.length > 0;
  const activeIndex = Math.min(active, Math.max(0, candidates.length - 1));

  // --- preview ---
  const preview = useQuery({ ...previewQueryOptions(value), enabled: mode === "preview" && value.trim() !== "" });

  function track(text: string, caret: number) {
    const found = mentionAt(text, caret);
    setMention(found);
    if (found?.start !== mention?.start) setActive(0);
  }

  function put(edit: Edit) {
    onChange(edit.text);
    setMention(null);
    requestAnimationFrame(() => {
      const field = textarea.current;
      if (!field) return;
      field.focus();
      field.setSelectionRange(edit.start, edit.end);
    });
  }

  function format(kind: Format) {
    const field = textarea.current;
    if (!field) return;
    put(applyFormat(kind, field.value, field.selectionStart, field.selectionEnd));
  }

  function choose(person: UserSummary) {
    const field = textarea.current;
    if (!field || !mention) return;
    put(insertMention(field.value, field.selectionStart, mention, person.handle));
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (showList) {
      const person = candidates[activeIndex];
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((activeIndex + step + candidates.length) % candidates.length);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && person && !event.shiftKey) {
        event.preventDefault();
        choose(person);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissed(mention.start);
        return;
      }
    }
    const shortcut = SHORTCUTS[event.key.toLowerCase()];
    if (shortcut && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      format(shortcut);
    }
  }

  function onToolbarKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowRight: toolFocus + 1, ArrowLeft: toolFocus - 1, Home: 0, End: TOOLS.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + TOOLS.length) % TOOLS.length;
    setToolFocus(next);
    event.currentTarget.querySelectorAll<HTMLButtonElement>("button")[next]?.focus();
  }

  function onTabKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const next: Mode = event.key === "Home" ? "write" : event.key === "End" ? "preview" : mode === "write" ? "preview" : "write";
    setMode(next);
    document.getElementById(tabId(next))?.focus();
  }

  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className={cx("field", "markdown-editor", error && "field--invalid")}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional && <span className="field__optional"> (optional)</span>}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="markdown-editor__bar">
        <div role="tablist" aria-label="Write or preview" className="markdown-editor__tabs" onKeyDown={onTabKeyDown}>
          {(["write", "preview"] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              id={tabId(tab)}
              aria-selected={mode === tab}
              aria-controls={panelId(tab)}
              tabIndex={mode === tab ? 0 : -1}
              className="markdown-editor__tab"
              onClick={() => {
                setMode(tab);
              }}
            >
              {tab === "write" ? "Write" : "Preview"}
            </button>
          ))}
        </div>
        {mode === "write" && (
          <div role="toolbar" aria-label="Formatting" aria-controls={id} className="markdown-editor__tools" onKeyDown={onToolbarKeyDown}>
            {TOOLS.map((tool, index) => (
              <button
                key={tool.format}
                type="button"
                className={cx("markdown-editor__tool", `markdown-editor__tool--${tool.format}`)}
                tabIndex={index === toolFocus ? 0 : -1}
                aria-keyshortcuts={tool.keys?.aria}
                title={tool.keys ? `${tool.label} (${tool.keys.shown})` : tool.label}
                onFocus={() => {
                  setToolFocus(index);
                }}
                onClick={() => {
                  format(tool.format);
                }}
              >
                {tool.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div role="tabpanel" id={panelId("write")} aria-labelledby={tabId("write")} hidden={mode !== "write"}>
        <textarea
          ref={textarea}
          id={id}
          className="input input--multiline"
          rows={rows}
          maxLength={maxLength}
          autoFocus={autoFocus}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          aria-autocomplete="list"
          aria-controls={showList ? listId : undefined}
          aria-activedescendant={showList ? `${listId}-${activeIndex}` : undefined}
          onChange={(event) => {
            onChange(event.target.value);
            track(event.target.value, event.target.selectionStart);
          }}
          onSelect={(event) => {
            track(event.currentTarget.value, event.currentTarget.selectionStart);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setMention(null);
          }}
          {...textareaProps}
        />
        <ul id={listId} role="listbox" aria-label="People to mention" className="suggestions" hidden={!showList}>
          {showList &&
            candidates.map((person, index) => (
              <li
                key={person.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === activeIndex}
                className={cx("suggestions__option", "mention-option", index === activeIndex && "suggestions__option--active")}
                // Chosen on mousedown, before the textarea's blur closes the list.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(person);
                }}
              >
                <Avatar name={person.display_name} url={person.avatar_url} size="sm" />
                <span className="suggestions__name">{person.display_name}</span>
                <span className="suggestions__meta">@{person.handle}</span>
              </li>
            ))}
        </ul>
        <p className="visually-hidden" aria-live="polite">
          {showList
            ? `${candidates.length} ${candidates.length === 1 ? "person matches" : "people match"}: arrows choose, Enter inserts.`
            : ""}
        </p>
      </div>
      <div
        role="tabpanel"
        id={panelId("preview")}
        aria-labelledby={tabId("preview")}
        hidden={mode !== "preview"}
        tabIndex={0}
        className="markdown-editor__preview"
      >
        {mode !== "preview" ? null : value.trim() === "" ? (
          <p className="muted-note">Nothing to preview yet.</p>
        ) : preview.isError ? (
          <p className="field__error">The preview didn’t load. Your text is safe; try again in a moment.</p>
        ) : preview.data === undefined ? (
          <p className="muted-note">Rendering the preview…</p>
        ) : (
          <ProseHtml className="prose" html={preview.data} />
        )}
      </div>
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
