"""The notifications feature's part of the unit of work (see repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.notifications.repository import SqlNotificationRepository, SqlWatchRepository


class SqlNotificationsRepositories(FeatureRepositories):
    notifications: SqlNotificationRepository
    watches: SqlWatchRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.notifications = SqlNotificationRepository(session)
        self.watches = SqlWatchRepository(session)
