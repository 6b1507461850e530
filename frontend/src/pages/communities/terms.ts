import type { Community } from "../../api/types";

/** Terms ending within this many days are flagged on the community's card. */
export const TERM_SOON_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

function daysUntil(iso: string, now: number): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now) / DAY_MS));
}

function inDays(days: number): string {
  if (days === 0) return "today";
  return days === 1 ? "in 1 day" : `in ${days} days`;
}

/**
 * What a member should know about leadership rotation: the steward whose own term ends soon is
 * told so; other members learn that a steward's term ends soon (time to nominate a peer).
 * Null for people outside the community and when no term ends within TERM_SOON_DAYS.
 */
export function termEndingSoon(community: Community, now: number = Date.now()): string | null {
  const membership = community.my_membership;
  if (membership?.status !== "active") return null;
  const soon = (iso: string | null | undefined): iso is string =>
    !!iso && new Date(iso).getTime() - now <= TERM_SOON_DAYS * DAY_MS;
  if (membership.role === "steward" && soon(membership.term_ends_at)) {
    return `Your steward term ends ${inDays(daysUntil(membership.term_ends_at, now))}`;
  }
  if (soon(community.steward_term_ends_at)) {
    return `A steward term ends ${inDays(daysUntil(community.steward_term_ends_at, now))}`;
  }
  return null;
}
