"""SQLModel tables: the storage schema. Rows never leave repositories/; they map to entities."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, MetaData, String, Text
from sqlmodel import Field, SQLModel

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
