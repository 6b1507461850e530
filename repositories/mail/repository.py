"""The mail queue in SQL: a queued message is a `mail_queue` row, written in the transaction of
the change that asked for it. The first message a transaction queues also records one
`mail.requested` outbox event, whose consumer wakes the sender: a digest run queuing 500
messages in one transaction writes them in one statement and wakes the sender once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.model import EventType, FailedJob, new_event
from domain.mail.model import (
    MAIL_SENDER,
    MailMessage,
    MailOutcome,
    MailStatus,
    QueuedMail,
    Undeliverable,
)
from domain.notifications.model import time_ordered_id
from domain.users.model import User
from repositories.base import rows_changed
from repositories.events.repository import SqlEventRepository
from repositories.mail.tables import QueuedMailRow
from repositories.users.queries import USER_COLUMNS, user_from_row
from repositories.users.tables import UserAccount

users = UserAccount.__table__  # type: ignore[attr-defined]
queue = QueuedMailRow.__table__  # type: ignore[attr-defined]
PENDING = MailStatus.pending.value
# The wake-up event's payload version (version 1 carried one message each).
WAKE_VERSION = 2


class SqlMailQueue:
    def __init__(self, session: AsyncSession, events: SqlEventRepository) -> None:
        self.session = session
        self.events = events
        # Whether this transaction already recorded its wake-up event.
        self.woken = False

    async def _wake(self, at: datetime) -> None:
        if self.woken:
            return
        self.woken = True
        await self.events.add(
            new_event(
                EventType.mail_requested,
                at,
                actor_id=None,
                community_id=None,
                payload={},
                payload_version=WAKE_VERSION,
            )
        )

    async def add(self, message: MailMessage, at: datetime) -> None:
        await self.add_many([message], at)

    async def add_many(self, messages: Sequence[MailMessage], at: datetime) -> None:
        if not messages:
            return
        await self.session.execute(
            insert(queue),
            [
                {
                    "id": time_ordered_id(at),
                    "queued_at": at,
                    "message": message.to_payload(),
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": at,
                }
                for message in messages
            ],
        )
        await self._wake(at)

    @staticmethod
    def _free(now: datetime) -> list[Any]:
        q = queue.c
        return [q.status == PENDING, or_(q.claimed_until.is_(None), q.claimed_until < now)]

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[QueuedMail]:
        q = queue.c
        due = (
            select(q.id)
            .where(*self._free(now), q.next_attempt_at <= now)
            .order_by(q.next_attempt_at, q.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer anyway
        )
        rows = await self.session.execute(
            update(queue)
            .where(q.id.in_(due.scalar_subquery()))
            .values(claimed_until=lease_until, attempts=q.attempts + 1)
            .returning(q.id, q.message, q.attempts, q.next_attempt_at)
        )
        claimed = sorted(rows, key=lambda row: (row.next_attempt_at, row.id))
        return [
            QueuedMail(row.id, MailMessage.from_payload(row.message), int(row.attempts))
            for row in claimed
        ]

    async def next_due(self, now: datetime) -> datetime | None:
        q = queue.c
        due: datetime | None = await self.session.scalar(
            select(func.min(q.next_attempt_at)).where(*self._free(now))
        )
        return due

    async def finish(self, outcomes: Sequence[MailOutcome], at: datetime) -> None:
        # One UPDATE per kind of outcome (sent, skipped for a reason, retried at a time, …).
        groups: dict[tuple[MailStatus, str | None, datetime | None], list[UUID]]
        groups = defaultdict(list)
        for outcome in outcomes:
            groups[(outcome.status, outcome.error, outcome.retry_at)].append(outcome.id)
        q = queue.c
        for (status, error, retry_at), ids in groups.items():
            values: dict[str, Any] = {"status": status.value, "claimed_until": None}
            values["last_error"] = None if error is None else error[:2000]
            if status is MailStatus.pending:
                values["next_attempt_at"] = retry_at or at
            else:
                values["finished_at"] = at
            await self.session.execute(update(queue).where(q.id.in_(ids)).values(**values))
        for outcome in outcomes:
            if outcome.mark is not None:
                await self.mark_undeliverable(outcome.mark)
            if outcome.status is MailStatus.failed:
                await self.events.add_failure(
                    FailedJob(
                        id=time_ordered_id(at),
                        event_id=outcome.id,
                        event_type=EventType.mail_requested.value,
                        consumer=MAIL_SENDER,
                        error=(outcome.error or "not sent")[:2000],
                        attempts=outcome.attempts,
                        failed_at=at,
                    )
                )

    async def requeue(self, mail_id: UUID, at: datetime) -> bool:
        q = queue.c
        result = await self.session.execute(
            update(queue)
            .where(q.id == mail_id, q.status == MailStatus.failed.value)
            .values(
                status=PENDING,
                attempts=0,
                next_attempt_at=at,
                claimed_until=None,
                finished_at=None,
            )
        )
        if rows_changed(result) != 1:
            return False
        await self._wake(at)
        return True

    async def recipients(self, user_ids: Sequence[UUID]) -> dict[UUID, User]:
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(*USER_COLUMNS).where(users.c.id.in_(sorted(set(user_ids))))
        )
        return {(user := user_from_row(row)).id: user for row in rows}

    async def wake(self, at: datetime) -> None:
        await self._wake(at)

    async def prune(self, before: datetime) -> int:
        q = queue.c
        result = await self.session.execute(
            delete(queue).where(q.status != PENDING, q.finished_at < before)
        )
        return rows_changed(result)

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
