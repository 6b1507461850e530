"""The leadership ledger's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.leadership.repository import SqlLeadershipRepository


class SqlLeadershipRepositories(FeatureRepositories):
    leadership: SqlLeadershipRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.leadership = SqlLeadershipRepository(session)
