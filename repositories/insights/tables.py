"""The health rollups' tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String, func, literal_column
from sqlmodel import Field, SQLModel

from repositories.leadership.tables import LeadershipActRow
from repositories.posts.tables import CommentRow, ReactionRow
from repositories.tables import utc
from repositories.types import UTCDateTime


class CommunityWeekPersonRow(SQLModel, table=True):
    """Who took part in a community in a week, and how many leadership acts they performed
    there: the rollup that the weekly figures and the 13-week leaderful index are sums of."""

    __tablename__ = "community_week_person"

    week_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    person_id: uuid.UUID = Field(
        foreign_key="user_account.id", ondelete="CASCADE", primary_key=True
    )
    contributed: int = Field(default=0, nullable=False)  # 1: posted or commented that week
    acts: int = Field(default=0, nullable=False)


class _Figures(SQLModel):
    members: int = Field(nullable=False)
    active_members: int = Field(nullable=False)
    posts: int = Field(nullable=False)
    questions: int = Field(nullable=False)
    answered_share: float | None = Field(default=None)
    median_first_response_minutes: float | None = Field(default=None)
    contributors: int = Field(nullable=False)
    leaders: int = Field(nullable=False)
    index_active: int = Field(nullable=False)
    index_leaders: int = Field(nullable=False)
    index_acts: int = Field(nullable=False)
    index_share: float = Field(nullable=False)
    index_concentration: float | None = Field(default=None)


class CommunityHealthWeekRow(_Figures, table=True):
    """One community's figures for one week (Monday 00:00 UTC), kept by the health job."""

    __tablename__ = "community_health_week"

    community_id: uuid.UUID = Field(
        foreign_key="community.id", ondelete="CASCADE", primary_key=True
    )
    week_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    computed_at: datetime = Field(sa_column=utc())
    # index_share minus the share CHANGE_WEEKS earlier (None without that week's rollup).
    index_change: float | None = Field(default=None)


class OrganisationHealthWeekRow(_Figures, table=True):
    """The organisation's figures for one week, over all communities or the public ones."""

    __tablename__ = "organisation_health_week"

    scope: str = Field(sa_column=Column(String(8), primary_key=True))
    week_start: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    computed_at: datetime = Field(sa_column=utc())


# The organisation's rankings read the best communities of one week in exactly these orders
# (repositories/insights/health.py, _ranking_statement), so ties are not sorted in full.
_chw = CommunityHealthWeekRow.__table__  # type: ignore[attr-defined]
Index(
    "ix_community_health_week_share",
    _chw.c.week_start,
    _chw.c.index_share.desc(),
    func.coalesce(_chw.c.index_concentration, literal_column("1.0")),
    _chw.c.community_id,
)
Index(
    "ix_community_health_week_change",
    _chw.c.week_start,
    _chw.c.index_change.desc(),
    _chw.c.community_id,
)

# The weekly rollup reads one week of comments, reactions and acts across all communities.
Index("ix_comment_recent", CommentRow.__table__.c.created_at)  # type: ignore[attr-defined]
Index("ix_reaction_recent", ReactionRow.__table__.c.created_at)  # type: ignore[attr-defined]
Index("ix_leadership_act_recent", LeadershipActRow.__table__.c.occurred_at)  # type: ignore[attr-defined]
