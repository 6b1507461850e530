/**
 * Wire types for the endpoints this slice uses, as fixed by shared/API.md.
 *
 * Once `npm run gen:api` produces `schema.d.ts` from openapi/openapi.json, each of these
 * becomes an alias of the generated schema (e.g.
 * `export type User = components["schemas"]["UserPublic"]`) and the rest of the app keeps
 * importing from here.
 */

import type { components } from "./schema";

/** RFC 3339 UTC timestamp, e.g. "2026-11-28T10:00:00Z". */
export type Timestamp = string;

export type Role = "member" | "admin";

/** The user summary used everywhere in the API. */
export interface UserSummary {
  id: string;
  handle: string;
  display_name: string;
  title: string | null;
  avatar_url: string | null;
}

/** The caller's own profile, as returned by GET/PATCH /me. */
export interface Me extends UserSummary {
  email: string;
  role: Role | (string & {});
  created_at: Timestamp;
  bio: string | null;
  location: string | null;
  timezone: string | null;
}

export interface MeUpdate {
  display_name?: string;
  title?: string | null;
  bio?: string | null;
  location?: string | null;
  timezone?: string | null;
  avatar_url?: string | null;
}

export interface RegisterRequest {
  email: string;
  password: string;
  display_name: string;
  handle?: string;
}

export interface AccessTokenResponse {
  access_token: string;
  token_type: "bearer" | (string & {});
  /** Lifetime of the access token, in seconds. */
  expires_in: number;
  /** null when the refresh token travels in the httpOnly cookie instead. */
  refresh_token?: string | null;
}

export interface RegisterResponse extends AccessTokenResponse {
  user: Me;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
  /** Keep personal access tokens working; by default the change revokes them too. */
  keep_personal_tokens?: boolean;
}

export interface PasswordChanged {
  /** How many personal access tokens the change revoked; null when the server did not say. */
  personalTokensRevoked: number | null;
}

export type TokenScope = "read" | "write" | "admin";

export interface PersonalAccessToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface PersonalAccessTokenCreate {
  name: string;
  scopes: TokenScope[];
  expires_in_days?: number;
}

/** The one response that carries the token secret; it is never shown again. */
export interface PersonalAccessTokenCreated extends Omit<PersonalAccessToken, "last_used_at"> {
  token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** One entry of a validation problem's `errors` list (FastAPI-style `loc`). */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** application/problem+json (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  instance?: string | null;
  /** A stable machine-readable reason, when the server gives one. */
  code?: string | null;
  errors?: ValidationIssue[];
}

// ---------------------------------------------------------------------------------------------
// Communities of practice
// ---------------------------------------------------------------------------------------------

export type Visibility = "public" | "private";
export type JoinPolicy = "open" | "approval" | "invite";
/** A role inside one community (not the site-wide `Role`). */
export type CommunityRole = "member" | "moderator" | "steward";
export type MembershipStatus = "active" | "pending";
export type NotifyLevel = "all" | "mentions" | "muted";
export type CommunitySort = "active" | "new" | "members";

/** The caller's membership as carried by a community (`MembershipBrief`). */
export interface MembershipBrief {
  role: CommunityRole;
  status: MembershipStatus;
}

/** `CommunityPublic`: a community as the caller sees it. */
export interface Community {
  id: string;
  slug: string;
  name: string;
  /** The community's reason to meet, 10–500 characters. */
  purpose: string;
  /** Markdown source. */
  description: string;
  /** Sanitized by the server; safe to render as HTML. */
  description_html: string;
  visibility: Visibility;
  join_policy: JoinPolicy;
  tags: string[];
  steward_term_days: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_activity_at: Timestamp;
  archived_at: Timestamp | null;
  member_count: number;
  post_count: number;
  my_membership: MembershipBrief | null;
  /** What the caller may do here (e.g. "post", "moderate"); the server's own permission table. */
  my_permissions?: CommunityPermission[];
  /** The caller holds an open invitation to join. */
  invited?: boolean;
  version: number;
}

