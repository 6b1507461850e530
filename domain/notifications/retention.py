"""Retention: inbox lines older than the retention period are deleted by a periodic job."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import Clock
from domain.ports import UnitOfWork

DEFAULT_RETENTION = timedelta(days=90)


async def prune_notifications(
    uow: UnitOfWork,
    clock: Clock,
    retention: timedelta = DEFAULT_RETENTION,
    batch: int = 1000,
) -> int:
    """Delete notifications whose latest event is older than `retention`, `batch` rows per
    transaction (a first run on a large inbox never holds one huge transaction); the number
    deleted."""
    before = clock.now() - retention
    deleted = 0
    while True:
        count = await uow.notifications.prune(before, batch)
        await uow.commit()
        deleted += count
        if count < batch:
            return deleted
