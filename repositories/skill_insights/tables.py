"""The skill insights' tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Float, Index
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class SkillInsightRow(SQLModel, table=True):
    """One skill's demand, supply, gap and bus factor in one scope (a community, or the
    organisation under the nil UUID), as of the last refresh (`skill_insight_run`). Only pairs
    with some demand or supply have a row. No foreign keys: every refresh rewrites the rows
    whose figures changed and deletes those left without any, and a skill that disappears
    meanwhile is dropped by the read's join to `skill`."""

    __tablename__ = "skill_insight"
    __table_args__ = (
        # sort=gap and sort=risk are keyset pages in these exact orders (all descending, so the
        # cursor is one row-value comparison).
        Index("ix_skill_insight_gap", "scope_id", "gap", "skill_id"),
        Index("ix_skill_insight_risk", "scope_id", "risk", "gap", "skill_id"),
    )

    scope_id: uuid.UUID = Field(primary_key=True)
    skill_id: uuid.UUID = Field(primary_key=True)
    learners: int = Field(nullable=False)
    questions: int = Field(nullable=False)
    unanswered: int = Field(nullable=False)
    median_first_answer_minutes: float | None = Field(default=None, sa_column=Column(Float))
    experts: int = Field(nullable=False)
    answerers: int = Field(nullable=False)
    mentors: int = Field(nullable=False)
    accepted_answers: int = Field(nullable=False)
    bus_factor: int = Field(nullable=False)
    risk: int = Field(nullable=False)  # domain.skill_insights.model.risk_rank
    gap: float = Field(sa_column=Column(Float, nullable=False))


class SkillInsightRunRow(SQLModel, table=True):
    """When the rollups were last refreshed: one row (id 1), written by every refresh, so that
    a refresh that changes no figure writes no rollup."""

    __tablename__ = "skill_insight_run"

    id: int = Field(primary_key=True)
    refreshed_at: datetime = Field(sa_column=utc())


class SkillInsightPairRow(SQLModel, table=True):
    """A suggested mentorship pair for an at-risk skill in a scope, best first by `position`."""

    __tablename__ = "skill_insight_pair"
    __table_args__ = (Index("ix_skill_insight_pair_learner", "scope_id", "learner_id"),)

    scope_id: uuid.UUID = Field(primary_key=True)
    skill_id: uuid.UUID = Field(primary_key=True)
    position: int = Field(primary_key=True)
    expert_id: uuid.UUID = Field(nullable=False)
    learner_id: uuid.UUID = Field(nullable=False)
