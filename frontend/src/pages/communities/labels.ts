import type { CommunityRole, CommunitySort, JoinPolicy, MembershipBrief } from "../../api/types";

export const ROLE_LABELS: Record<CommunityRole, string> = {
  member: "Member",
  moderator: "Moderator",
  steward: "Steward",
};

export const SORT_LABELS: Record<CommunitySort, string> = {
  active: "Most active",
  new: "Newest",
  members: "Most members",
};

export const JOIN_POLICY_LABELS: Record<JoinPolicy, string> = {
  open: "Anyone can join",
  approval: "Join on approval",
  invite: "Invitation only",
};

/** "Steward", or "Request pending" while a join request waits. */
export function membershipLabel(membership: MembershipBrief): string {
  return membership.status === "pending" ? "Request pending" : ROLE_LABELS[membership.role];
}

/** Plain-language names for the audit log's actions; unknown ones are shown tidied. */
const AUDIT_ACTIONS: Record<string, string> = {
  created: "started the community",
  edited: "edited the community",
  archived: "archived the community",
  member_approved: "approved a request to join",
  request_rejected: "declined a request to join",
  member_removed: "removed a member",
  role_changed: "changed a role",
  invited: "invited someone",
  nomination_accepted: "accepted a nomination",
  nomination_declined: "declined a nomination",
  term_ended: "A steward’s term ended",
  term_renewed: "The last steward’s term was renewed",
  post_pinned: "pinned a post",
  post_locked: "locked a post",
  content_removed: "removed content",
  report_resolved: "resolved a report",
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action.replaceAll("_", " ");
}
