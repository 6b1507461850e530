"""The communities feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Column,
    Index,
    Integer,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from domain.communities.model import Role
from repositories.tables import utc


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
    # Minutes a question waits for an answer before experts are nudged; 0: never.
    nudge_after_minutes: int = Field(sa_column=Column(Integer, nullable=False, server_default="60"))
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    last_activity_at: datetime = Field(sa_column=utc())
    archived_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    member_count: int = Field(default=0, nullable=False)
    post_count: int = Field(default=0, nullable=False)
    version: int = Field(default=1, nullable=False)
    # The earliest end of a current steward's term, kept by every membership write (lists show
    # "a term ends soon" without reading the stewards of each community).
    steward_term_ends_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


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


_member = CommunityMember.__table__  # type: ignore[attr-defined]
# The roles that `_role_in` (repositories/communities/repository.py) looks up, so that the
# index applies.
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
