"""The notifications feature's tables (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class NotificationRow(SQLModel, table=True):
    """One line of an inbox. A line groups every unread event of one kind on one subject:
    `group_key` finds it, `group_count` counts the events, `actor_ids` keeps the latest actors
    and `created_at` is the time of the latest event. Ids are time-ordered (UUID version 7) and
    a line takes a new id when an event joins it, so the inbox is ordered by id."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_inbox", "user_id", "id"),
        Index("ix_notification_group", "user_id", "group_key"),
        # At most one unread line per group: concurrent events upsert onto it.
        Index(
            "ux_notification_open_group",
            "user_id",
            "group_key",
            unique=True,
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
        # Who has unread lines to mail (the notification mail job, newest first).
        Index(
            "ix_notification_unread_recent",
            "created_at",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    reason: str = Field(sa_column=Column(String(32), nullable=False, server_default="you"))
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    subject_type: str = Field(sa_column=Column(String(32), nullable=False))
    subject_id: uuid.UUID
    title: str = Field(sa_column=Column(String(300), nullable=False))
    url: str = Field(sa_column=Column(String(500), nullable=False))
    community_id: uuid.UUID | None = Field(
        default=None, foreign_key="community.id", ondelete="CASCADE"
    )
    anchor_id: uuid.UUID | None = None
    group_key: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    group_count: int = Field(sa_column=Column(Integer, nullable=False, server_default="1"))
    # The latest actors, newest first, as comma-separated hex ids.
    actor_ids: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=utc())
    read_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class NotificationPreferenceRow(SQLModel, table=True):
    """A kind's channels as the user set them; kinds without a row keep the defaults."""

    __tablename__ = "notification_preference"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    kind: str = Field(sa_column=Column(String(32), primary_key=True))
    in_app: bool = Field(sa_column=Column(Boolean, nullable=False))
    email: bool = Field(sa_column=Column(Boolean, nullable=False))
    push: bool = Field(sa_column=Column(Boolean, nullable=False))


class PostWatchRow(SQLModel, table=True):
    """Who watches a post. `watching=False` remembers an explicit unwatch, so that commenting
    again (which watches automatically) does not undo it."""

    __tablename__ = "post_watch"

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    watching: bool = Field(sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(sa_column=utc())


class StreamTicketRow(SQLModel, table=True):
    """A short-lived, single-use ticket that opens the caller's notification stream (for
    EventSource, which cannot send headers). Only the SHA-256 of the ticket is stored."""

    __tablename__ = "stream_ticket"

    ticket_hash: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    expires_at: datetime = Field(sa_column=utc())
