"""Ports: the Protocols the domain needs; repositories/ implements them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.actor import Actor
from domain.communities.model import (
    AuditEntry,
    AuditView,
    Community,
    CommunitySort,
    CommunityStats,
    CommunityView,
    Invitation,
    InvitationView,
    Membership,
    MembershipStatus,
    MemberView,
    Nomination,
    NominationStatus,
    NominationView,
    PendingInvitationView,
    Role,
)
from domain.mentorship.model import (
    Feedback,
    LearningNeed,
    MentorCandidate,
    MentorProfile,
    Mentorship,
    MentorshipRole,
    MentorshipSession,
    MentorshipStatus,
)
from domain.notifications.model import Notification
from domain.pagination import PageRequest, PageResult
from domain.posts.model import (
    Comment,
    FeedSort,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Report,
    ReportStatus,
    TargetType,
)
from domain.search import PostSearch
from domain.skills.model import (
    Endorsement,
    EvidencePost,
    Expert,
    GoalStatus,
    LearningGoal,
    NameOwner,
    ProfileEvidence,
    Skill,
    SkillCategory,
    SkillName,
    SkillRef,
    SkillSort,
    SkillSummary,
    UserSkill,
)
from domain.users.model import PersonalToken, RefreshToken, User


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class UserRepository(Protocol):
    async def get(self, user_id: UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def get_by_handle(self, handle: str) -> User | None: ...

    async def handles_taken(self, candidates: list[str]) -> set[str]: ...

    async def count(self) -> int: ...

    async def add(self, user: User) -> None: ...

    async def update(self, user: User) -> None: ...

    async def search(self, q: str | None, page: PageRequest) -> PageResult[User]: ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_used(self, token_id: UUID, at: datetime) -> bool:
        """Atomically mark an unused token used; False when someone else used it first."""
        ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> None: ...

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> None: ...


class PersonalTokenRepository(Protocol):
    async def add(self, token: PersonalToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> PersonalToken | None: ...

    async def list_for_user(
        self, user_id: UUID, page: PageRequest
    ) -> PageResult[PersonalToken]: ...

    async def revoke(self, user_id: UUID, token_id: UUID, at: datetime) -> bool: ...

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> int:
        """Revoke every live token of the user; how many were live."""
        ...

    async def lock_owner(self, user_id: UUID) -> None:
        """Hold the owner's account until the unit of work ends, so that checks of the
        owner's tokens followed by a write do not interleave with another request's."""
        ...

    async def created_since(self, user_id: UUID, since: datetime) -> tuple[int, datetime | None]:
        """How many tokens the user created after `since` (revoked ones too), and the oldest."""
        ...

    async def count_active(self, user_id: UUID, now: datetime) -> int: ...

    async def mark_used(self, token_id: UUID, at: datetime, stale_before: datetime) -> bool:
        """Set last_used_at to `at` unless it is already at or after `stale_before` (or the row
        is being written by another transaction right now); True when this call wrote it."""
        ...


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an Idempotency-Key remembers: the request's fingerprint and, once done, the answer."""

    request_hash: str
    status_code: int | None
    body: bytes | None
    location: str | None
    claimed_at: datetime | None = None


