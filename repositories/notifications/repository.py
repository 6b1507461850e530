"""Notification rows (delivery by stream and e-mail builds on them)."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.notifications.model import Notification
from repositories.notifications.tables import NotificationRow

notifications = NotificationRow.__table__  # type: ignore[attr-defined]


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_many(self, items: list[Notification]) -> None:
        if not items:
            return
        await self.session.execute(
            insert(notifications),
            [
                {
                    "id": n.id,
                    "user_id": n.user_id,
                    "kind": n.kind.value,
                    "actor_id": n.actor_id,
                    "subject_type": n.subject_type,
                    "subject_id": n.subject_id,
                    "title": n.title[:300],
                    "url": n.url,
                    "created_at": n.created_at,
                }
                for n in items
            ],
        )
