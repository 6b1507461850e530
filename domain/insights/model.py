"""Community health over time: weekly rollups kept by a scheduled job (domain.insights.service.
refresh_health), each week with the leaderful index of the 13 weeks that end with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.insights.index import LeaderfulIndex

WEEK = timedelta(days=7)
# The leaderful index beside each week covers the 13 weeks (91 days) that end with it: the
# issue's 90-day window, rounded to whole weeks so that it is a sum of weekly rollups.
INDEX_WEEKS = 13
MAX_WEEKS = 52
DEFAULT_WEEKS = 26
# Weeks a run fills in that have no rollup yet (a new instance, a gap after downtime): a few per
# tick, so the first runs stay short.
BACKFILL_PER_RUN = 4
# The change a community ranking shows: this week's index share against this many weeks ago.
CHANGE_WEEKS = 4


def week_start(at: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing `at`."""
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


class Scope(StrEnum):
    """Organisation totals: `all` communities (administrators) or the `public` ones only (what
    anyone else may see: private numbers never reach them)."""

    all = "all"
    public = "public"


@dataclass(frozen=True, slots=True)
class ContentWeek:
    """What one community's content did in one week (counted by the repository)."""

    community_id: UUID
    is_public: bool
    members: int
    posts: int
    questions: int
    answered: int
    first_response_minutes: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PeopleWeek:
    """Who took part in one community in one week (from the per-person rollup)."""

    community_id: UUID
    active_members: int
    contributors: int
    leaders: int


@dataclass(frozen=True, slots=True)
class HealthWeek:
    week_start: datetime
    members: int
    active_members: int
    posts: int
    questions: int
    answered_share: float | None  # None: no questions that week
    median_first_response_minutes: float | None
    contributors: int
    leaders: int
    index: LeaderfulIndex
    computed_at: datetime


@dataclass(frozen=True, slots=True)
class CommunityHealthWeek:
    community_id: UUID
    week: HealthWeek


@dataclass(frozen=True, slots=True)
class HealthCommunity:
    slug: str
    name: str
    is_private: bool


@dataclass(frozen=True, slots=True)
class CommunityHealth:
    community: HealthCommunity
    weeks: list[HealthWeek]


@dataclass(frozen=True, slots=True)
class RankedCommunity:
    community: HealthCommunity
    share: float
    concentration: float | None
    active_members: int
    leaders: int
    change: float | None  # share now minus share CHANGE_WEEKS ago; None without that week


@dataclass(frozen=True, slots=True)
class OrganisationHealth:
    scope: Scope
    weeks: list[HealthWeek]
    by_index: list[RankedCommunity]
    by_change: list[RankedCommunity]
