"""SQLModel tables: the storage schema. Rows never leave repositories/; they map to entities."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    true,
)
from sqlmodel import Field, SQLModel

from domain.communities.model import Role
from repositories.types import UTCDateTime

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utc(nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        Index(
            "ix_user_account_search_name",
            "search_name",
            postgresql_ops={"search_name": "varchar_pattern_ops"},
        ),
        Index(
            "ix_user_account_handle_pattern",
            "handle",
            postgresql_ops={"handle": "varchar_pattern_ops"},
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    email: str = Field(sa_column=Column(String(320), nullable=False, unique=True))
    handle: str = Field(sa_column=Column(String(30), nullable=False, unique=True))
    display_name: str = Field(sa_column=Column(String(100), nullable=False))
    # lower-cased display name, for indexed prefix search
    search_name: str = Field(sa_column=Column(String(100), nullable=False))
    title: str | None = Field(default=None, sa_column=Column(String(120)))
    bio: str | None = Field(default=None, sa_column=Column(Text))
    location: str | None = Field(default=None, sa_column=Column(String(120)))
    timezone: str | None = Field(default=None, sa_column=Column(String(64)))
    avatar_url: str | None = Field(default=None, sa_column=Column(String(2048)))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    is_active: bool = Field(default=True, nullable=False)
    token_version: int = Field(default=0, nullable=False)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


class RefreshTokenRow(SQLModel, table=True):
    __tablename__ = "refresh_token"

    id: uuid.UUID = Field(primary_key=True)
    family_id: uuid.UUID = Field(index=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=utc())
    expires_at: datetime = Field(sa_column=utc())
    used_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class PersonalAccessToken(SQLModel, table=True):
    __tablename__ = "personal_access_token"
    __table_args__ = (Index("ix_personal_access_token_user_list", "user_id", "created_at", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    name: str = Field(sa_column=Column(String(100), nullable=False))
    scopes: str = Field(sa_column=Column(String(64), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=utc())
    expires_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    last_used_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_key"

    owner: str = Field(sa_column=Column(String(80), primary_key=True))
    key: str = Field(sa_column=Column(String(255), primary_key=True))
    request_hash: str = Field(sa_column=Column(String(64), nullable=False))
    status_code: int | None = Field(default=None)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    location: str | None = Field(default=None, sa_column=Column(String(2048)))
    created_at: datetime = Field(sa_column=utc(index=True))


# --- communities ---


class CommunityRow(SQLModel, table=True):
    __tablename__ = "community"
    __table_args__ = (
        # one index per list sort (keyset on (sort key, id)), public listing first
        Index("ix_community_active", "last_activity_at", "id"),
        Index("ix_community_new", "created_at", "id"),
        Index("ix_community_members", "member_count", "id"),
        Index(
            "ix_community_search_name",
            "search_name",
            postgresql_ops={"search_name": "varchar_pattern_ops"},
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    slug: str = Field(sa_column=Column(String(60), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    search_name: str = Field(sa_column=Column(String(120), nullable=False))
    purpose: str = Field(sa_column=Column(String(500), nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))
    description_html: str = Field(sa_column=Column(Text, nullable=False))
    visibility: str = Field(sa_column=Column(String(16), nullable=False))
    join_policy: str = Field(sa_column=Column(String(16), nullable=False))
    tags: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of skill slugs
    steward_term_days: int | None = Field(default=None)
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    last_activity_at: datetime = Field(sa_column=utc())
    archived_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    member_count: int = Field(default=0, nullable=False)
    post_count: int = Field(default=0, nullable=False)
    version: int = Field(default=1, nullable=False)


class CommunityMember(SQLModel, table=True):
    __tablename__ = "community_member"
    __table_args__ = (
        Index("ix_community_member_list", "community_id", "joined_at", "user_id"),
        Index("ix_community_member_user", "user_id", "status", "community_id"),
        Index("ix_community_member_term", "term_ends_at"),
    )

    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    notify_level: str = Field(sa_column=Column(String(16), nullable=False))
    joined_at: datetime = Field(sa_column=utc())
    term_ends_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class CommunityInvitation(SQLModel, table=True):
    __tablename__ = "community_invitation"
    __table_args__ = (
        Index("ix_community_invitation_invitee", "invitee_id", "accepted_at", "created_at", "id"),
        Index("ix_community_invitation_pair", "community_id", "invitee_id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    invitee_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    invited_by: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    created_at: datetime = Field(sa_column=utc())
    accepted_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class CommunityNomination(SQLModel, table=True):
    __tablename__ = "community_nomination"
    __table_args__ = (
        Index("ix_community_nomination_list", "community_id", "status", "created_at", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    nominee_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    nominated_by: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    role: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(String(500)))
    created_at: datetime = Field(sa_column=utc())
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class CommunityAudit(SQLModel, table=True):
    __tablename__ = "community_audit"
    __table_args__ = (Index("ix_community_audit_list", "community_id", "created_at", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    subject_user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    action: str = Field(sa_column=Column(String(32), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(String(500)))
    created_at: datetime = Field(sa_column=utc())


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_inbox", "user_id", "created_at", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    subject_type: str = Field(sa_column=Column(String(32), nullable=False))
    subject_id: uuid.UUID
    title: str = Field(sa_column=Column(String(300), nullable=False))
    url: str = Field(sa_column=Column(String(500), nullable=False))
    created_at: datetime = Field(sa_column=utc())
    read_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


# --- posts ---


class PostRow(SQLModel, table=True):
    __tablename__ = "post"
    __table_args__ = (
        # One index per list sort, scoped to the community (keyset on (sort key, id)).
        Index("ix_post_new", "community_id", "created_at", "id"),
        Index("ix_post_active", "community_id", "last_activity_at", "id"),
        Index("ix_post_top", "community_id", "score", "id"),
        Index("ix_post_unanswered", "community_id", "kind", "accepted_comment_id", "created_at"),
        Index("ix_post_author", "author_id", "created_at"),
        Index("ix_post_recent", "created_at", "id"),
        # The feed spans communities: its other two sorts need indexes of their own too.
        Index("ix_post_recent_activity", "last_activity_at", "id"),
        Index("ix_post_best", "score", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    title: str = Field(sa_column=Column(String(200), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    links: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{url, title}]
    tags: str = Field(sa_column=Column(Text, nullable=False))  # JSON [skill slug], for output
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    last_activity_at: datetime = Field(sa_column=utc())
    score: int = Field(default=0, nullable=False)
    like_count: int = Field(default=0, nullable=False)
    helpful_count: int = Field(default=0, nullable=False)
    insightful_count: int = Field(default=0, nullable=False)
    comment_count: int = Field(default=0, nullable=False)
    accepted_comment_id: uuid.UUID | None = Field(default=None)
    is_pinned: bool = Field(default=False, nullable=False)
    is_locked: bool = Field(default=False, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    version: int = Field(default=1, nullable=False)


class PostTag(SQLModel, table=True):
    __tablename__ = "post_tag"
    __table_args__ = (Index("ix_post_tag_skill", "skill_id", "post_id"),)

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", primary_key=True)


class PostMention(SQLModel, table=True):
    __tablename__ = "post_mention"

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)


class CommentRow(SQLModel, table=True):
    __tablename__ = "comment"
    __table_args__ = (
        Index("ix_comment_thread", "post_id", "created_at", "id"),
        Index("ix_comment_author", "author_id", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE")
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="comment.id", ondelete="CASCADE")
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    score: int = Field(default=0, nullable=False)
    like_count: int = Field(default=0, nullable=False)
    helpful_count: int = Field(default=0, nullable=False)
    insightful_count: int = Field(default=0, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    version: int = Field(default=1, nullable=False)


class ReactionRow(SQLModel, table=True):
    __tablename__ = "reaction"
    __table_args__ = (Index("ix_reaction_target", "target_id", "user_id"),)

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    target_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=utc())


class ReportRow(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (Index("ix_report_queue", "community_id", "status", "created_at", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    target_id: uuid.UUID
    reporter_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    reason: str = Field(sa_column=Column(String(16), nullable=False))
    detail: str | None = Field(default=None, sa_column=Column(String(1000)))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=utc())
    resolved_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    resolved_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    action: str | None = Field(default=None, sa_column=Column(String(16)))
    note: str | None = Field(default=None, sa_column=Column(String(1000)))


_report = ReportRow.__table__  # type: ignore[attr-defined]
_open_report = _report.c.status == "open"
# One open report per reporter and target, even when repeats race: they cannot flood moderators.
Index(
    "uq_report_open",
    _report.c.reporter_id,
    _report.c.target_type,
    _report.c.target_id,
    unique=True,
    postgresql_where=_open_report,
    sqlite_where=_open_report,
)


# --- skills ---


class SkillRow(SQLModel, table=True):
    """A skill of the taxonomy. Its counts are kept on write (repositories/skills/counts.py), in
    the writer's transaction: `holder_count` so sort=popular is an index scan, the others so a
    page of the list reads twenty rows instead of counting every holder and learner."""

    __tablename__ = "skill"
    __table_args__ = (
        Index("ix_skill_by_name", "sort_name", "id"),
        Index("ix_skill_category_by_name", "category", "sort_name", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    slug: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    sort_name: str = Field(sa_column=Column(String(80), nullable=False))  # lower-cased name
    description: str | None = Field(default=None, sa_column=Column(Text))
    category: str | None = Field(default=None, sa_column=Column(String(32)))
    holder_count: int = Field(default=0, nullable=False)
    # Holders at EXPERT_LEVEL or above, holders who want to teach, active learning goals.
    expert_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    teacher_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    learner_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    # False for a skill first named by a tag in a private community (domain.skills.model).
    listed: bool = Field(sa_column=Column(Boolean, nullable=False, server_default=true()))


_skill = SkillRow.__table__  # type: ignore[attr-defined]
# The administrators' review list: few rows, in name order.
Index(
    "ix_skill_unlisted",
    _skill.c.sort_name,
    _skill.c.id,
    postgresql_where=_skill.c.listed.is_(False),
    sqlite_where=_skill.c.listed.is_(False),
)
# sort=popular is (holder_count DESC, sort_name, id): the indexes match that mixed order exactly.
Index("ix_skill_popular", _skill.c.holder_count.desc(), _skill.c.sort_name, _skill.c.id)
Index(
    "ix_skill_category_popular",
    _skill.c.category,
    _skill.c.holder_count.desc(),
    _skill.c.sort_name,
    _skill.c.id,
)


class SkillAlias(SQLModel, table=True):
    """Every name of a skill, its own included (`is_primary`), keyed by the normalised form.

    The primary key on `normalized` is what refuses "nodejs" next to "Node.js", even when two
    requests race past the service's check.
    """

    __tablename__ = "skill_alias"
    __table_args__ = (
        Index(
            "ix_skill_alias_normalized_pattern",
            "normalized",
            postgresql_ops={"normalized": "varchar_pattern_ops"},
        ),
    )

    normalized: str = Field(sa_column=Column(String(255), primary_key=True))
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_column=Column(String(80), nullable=False))
    is_primary: bool = Field(sa_column=Column(Boolean, nullable=False))


class UserSkill(SQLModel, table=True):
    """A skill on a profile, with its expert score stored (repositories/skills/__init__.py: why)."""

    __tablename__ = "user_skill"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        Index("ix_user_skill_experts", "skill_id", "score", "user_id"),
        Index("ix_user_skill_level", "skill_id", "level"),
        Index("ix_user_skill_teachers", "skill_id", "wants_to_teach"),
        Index("ix_user_skill_profile", "user_id", "level"),
    )

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", primary_key=True)
    level: int = Field(nullable=False)
    wants_to_teach: bool = Field(sa_column=Column(Boolean, nullable=False))
    endorsement_count: int = Field(default=0, nullable=False)
    endorsement_points: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    # Sums of skill_evidence over public communities: what the stored, indexed score counts.
    accepted_answers: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )
    helpful_reactions: int = Field(
        default=0, nullable=False, sa_column_kwargs={"server_default": "0"}
    )
    score: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


class SkillEvidenceRow(SQLModel, table=True):
    """A person's content on a listed skill, per community: their live posts tagged with it,
    their accepted answers to live questions tagged with it, and the helpful reactions on both
    (a comment through its post's tags). Recomputed from the content by every write that changes
    it (repositories/skills/scores.py), never incremented. Split by community so that what a viewer
    is shown sums only the communities they can see: a key lookup per person, not a content scan.
    Rows exist only while the person lists the skill (the composite key cascades)."""

    __tablename__ = "skill_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("ix_skill_evidence_community", "community_id"),
    )

    user_id: uuid.UUID = Field(primary_key=True)
    skill_id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    posts: int = Field(default=0, nullable=False)
    accepted_answers: int = Field(default=0, nullable=False)
    helpful_reactions: int = Field(default=0, nullable=False)


# Recounting skill evidence and profile stats read a person's own content: their posts, their
# comments, and the questions their answers were accepted on. These cover those reads, so a
# prolific author's recount is an index-only range, not one heap fetch per post or comment.
_post = PostRow.__table__  # type: ignore[attr-defined]
_comment = CommentRow.__table__  # type: ignore[attr-defined]
Index(
    "ix_post_author_evidence",
    _post.c.author_id,
    _post.c.id,
    _post.c.community_id,
    _post.c.deleted_at,
    _post.c.helpful_count,
)
Index(
    "ix_comment_author_evidence",
    _comment.c.author_id,
    _comment.c.post_id,
    _comment.c.id,
    _comment.c.deleted_at,
    _comment.c.helpful_count,
)
Index(
    "ix_post_accepted_evidence",
    _post.c.accepted_comment_id,
    _post.c.id,
    _post.c.community_id,
    _post.c.deleted_at,
    postgresql_where=_post.c.accepted_comment_id.is_not(None),
    sqlite_where=_post.c.accepted_comment_id.is_not(None),
)


_member = CommunityMember.__table__  # type: ignore[attr-defined]
# The roles that repositories/communities.py `_role_in` looks up, so that the index applies.
_leader = _member.c.role.in_([Role.moderator.value, Role.steward.value])
# A community's stewards and moderators. Partial on purpose: on (community_id, role, status) for
# every member, PostgreSQL chose it for "the viewer's membership in each listed community" (the
# smaller index, the same estimate) and walked every member of each big community to find the
# viewer: 1.8 ms for the community list instead of 0.1 ms by the primary key.
Index(
    "ix_community_member_leaders",
    _member.c.community_id,
    _member.c.role,
    _member.c.status,
    postgresql_where=_leader,
    sqlite_where=_leader,
)


class EndorsementRow(SQLModel, table=True):
    """One per endorser x person x skill. The composite foreign key makes "the person lists the
    skill" a database fact: removing the skill removes its endorsements, and a merge that moves
    the user skill carries them along (ON UPDATE CASCADE)."""

    __tablename__ = "endorsement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        Index("uq_endorsement_endorser", "endorser_id", "skill_id", "user_id", unique=True),
        Index("ix_endorsement_received", "user_id", "skill_id", "created_at", "id"),
        Index("ix_endorsement_evidence", "evidence_post_id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    endorser_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    user_id: uuid.UUID
    skill_id: uuid.UUID
    note: str | None = Field(default=None, sa_column=Column(Text))
    # A post of the endorsed person, or a question they answered (checked when linked).
    evidence_post_id: uuid.UUID | None = Field(
        default=None, foreign_key="post.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


class LearningGoalRow(SQLModel, table=True):
    """One goal per person and skill: a new ambition for the same skill updates the goal."""

    __tablename__ = "learning_goal"
    __table_args__ = (
        CheckConstraint("target_level BETWEEN 1 AND 5", name="target_level_range"),
        Index("uq_learning_goal_user_skill", "user_id", "skill_id", unique=True),
        Index("ix_learning_goal_list", "user_id", "created_at", "id"),
        Index("ix_learning_goal_learners", "skill_id", "status"),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE")
    target_level: int = Field(nullable=False)
    status: str = Field(sa_column=Column(String(16), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    due_on: date | None = Field(default=None, sa_column=Column(Date))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


# --- mentorship ---


class MentorProfileRow(SQLModel, table=True):
    """An offer to mentor. `active_mentees` moves only by guarded UPDATEs (accept: +1 while below
    capacity; complete: -1), which is what keeps concurrent accepts within capacity."""

    __tablename__ = "mentor_profile"
    __table_args__ = (
        CheckConstraint("capacity BETWEEN 1 AND 20", name="capacity_range"),
        CheckConstraint("active_mentees >= 0", name="active_mentees_not_negative"),
    )

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    accepting_mentees: bool = Field(sa_column=Column(Boolean, nullable=False))
    capacity: int = Field(nullable=False)
    active_mentees: int = Field(default=0, nullable=False)
    about: str | None = Field(default=None, sa_column=Column(Text))
    timezone: str | None = Field(default=None, sa_column=Column(String(64)))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())


class MentorshipRow(SQLModel, table=True):
    """A request and, once accepted, the mentorship. The skill has no ON DELETE CASCADE: deleting
    a skill (a merge) must not silently erase people's mentorships."""

    __tablename__ = "mentorship"
    __table_args__ = (
        CheckConstraint("confirmed_level BETWEEN 1 AND 5", name="confirmed_level_range"),
        Index("ix_mentorship_mentor", "mentor_id", "created_at", "id"),
        Index("ix_mentorship_mentee", "mentee_id", "created_at", "id"),
        Index("ix_mentorship_unanswered", "status", "created_at"),
        Index("ix_mentorship_skill", "skill_id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    mentor_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    mentee_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    skill_id: uuid.UUID = Field(foreign_key="skill.id")
    goal: str = Field(sa_column=Column(String(500), nullable=False))
    message: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    decline_reason: str | None = Field(default=None, sa_column=Column(String(500)))
    confirmed_level: int | None = Field(default=None)
    created_at: datetime = Field(sa_column=utc())
    responded_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    completed_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


_mentorship = MentorshipRow.__table__  # type: ignore[attr-defined]
_open = _mentorship.c.status.in_(["requested", "active"])
# One open request or active mentorship per mentor x mentee x skill, even when two requests race.
Index(
    "uq_mentorship_open_pair",
    _mentorship.c.mentor_id,
    _mentorship.c.mentee_id,
    _mentorship.c.skill_id,
    unique=True,
    postgresql_where=_open,
    sqlite_where=_open,
)


class MentorshipSessionRow(SQLModel, table=True):
    __tablename__ = "mentorship_session"
    __table_args__ = (
        CheckConstraint("minutes BETWEEN 5 AND 600", name="minutes_range"),
        Index("ix_mentorship_session_list", "mentorship_id", "held_on", "id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    mentorship_id: uuid.UUID = Field(foreign_key="mentorship.id", ondelete="CASCADE")
    held_on: date = Field(sa_column=Column(Date, nullable=False))
    minutes: int = Field(nullable=False)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    created_by: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    created_at: datetime = Field(sa_column=utc())


class MentorshipFeedbackRow(SQLModel, table=True):
    """One per participant and mentorship: the unique index refuses a second one."""

    __tablename__ = "mentorship_feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        Index("uq_mentorship_feedback_author", "mentorship_id", "author_id", unique=True),
    )

    id: uuid.UUID = Field(primary_key=True)
    mentorship_id: uuid.UUID = Field(foreign_key="mentorship.id", ondelete="CASCADE")
    author_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    rating: int = Field(nullable=False)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_column=utc())
