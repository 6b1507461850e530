"""Ports: the Protocols the domain needs; repositories/ implements them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.communities.model import (
    AuditEntry,
    AuditView,
    Community,
    CommunitySort,
    CommunityStats,
    CommunityView,
    Invitation,
    InvitationView,
    MemberView,
    Membership,
    MembershipStatus,
    Nomination,
    NominationStatus,
    NominationView,
    Role,
)
from domain.notifications.model import Notification
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
from domain.pagination import PageRequest, PageResult
from domain.search import PostSearch
from domain.skills.model import (
    Endorsement,
    Expert,
    GoalStatus,
    LearningGoal,
    NameOwner,
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


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an Idempotency-Key remembers: the request's fingerprint and, once done, the answer."""

    request_hash: str
    status_code: int | None
    body: bytes | None
    location: str | None


class IdempotencyRepository(Protocol):
    async def claim(
        self, owner: str, key: str, request_hash: str, at: datetime
    ) -> StoredResponse | None:
        """Claim the key; returns the existing record when it was claimed before."""
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

    async def add_membership(self, membership: Membership) -> None: ...

    async def update_membership(self, membership: Membership) -> None: ...

    async def delete_membership(self, community_id: UUID, user_id: UUID) -> None: ...

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

    async def invitations_for(self, user_id: UUID, page: PageRequest) -> PageResult[InvitationView]: ...

    async def add_nomination(self, nomination: Nomination) -> None: ...

    async def get_nomination(self, community_id: UUID, nomination_id: UUID) -> Nomination | None: ...

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

    async def soft_delete(self, post_id: UUID, at: datetime) -> None: ...

    async def context(self, post_id: UUID, viewer_id: UUID) -> PostContext | None: ...

    async def list_for_community(
        self,
        community_id: UUID,
        viewer_id: UUID,
        sort: PostSort,
        kind: PostKind | None,
        skill_id: UUID | None,
        pinned: bool | None,
        page: PageRequest,
    ) -> PageResult[Post]: ...

    async def feed(self, viewer_id: UUID, sort: FeedSort, page: PageRequest) -> PageResult[Post]: ...

    async def get_many(self, post_ids: list[UUID], viewer_id: UUID) -> list[Post]: ...

    async def add_comment(self, comment: Comment) -> None: ...

    async def update_comment(self, comment: Comment) -> None: ...

    async def soft_delete_comment(self, comment_id: UUID, at: datetime) -> None: ...

    async def comment_context(self, comment_id: UUID, viewer_id: UUID) -> CommentContext | None: ...

    async def list_comments(
        self, post_id: UUID, viewer_id: UUID, accepted_id: UUID | None, page: PageRequest
    ) -> PageResult[Comment]: ...

    async def record_comment(self, post_id: UUID, at: datetime, delta: int) -> None:
        """Keep comment_count and last_activity_at current (atomic increments)."""
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

    async def add_report(self, report: Report) -> None: ...

    async def get_report(self, report_id: UUID) -> Report | None: ...

    async def list_reports(
        self, community_id: UUID, status: ReportStatus | None, page: PageRequest
    ) -> PageResult[Report]: ...

    async def resolve_report(self, report: Report) -> None: ...

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
    ) -> PageResult[Skill]: ...

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

    async def get(self, user_id: UUID, skill_id: UUID, viewer_id: UUID) -> UserSkill | None: ...

    async def list_for_user(
        self, user_id: UUID, viewer_id: UUID, page: PageRequest
    ) -> PageResult[UserSkill]: ...

    async def top_for_user(self, user_id: UUID, limit: int) -> list[SkillSummary]: ...

    async def experts(self, skill_id: UUID, page: PageRequest) -> PageResult[Expert]: ...


class EndorsementRepository(Protocol):
    async def put(
        self,
        endorsement_id: UUID,
        endorser_id: UUID,
        user_id: UUID,
        skill_id: UUID,
        note: str | None,
        at: datetime,
    ) -> bool:
        """Insert or update the note; True when it was created. Refreshes the person's score."""
        ...

    async def get(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> Endorsement | None: ...

    async def remove(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> bool: ...

    async def list_for(
        self, user_id: UUID, skill_id: UUID, page: PageRequest
    ) -> PageResult[Endorsement]: ...


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
