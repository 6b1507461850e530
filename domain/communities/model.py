"""Communities of practice: entities, the permission table, visibility and leadership rules.

Every authorization decision about a community goes through `can()`, `can_read()` and
`is_visible()` here; routes and services never compare roles themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from uuid import UUID

from domain.errors import ValidationFailed
from domain.users.model import UserRef


class Visibility(StrEnum):
    public = "public"
    private = "private"


class JoinPolicy(StrEnum):
    open = "open"
    approval = "approval"
    invite = "invite"


class Role(StrEnum):
    member = "member"
    moderator = "moderator"
    steward = "steward"

    @property
    def rank(self) -> int:
        return ROLE_RANK[self]


ROLE_RANK = {Role.member: 1, Role.moderator: 2, Role.steward: 3}


class MembershipStatus(StrEnum):
    active = "active"
    pending = "pending"


class NotifyLevel(StrEnum):
    all = "all"
    mentions = "mentions"
    muted = "muted"


class NominationStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class AuditAction(StrEnum):
    created = "created"
    edited = "edited"
    archived = "archived"
    member_approved = "member_approved"
    request_rejected = "request_rejected"
    member_removed = "member_removed"
    role_changed = "role_changed"
    invited = "invited"
    invitation_revoked = "invitation_revoked"
    nomination_accepted = "nomination_accepted"
    nomination_declined = "nomination_declined"
    term_ended = "term_ended"
    term_renewed = "term_renewed"
    post_pinned = "post_pinned"
    post_locked = "post_locked"
    content_removed = "content_removed"
    report_resolved = "report_resolved"


class Action(StrEnum):
    """Things a caller may do to a community; the table below says who may."""

    edit = "edit"
    archive = "archive"
    change_roles = "change_roles"
    invite = "invite"
    manage_invitations = "manage_invitations"
    approve_members = "approve_members"
    remove_members = "remove_members"
    view_pending = "view_pending"
    view_members = "view_members"
    view_audit = "view_audit"
    nominate = "nominate"
    decide_nominations = "decide_nominations"
    set_notify_level = "set_notify_level"
    post = "post"
    moderate = "moderate"


# The one permission table: the least role an *active* member needs for each action.
REQUIRED_ROLE: dict[Action, Role] = {
    Action.edit: Role.steward,
    Action.archive: Role.steward,
    Action.change_roles: Role.steward,
    Action.invite: Role.steward,
    # Seeing who holds an invitation and withdrawing one stays with the stewards everywhere.
    Action.manage_invitations: Role.steward,
    Action.approve_members: Role.moderator,
    Action.remove_members: Role.moderator,
    Action.view_pending: Role.moderator,
    Action.view_members: Role.member,
    Action.view_audit: Role.member,
    Action.nominate: Role.member,
    Action.decide_nominations: Role.steward,
    Action.set_notify_level: Role.member,
    Action.post: Role.member,
    Action.moderate: Role.moderator,
}
# Relaxations that depend on the community rather than the role.
OPEN_IN_PUBLIC: frozenset[Action] = frozenset({Action.view_members, Action.view_audit})
MODERATORS_IN_PUBLIC: frozenset[Action] = frozenset({Action.invite})
# Administrators act as stewards everywhere (orphaned or abusive communities need an owner).
ADMIN_ACTIONS: frozenset[Action] = frozenset(Action) - {Action.set_notify_level, Action.post}

PURPOSE_MIN, PURPOSE_MAX = 10, 500
# Paths the web app uses under /communities/ (a community there would be unreachable).
RESERVED_SLUGS = frozenset({"new", "edit", "mine", "search"})
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")
MAX_TAGS = 10


DEFAULT_NUDGE_AFTER_MINUTES = 60
MAX_NUDGE_AFTER_MINUTES = 10_080  # a week


@dataclass(slots=True)
class Membership:
    community_id: UUID
    user_id: UUID
    role: Role
    status: MembershipStatus
    joined_at: datetime
    notify_level: NotifyLevel = NotifyLevel.mentions
    term_ends_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.active


@dataclass(slots=True)
class Community:
    id: UUID
    slug: str
    name: str
    purpose: str
    description: str
    description_html: str
    visibility: Visibility
    join_policy: JoinPolicy
    created_by: UUID
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    tags: list[str] = field(default_factory=list)
    steward_term_days: int | None = None
    # Follow the sun: minutes a question waits for an answer before experts are nudged (0: off).
    nudge_after_minutes: int = DEFAULT_NUDGE_AFTER_MINUTES
    archived_at: datetime | None = None
    member_count: int = 0
    post_count: int = 0
    version: int = 1
    # The earliest end of a current steward's term (kept by the repository on membership writes).
    steward_term_ends_at: datetime | None = None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the caller is to one community: their membership, invitation and admin status."""

    user_id: UUID
    is_admin: bool
    membership: Membership | None
    invited: bool

    @property
    def active_role(self) -> Role | None:
        m = self.membership
        return m.role if m is not None and m.is_active else None