export interface CommunityCreate {
  name: string;
  purpose: string;
  description?: string;
  /** Made from the name when omitted. */
  slug?: string | null;
  visibility?: Visibility;
  join_policy?: JoinPolicy;
  tags?: string[];
  steward_term_days?: number | null;
}

/** Only the fields sent change; `steward_term_days: null` ends fixed terms. */
export interface CommunityUpdate {
  name?: string;
  purpose?: string;
  description?: string;
  visibility?: Visibility;
  join_policy?: JoinPolicy;
  tags?: string[];
  steward_term_days?: number | null;
}

/** A response body together with the `ETag` it came with (for `If-Match`). */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}

/** `MyMembership`: the caller's own membership, as returned by join and notify-level changes. */
export interface MyMembership extends MembershipBrief {
  joined_at: Timestamp;
  notify_level: NotifyLevel;
  term_ends_at: Timestamp | null;
}

/** `MemberPublic`. */
export interface Member {
  user: UserSummary;
  role: CommunityRole;
  status: MembershipStatus;
  joined_at: Timestamp;
  term_ends_at: Timestamp | null;
}

/** Approve a pending request (`status: "active"`) and/or change a role. */
export interface MemberUpdate {
  role?: CommunityRole;
  status?: "active";
}

export interface CommunityRef {
  slug: string;
  name: string;
}

/** `InvitationPublic`: a pending invitation to the caller. */
export interface Invitation {
  id: string;
  community: CommunityRef;
  invited_by: UserSummary;
  created_at: Timestamp;
}

/** `PendingInvitationPublic`: an open invitation, as the community's stewards see it. */
export type PendingInvitation = components["schemas"]["PendingInvitationPublic"];

export type NominationStatus = "pending" | "accepted" | "declined";

export interface NominationCreate {
  handle: string;
  role: Exclude<CommunityRole, "member">;
  reason?: string | null;
}

/** `NominationPublic`. */
export interface Nomination {
  id: string;
  nominee: UserSummary;
  nominated_by: UserSummary;
  role: CommunityRole;
  status: NominationStatus;
  reason: string | null;
  created_at: Timestamp;
  decided_at: Timestamp | null;
}

/** `CommunityStatsPublic`: health over the last 30 days. */
export interface CommunityStats {
  members: number;
  active_members_30d: number;
  posts_30d: number;
  questions_30d: number;
  /** 0–1. */
  answered_ratio: number;
  median_first_response_minutes: number | null;
  contributors_30d: number;
  leaders_30d: number;
}

/** `AuditEntryPublic`. `action` is one of the server's audit actions (open set). */
export interface AuditEntry {
  id: string;
  action: string;
  actor: UserSummary | null;
  subject: UserSummary | null;
  note: string | null;
  created_at: Timestamp;
}

// ---------------------------------------------------------------------------------------------
// Skills, endorsements, learning goals, people, mentorship: aliases of the generated schema
// ---------------------------------------------------------------------------------------------

