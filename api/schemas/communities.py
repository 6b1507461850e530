"""Wire models for communities of practice, memberships, invitations, nominations and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    Handle,
    InputModel,
    OutputModel,
    Text,
    Words,
    text_with_one_of,
    trimmed_at_least,
    unchanged,
)
from api.schemas.users import UserSummary
from domain.communities.model import (
    MAX_NUDGE_AFTER_MINUTES,
    PURPOSE_MAX,
    PURPOSE_MIN,
    AuditView,
    Community,
    CommunityStats,
    CommunityView,
    InvitationView,
    Membership,
    MemberView,
    NominationView,
    PendingInvitationView,
)

VisibilityName = Literal["public", "private"]
JoinPolicyName = Literal["open", "approval", "invite"]
RoleName = Literal["member", "moderator", "steward"]
PermissionName = Literal[
    "edit",
    "archive",
    "change_roles",
    "invite",
    "manage_invitations",
    "approve_members",
    "remove_members",
    "view_pending",
    "view_members",
    "view_audit",
    "nominate",
    "decide_nominations",
    "set_notify_level",
    "post",
    "moderate",
]
# A tag becomes a skill slug of its letters, digits, "+", "#" and "." (normalize_tags).
TAG_PATTERN = text_with_one_of("A-Za-z0-9+#.")
Tag = Annotated[Text, Field(min_length=1, max_length=50, pattern=TAG_PATTERN)]
Purpose = Annotated[
    str,
    Field(
        min_length=PURPOSE_MIN,
        max_length=PURPOSE_MAX,
        pattern=trimmed_at_least(PURPOSE_MIN),
        description="The community's reason to meet: what members learn and do together.",
    ),
]
TermDays = Annotated[int, Field(ge=7, le=730, description="Stewards serve terms of this length.")]


class CommunityCreate(InputModel):
    name: Annotated[Words, Field(max_length=120)]
    purpose: Purpose
    description: Annotated[Text, Field(max_length=20_000)] = ""
    slug: (
        Annotated[str, Field(min_length=3, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
        | None
    ) = None
    visibility: VisibilityName = "public"
    join_policy: JoinPolicyName = "open"
    tags: Annotated[list[Tag], Field(max_length=10)] = []
    steward_term_days: TermDays | None = None


class CommunityUpdate(InputModel):
    name: Annotated[Words, Field(max_length=120)] = unchanged()
    purpose: Purpose = unchanged()
    description: Annotated[Text, Field(max_length=20_000)] = unchanged()
    visibility: VisibilityName = unchanged()
    join_policy: JoinPolicyName = unchanged()
    tags: Annotated[list[Tag], Field(max_length=10)] = unchanged()
    steward_term_days: TermDays | None = None
    nudge_after_minutes: Annotated[int, Field(ge=0, le=MAX_NUDGE_AFTER_MINUTES)] = unchanged(
        "Minutes a question waits for an answer before experts in their working hours are "
        "nudged (default 60); 0 turns nudges off."
    )


class MembershipBrief(OutputModel):
    role: RoleName
    status: Literal["active", "pending"]
    notify_level: Literal["all", "mentions", "muted"]
    term_ends_at: datetime | None


class CommunityPublic(OutputModel):
    id: UUID
    slug: str
    name: str
    purpose: str
    description: str
    description_html: str
    visibility: VisibilityName
    join_policy: JoinPolicyName
    tags: list[str]
    steward_term_days: int | None
    nudge_after_minutes: int
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    archived_at: datetime | None
    member_count: int
    post_count: int
    steward_term_ends_at: datetime | None = Field(
        description="When the first of the current stewards' terms ends (null without terms)."
    )
    my_membership: MembershipBrief | None
    invited: bool = Field(description="The caller holds an open invitation to join.")
    my_permissions: list[PermissionName] = Field(
        description="What the caller may do here, so clients need not copy the rules."
    )
    version: int

    @classmethod
    def of(cls, view: CommunityView) -> CommunityPublic:
        c = view.community
        mine = view.my_membership
        return cls(
            id=c.id,
            slug=c.slug,
            name=c.name,
            purpose=c.purpose,
            description=c.description,
            description_html=c.description_html,
            visibility=c.visibility.value,
            join_policy=c.join_policy.value,
            tags=c.tags,
            steward_term_days=c.steward_term_days,
            nudge_after_minutes=c.nudge_after_minutes,
            created_at=c.created_at,
            updated_at=c.updated_at,
            last_activity_at=c.last_activity_at,
            archived_at=c.archived_at,
            member_count=c.member_count,
            post_count=c.post_count,
            steward_term_ends_at=c.steward_term_ends_at,
            my_membership=(
                MembershipBrief(
                    role=mine.role.value,
                    status=mine.status.value,
                    notify_level=mine.notify_level.value,
                    term_ends_at=mine.term_ends_at,
                )
                if mine
                else None
            ),
            invited=view.viewer.invited,
            my_permissions=[a.value for a in view.permissions],
            version=c.version,
        )


class CommunityRef(OutputModel):
    slug: str
    name: str

    @classmethod
    def of(cls, community: Community) -> CommunityRef:
        return cls(slug=community.slug, name=community.name)


class MemberPublic(OutputModel):
    user: UserSummary
    role: RoleName
    status: Literal["active", "pending"]
    joined_at: datetime
    term_ends_at: datetime | None

    @classmethod
    def of(cls, view: MemberView) -> MemberPublic:
        m = view.membership
        return cls(
            user=UserSummary.of(view.user),
            role=m.role.value,
            status=m.status.value,
            joined_at=m.joined_at,
            term_ends_at=m.term_ends_at,
        )


class MyMembership(OutputModel):
    role: RoleName
    status: Literal["active", "pending"]
    joined_at: datetime
    notify_level: Literal["all", "mentions", "muted"]
    term_ends_at: datetime | None

    @classmethod
    def of(cls, m: Membership) -> MyMembership:
        return cls(
            role=m.role.value,
            status=m.status.value,
            joined_at=m.joined_at,
            notify_level=m.notify_level.value,
            term_ends_at=m.term_ends_at,
        )


class MemberUpdate(InputModel):
    role: RoleName | None = None
    status: Literal["active"] | None = Field(default=None, description="active approves a request")


class MyMembershipUpdate(InputModel):
    notify_level: Literal["all", "mentions", "muted"]


class InvitationCreate(InputModel):
    handle: Handle


class InvitationPublic(OutputModel):
    id: UUID
    community: CommunityRef
    invited_by: UserSummary
    created_at: datetime

    @classmethod
    def of(cls, view: InvitationView) -> InvitationPublic:
        return cls(
            id=view.invitation.id,
            community=CommunityRef.of(view.community),
            invited_by=UserSummary.of(view.invited_by),
            created_at=view.invitation.created_at,
        )


class PendingInvitationPublic(OutputModel):
    """An open invitation, as the community's stewards see it."""

    id: UUID
    invitee: UserSummary
    invited_by: UserSummary
    created_at: datetime

    @classmethod
    def of(cls, view: PendingInvitationView) -> PendingInvitationPublic:
        return cls(
            id=view.invitation.id,
            invitee=UserSummary.of(view.invitee),
            invited_by=UserSummary.of(view.invited_by),
            created_at=view.invitation.created_at,
        )


