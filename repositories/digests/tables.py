"""Tables of notification mail and digests (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class MailStateRow(SQLModel, table=True):
    """A person's mail state: their digest choice (None: the default) and when they were last
    mailed notifications (`notification_mailed_at`, for the quiet time) and up to which line
    (`notification_mailed_upto`, the newest line's time: later lines are unmailed)."""

    __tablename__ = "mail_state"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    email_digest: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    notification_mailed_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    notification_mailed_upto: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class DigestRecordRow(SQLModel, table=True):
    """One person's digest for one period (`2026-12-07`, `2026-W50`): the primary key is the
    claim, inserted in the transaction that queues the mail, so a digest goes out once however
    often the job runs. `sent` is false for a digest skipped as empty."""

    __tablename__ = "digest_record"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    period_key: str = Field(sa_column=Column(String(16), primary_key=True))
    sent_at: datetime = Field(sa_column=utc())
    sent: bool = Field(sa_column=Column(Boolean, nullable=False))