@dataclass(frozen=True, slots=True)
class CommunityView:
    """A community as one caller sees it, with what the caller may do there."""

    community: Community
    viewer: Viewer

    @property
    def my_membership(self) -> Membership | None:
        return self.viewer.membership

    @property
    def permissions(self) -> list[Action]:
        viewer = self.viewer
        return list(permitted(viewer.is_admin, self.community.visibility, viewer.active_role))


def can_read(community: Community, viewer: Viewer) -> bool:
    """The community's content (posts, comments, members, stats, audit log): public communities,
    a private one's active members, administrators. The SQL lists (search, feed, skill evidence)
    apply the same rule inside their statements."""
    if community.visibility is Visibility.public or viewer.is_admin:
        return True
    return viewer.active_role is not None


def is_visible(community: Community, viewer: Viewer) -> bool:
    """The community itself (its name, purpose and the way in): everyone who may read it, and
    the holder of an open invitation, who sees that much of a private community and no more."""
    return can_read(community, viewer) or viewer.invited


def can(action: Action, community: Community, viewer: Viewer) -> bool:
    return allows(action, viewer.is_admin, community.visibility, viewer.active_role)


def allows(action: Action, is_admin: bool, visibility: Visibility, role: Role | None) -> bool:
    if is_admin and action in ADMIN_ACTIONS:
        return True
    public = visibility is Visibility.public
    if public and action in OPEN_IN_PUBLIC:
        return True
    if role is None:
        return False
    needed = REQUIRED_ROLE[action]
    if public and action in MODERATORS_IN_PUBLIC:
        needed = Role.moderator
    return role.rank >= needed.rank


@lru_cache(maxsize=64)
def permitted(is_admin: bool, visibility: Visibility, role: Role | None) -> tuple[Action, ...]:
    """Every action `allows` grants, in declaration order. Depends on these three alone, so a
    list of communities works it out once per combination, not once per action and item."""
    return tuple(action for action in Action if allows(action, is_admin, visibility, role))


def can_remove(actor_role: Role | None, actor_is_admin: bool, target: Membership) -> bool:
    """Moderators remove members (and reject requests); stewards remove anyone, leaders too."""
    if actor_is_admin:
        return True
    if actor_role is None:
        return False
    if target.status is MembershipStatus.pending:
        return actor_role.rank >= Role.moderator.rank
    if actor_role is Role.steward:
        return True
    return actor_role.rank > target.role.rank


def check_settings(visibility: Visibility, join_policy: JoinPolicy) -> None:
    if visibility is Visibility.private and join_policy is not JoinPolicy.invite:
        raise ValidationFailed(
            "A private community can only be joined by invitation (join_policy=invite).",
            field="join_policy",
        )


def check_nominee(nominee_id: UUID, nominated_by: UUID) -> None:
    """Leadership is proposed by a peer: nobody nominates themself."""
    if nominee_id == nominated_by:
        raise ValidationFailed(
            "You cannot nominate yourself: ask a peer to nominate you.", field="handle"
        )


def check_purpose(purpose: str) -> str:
    purpose = purpose.strip()
    if not PURPOSE_MIN <= len(purpose) <= PURPOSE_MAX:
        raise ValidationFailed(
            f"The purpose says why people meet: {PURPOSE_MIN}-{PURPOSE_MAX} characters.",
            field="purpose",
        )
    return purpose


