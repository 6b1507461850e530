"""The event outbox's part of the unit of work (see repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.events.repository import SqlEventRepository


class SqlEventsRepositories(FeatureRepositories):
    events: SqlEventRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.events = SqlEventRepository(session)
