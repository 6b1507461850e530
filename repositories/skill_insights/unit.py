"""The skill insights' part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.skill_insights.repository import SqlSkillInsightRepository


class SqlSkillInsightsRepositories(FeatureRepositories):
    skill_insights: SqlSkillInsightRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.skill_insights = SqlSkillInsightRepository(session)
