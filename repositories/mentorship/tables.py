"""The mentorship feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Index,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from repositories.tables import utc


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
    # The time zone is the person's (user_account.timezone): one place for mentoring and nudges.
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
