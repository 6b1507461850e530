/**
 * Short names for the wire types: each one an alias of the schema generated from
 * openapi/openapi.json (`npm run gen:api`), never a hand-written copy.
 */

import type { components, paths } from "./schema";

type Schemas = components["schemas"];

export type Role = Schemas["Role"];
/** The user summary used everywhere in the API. */
export type UserSummary = Schemas["UserSummary"];
/** The caller's own profile, as returned by GET/PATCH /me. */
export type Me = Schemas["UserMe"];
export type MeUpdate = Schemas["MeUpdate"];
/** When someone is at work, in their own time zone (ISO weekdays, HH:MM; an end before the start crosses midnight). */
export type WorkingHours = Schemas["WorkingHoursPublic"];
export type RegisterRequest = Schemas["RegisterRequest"];
/** `refresh_token` is null when the refresh token travels in the httpOnly cookie instead. */
export type AccessTokenResponse = Schemas["TokenResponse"];
export type RegisterResponse = Schemas["RegisterResponse"];
/** `keep_personal_tokens`: keep personal access tokens working; by default the change revokes them too. */
export type PasswordChange = Schemas["PasswordChange"];
/** PUT /me/email: the new address and the current password. */
export type EmailChange = Schemas["EmailChange"];
/** verified, unverified, or undeliverable (the mail server refused the address for good). */
export type EmailStatus = Me["email_status"];

export type PersonalAccessToken = Schemas["PersonalTokenPublic"];
export type TokenScope = PersonalAccessToken["scopes"][number];
export type PersonalAccessTokenCreate = Schemas["PersonalTokenCreate"];
/** The one response that carries the token secret; it is never shown again. */
export type PersonalAccessTokenCreated = Schemas["PersonalTokenCreated"];

/** Every list endpoint answers this envelope (`Page_X_` in the schema), whatever its items. */
export type Page<T> = Omit<Schemas["Page_UserSummary_"], "items"> & { items: T[] };

/** One entry of a validation problem's `errors` list (FastAPI-style `loc`). */
export type ValidationIssue = Schemas["ValidationIssue"];
/** application/problem+json (RFC 9457). */
export type Problem = Schemas["Problem"];

// ---------------------------------------------------------------------------------------------
// Communities of practice
// ---------------------------------------------------------------------------------------------

/** `CommunityPublic`: a community as the caller sees it. `description_html` is sanitized by the server. */
export type Community = Schemas["CommunityPublic"];
export type Visibility = Community["visibility"];
export type JoinPolicy = Community["join_policy"];
/** The caller's membership as carried by a community. */
export type MembershipBrief = Schemas["MembershipBrief"];
/** A role inside one community (not the site-wide `Role`). */
export type CommunityRole = MembershipBrief["role"];
export type MembershipStatus = Schemas["MembershipStatus"];
export type CommunitySort = Schemas["CommunitySort"];
export type CommunityCreate = Schemas["CommunityCreate"];
/** Only the fields sent change; `steward_term_days: null` ends fixed terms. */
export type CommunityUpdate = Schemas["CommunityUpdate"];
/** The caller's own membership, as returned by join and notify-level changes. */
export type MyMembership = Schemas["MyMembership"];
export type NotifyLevel = MyMembership["notify_level"];
export type Member = Schemas["MemberPublic"];
/** Approve a pending request (`status: "active"`) and/or change a role. */
export type MemberUpdate = Schemas["MemberUpdate"];
export type CommunityRef = Schemas["CommunityRef"];
/** A pending invitation to the caller. */
export type Invitation = Schemas["InvitationPublic"];
/** An open invitation, as the community's stewards see it. */
export type PendingInvitation = Schemas["PendingInvitationPublic"];
export type NominationStatus = Schemas["NominationStatus"];
export type NominationCreate = Schemas["NominationCreate"];
export type Nomination = Schemas["NominationPublic"];
/** Health over the last 30 days; `answered_ratio` is 0–1. */
export type CommunityStats = Schemas["CommunityStatsPublic"];
/** `action` is one of the server's audit actions (open set). */
export type AuditEntry = Schemas["AuditEntryPublic"];

// ---------------------------------------------------------------------------------------------
// Skills, endorsements, learning goals, people, mentorship
// ---------------------------------------------------------------------------------------------

export type SkillCategory = components["schemas"]["SkillCategory"];
export type SkillSort = components["schemas"]["SkillSort"];
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
// Posts, comments, search and reports
// ---------------------------------------------------------------------------------------------

