/** Uploads in the composer: what may be attached, and the Markdown that shows it. */
import type { Attachment } from "../../api/types";

/** The server's default limit (LEADERFUL_MAX_UPLOAD_BYTES); it has the last word. */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_MAX = 10;
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
/** For the file picker; the server decides the type from the bytes, whatever the name says. */
export const ACCEPT = [
  ...IMAGE_TYPES,
  "application/pdf",
  "text/plain",
  "text/csv",
  ".csv",
  ".txt",
  ".docx",
  ".xlsx",
  ".pptx",
  ".odt",
  ".ods",
  ".odp",
].join(",");

export const UPLOAD_PATH = /^\/api\/v1\/uploads\/[0-9a-f-]{36}(\/thumbnail)?$/;

export function isImage(attachment: Pick<Attachment, "content_type">): boolean {
  return IMAGE_TYPES.includes(attachment.content_type);
}

function escapeLabel(name: string): string {
  return name.replace(/[[\]\\]/g, "\\$&");
}

/** `![name](url)` for an image, `[name](url)` for any other file. */
export function markdownFor(attachment: Attachment): string {
  const label = escapeLabel(attachment.filename);
  return isImage(attachment) ? `![${label}](${attachment.url})` : `[${label}](${attachment.url})`;
}

/** `text` with `insert` at the selection (replacing it), on a line of its own, and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before === "" || before.endsWith("\n") ? "" : "\n";
  const trail = after.startsWith("\n") ? "" : "\n";
  const inserted = `${lead}${insert}${trail}`;
  return { text: before + inserted + after, caret: before.length + inserted.length };
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Sanitized HTML from the server, with images of this instance's uploads held back: their
 * address needs the bearer token, so `ProseHtml` loads them itself (a plain `src` would be
 * requested without it and fail).
 */
export function deferUploadImages(html: string): string {
  return html.replace(/<img src="(\/api\/v1\/uploads\/[0-9a-f-]{36}(?:\/thumbnail)?)"/g, '<img data-upload-src="$1"');
}