export type SkillCategory = components["schemas"]["SkillCategory"];
export type SkillSort = components["schemas"]["SkillSort"];
/** Dreyfus level: 1 novice, 2 advanced beginner, 3 competent, 4 proficient, 5 expert. */
export type SkillLevel = 1 | 2 | 3 | 4 | 5;
export type GoalStatus = components["schemas"]["GoalStatus"];
/** `SkillPublic`. `holder_count` is what `sort=popular` orders by; experts are at level 4 or 5. */
export type Skill = components["schemas"]["SkillPublic"];
export type SkillCreate = components["schemas"]["SkillCreate"];
/** Administrators only; `listed: true` publishes a skill waiting for review. */
export type SkillUpdate = components["schemas"]["SkillUpdate"];
export type SkillRef = components["schemas"]["SkillRefPublic"];
/** `ScorePartsPublic`: points from each input; they add up to the score. */
export type ScoreParts = components["schemas"]["ScorePartsPublic"];
/** `ExpertPublic`: ordered by `ranking_score` (public content); `score`/`parts` as the caller sees them. */
export type Expert = components["schemas"]["ExpertPublic"];
export type UserSkill = components["schemas"]["UserSkillPublic"];
export type UserSkillPut = components["schemas"]["UserSkillPut"];
export type EndorsementPut = components["schemas"]["EndorsementPut"];
/** `EndorsementPublic`. `evidence_post_id` is null when there is none or the caller can't see it. */
export type Endorsement = components["schemas"]["EndorsementPublic"];
export type LearningGoal = components["schemas"]["LearningGoalPublic"];
export type LearningGoalCreate = components["schemas"]["LearningGoalCreate"];
export type LearningGoalUpdate = components["schemas"]["LearningGoalUpdate"];

export type MentorProfile = components["schemas"]["MentorProfilePublic"];
export type MentorProfilePut = components["schemas"]["MentorProfilePut"];
/** `UserProfilePublic`: GET /users/{handle}; `skills` holds the strongest few only. */
export type UserProfile = components["schemas"]["UserProfilePublic"];
/** `MentorRecommendationPublic`: `reasons` say why, in plain words. */
export type MentorRecommendation = components["schemas"]["MentorRecommendationPublic"];
export type MentorshipStatus = components["schemas"]["MentorshipStatus"];
export type MentorshipRole = components["schemas"]["MentorshipRole"];
/** `MentorshipPublic`. `decline_reason` is "expired" for a request nobody answered in time. */
export type Mentorship = components["schemas"]["MentorshipPublic"];
export type MentorshipCreate = components["schemas"]["MentorshipCreate"];
export type MentorshipSession = components["schemas"]["SessionPublic"];
export type SessionCreate = components["schemas"]["SessionCreate"];
export type FeedbackCreate = components["schemas"]["FeedbackCreate"];
export type Feedback = components["schemas"]["FeedbackPublic"];

// ---------------------------------------------------------------------------------------------
// Posts, comments, search and reports: aliases of the generated schema (npm run gen:api)
// ---------------------------------------------------------------------------------------------

type Schemas = components["schemas"];

export type CommunityPermission = Schemas["CommunityPublic"]["my_permissions"][number];
export type PostKind = Schemas["PostKind"];
export type PostSort = Schemas["PostSort"];
export type FeedSort = Schemas["FeedSort"];
export type ReactionKind = Schemas["ReactionKind"];
export type ReactionCounts = Schemas["ReactionCounts"];
/** `PostPublic`. `body_html` is sanitized by the server. */
export type Post = Schemas["PostPublic"];
export type PostCreate = Schemas["PostCreate"];
/** Only the fields sent change. Content fields: the author; `is_pinned`/`is_locked`: moderators. */
export type PostUpdate = Schemas["PostUpdate"];
export type PostLink = Schemas["LinkOut"];
export type PostLinkInput = Schemas["LinkIn"];
/** `PostSearchHit`: a post plus `snippet`, HTML whose only tags are `<mark>`. */
export type PostSearchHit = Schemas["PostSearchHit"];
/** `CommentPublic`. Replies carry `parent_id` (one level deep). */
export type PostComment = Schemas["CommentPublic"];
export type CommentCreate = Schemas["CommentCreate"];
export type ReportCreate = Schemas["ReportCreate"];
export type ReportReason = ReportCreate["reason"];
export type ReportCreated = Schemas["ReportCreated"];
/** `ReportPublic`: what moderators see; the reporter is never included. */
export type Report = Schemas["ReportPublic"];
export type ReportStatus = Schemas["ReportStatus"];
export type ReportResolve = Schemas["ReportResolve"];
export type ReportAction = ReportResolve["action"];
