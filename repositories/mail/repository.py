"""The mail queue in SQL: a queued message is a `mail.requested` row of the event outbox, so it
commits with the change that asked for it and the relay moves it to the broker like any event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.model import EventType, new_event
from domain.mail.model import MailMessage, Undeliverable
from repositories.events.repository import SqlEventRepository
from repositories.users.tables import UserAccount

users = UserAccount.__table__  # type: ignore[attr-defined]


class SqlMailQueue:
    def __init__(self, session: AsyncSession, events: SqlEventRepository) -> None:
        self.session = session
        self.events = events

    async def add(self, message: MailMessage, at: datetime) -> None:
        await self.events.add(
            new_event(
                EventType.mail_requested,
                at,
                actor_id=None,
                community_id=None,
                payload=message.to_payload(),
            )
        )

    async def mark_undeliverable(self, mark: Undeliverable) -> bool:
        result = await self.session.execute(
            update(users)
            .where(users.c.id == mark.user_id, users.c.email == mark.address)
            .values(
                email_undeliverable_at=mark.at,
                email_undeliverable_reason=mark.reason[:500],
                version=users.c.version + 1,
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
