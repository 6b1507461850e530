"""The account flows' table (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class AccountTokenRow(SQLModel, table=True):
    """A mailed single-use link: only the hash of its secret is kept."""

    __tablename__ = "account_token"
    __table_args__ = (Index("ix_account_token_user_purpose", "user_id", "purpose", "created_at"),)

    id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    purpose: str = Field(sa_column=Column(String(16), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    email: str = Field(sa_column=Column(String(320), nullable=False))
    created_at: datetime = Field(sa_column=utc())
    expires_at: datetime = Field(sa_column=utc())
    used_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