def slugify(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    if len(slug) < 3 or slug in RESERVED_SLUGS:
        return f"{slug or 'community'}-cop"
    return slug


def validate_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise ValidationFailed(
            "A slug is 3-60 lowercase letters, digits or '-', not starting or ending with '-'.",
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(f"'{slug}' is reserved; choose another slug.", field="slug")
    return slug


def normalize_tags(tags: list[str]) -> list[str]:
    """Tags are skill slugs: lower-case, hyphenated, unique, at most ten."""
    result: list[str] = []
    for tag in tags:
        slug = re.sub(r"[^a-z0-9+#.]+", "-", tag.strip().lower()).strip("-")
        if not slug:
            raise ValidationFailed("Tags must not be blank.", field="tags")
        if slug not in result:
            result.append(slug)
    if len(result) > MAX_TAGS:
        raise ValidationFailed(f"At most {MAX_TAGS} tags.", field="tags")
    return result


def term_end(start: datetime, term_days: int | None) -> datetime | None:
    return start + timedelta(days=term_days) if term_days else None


@dataclass(frozen=True, slots=True)
class TermDecision:
    demote: list[UUID]
    renew: UUID | None


def decide_expired_terms(stewards: list[Membership], now: datetime) -> TermDecision:
    """Expired stewards return to member, except that a community never loses its last steward:
    when every steward's term is over, the one whose term ended last stays (their term renews)
    and members are told nominations are open."""
    expired = [m for m in stewards if m.term_ends_at is not None and m.term_ends_at <= now]
    if not expired:
        return TermDecision(demote=[], renew=None)
    if len(expired) < len(stewards):
        return TermDecision(demote=[m.user_id for m in expired], renew=None)
    keeper = max(expired, key=lambda m: (m.term_ends_at or now, m.joined_at))
    return TermDecision(
        demote=[m.user_id for m in expired if m.user_id != keeper.user_id], renew=keeper.user_id
    )


@dataclass(slots=True)
class Invitation:
    id: UUID
    community_id: UUID
    invitee_id: UUID
    invited_by: UUID
    created_at: datetime
    accepted_at: datetime | None = None


@dataclass(slots=True)
class Nomination:
    id: UUID
    community_id: UUID
    nominee_id: UUID
    nominated_by: UUID
    role: Role
    status: NominationStatus
    created_at: datetime
    decided_by: UUID | None = None
    decided_at: datetime | None = None
    reason: str | None = None


@dataclass(slots=True)
class AuditEntry:
    id: UUID
    community_id: UUID
    actor_id: UUID | None
    action: AuditAction
    created_at: datetime
    subject_user_id: UUID | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CommunityStats:
    members: int
    active_members_30d: int
    posts_30d: int
    questions_30d: int
    answered_ratio: float
    median_first_response_minutes: float | None
    contributors_30d: int
    leaders_30d: int
    # Follow-the-sun nudges over the same 30 days.
    nudged_questions_30d: int = 0
    nudged_answered_30d: int = 0
    median_nudged_first_answer_minutes: float | None = None


# --- read models: an entity with the people it refers to, for one-query listings ---


@dataclass(frozen=True, slots=True)
class MemberView:
    membership: Membership
    user: UserRef


@dataclass(frozen=True, slots=True)
class InvitationView:
    invitation: Invitation
    community: Community
    invited_by: UserRef


@dataclass(frozen=True, slots=True)
class PendingInvitationView:
    """An open invitation as the community's stewards see it: who holds it, who sent it."""

    invitation: Invitation
    invitee: UserRef
    invited_by: UserRef


@dataclass(frozen=True, slots=True)
class NominationView:
    nomination: Nomination
    nominee: UserRef
    nominated_by: UserRef


@dataclass(frozen=True, slots=True)
class AuditView:
    entry: AuditEntry
    actor: UserRef | None
    subject: UserRef | None


class CommunitySort(StrEnum):
    active = "active"
    new = "new"
    members = "members"


class JoinOutcome(StrEnum):
    joined = "joined"
    requested = "requested"
    already_member = "already_member"
    already_requested = "already_requested"
