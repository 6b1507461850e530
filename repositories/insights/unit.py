"""The health rollups' part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.insights.health import SqlHealthRepository


class SqlInsightsRepositories(FeatureRepositories):
    health: SqlHealthRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.health = SqlHealthRepository(session)
