/** Values, checks and request bodies of the create and edit forms (no React here). */
import type { Community, CommunityCreate, CommunityUpdate, JoinPolicy, Visibility } from "../../api/types";
import { parseTags } from "../../lib/tags";

export const FIELDS = [
  "name",
  "slug",
  "purpose",
  "description",
  "visibility",
  "join_policy",
  "tags",
  "steward_term_days",
  "nudge_after_minutes",
] as const;
export type FieldName = (typeof FIELDS)[number];

export interface Values {
  name: string;
  slug: string;
  purpose: string;
  description: string;
  visibility: Visibility;
  join_policy: JoinPolicy;
  /** Comma separated. */
  tags: string;
  /** Digits, or "" for no fixed terms. */
  steward_term_days: string;
  /** Digits; "0" turns nudges off (edited on an existing community only). */
  nudge_after_minutes: string;
}

export const EMPTY_VALUES: Values = {
  name: "",
  slug: "",
  purpose: "",
  description: "",
  visibility: "public",
  join_policy: "open",
  tags: "",
  steward_term_days: "",
  nudge_after_minutes: "60",
};

export const NAME_MAX = 120;
export const PURPOSE_MIN = 10;
export const PURPOSE_MAX = 500;
export const DESCRIPTION_MAX = 20_000;
export const TAGS_MAX = 10;
export const TAG_MAX_LENGTH = 50;
export const TERM_MIN_DAYS = 7;
export const TERM_MAX_DAYS = 730;
export const NUDGE_MAX_MINUTES = 10_080;
const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

export function valuesOf(community: Community): Values {
  return {
    name: community.name,
    slug: community.slug,
    purpose: community.purpose,
    description: community.description,
    visibility: community.visibility,
    join_policy: community.join_policy,
    tags: community.tags.join(", "),
    steward_term_days: community.steward_term_days === null ? "" : String(community.steward_term_days),
    nudge_after_minutes: String(community.nudge_after_minutes),
  };
}

function termDays(text: string): number | null {
  return text.trim() === "" ? null : Number(text.trim());
}

/** A private community can only be joined by invitation; the form enforces it as you choose. */
export function withSettings(values: Values, changes: Partial<Values>): Values {
  const next = { ...values, ...changes };
  if (next.visibility === "private") next.join_policy = "invite";
  return next;
}

/** Roughly what the server makes from a name when no slug is given (a starting point to edit). */
export function suggestSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug.length >= 3 ? slug : `${slug || "community"}-cop`;
}

/** The checks the API makes, run first so people get answers without a round trip. */
export function validate(values: Values, mode: "create" | "edit"): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {};
  const name = values.name.trim();
  if (!name) found.name = "Give the community a name.";
  else if (name.length > NAME_MAX) found.name = `Keep the name under ${NAME_MAX + 1} characters.`;

  const slug = values.slug.trim();
  if (mode === "create" && slug && (slug.length < 3 || slug.length > 60 || !SLUG_PATTERN.test(slug))) {
    found.slug = "Use 3–60 lowercase letters, digits and hyphens, not starting or ending with a hyphen.";
  }

  const purpose = values.purpose.trim();
  if (purpose.length < PURPOSE_MIN) {
    found.purpose = `Say why people meet, in at least ${PURPOSE_MIN} characters.`;
  } else if (purpose.length > PURPOSE_MAX) {
    found.purpose = `Keep the purpose to ${PURPOSE_MAX} characters; the description can say more.`;
  }

  if (values.description.length > DESCRIPTION_MAX) {
    found.description = `The description can be at most ${DESCRIPTION_MAX.toLocaleString()} characters.`;
  }

  const tags = parseTags(values.tags);
  if (tags.length > TAGS_MAX) found.tags = `Use at most ${TAGS_MAX} tags.`;
  else if (tags.some((tag) => tag.length > TAG_MAX_LENGTH)) found.tags = `Keep each tag under ${TAG_MAX_LENGTH + 1} characters.`;

  const term = values.steward_term_days.trim();
  if (term) {
    const days = Number(term);
    if (!/^\d+$/.test(term) || days < TERM_MIN_DAYS || days > TERM_MAX_DAYS) {
      found.steward_term_days = `Enter a whole number of days from ${TERM_MIN_DAYS} to ${TERM_MAX_DAYS}, or leave it blank.`;
    }
  }

  const nudge = values.nudge_after_minutes.trim();
  if (!/^\d+$/.test(nudge) || Number(nudge) > NUDGE_MAX_MINUTES) {
    found.nudge_after_minutes = `Enter a whole number of minutes from 0 (off) to ${NUDGE_MAX_MINUTES.toLocaleString()}.`;
  }

  if (values.visibility === "private" && values.join_policy !== "invite") {
    found.join_policy = "Private communities can only be joined by invitation.";
  }
  return found;
}

export function toCreate(values: Values): CommunityCreate {
  const body: CommunityCreate = {
    name: values.name.trim(),
    purpose: values.purpose.trim(),
    description: values.description,
    visibility: values.visibility,
    join_policy: values.join_policy,
    tags: parseTags(values.tags),
  };
  const slug = values.slug.trim();
  if (slug) body.slug = slug;
  const days = termDays(values.steward_term_days);
  if (days !== null) body.steward_term_days = days;
  return body;
}

/** Only what differs from `base`; emptying the term sends null (no fixed terms). */
export function changesBetween(base: Values, values: Values): CommunityUpdate {
  const changes: CommunityUpdate = {};
  if (values.name.trim() !== base.name.trim()) changes.name = values.name.trim();
  if (values.purpose.trim() !== base.purpose.trim()) changes.purpose = values.purpose.trim();
  if (values.description !== base.description) changes.description = values.description;
  if (values.visibility !== base.visibility) changes.visibility = values.visibility;
  if (values.join_policy !== base.join_policy) changes.join_policy = values.join_policy;
  const tags = parseTags(values.tags);
  if (tags.join(",") !== parseTags(base.tags).join(",")) changes.tags = tags;
  const days = termDays(values.steward_term_days);
  if (days !== termDays(base.steward_term_days)) changes.steward_term_days = days;
  const nudge = Number(values.nudge_after_minutes.trim());
  if (nudge !== Number(base.nudge_after_minutes.trim())) changes.nudge_after_minutes = nudge;
  return changes;
}

/** Whether two form values mean the same thing (ignoring whitespace and tag formatting). */
export function sameValue(field: FieldName, a: Values, b: Values): boolean {
  if (field === "tags") return parseTags(a.tags).join(",") === parseTags(b.tags).join(",");
  if (field === "description") return a.description === b.description;
  return a[field].trim() === b[field].trim();
}

/**
 * After a 412: fields the person left alone take the newer values; fields they edited keep
 * their edits. Returns the merged values and the fields both sides changed.
 */
export function mergeNewer(
  base: Values,
  mine: Values,
  theirs: Values,
): { merged: Values; conflicts: FieldName[]; changedByThem: FieldName[] } {
  const merged = { ...mine };
  const conflicts: FieldName[] = [];
  const changedByThem: FieldName[] = [];
  for (const field of FIELDS) {
    if (field === "slug") continue;
    if (sameValue(field, base, theirs)) continue;
    changedByThem.push(field);
    if (sameValue(field, base, mine)) {
      (merged as Record<FieldName, string>)[field] = theirs[field];
    } else if (!sameValue(field, mine, theirs)) {
      conflicts.push(field);
    }
  }
  return { merged: withSettings(merged, {}), conflicts, changedByThem };
}