class IdempotencyRepository(Protocol):
    async def claim(
        self, owner: str, key: str, request_hash: str, at: datetime
    ) -> StoredResponse | None:
        """Claim the key; returns the existing record when it was claimed before."""
        ...

    async def take_over(self, owner: str, key: str, claimed_at: datetime, at: datetime) -> bool:
        """Claim again a key whose first request never finished (claimed exactly at
        `claimed_at`, still without an answer); False when someone else got there first."""
        ...

    async def complete(
        self, owner: str, key: str, status_code: int, body: bytes, location: str | None
    ) -> None: ...

    async def release(self, owner: str, key: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction. Repositories are read-only attributes so implementations may narrow them."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def personal_tokens(self) -> PersonalTokenRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def skills(self) -> SkillRepository: ...

    @property
    def user_skills(self) -> UserSkillRepository: ...

    @property
    def endorsements(self) -> EndorsementRepository: ...

    @property
    def learning_goals(self) -> LearningGoalRepository: ...

    @property
    def communities(self) -> CommunityRepository: ...

    @property
    def notifications(self) -> NotificationRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def search(self) -> PostSearch: ...

    @property
    def mentorship(self) -> MentorshipRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class CommunityRepository(Protocol):
    async def add(self, community: Community) -> None: ...

    async def update(self, community: Community) -> None: ...

    async def slug_taken(self, slug: str) -> bool: ...

    async def get_with_viewer(
        self, slug: str, user_id: UUID, *, for_update: bool = False
    ) -> tuple[Community, Membership | None, bool] | None:
        """The community, the caller's membership and whether they hold an open invitation.
        With for_update the community row is locked until commit (serialises leadership
        changes so the last-steward rule holds under concurrency)."""
        ...

    async def list_visible(
        self,
        user_id: UUID,
        is_admin: bool,
        q: str | None,
        member_only: bool,
        sort: CommunitySort,
        page: PageRequest,
    ) -> PageResult[CommunityView]: ...

    async def adjust_member_count(self, community_id: UUID, delta: int) -> None: ...

    async def get_membership(self, community_id: UUID, user_id: UUID) -> Membership | None: ...

    async def add_membership(self, membership: Membership) -> bool:
        """False (and nothing written) when the person already has a membership row."""
        ...

    async def activate_membership(self, community_id: UUID, user_id: UUID, at: datetime) -> bool:
        """Pending -> active; False when the membership was not pending (any more)."""
        ...

    async def update_membership(self, membership: Membership) -> None: ...

    async def delete_membership(self, community_id: UUID, user_id: UUID) -> Membership | None:
        """The membership as it was when deleted, or None when there was none (any more).

        Counters move by what these conditional writes return, never by an earlier read:
        concurrent requests may have read the same state."""
        ...

    async def list_members(
        self,
        community_id: UUID,
        role: Role | None,
        status: MembershipStatus | None,
        page: PageRequest,
    ) -> PageResult[MemberView]: ...

    async def stewards(self, community_id: UUID) -> list[Membership]: ...

    async def leader_ids(self, community_id: UUID, min_role: Role) -> list[UUID]: ...

    async def active_member_ids(self, community_id: UUID) -> list[UUID]: ...

    async def add_invitation(self, invitation: Invitation) -> None: ...

    async def open_invitation(self, community_id: UUID, user_id: UUID) -> Invitation | None: ...

    async def accept_invitation(self, invitation_id: UUID, at: datetime) -> None: ...

    async def invitations_for(
        self, user_id: UUID, page: PageRequest
    ) -> PageResult[InvitationView]: ...

    async def list_invitations(
        self, community_id: UUID, page: PageRequest
    ) -> PageResult[PendingInvitationView]:
        """The community's open invitations, newest first."""
        ...

    async def revoke_invitation(self, community_id: UUID, invitee_id: UUID) -> bool:
        """Withdraw the open invitation; False when there is none."""
        ...

    async def add_nomination(self, nomination: Nomination) -> None: ...

    async def get_nomination(
        self, community_id: UUID, nomination_id: UUID
    ) -> Nomination | None: ...

    async def update_nomination(self, nomination: Nomination) -> None: ...

    async def pending_nomination_exists(
        self, community_id: UUID, nominee_id: UUID, role: Role
    ) -> bool: ...

    async def list_nominations(
        self, community_id: UUID, status: NominationStatus | None, page: PageRequest
    ) -> PageResult[NominationView]: ...

    async def nomination_view(self, nomination_id: UUID) -> NominationView: ...

    async def add_audit(self, entry: AuditEntry) -> None: ...

    async def audit_log(self, community_id: UUID, page: PageRequest) -> PageResult[AuditView]: ...

    async def stats(self, community_id: UUID, since: datetime) -> CommunityStats: ...

    async def with_expired_terms(self, now: datetime, limit: int) -> list[UUID]: ...

    async def lock(self, community_id: UUID) -> Community | None: ...

    async def get_by_id_with_viewer(
        self, community_id: UUID, user_id: UUID
    ) -> tuple[Community, Membership | None, bool] | None: ...


@dataclass(frozen=True, slots=True)
class PostContext:
    """A post with its community and what the viewer is to that community (one query)."""

    post: Post
    community: Community
    membership: Membership | None
    invited: bool


@dataclass(frozen=True, slots=True)
class CommunityPostsPage:
    """A page of a community's posts with the community and what the viewer is to it (one query).

    The page is only for the caller's eyes once the community's visibility rule has passed."""

    community: Community
    membership: Membership | None
    invited: bool
    posts: PageResult[Post]


@dataclass(frozen=True, slots=True)
class PostThreadPage:
    """A page of a post's thread with the post in its context (one query).

    The page is only for the caller's eyes once the post's visibility rule has passed."""

    post: PostContext
    comments: PageResult[Comment]


@dataclass(frozen=True, slots=True)
class CommentContext:
    comment: Comment
    post: PostContext


@dataclass(frozen=True, slots=True)
class ContentStats:
    active_members: int
    posts: int
    questions: int
    answered_questions: int
    first_response_minutes: list[float]
    contributors: int


class PostRepository(Protocol):
    async def add(self, post: Post, skill_ids: list[UUID], mentioned: list[UUID]) -> None: ...

    async def update(self, post: Post, skill_ids: list[UUID] | None) -> None: ...

    async def soft_delete(self, post_id: UUID, at: datetime) -> bool:
        """True when this call deleted the post (and counted it out of post_count)."""
        ...

    async def context(self, post_id: UUID, viewer_id: UUID) -> PostContext | None: ...

    async def list_for_community(
        self,
        slug: str,
        viewer_id: UUID,
        sort: PostSort,
        kind: PostKind | None,
        skill_id: UUID | None,
        pinned: bool | None,
        page: PageRequest,
    ) -> CommunityPostsPage | None:
        """None when no community has this slug."""
        ...

    async def feed(
        self, viewer_id: UUID, sort: FeedSort, page: PageRequest
    ) -> PageResult[Post]: ...

    async def get_many(self, post_ids: list[UUID], viewer_id: UUID) -> list[Post]: ...

    async def add_comment(self, comment: Comment) -> None:
        """Also counts it into the post's comment_count (a relative update)."""
        ...

    async def update_comment(self, comment: Comment) -> None: ...

    async def soft_delete_comment(self, comment_id: UUID, at: datetime) -> bool:
        """True when this call deleted the comment (and counted it out of comment_count)."""
        ...

    async def comment_context(self, comment_id: UUID, viewer_id: UUID) -> CommentContext | None: ...

    async def list_comments(
        self, post_id: UUID, viewer_id: UUID, page: PageRequest
    ) -> PostThreadPage | None:
        """None when there is no such post (or it is deleted)."""
        ...

    async def react(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind, at: datetime
    ) -> bool:
        """Idempotent; True when the reaction is new (and the counters moved)."""
        ...

    async def unreact(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind
    ) -> bool: ...

    async def set_accepted(self, post_id: UUID, comment_id: UUID | None, at: datetime) -> None: ...

    async def add_report(self, report: Report) -> bool:
        """False (nothing written) when the reporter has an open report on the target."""
        ...

    async def get_report(self, report_id: UUID) -> Report | None: ...

    async def open_report(
        self, reporter_id: UUID, target: TargetType, target_id: UUID
    ) -> Report | None: ...

    async def list_reports(
        self, community_id: UUID, status: ReportStatus | None, page: PageRequest
    ) -> PageResult[Report]: ...

    async def resolve_report(self, report: Report) -> bool:
        """False when the report was not open (any more)."""
        ...

    async def content_stats(self, community_id: UUID, since: datetime) -> ContentStats: ...

    async def watcher_ids(self, community_id: UUID) -> list[UUID]:
        """Active members who asked to hear about every new post."""
        ...


class NotificationRepository(Protocol):
    async def add_many(self, notifications: list[Notification]) -> None: ...


# --- skills ---


class SkillRepository(Protocol):
    async def get_by_slug(self, slug: str) -> Skill | None:
        """With counts and aliases. A slug that is gone (merged away) resolves through the alias
        index to the skill that absorbed it, so old links keep working."""
        ...

    async def search(
        self,
        key_prefix: str | None,
        category: SkillCategory | None,
        sort: SkillSort,
        page: PageRequest,
        *,
        listed: bool = True,
    ) -> PageResult[Skill]:
        """Listed skills, or (`listed=False`) the unlisted ones for the administrators' review."""
        ...

    async def mark_listed(self, skill_ids: list[UUID]) -> None:
        """List these skills (those listed already stay as they are)."""
        ...

    async def mark_listed_in_community(self, community_id: UUID) -> None:
        """List every skill a live post of the community is tagged with."""
        ...

    async def owners_of(self, keys: list[str]) -> list[NameOwner]:
        """Which skills already own any of these normalised keys."""
        ...

    async def slugs_taken(self, candidates: list[str]) -> set[str]: ...

    async def all_keys(self) -> set[str]: ...

    async def add(self, skill: Skill, names: list[SkillName]) -> None: ...

    async def update(self, skill: Skill, names: list[SkillName] | None) -> None:
        """Store name, description and category; `names` (when given) replaces every name row."""
        ...

    async def get_ref(self, slug: str) -> SkillRef | None:
        """Like get_by_slug without counts and aliases: one cheap statement for writes."""
        ...

    async def all_slugs(self) -> set[str]: ...

    async def merge(
        self, source_id: UUID, target_id: UUID, extra: list[SkillName], at: datetime
    ) -> bool:
        """Move everything from source onto target and delete source, in the caller's
        transaction; False when either skill vanished before the locks were taken."""
        ...


class UserSkillRepository(Protocol):
    async def upsert(
        self, user_id: UUID, skill_id: UUID, level: int, wants_to_teach: bool, at: datetime
    ) -> bool:
        """True when the skill was added to the profile, False when it was updated."""
        ...

    async def remove(self, user_id: UUID, skill_id: UUID) -> bool: ...

    async def lock_holding(self, user_id: UUID, skill_id: UUID) -> bool:
        """Lock the person's user skill until commit; False when they do not list the skill."""
        ...

    async def get(self, user_id: UUID, skill_id: UUID, viewer: Actor) -> UserSkill | None:
        """With `endorsed_by_me` and the evidence the viewer can see."""
        ...

    async def list_for_user(
        self, user_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[UserSkill]: ...

    async def top_for_user(self, user_id: UUID, limit: int) -> list[SkillSummary]: ...

    async def experts(self, skill_id: UUID, viewer: Actor, page: PageRequest) -> PageResult[Expert]:
        """Ordered by the stored public score; parts and score add what the viewer can see."""
        ...

    async def profile_evidence(self, user_id: UUID, viewer: Actor) -> ProfileEvidence:
        """Posts and accepted answers the viewer can see, and endorsements received."""
        ...

    async def refresh_evidence(
        self,
        post_ids: Sequence[UUID],
        people: Sequence[UUID] | None = None,
        tags_changed: bool = False,
    ) -> None:
        """Recount the skill evidence and stored scores that these posts feed (their authors',
        their commenters', endorsements citing them) after a write that changed it: a new post,
        an accepted answer, a helpful reaction, a deletion, new tags (`tags_changed`, so the
        skills a post no longer carries are recounted too). `people` narrows the work to the
        persons whose evidence changed, when the caller knows them (a reaction's target author)."""
        ...

    async def refresh_community_evidence(self, community_id: UUID) -> None:
        """Recompute every stored score that content of the community feeds: call it when the
        community's visibility changes (public content counts in stored scores, private not)."""
        ...


class EndorsementRepository(Protocol):
    async def put(
        self,
        endorsement_id: UUID,
        endorser_id: UUID,
        user_id: UUID,
        skill_id: UUID,
        note: str | None,
        evidence_post_id: UUID | None,
        at: datetime,
    ) -> bool:
        """Insert, or replace note and evidence; True when it was created. Refreshes the
        person's score."""
        ...

    async def get(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> Endorsement | None: ...

    async def remove(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> bool: ...

    async def list_for(
        self, user_id: UUID, skill_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[Endorsement]:
        """Newest first; `evidence_post_id` is None where the viewer cannot see the post."""
        ...

    async def evidence_post(self, post_id: UUID, viewer: Actor) -> EvidencePost | None:
        """The live post with its tags and accepted answer's author, if the viewer can see it."""
        ...


class LearningGoalRepository(Protocol):
    async def add(self, goal: LearningGoal) -> bool:
        """False when the person already has a goal for this skill (the unique index decides)."""
        ...

    async def get(self, user_id: UUID, goal_id: UUID) -> LearningGoal | None: ...

    async def update(self, goal: LearningGoal) -> None: ...

    async def remove(self, user_id: UUID, goal_id: UUID) -> bool: ...

    async def list_for_user(
        self, user_id: UUID, status: GoalStatus | None, page: PageRequest
    ) -> PageResult[LearningGoal]: ...


# --- mentorship ---


@dataclass(frozen=True, slots=True)
class MenteeContext:
    """What recommendations need to know about the mentee, read in one statement."""

    timezone: str | None
    needs: list[LearningNeed]


class MentorshipRepository(Protocol):
    async def get_profile(self, user_id: UUID) -> MentorProfile | None: ...

    async def put_profile(self, profile: MentorProfile) -> None:
        """Insert or update the offer; `active_mentees` and `created_at` are never overwritten."""
        ...

    async def mentor_summary(self, user_id: UUID) -> tuple[MentorProfile | None, int]:
        """The profile (if any) and how many different people they have mentored."""
        ...

    async def take_slot(self, mentor_id: UUID) -> bool:
        """Atomically count one more active mentee, only while below capacity (a guarded
        UPDATE, so concurrent accepts never exceed it); False when full or no profile."""
        ...

    async def release_slot(self, mentor_id: UUID) -> None: ...

    async def add(self, mentorship: Mentorship) -> bool:
        """False when the pair already has an open request or an active mentorship for the
        skill (a partial unique index decides, not a prior read)."""
        ...

    async def get(self, mentorship_id: UUID, *, for_update: bool = False) -> Mentorship | None:
        """With for_update the row stays locked until commit (serialises transitions)."""
        ...

    async def change_status(self, mentorship: Mentorship, previous: MentorshipStatus) -> bool:
        """Store the new status and its timestamps only if the row is still `previous`."""
        ...

    async def list_for_user(
        self,
        user_id: UUID,
        role: MentorshipRole | None,
        status: MentorshipStatus | None,
        page: PageRequest,
    ) -> PageResult[Mentorship]: ...

    async def nth_recent_request(self, mentee_id: UUID, since: datetime, n: int) -> datetime | None:
        """Creation time of the mentee's n-th most recent request made after `since`."""
        ...

    async def expire_requests(self, created_before: datetime, limit: int) -> int:
        """Close up to `limit` requests still unanswered since before `created_before`."""
        ...

    async def add_session(self, session: MentorshipSession) -> None: ...

    async def list_sessions(
        self, mentorship_id: UUID, page: PageRequest
    ) -> PageResult[MentorshipSession]: ...

    async def add_feedback(self, feedback: Feedback) -> bool:
        """False when this participant already gave feedback (a unique index decides)."""
        ...

    async def mentee_context(
        self, user_id: UUID, skill: SkillRef | None, max_goals: int
    ) -> MenteeContext:
        """The mentee's time zone and needs: for `skill`, or for their active learning goals."""
        ...

    async def candidates(
        self, mentee_id: UUID, skill_ids: list[UUID], min_level: int, limit: int
    ) -> list[MentorCandidate]:
        """One statement: per skill, up to `limit` holders at `min_level`+ whose profile takes
        requests, best stored expert score first, without the mentee and anyone they already
        have an open request or active mentorship with for that skill."""
        ...

    async def shared_communities(self, user_id: UUID, others: list[UUID]) -> dict[UUID, list[str]]:
        """Names of the active communities each of `others` shares with `user_id`."""
        ...

    async def holding(self, user_id: UUID, skill_id: UUID) -> tuple[int, bool] | None:
        """(level, wants_to_teach) when the person lists the skill."""
        ...

    async def achieve_goal(self, user_id: UUID, skill_id: UUID, level: int, at: datetime) -> bool:
        """Mark the person's active goal for the skill achieved when `level` reaches its target."""
        ...
