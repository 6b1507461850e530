/**
 * Markdown edits on a textarea's text and selection, as pure functions: the composer's toolbar
 * and shortcuts apply them and put the selection where the result says.
 */

export interface Edit {
  text: string;
  /** The selection after the edit. */
  start: number;
  end: number;
}

/** Surrounds the selection with `before`/`after` (or a placeholder, selected, when nothing is selected). */
export function wrap(text: string, start: number, end: number, before: string, after: string, placeholder: string): Edit {
  const selected = text.slice(start, end) || placeholder;
  const next = text.slice(0, start) + before + selected + after + text.slice(end);
  const from = start + before.length;
  return { text: next, start: from, end: from + selected.length };
}

/** `[selection](https://)` with the address selected, ready to be typed over. */
export function link(text: string, start: number, end: number): Edit {
  const label = text.slice(start, end) || "link text";
  const url = "https://";
  const next = `${text.slice(0, start)}[${label}](${url})${text.slice(end)}`;
  const from = start + label.length + 3;
  return { text: next, start: from, end: from + url.length };
}

/** Inline code for a selection within one line, a fenced block for several lines. */
export function code(text: string, start: number, end: number): Edit {
  const selected = text.slice(start, end);
  if (!selected.includes("\n")) return wrap(text, start, end, "`", "`", "code");
  const before = start > 0 && text[start - 1] !== "\n" ? "\n```\n" : "```\n";
  return wrap(text, start, end, before, "\n```\n", "");
}

/** Starts every line the selection touches with `prefix` ("- " for a list, "> " for a quote). */
export function prefixLines(text: string, start: number, end: number, prefix: string): Edit {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const nextBreak = text.indexOf("\n", end > start && text[end - 1] === "\n" ? end - 1 : end);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak;
  const lines = text.slice(lineStart, lineEnd).split("\n");
  const changed = lines.map((line) => prefix + line).join("\n");
  const next = text.slice(0, lineStart) + changed + text.slice(lineEnd);
  if (start === end) return { text: next, start: start + prefix.length, end: start + prefix.length };
  return { text: next, start: lineStart, end: lineStart + changed.length };
}

export type Format = "bold" | "italic" | "link" | "code" | "list" | "quote";

export function applyFormat(format: Format, text: string, start: number, end: number): Edit {
  switch (format) {
    case "bold":
      return wrap(text, start, end, "**", "**", "bold text");
    case "italic":
      return wrap(text, start, end, "_", "_", "italic text");
    case "link":
      return link(text, start, end);
    case "code":
      return code(text, start, end);
    case "list":
      return prefixLines(text, start, end, "- ");
    case "quote":
      return prefixLines(text, start, end, "> ");
  }
}

// --- @mentions ---------------------------------------------------------------------------------

/** An @mention being typed: where its "@" is and the letters after it. */
export interface MentionQuery {
  start: number;
  query: string;
}

// The same boundary as the server's (domain/markdown.py): not after a letter, digit, "@" or "/".
const TYPED_MENTION = /(?:^|[^\w@/])@([a-z0-9_-]{1,30})$/i;

/** The mention the caret is at the end of, when there is one ("ask @ann|" → {query: "ann"}). */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = TYPED_MENTION.exec(text.slice(Math.max(0, caret - 40), caret));
  if (!match?.[1]) return null;
  const query = match[1];
  return { start: caret - query.length - 1, query };
}

/** Replaces the typed mention with `@handle ` and puts the caret after it. */
export function insertMention(text: string, caret: number, mention: MentionQuery, handle: string): Edit {
  const inserted = `@${handle} `;
  const rest = text.slice(caret).replace(/^ /, "");
  const next = text.slice(0, mention.start) + inserted + rest;
  const at = mention.start + inserted.length;
  return { text: next, start: at, end: at };
}
