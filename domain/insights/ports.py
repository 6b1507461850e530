"""Ports of the health rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.insights.model import (
    CommunityHealthWeek,
    ContentWeek,
    HealthWeek,
    PeopleWeek,
    RankedCommunity,
    Scope,
)


class HealthRepository(Protocol):
    async def computed_weeks(self, since: datetime) -> dict[datetime, datetime]:
        """Weeks from `since` that have organisation rollups, with when they were computed."""
        ...

    async def roll_people(self, start: datetime, end: datetime) -> None:
        """Rebuild the per-person rollup of the week [start, end): who posted, commented,
        reacted or led in which community, with their leadership acts. Set-based."""
        ...

    async def content(self, start: datetime, end: datetime, current: bool) -> list[ContentWeek]:
        """Each live community's content figures for the week (members as of its end)."""
        ...

    async def people(self, start: datetime) -> list[PeopleWeek]: ...

    async def window_acts(
        self, first_week: datetime, last_week: datetime
    ) -> list[tuple[UUID, UUID, int]]:
        """(community, person, acts) summed over the weeks from `first_week` to `last_week`."""
        ...

    async def organisation_people(self, start: datetime, scope: Scope) -> tuple[int, int, int, int]:
        """(members, active members, contributors, leaders) of the organisation in the week,
        counting each person once across the communities of `scope`."""
        ...

    async def store(
        self,
        start: datetime,
        communities: Sequence[CommunityHealthWeek],
        organisation: dict[Scope, HealthWeek],
    ) -> None:
        """Replace the week's rollups."""
        ...

    async def community_weeks(self, community_id: UUID, since: datetime) -> list[HealthWeek]: ...

    async def organisation_weeks(self, scope: Scope, since: datetime) -> list[HealthWeek]: ...

    async def ranking(
        self, week: datetime, public_only: bool, limit: int
    ) -> tuple[list[RankedCommunity], list[RankedCommunity]]:
        """The live communities of `week` (public ones only when asked), best first: by index
        (highest share, then lowest concentration, no concentration counting as 1.0), and by
        change (largest rise of the share over CHANGE_WEEKS; communities without that earlier
        week left out). At most `limit` each, read through their indexes."""
        ...


class InsightsRepositories(Protocol):
    @property
    def health(self) -> HealthRepository: ...
