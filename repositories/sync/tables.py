"""The change log that delta sync reads (SQLModel rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class SyncChangeRow(SQLModel, table=True):
    """One row per write to a synced row, written by database triggers in the writing
    transaction (repositories/sync/triggers.py), so no write path can forget it.

    The log is read in `(txid, seq)` order. On PostgreSQL `txid` is the writing transaction's
    id: every transaction below the snapshot's `xmin` has finished, so the rows below it are a
    prefix of the order that can no longer grow, and a token never points past a row that is
    still to commit (the commit-order race of plain sequences). SQLite has one writer at a
    time, which takes `seq` under its write lock: commit order is `seq` order and `txid` is 0.

    `community_id` scopes community content (posts, comments, the community); `user_id` and
    `other_user_id` scope personal rows (memberships, notifications, mentorships, the profile).
    """

    __tablename__ = "sync_change"
    __table_args__ = (
        Index("ix_sync_change_position", "txid", "seq"),
        Index("ix_sync_change_community", "community_id", "txid", "seq"),
        Index("ix_sync_change_user", "user_id", "txid", "seq"),
        Index("ix_sync_change_other_user", "other_user_id", "txid", "seq"),
        Index("ix_sync_change_changed_at", "changed_at"),
        # AUTOINCREMENT: never reuse a number, even once pruning has emptied the table.
        {"sqlite_autoincrement": True},
    )

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    txid: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    entity_id: uuid.UUID
    community_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    other_user_id: uuid.UUID | None = None
    changed_at: datetime = Field(sa_column=utc())
