/**
 * What the caller may do in one community, mirroring the API's permission table
 * (domain/communities/model.py). The server stays the authority: these only decide which
 * controls to show, and every action still handles a 403.
 */
import type { Community, CommunityRole, Me, Member } from "../../api/types";

const RANK: Record<CommunityRole, number> = { member: 1, moderator: 2, steward: 3 };

export function roleRank(role: CommunityRole): number {
  return RANK[role];
}

/** The caller's role when their membership is active; null for visitors and pending requests. */
export function activeRole(community: Community): CommunityRole | null {
  const membership = community.my_membership;
  return membership?.status === "active" ? membership.role : null;
}

export interface Abilities {
  /** An active member (any role). */
  isMember: boolean;
  /** Site administrators act as stewards everywhere, without being members. */
  isAdmin: boolean;
  role: CommunityRole | null;
  canEdit: boolean;
  canChangeRoles: boolean;
  canInvite: boolean;
  /** Approve or reject join requests, remove members. */
  canModerate: boolean;
  canNominate: boolean;
  canDecideNominations: boolean;
  /** See who holds an open invitation and withdraw one (stewards). */
  canManageInvitations: boolean;
  /**
   * The community's content (posts, members, stats, log): anyone in a public community, a
   * private one's members. An invitation shows a private community's name and purpose only.
   */
  canRead: boolean;
  /** Public communities show their members to anyone; private ones to members. */
  canSeeMembers: boolean;
}

function atLeast(role: CommunityRole | null, needed: CommunityRole): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

export function abilitiesFor(community: Community, me: Pick<Me, "role"> | undefined): Abilities {
  const role = activeRole(community);
  const isAdmin = me?.role === "admin";
  const writable = community.archived_at === null;
  const steward = isAdmin || atLeast(role, "steward");
  const moderator = isAdmin || atLeast(role, "moderator");
  const isPublic = community.visibility === "public";
  const canRead = isPublic || isAdmin || role !== null;
  return {
    isMember: role !== null,
    isAdmin,
    role,
    canEdit: writable && steward,
    canChangeRoles: writable && steward,
    canInvite: writable && (isPublic ? moderator : steward),
    canModerate: moderator,
    canNominate: writable && (isAdmin || role !== null),
    canDecideNominations: steward,
    canManageInvitations: steward,
    canRead,
    canSeeMembers: canRead,
  };
}

/** Moderators remove members and reject requests; stewards remove anyone but themselves. */
export function canRemoveMember(abilities: Abilities, target: Member, myHandle: string | undefined): boolean {
  if (target.user.handle === myHandle) return false;
  if (abilities.isAdmin) return true;
  const role = abilities.role;
  if (role === null || !abilities.canModerate) return false;
  if (target.status === "pending") return true;
  if (role === "steward") return true;
  return RANK[role] > RANK[target.role];
}

/**
 * Which membership control a community page shows. `invited` says whether the caller holds
 * a pending invitation (the community object does not say; it comes from GET /me/invitations).
 */
export type MembershipState =
  | "archived"
  | "member"
  | "pending"
  | "invited"
  | "open"
  | "approval"
  | "invite-only";

export function membershipState(community: Community, invited: boolean): MembershipState {
  const membership = community.my_membership;
  if (membership?.status === "active") return "member";
  if (membership?.status === "pending") return "pending";
  if (community.archived_at !== null) return "archived";
  if (invited) return "invited";
  if (community.join_policy === "open") return "open";
  if (community.join_policy === "approval") return "approval";
  return "invite-only";
}
