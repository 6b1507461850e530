import type { FeedSort, PostKind, PostSort, ReactionKind, ReportAction, ReportReason } from "../api/types";

export const POST_KINDS: readonly PostKind[] = ["question", "best_practice", "resource", "discussion"];

export const KIND_LABELS: Record<PostKind, string> = {
  question: "Question",
  best_practice: "Best practice",
  resource: "Resource",
  discussion: "Discussion",
};

/** What each kind is for, shown in the composer. */
export const KIND_DESCRIPTIONS: Record<PostKind, string> = {
  question: "Ask for help; the answer that solves it can be marked accepted.",
  best_practice: "Share a way of working that has proven itself.",
  resource: "Point to a guide, tool or talk worth colleagues’ time.",
  discussion: "Start a conversation about anything the community cares about.",
};

export const POST_SORT_LABELS: Record<PostSort, string> = {
  new: "Newest",
  active: "Recently active",
  top: "Top",
  unanswered: "Unanswered questions",
};

export const FEED_SORT_LABELS: Record<FeedSort, string> = {
  new: "Newest",
  active: "Recently active",
  top: "Top",
};

export const REACTIONS: readonly ReactionKind[] = ["like", "helpful", "insightful"];

export const REACTION_LABELS: Record<ReactionKind, string> = {
  like: "Like",
  helpful: "Helpful",
  insightful: "Insightful",
};

export const REPORT_REASONS: readonly { value: ReportReason; label: string; description: string }[] = [
  { value: "spam", label: "Spam", description: "Advertising, or the same thing posted again and again." },
  { value: "abuse", label: "Abuse", description: "Harassment, insults or anything that makes people feel unsafe." },
  { value: "off_topic", label: "Off topic", description: "Doesn’t belong in this community." },
  { value: "other", label: "Something else", description: "Tell the moderators what’s wrong below." },
];

export function reportReasonLabel(reason: string): string {
  return REPORT_REASONS.find((item) => item.value === reason)?.label ?? reason.replaceAll("_", " ");
}

export const REPORT_ACTION_LABELS: Record<ReportAction, string> = {
  dismiss: "Dismissed",
  remove_content: "Content removed",
};

/** "3 answers", "1 comment". Questions have answers; everything else has comments. */
export function repliesLabel(kind: PostKind, count: number): string {
  const noun = kind === "question" ? "answer" : "comment";
  return `${count.toLocaleString()} ${count === 1 ? noun : `${noun}s`}`;
}