export type CommunityPermission = Schemas["CommunityPublic"]["my_permissions"][number];
export type PostKind = Schemas["PostKind"];
export type PostSort = Schemas["PostSort"];
export type FeedSort = Schemas["FeedSort"];
export type ReactionKind = Schemas["ReactionKind"];
export type ReactionCounts = Schemas["ReactionCounts"];
/** `PostPublic`. `body_html` is sanitized by the server. */
export type Post = Schemas["PostPublic"];
/** Why the caller was asked to answer a question (GET /posts/{id} only). */
export type Nudge = Schemas["NudgePublic"];
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
/** `AttachmentPublic`: an uploaded file. Its `url` needs the bearer token (see `fetchUpload`). */
export type Attachment = Schemas["AttachmentPublic"];
export type ReportCreate = Schemas["ReportCreate"];
export type ReportReason = ReportCreate["reason"];
export type ReportCreated = Schemas["ReportCreated"];
/** `ReportPublic`: what moderators see; the reporter is never included. */
export type Report = Schemas["ReportPublic"];
export type ReportStatus = Schemas["ReportStatus"];
export type ReportResolve = Schemas["ReportResolve"];
export type ReportAction = ReportResolve["action"];

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** `NotificationPublic`: one inbox line, possibly grouping several events (`count`, `actors`). */
export type InboxItem = Schemas["NotificationPublic"];
export type NotificationKind = Schemas["NotificationKind"];
/** Why the caller got a notification. */
export type NotificationReason = Schemas["Reason"];
export type NotificationPreferences = Schemas["NotificationPreferences"];
/** One kind's channels: `in_app`, `email`, `push`. */
export type NotificationChannels = Schemas["ChannelsPublic"];
export type NotificationPreferencesUpdate = Schemas["NotificationPreferencesUpdate"];
/** The e-mail digest (`off`, `daily`, `weekly`) and the mention and mentorship e-mail switches. */
export type NotificationSettings = Schemas["NotificationSettings"];
export type NotificationSettingsUpdate = Schemas["NotificationSettingsUpdate"];
export type DigestFrequency = Schemas["DigestFrequency"];
/** What a mail's one-click unsubscribe link names, and whether it is now turned off. */
export type UnsubscribeResult = Schemas["UnsubscribePublic"];
export type UnreadCount = Schemas["UnreadCount"];
/** `PostWatchPublic`: whether the caller watches a post, and why (`author`, `commenter`, `explicit`). */
export type PostWatch = Schemas["PostWatchPublic"];
export type WatchReason = Schemas["WatchReason"];
/** `StreamTicketPublic`: opens `GET /me/notifications/stream?ticket=` once, before `expires_at`. */
export type StreamTicket = Schemas["StreamTicketPublic"];

/** One skill's demand, supply, gap (with its parts) and bus factor, from GET /insights/skills. */
export type SkillInsight = Schemas["SkillInsightPublic"];
export type SkillInsightSort = NonNullable<NonNullable<paths["/api/v1/insights/skills"]["get"]["parameters"]["query"]>["sort"]>;
// ---------------------------------------------------------------------------------------------
// Leadership insights: the ledger, community health over time, the organisation's overview
// ---------------------------------------------------------------------------------------------

/** One act of leadership, with its community (none for mentoring) and where to check it. */
export type LeadershipAct = Schemas["LeadershipActPublic"];
export type ActKind = Schemas["ActKind"];
/** Acts per calendar quarter (UTC), oldest first, under the ledger's visibility rule. */
export type LedgerSummary = Schemas["LedgerSummaryPublic"];
/** A community's weekly series, oldest first, each week with its 13-week leaderful index. */
export type CommunityHealth = Schemas["CommunityHealthPublic"];
export type HealthWeek = Schemas["HealthWeekPublic"];
/** `scope: "all"` for administrators; anyone else sees the public communities only. */
export type OrganisationHealth = Schemas["OrganisationHealthPublic"];
export type RankedCommunity = Schemas["RankedCommunityPublic"];
// Push notifications (devices)
/** `DevicePublic`: a browser or app that receives the caller's pushes. */
export type Device = Schemas["DevicePublic"];
/** `WebPushDeviceCreate`: a browser's `PushSubscription.toJSON()` to register. */
export type WebPushDeviceCreate = Schemas["WebPushDeviceCreate"];
// Webhooks: the organisation's (administrators) and a community's (its stewards)
/** `WebhookPublic`: a subscription; `community` null for an organisation webhook. */
export type Webhook = Schemas["WebhookPublic"];
export type WebhookCreate = Schemas["WebhookCreate"];
export type WebhookUpdate = Schemas["WebhookUpdate"];
/** The create and rotate-secret answers: the only ones that carry the signing `secret`. */
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
/** One event (or ping) sent to a webhook, with each try. */
export type WebhookDelivery = Schemas["DeliveryPublic"];
export type WebhookAttempt = Schemas["AttemptPublic"];
/** The event types a webhook can subscribe to (the catalog, without `webhook.ping`). */
export type WebhookEventType = WebhookCreate["event_types"][number];
