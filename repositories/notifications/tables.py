"""The notifications feature's tables (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Column,
    Index,
    String,
)
from sqlmodel import Field, SQLModel

from repositories.tables import utc


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
