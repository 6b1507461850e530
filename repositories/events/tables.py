"""The event outbox's tables (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class DomainEventRow(SQLModel, table=True):
    """One domain event, written in the transaction of the change it describes. Ids are
    time-ordered (UUID version 7). `dispatched_at` is set once the relay handed it to the
    broker; the partial index keeps finding the undispatched ones cheap however long the
    table grows."""

    __tablename__ = "domain_event"
    __table_args__ = (
        Index(
            "ix_domain_event_undispatched",
            "id",
            postgresql_where=text("dispatched_at IS NULL"),
            sqlite_where=text("dispatched_at IS NULL"),
        ),
        Index("ix_domain_event_dispatched_at", "dispatched_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    type: str = Field(sa_column=Column(String(64), nullable=False))
    occurred_at: datetime = Field(sa_column=utc())
    actor_id: uuid.UUID | None = None
    community_id: uuid.UUID | None = None
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    payload_version: int = Field(sa_column=Column(Integer, nullable=False, server_default="1"))
    dispatched_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class ProcessedEventRow(SQLModel, table=True):
    """A consumer took an event: written in the consumer's own transaction, so a second
    delivery of the event finds it and does nothing."""

    __tablename__ = "processed_event"

    consumer: str = Field(sa_column=Column(String(120), primary_key=True))
    event_id: uuid.UUID = Field(primary_key=True)
    processed_at: datetime = Field(sa_column=utc(index=True))


class FailedJobRow(SQLModel, table=True):
    """The dead-letter list: an event a consumer failed on after its last try."""

    __tablename__ = "failed_job"

    id: uuid.UUID = Field(primary_key=True)
    event_id: uuid.UUID
    event_type: str = Field(sa_column=Column(String(64), nullable=False))
    consumer: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    error: str = Field(sa_column=Column(Text, nullable=False))
    attempts: int = Field(sa_column=Column(Integer, nullable=False))
    failed_at: datetime = Field(sa_column=utc(index=True))
