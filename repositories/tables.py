"""Shared schema pieces: the metadata and its naming convention, the UTC column, and the
request-level idempotency table. Each feature's tables live in repositories/<feature>/tables.py;
rows never leave repositories/, they map to entities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    LargeBinary,
    MetaData,
    String,
)
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


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_key"

    owner: str = Field(sa_column=Column(String(80), primary_key=True))
    key: str = Field(sa_column=Column(String(255), primary_key=True))
    request_hash: str = Field(sa_column=Column(String(64), nullable=False))
    status_code: int | None = Field(default=None)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    location: str | None = Field(default=None, sa_column=Column(String(2048)))
    created_at: datetime = Field(sa_column=utc(index=True))
