/** The post form's values, client-side checks and request bodies (composer and edit form). */
import type { Attachment, Post, PostCreate, PostKind, PostLinkInput, PostUpdate } from "../../api/types";
import { parseTags } from "../../lib/tags";

export const TITLE_MAX = 200;
export const BODY_MAX = 50_000;
export const TAGS_MAX = 10;
export const TAG_MAX_LENGTH = 80;
export const LINKS_MAX = 10;
export const LINK_TITLE_MAX = 200;

export interface LinkValues {
  url: string;
  title: string;
}

export interface PostValues {
  kind: PostKind;
  title: string;
  body: string;
  /** Comma-separated, as typed. */
  tags: string;
  links: LinkValues[];
  /** Uploaded files to show with the post (sent as `attachment_ids`). */
  attachments: Attachment[];
}

export const POST_FIELDS = ["community", "kind", "title", "body", "tags", "links", "attachment_ids"] as const;
export type PostField = (typeof POST_FIELDS)[number];
/** The community is a path parameter: a problem about `slug` concerns the community field. */
export const POST_FIELD_ALIASES = { slug: "community" } as const;

export function emptyPostValues(kind: PostKind = "question"): PostValues {
  return { kind, title: "", body: "", tags: "", links: [], attachments: [] };
}

/** Nothing typed yet: not worth keeping as a draft. */
export function isBlankPost(values: PostValues): boolean {
  return !values.title.trim() && !values.body.trim() && !values.tags.trim() && values.links.length === 0;
}

/** A stored draft that still has the shape of the form's values. */
export function isPostValues(value: unknown): value is PostValues {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === "string" &&
    typeof v.title === "string" &&
    typeof v.body === "string" &&
    typeof v.tags === "string" &&
    Array.isArray(v.links)
  );
}

export function valuesOfPost(post: Post): PostValues {
  return {
    kind: post.kind,
    title: post.title,
    body: post.body,
    tags: post.tags.join(", "),
    links: post.links.map((link) => ({ url: link.url, title: link.title ?? "" })),
    attachments: post.attachments,
  };
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Links are kept only for resources, and only rows with an address. */
function linksOf(values: PostValues): PostLinkInput[] {
  if (values.kind !== "resource") return [];
  return values.links
    .filter((link) => link.url.trim() !== "")
    .map((link) => ({ url: link.url.trim(), title: link.title.trim() || null }));
}

export function validatePost(values: PostValues): Partial<Record<PostField, string>> {
  const found: Partial<Record<PostField, string>> = {};
  const title = values.title.trim();
  if (!title) found.title = "Give your post a title.";
  else if (title.length > TITLE_MAX) found.title = `Keep the title under ${TITLE_MAX + 1} characters.`;
  if (values.body.length > BODY_MAX) found.body = `Keep the text under ${BODY_MAX.toLocaleString()} characters.`;
  const tags = parseTags(values.tags);
  if (tags.length > TAGS_MAX) found.tags = `Use at most ${TAGS_MAX} tags.`;
  else if (tags.some((tag) => tag.length > TAG_MAX_LENGTH)) found.tags = `Keep each tag under ${TAG_MAX_LENGTH + 1} characters.`;
  const links = linksOf(values);
  if (links.length > LINKS_MAX) found.links = `Add at most ${LINKS_MAX} links.`;
  else if (links.some((link) => !isWebUrl(link.url))) found.links = "Each link needs a full web address, starting with https:// or http://.";
  else if (links.some((link) => (link.title ?? "").length > LINK_TITLE_MAX)) found.links = `Keep link titles under ${LINK_TITLE_MAX + 1} characters.`;
  return found;
}

export function toPostCreate(values: PostValues): PostCreate {
  return {
    kind: values.kind,
    title: values.title.trim(),
    body: values.body,
    tags: parseTags(values.tags),
    links: linksOf(values),
    attachment_ids: values.attachments.map((attachment) => attachment.id),
  };
}

function sameLinks(a: readonly PostLinkInput[], b: readonly PostLinkInput[]): boolean {
  const plain = (links: readonly PostLinkInput[]) => JSON.stringify(links.map((link) => [link.url, link.title ?? null]));
  return plain(a) === plain(b);
}

/** Only what the user changed relative to `base`, so a retry after a 412 keeps others' changes. */
export function postChanges(base: PostValues, mine: PostValues): PostUpdate {
  const before = toPostCreate(base);
  const after = toPostCreate(mine);
  const changes: PostUpdate = {};
  if (after.kind !== before.kind) changes.kind = after.kind;
  if (after.title !== before.title) changes.title = after.title;
  if (after.body !== before.body) changes.body = after.body;
  if (after.tags.join("\n") !== before.tags.join("\n")) changes.tags = after.tags;
  if (!sameLinks(after.links, before.links)) changes.links = after.links;
  if (after.attachment_ids.join() !== before.attachment_ids.join()) changes.attachment_ids = after.attachment_ids;
  return changes;
}

export function newLinkRow(): LinkValues {
  return { url: "", title: "" };
}
