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

/** What happened, after the actors' names (the subject's title follows). */
function action(item: InboxItem): string {
  switch (item.kind) {
    case "comment_on_post":
      return item.reason === "asked" ? "answered" : "commented on";
    case "reply_to_comment":
      return "replied to you on";
    case "mention":
      return "mentioned you in";
    case "answer_accepted":
      return "accepted your answer to";
    case "question_for_you":
      return "asked a question you may know the answer to:";
    case "new_post":
      return "posted";
    case "invitation":
      return "invited you to";
    case "membership_approved":
      return "approved your request to join";
    case "join_request":
      return "asked to join";
    case "nomination":
      return "made a nomination in";
    case "nominations_open":
      return "opened nominations in";
    case "report_filed":
      return "reported content in";
    case "mentorship_requested":
      return "asked you for mentorship:";
    case "mentorship_accepted":
      return "accepted your mentorship request:";
    case "mentorship_declined":
      return "declined your mentorship request:";
    case "endorsement_received":
      return "endorsed you:";
  }
}

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

/** The line's sentence in parts: who, what, and the subject's title (set apart by the page). */
export function describe(item: InboxItem): { who: string | null; what: string; times: number | null } {
  const who = actorsPhrase(item);
  // One person acting several times: "Aiko answered … (3)".
  const times = item.count > 1 && item.actors.length <= 1 ? item.count : null;
  if (who === null) {
    const what = item.kind === "nominations_open" ? "Nominations are open in" : `${KIND_LABELS[item.kind]}:`;
    return { who, what, times };
  }
  return { who, what: action(item), times };
}

/** The whole sentence as plain text ("Aiko and 2 others answered “How do we…”"). */
export function sentence(item: InboxItem): string {
  const { who, what, times } = describe(item);
  const text = `${who ? `${who} ${what}` : what} “${item.subject.title}”`;
  return times ? `${text} (${times} times)` : text;
}
