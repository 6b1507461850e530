"""The webhooks feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class WebhookRow(SQLModel, table=True):
    """A subscription: a community's (`community_id`) or the organisation's (null). The secret
    is stored encrypted (it must sign, so it cannot be hashed)."""

    __tablename__ = "webhook"
    __table_args__ = (Index("ix_webhook_scope", "community_id", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID | None = Field(
        default=None, foreign_key="community.id", ondelete="CASCADE"
    )
    created_by: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    url: str = Field(sa_column=Column(String(2000), nullable=False))
    event_types: list[str] = Field(sa_column=Column(JSON, nullable=False))
    description: str = Field(sa_column=Column(String(500), nullable=False))
    enabled: bool = Field(nullable=False)
    include_private_communities: bool = Field(nullable=False)
    secret_sealed: str = Field(sa_column=Column(Text, nullable=False))
    previous_secret_sealed: str | None = Field(default=None, sa_column=Column(Text))
    previous_secret_expires_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    failing_since: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    disabled_reason: str | None = Field(default=None, sa_column=Column(String(200)))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    version: int = Field(sa_column=Column(Integer, nullable=False, server_default="1"))


class WebhookDeliveryRow(SQLModel, table=True):
    """One message to one subscription, with the exact body every try sends. The partial index
    keeps finding due tries cheap however many finished deliveries the table holds."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_list", "webhook_id", "id"),
        Index(
            "ix_webhook_delivery_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_webhook_delivery_created", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    webhook_id: uuid.UUID = Field(foreign_key="webhook.id", ondelete="CASCADE")
    event_id: uuid.UUID | None = None
    event_type: str = Field(sa_column=Column(String(64), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    attempts: int = Field(sa_column=Column(Integer, nullable=False))
    attempt_budget: int = Field(sa_column=Column(Integer, nullable=False))
    next_attempt_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    created_at: datetime = Field(sa_column=utc())
    last_status_code: int | None = Field(default=None, sa_column=Column(Integer))
    last_attempt_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))


class WebhookAttemptRow(SQLModel, table=True):
    """One try of a delivery: status, duration and the first kilobyte of the answer."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_delivery", "delivery_id", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    delivery_id: uuid.UUID = Field(foreign_key="webhook_delivery.id", ondelete="CASCADE")
    attempted_at: datetime = Field(sa_column=utc())
    status_code: int | None = Field(default=None, sa_column=Column(Integer))
    duration_ms: int = Field(sa_column=Column(Integer, nullable=False))
    ok: bool = Field(nullable=False)
    error: str | None = Field(default=None, sa_column=Column(String(500)))
    response_excerpt: str = Field(sa_column=Column(Text, nullable=False))
