import type { ActKind } from "../../api/types";

/** How each act reads in the ledger. */
export const ACT_LABELS: Record<ActKind, string> = {
  community_started: "Started a community",
  steward_term: "Began a steward term",
  moderation_decision: "Made a moderation decision",
  nomination_given: "Nominated a peer",
  nomination_received: "Was nominated by a peer",
  nomination_accepted: "Nomination accepted",
  answer_accepted: "Gave an accepted answer",
  best_practice_published: "Published a best practice",
  endorsement_with_evidence: "Endorsed a colleague with evidence",
  mentorship_completed: "Completed a mentorship",
  mentoring_session_held: "Held a mentoring session",
  nudged_question_answered: "Answered a question they were asked about",
};

/** The API's evidence path as a page of this app (audit log → the Moderation tab; mentorships live under /mentorship). */
export function evidencePage(url: string): string {
  const audit = /^\/communities\/([^/]+)\/audit-log$/.exec(url);
  if (audit) return `/communities/${audit[1]}?tab=moderation`;
  if (url.startsWith("/mentorships/")) return "/mentorship";
  return url;
}

