"""The leadership ledger's table (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class LeadershipActRow(SQLModel, table=True):
    """One act of leadership, written in the transaction of the act itself. Its privacy is not
    stored: it follows the community's visibility when read."""

    __tablename__ = "leadership_act"
    __table_args__ = (
        # A person's ledger, newest first (keyset on (occurred_at, id)).
        Index("ix_leadership_act_person", "person_id", "occurred_at", "id"),
        # A community's acts in a window (the health rollups and the leaderful index).
        Index("ix_leadership_act_community", "community_id", "occurred_at"),
        # An accepted answer un-accepted withdraws its act.
        Index("ix_leadership_act_subject", "subject_id"),
    )

    id: uuid.UUID = Field(primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    community_id: uuid.UUID | None = Field(
        default=None, foreign_key="community.id", ondelete="CASCADE"
    )
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    occurred_at: datetime = Field(sa_column=utc())
    subject_type: str = Field(sa_column=Column(String(16), nullable=False))
    subject_id: uuid.UUID = Field(nullable=False)
