"""The outgoing mail queue's table (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class QueuedMailRow(SQLModel, table=True):
    """One message to send, written in the transaction of the change that asked for it.
    `status` is `pending` until it is sent, skipped (the recipient may not get it now),
    undeliverable (a permanent refusal) or failed (temporary failures until its last try).
    A sender claims a batch of pending, due messages by setting `claimed_until` (a lease: a
    sender that dies leaves them to the next one after it) and counts the try in `attempts`;
    a temporary failure moves `next_attempt_at` on by the backoff. The partial index keeps
    finding the due ones cheap however many sent ones are kept."""

    __tablename__ = "mail_queue"
    __table_args__ = (
        Index(
            "ix_mail_queue_pending",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_mail_queue_finished_at", "finished_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    queued_at: datetime = Field(sa_column=utc())
    message: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    attempts: int = Field(sa_column=Column(Integer, nullable=False))
    next_attempt_at: datetime = Field(sa_column=utc())
    claimed_until: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
