"""Recording events (inside a use case's transaction), handing them to their consumers once per
consumer, the dead-letter list, and the outbox's retention."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Forbidden, NotFound
from domain.events.model import (
    RETENTION,
    Consumer,
    ConsumerFailed,
    DomainEvent,
    EventType,
    FailedJob,
    new_event,
)
from domain.mail.model import MAIL_SENDER
from domain.notifications.model import time_ordered_id
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork

FAILED_JOB_NOT_FOUND = "Failed job not found."


async def record(
    uow: UnitOfWork,
    clock: Clock,
    type_: EventType,
    *,
    actor_id: UUID | None,
    community_id: UUID | None,
    payload: Mapping[str, Any],
    payload_version: int = 1,
) -> DomainEvent:
    """Add an event to the outbox in `uow`'s transaction: it exists if and only if the change
    it describes commits."""
    event = new_event(
        type_,
        clock.now(),
        actor_id=actor_id,
        community_id=community_id,
        payload=payload,
        payload_version=payload_version,
    )
    await uow.events.add(event)
    return event


def consumers_of(consumers: Iterable[Consumer], type_: EventType) -> list[Consumer]:
    return [c for c in consumers if type_ in c.types]


async def handle(
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    consumers: Iterable[Consumer],
    event_id: UUID,
) -> int:
    """Run every consumer of the event that has not taken it yet, each in its own transaction
    with its processed mark (so a second delivery does nothing, and a consumer that fails
    leaves no mark and runs again on the next try). Returns the consumers that ran."""
    async with uow_factory() as uow:
        event = await uow.events.get(event_id)
    if event is None:
        return 0  # pruned, or rolled back before it was ever visible
    ran = 0
    for consumer in consumers_of(consumers, event.type):
        async with uow_factory() as uow:
            if not await uow.events.mark_processed(consumer.name, event.id, clock.now()):
                continue
            try:
                await consumer.run(uow, clock, event)
            except Exception as exc:
                raise ConsumerFailed(consumer.name, exc) from exc
            await uow.commit()
            ran += 1
    return ran


async def dead_letter(
    uow: UnitOfWork,
    clock: Clock,
    event_id: UUID,
    event_type: str,
    consumer: str | None,
    error: str,
    attempts: int,
) -> FailedJob:
    failure = FailedJob(
        id=time_ordered_id(clock.now()),
        event_id=event_id,
        event_type=event_type[:64],
        consumer=consumer[:120] if consumer else None,
        error=error[:2000],
        attempts=attempts,
        failed_at=clock.now(),
    )
    await uow.events.add_failure(failure)
    await uow.commit()
    return failure


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only administrators see failed jobs.")


async def failed_jobs(uow: UnitOfWork, actor: Actor, page: PageRequest) -> PageResult[FailedJob]:
    _require_admin(actor)
    return await uow.events.failures(page)


async def _replay(uow: UnitOfWork, clock: Clock, failure: FailedJob) -> bool:
    if failure.consumer == MAIL_SENDER:
        # A message that failed on its last try: back to the mail queue, tries from zero.
        return await uow.mail.requeue(failure.event_id, clock.now())
    return await uow.events.undispatch(failure.event_id)


async def retry_failed_job(
    uow: UnitOfWork, actor: Actor, failure_id: UUID, clock: Clock
) -> FailedJob:
    """Replay: the event goes back to the outbox and the relay delivers it again; consumers that
    already took it skip it, the one that failed runs again. A dead-lettered message goes back
    to the mail queue."""
    _require_admin(actor)
    failure = await uow.events.take_failure(failure_id)
    if failure is None or not await _replay(uow, clock, failure):
        raise NotFound(FAILED_JOB_NOT_FOUND)
    await uow.commit()
    return failure


async def prune_events(uow: UnitOfWork, clock: Clock) -> int:
    """Periodic job: dispatched outbox rows and processed marks older than the retention."""
    pruned = await uow.events.prune(clock.now() - RETENTION)
    await uow.commit()
    return pruned