class NominationCreate(InputModel):
    handle: Handle
    role: Literal["moderator", "steward"]
    reason: Annotated[Text, Field(max_length=500)] | None = None


class NominationPublic(OutputModel):
    id: UUID
    nominee: UserSummary
    nominated_by: UserSummary
    role: RoleName
    status: Literal["pending", "accepted", "declined"]
    reason: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, view: NominationView) -> NominationPublic:
        n = view.nomination
        return cls(
            id=n.id,
            nominee=UserSummary.of(view.nominee),
            nominated_by=UserSummary.of(view.nominated_by),
            role=n.role.value,
            status=n.status.value,
            reason=n.reason,
            created_at=n.created_at,
            decided_at=n.decided_at,
        )


class CommunityStatsPublic(OutputModel):
    members: int
    active_members_30d: int
    posts_30d: int
    questions_30d: int
    answered_ratio: float
    median_first_response_minutes: float | None
    contributors_30d: int
    leaders_30d: int
    nudged_questions_30d: int = Field(
        description="Questions of the last 30 days whose experts were nudged to answer them."
    )
    nudged_answered_30d: int = Field(description="How many of those got an answer.")
    median_nudged_first_answer_minutes: float | None = Field(
        description="Median minutes from asking to the first answer, of those answered."
    )

    @classmethod
    def of(cls, stats: CommunityStats) -> CommunityStatsPublic:
        return cls.model_validate(stats)


class AuditEntryPublic(OutputModel):
    id: UUID
    action: str
    actor: UserSummary | None
    subject: UserSummary | None
    note: str | None
    created_at: datetime

    @classmethod
    def of(cls, view: AuditView) -> AuditEntryPublic:
        e = view.entry
        return cls(
            id=e.id,
            action=e.action.value,
            actor=UserSummary.of(view.actor) if view.actor else None,
            subject=UserSummary.of(view.subject) if view.subject else None,
            note=e.note,
            created_at=e.created_at,
        )
