"""Ports of the event outbox: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.events.model import DomainEvent, FailedJob
from domain.pagination import PageRequest, PageResult


class EventRepository(Protocol):
    async def add(self, event: DomainEvent) -> None:
        """Record the event in the outbox, in the unit of work's transaction."""
        ...

    async def get(self, event_id: UUID) -> DomainEvent | None: ...

    async def claim_undispatched(self, limit: int) -> list[DomainEvent]:
        """Oldest undispatched events, locked until the transaction ends; rows another relay
        holds are skipped (PostgreSQL), so relays in many processes share the work."""
        ...

    async def mark_dispatched(self, event_ids: Sequence[UUID], at: datetime) -> None: ...

    async def undispatch(self, event_id: UUID) -> bool:
        """Put an event back in the outbox (replay); False when it no longer exists."""
        ...

    async def mark_processed(self, consumer: str, event_id: UUID, at: datetime) -> bool:
        """True the first time `consumer` takes `event_id`; False when it already did (a
        concurrent delivery waits for the other transaction, then sees its mark)."""
        ...

    async def prune(self, before: datetime) -> int:
        """Delete dispatched events and processed marks older than `before`; rows deleted."""
        ...

    async def add_failure(self, failure: FailedJob) -> None: ...

    async def failures(self, page: PageRequest) -> PageResult[FailedJob]:
        """Newest first, by keyset."""
        ...

    async def take_failure(self, failure_id: UUID) -> FailedJob | None:
        """Remove the failure and return it; None when there is no such failure."""
        ...


class EventsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def events(self) -> EventRepository: ...
