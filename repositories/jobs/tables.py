"""The periodic jobs' ledger: one row per job and tick, claimed by whoever runs it first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Integer, String, Text
from sqlmodel import Field, SQLModel

from repositories.tables import utc
from repositories.types import UTCDateTime


class JobTickRow(SQLModel, table=True):
    """A job's run for one tick of its schedule. The primary key is the claim: of every
    scheduler or worker that reaches the same tick, exactly one inserts this row and runs the
    job; the others find the row there and skip."""

    __tablename__ = "job_tick"

    job: str = Field(sa_column=Column(String(80), primary_key=True))
    tick_at: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    claimed_at: datetime = Field(sa_column=utc())
    finished_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    # What the job reported (rows it handled), or why it failed.
    processed: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
