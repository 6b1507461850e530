import type { Mentorship, MentorshipStatus } from "../../api/types";

export const STATUS_LABELS: Record<MentorshipStatus, string> = {
  requested: "Waiting for an answer",
  active: "Active",
  declined: "Declined",
  cancelled: "Withdrawn",
  completed: "Completed",
};

export const STATUS_BADGES: Record<MentorshipStatus, string> = {
  requested: "badge badge--warning",
  active: "badge badge--success",
  declined: "badge badge--neutral",
  cancelled: "badge badge--neutral",
  completed: "badge",
};

/** The server closes requests nobody answered in time as `cancelled` with this reason. */
export const EXPIRED_REASON = "expired";

/** Why a closed request is closed, in a sentence for the person reading. */
export function closedReason(mentorship: Mentorship, iAmMentor: boolean): string | null {
  if (mentorship.decline_reason === EXPIRED_REASON) return "Nobody answered in time, so the request expired.";
  if (mentorship.status === "declined") {
    const who = iAmMentor ? "You" : mentorship.mentor.display_name;
    return mentorship.decline_reason ? `${who} declined: “${mentorship.decline_reason}”` : `${who} declined.`;
  }
  if (mentorship.status === "cancelled") {
    return iAmMentor ? `${mentorship.mentee.display_name} withdrew the request.` : "You withdrew the request.";
  }
  return null;
}

export const RATING_LABELS: Record<number, string> = {
  1: "Didn’t help",
  2: "Helped a little",
  3: "Helpful",
  4: "Very helpful",
  5: "Changed how I work",
};

/** "1 h 30 min", "45 min". */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Every IANA time zone this browser knows (plus UTC and `current`), sorted. */
export function timeZones(current: string | null): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const all = new Set(["UTC", ...zones]);
  if (current) all.add(current);
  return [...all].sort((a, b) => a.localeCompare(b));
}

export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
