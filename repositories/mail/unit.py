"""Mail's part of the unit of work (see repositories/unit_of_work.py). It wakes the sender
through the event outbox, so it comes after the events feature in the chain."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.events.repository import SqlEventRepository
from repositories.mail.repository import SqlMailQueue


class SqlMailRepositories(FeatureRepositories):
    mail: SqlMailQueue
    events: SqlEventRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.mail = SqlMailQueue(session, self.events)

    def committed(self) -> None:
        self.mail.woken = False  # the next transaction that queues mail wakes the sender again
        super().committed()

    def rolled_back(self) -> None:
        self.mail.woken = False
        super().rolled_back()
