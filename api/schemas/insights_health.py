"""Wire models of community health over time and the organisation's overview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from api.schemas.common import OutputModel, QueryModel
from domain.insights.model import (
    DEFAULT_WEEKS,
    INDEX_WEEKS,
    MAX_WEEKS,
    CommunityHealth,
    HealthCommunity,
    HealthWeek,
    OrganisationHealth,
    RankedCommunity,
)


class HealthQuery(QueryModel):
    weeks: Annotated[
        int, Field(ge=1, le=MAX_WEEKS, description="Weeks to return, newest last.")
    ] = DEFAULT_WEEKS


class LeaderfulIndexPublic(OutputModel):
    share: float = Field(description="Leaders / active members in the index window (0-1).")
    concentration: float | None = Field(
        description="Share of the window's leadership acts done by the busiest tenth of leaders "
        "(0.1 = even, 1.0 = all in the busiest tenth); null without acts."
    )
    active_members: int
    leaders: int
    acts: int


class HealthWeekPublic(OutputModel):
    week_start: datetime = Field(description="Monday 00:00 UTC.")
    members: int
    active_members: int
    posts: int
    questions: int
    answered_share: float | None = Field(description="Questions of the week answered; null: none.")
    median_first_response_minutes: float | None
    contributors: int
    leaders: int = Field(description="People with a leadership act in this week.")
    index: LeaderfulIndexPublic = Field(
        description=f"The leaderful index over the {INDEX_WEEKS} weeks ending with this one."
    )
    computed_at: datetime

    @classmethod
    def of(cls, w: HealthWeek) -> HealthWeekPublic:
        return cls(
            week_start=w.week_start,
            members=w.members,
            active_members=w.active_members,
            posts=w.posts,
            questions=w.questions,
            answered_share=w.answered_share,
            median_first_response_minutes=w.median_first_response_minutes,
            contributors=w.contributors,
            leaders=w.leaders,
            index=LeaderfulIndexPublic(
                share=w.index.share,
                concentration=w.index.concentration,
                active_members=w.index.active_members,
                leaders=w.index.leaders,
                acts=w.index.acts,
            ),
            computed_at=w.computed_at,
        )


class HealthCommunityPublic(OutputModel):
    slug: str
    name: str
    is_private: bool

    @classmethod
    def of(cls, c: HealthCommunity) -> HealthCommunityPublic:
        return cls(slug=c.slug, name=c.name, is_private=c.is_private)


class CommunityHealthPublic(OutputModel):
    community: HealthCommunityPublic
    weeks: list[HealthWeekPublic] = Field(
        description="Oldest first; weeks not yet rolled up are absent."
    )

    @classmethod
    def of(cls, h: CommunityHealth) -> CommunityHealthPublic:
        return cls(
            community=HealthCommunityPublic.of(h.community),
            weeks=[HealthWeekPublic.of(w) for w in h.weeks],
        )


class RankedCommunityPublic(OutputModel):
    community: HealthCommunityPublic
    share: float
    concentration: float | None
    active_members: int
    leaders: int
    change: float | None = Field(description="Index share now minus four weeks before.")

    @classmethod
    def of(cls, r: RankedCommunity) -> RankedCommunityPublic:
        return cls(
            community=HealthCommunityPublic.of(r.community),
            share=r.share,
            concentration=r.concentration,
            active_members=r.active_members,
            leaders=r.leaders,
            change=r.change,
        )


class OrganisationHealthPublic(OutputModel):
    scope: Literal["all", "public"] = Field(
        description="`all` for administrators; anyone else sees the public communities only."
    )
    weeks: list[HealthWeekPublic]
    by_index: list[RankedCommunityPublic]
    by_change: list[RankedCommunityPublic]

    @classmethod
    def of(cls, o: OrganisationHealth) -> OrganisationHealthPublic:
        return cls(
            scope=o.scope.value,
            weeks=[HealthWeekPublic.of(w) for w in o.weeks],
            by_index=[RankedCommunityPublic.of(r) for r in o.by_index],
            by_change=[RankedCommunityPublic.of(r) for r in o.by_change],
        )
