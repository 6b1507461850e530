"""The notifications feature's part of the unit of work (see repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.notifications.ports import LiveNotifications
from repositories.base import FeatureRepositories
from repositories.notifications.repository import (
    SqlNotificationRepository,
    SqlStreamTicketRepository,
    SqlWatchRepository,
)


class SqlNotificationsRepositories(FeatureRepositories):
    notifications: SqlNotificationRepository
    watches: SqlWatchRepository
    stream_tickets: SqlStreamTicketRepository
    # Where the lines this unit wrote go once it commits (set where units are built).
    live: LiveNotifications | None = None

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.notifications = SqlNotificationRepository(session)
        self.watches = SqlWatchRepository(session)
        self.stream_tickets = SqlStreamTicketRepository(session)

    def committed(self) -> None:
        super().committed()
        written = self.notifications.take_pending()
        read_by = self.notifications.take_read()
        if self.live is not None:
            if written:
                self.live.publish(written)
            if read_by:
                self.live.publish_unread(read_by)

    def rolled_back(self) -> None:
        super().rolled_back()
        self.notifications.take_pending()
        self.notifications.take_read()
