import type { InboxItem, NotificationKind, NotificationReason } from "../../api/types";

/** Human names of the kinds, as the preferences table lists them (in this order). */
export const KIND_LABELS: Record<NotificationKind, string> = {
  comment_on_post: "Answers and comments on your posts",
  reply_to_comment: "Replies to your comments",
  mention: "Mentions of you",
  answer_accepted: "Your answers accepted",
  question_for_you: "Questions for your expertise",
  new_post: "New posts in your communities",
  invitation: "Invitations to communities",
  membership_approved: "Requests to join approved",
  join_request: "Requests to join your communities",
  nomination: "Nominations for leadership roles",
  nominations_open: "Nominations opening in your communities",
  report_filed: "Reported content to review",
  mentorship_requested: "Mentorship requests",
  mentorship_accepted: "Mentorship requests accepted",
  mentorship_declined: "Mentorship requests declined",
  endorsement_received: "Endorsements of your skills",
  webhook_disabled: "Webhooks disabled after failing",
};

/** Why it reached you, as shown under each line. */
export const REASON_LABELS: Record<NotificationReason, string> = {
  asked: "because you asked",
  authored: "because you wrote it",
  watching: "you watch this post",
  mentioned: "because you were mentioned",
  replied_to: "because it replies to you",
  community_setting: "your community notification setting",
  steward: "because you lead this community",
  member: "because you’re a member",
  participant: "because you take part",
  expertise: "because of your skills",
  you: "about you",
};

/**
 * Who did it: "Aiko", "Aiko and Ben", "Aiko and 2 others" (the line groups `count` events, its
 * `actors` are the latest few, newest first), or null when nobody in particular did.
 */
export function actorsPhrase(item: InboxItem): string | null {
  const names = item.actors.length > 0 ? item.actors.map((a) => a.display_name) : item.actor ? [item.actor.display_name] : [];
  const [first, second] = names;
  if (first === undefined) return null;
  if (names.length === 1) return first;
  const others = Math.max(item.count, names.length) - 1;
  if (others === 1 && second !== undefined) return `${first} and ${second}`;
  return `${first} and ${others} others`;
}

/**
 * The line's sentence in parts. The server titles each line with the latest event's sentence
 * ("Aiko answered: How do we…"); on a line that groups several people, their names replace the
 * latest one's ("Aiko and 2 others answered: How do we…"). One person acting several times is
 * counted (`times`) rather than inventing others.
 */
export function describe(item: InboxItem): { who: string | null; rest: string; times: number | null } {
  const title = item.subject.title;
  const latest = item.actor?.display_name ?? item.actors[0]?.display_name;
  const who = actorsPhrase(item);
  const several = item.actors.length > 1;
  const times = item.count > 1 && !several ? item.count : null;
  if (latest !== undefined && who !== null && title.startsWith(`${latest} `)) {
    return { who, rest: title.slice(latest.length), times };
  }
  return { who: null, rest: title, times: item.count > 1 ? item.count : null };
}

/** The whole sentence as plain text ("Aiko and 2 others answered: How do we…"). */
export function sentence(item: InboxItem): string {
  const { who, rest, times } = describe(item);
  const text = `${who ?? ""}${rest}`;
  return times ? `${text} (${times} times)` : text;
}
