"""The outbox: events recorded with the change, claimed by relays, marked by consumers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.model import DomainEvent, EventType, FailedJob
from domain.pagination import PageRequest, PageResult
from repositories.base import SortKey, insert_or_ignore, keyset_page, rows_changed
from repositories.events.tables import DomainEventRow, FailedJobRow, ProcessedEventRow

events = DomainEventRow.__table__  # type: ignore[attr-defined]
processed = ProcessedEventRow.__table__  # type: ignore[attr-defined]
failed = FailedJobRow.__table__  # type: ignore[attr-defined]

_FAILURES = [SortKey(failed.c.id, descending=True)]


def _event(row: Row[Any]) -> DomainEvent:
    return DomainEvent(
        id=row.id,
        type=EventType(row.type),
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        community_id=row.community_id,
        payload=row.payload,
        payload_version=row.payload_version,
        dispatched_at=row.dispatched_at,
    )


def _failure(row: Row[Any]) -> FailedJob:
    return FailedJob(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        consumer=row.consumer,
        error=row.error,
        attempts=row.attempts,
        failed_at=row.failed_at,
    )


class SqlEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Events added in the current transaction: the unit of work nudges the relay after a
        # commit that wrote some.
        self.recorded = 0

    async def add(self, event: DomainEvent) -> None:
        self.recorded += 1
        await self.session.execute(
            insert(events).values(
                id=event.id,
                type=event.type.value,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                community_id=event.community_id,
                payload=dict(event.payload),
                payload_version=event.payload_version,
            )
        )

    async def get(self, event_id: UUID) -> DomainEvent | None:
        row = (await self.session.execute(select(events).where(events.c.id == event_id))).first()
        return None if row is None else _event(row)

    async def claim_undispatched(self, limit: int) -> list[DomainEvent]:
        stmt = (
            select(events)
            .where(events.c.dispatched_at.is_(None))
            .order_by(events.c.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # Each relay takes rows nobody else holds: no waiting, no double claim.
            stmt = stmt.with_for_update(skip_locked=True)
        # SQLite has one writer at a time: a relay's transaction excludes the others.
        return [_event(row) for row in (await self.session.execute(stmt)).all()]

    async def mark_dispatched(self, event_ids: Sequence[UUID], at: datetime) -> None:
        if event_ids:
            await self.session.execute(
                update(events).where(events.c.id.in_(list(event_ids))).values(dispatched_at=at)
            )

    async def undispatch(self, event_id: UUID) -> bool:
        result = await self.session.execute(
            update(events).where(events.c.id == event_id).values(dispatched_at=None)
        )
        if rows_changed(result) != 1:
            return False
        self.recorded += 1  # back in the outbox: the commit nudges the relay
        return True

    async def mark_processed(self, consumer: str, event_id: UUID, at: datetime) -> bool:
        result = await self.session.execute(
            insert_or_ignore(self.session, processed, ["consumer", "event_id"]).values(
                consumer=consumer, event_id=event_id, processed_at=at
            )
        )
        return rows_changed(result) == 1

    async def prune(self, before: datetime) -> int:
        gone = await self.session.execute(
            delete(events).where(events.c.dispatched_at.is_not(None), events.c.occurred_at < before)
        )
        marks = await self.session.execute(
            delete(processed).where(processed.c.processed_at < before)
        )
        return rows_changed(gone) + rows_changed(marks)

    async def add_failure(self, failure: FailedJob) -> None:
        await self.session.execute(
            insert(failed).values(
                id=failure.id,
                event_id=failure.event_id,
                event_type=failure.event_type,
                consumer=failure.consumer,
                error=failure.error,
                attempts=failure.attempts,
                failed_at=failure.failed_at,
            )
        )

    async def failures(self, page: PageRequest) -> PageResult[FailedJob]:
        return await keyset_page(
            self.session, select(failed), _FAILURES, page, _failure, lambda row: (row.id,)
        )

    async def take_failure(self, failure_id: UUID) -> FailedJob | None:
        row = (await self.session.execute(select(failed).where(failed.c.id == failure_id))).first()
        if row is None:
            return None
        result = await self.session.execute(delete(failed).where(failed.c.id == failure_id))
        if rows_changed(result) != 1:
            return None  # a concurrent replay took it first
        return _failure(row)
