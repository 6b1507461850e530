"""The users feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Column,
    Index,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from repositories.tables import utc


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
        # Whose digest is due: people by time zone (the digest job).
        Index("ix_user_account_timezone", "timezone", "id"),
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
    # "12345 09:00-17:00": ISO weekdays, then the local window (repositories/users/queries.py);
    # NULL is the default working week.
    working_hours: str | None = Field(default=None, sa_column=Column(String(32)))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    is_active: bool = Field(default=True, nullable=False)
    token_version: int = Field(default=0, nullable=False)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    email_verified_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    email_undeliverable_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    email_undeliverable_reason: str | None = Field(default=None, sa_column=Column(String(500)))


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
