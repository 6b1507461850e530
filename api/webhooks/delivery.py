"""The webhook task and job on the process's task broker (taskiq).

Flow: a committed catalog event reaches the consumer `webhooks.enqueue` (api/events.py relays
it), which writes one delivery per subscription that asked for it and may see it, commits, and
kicks `leaderful.webhooks.deliver` with their ids -> the task claims them (a lease), sends each
(signed, 10 s timeout, no redirects) and records the try. A failed delivery waits out its
backoff; the periodic job `deliver_webhooks` sends whatever is due (retries, and first tries
whose task was lost with a process). Pings and redeliveries kick the same task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from uuid import UUID

from taskiq import AsyncBroker

from api.jobs import DAILY, Job
from api.webhooks.transport import HttpxSender, WebhookUrls
from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent
from domain.ports import UnitOfWork
from domain.webhooks.ports import SecretBox
from domain.webhooks.service import (
    WEBHOOK_EVENTS,
    deliver,
    deliver_due,
    enqueue,
    prune_deliveries,
)

TASK_NAME = "leaderful.webhooks.deliver"

UowFactory = Callable[[], UnitOfWork]


class WebhookDelivery:
    """The webhook task of one process's broker, the consumer that feeds it, and the retry
    job."""

    def __init__(
        self,
        broker: AsyncBroker,
        uow_factory: UowFactory,
        clock: Clock,
        box: SecretBox,
        urls: WebhookUrls,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.box = box
        self.urls = urls
        self.sender = HttpxSender(urls)

        async def deliver_webhooks(delivery_ids: list[str]) -> int:
            async with self.uow_factory() as uow:
                return await deliver(
                    uow, self.clock, self.box, self.sender, [UUID(i) for i in delivery_ids]
                )

        self.task = broker.register_task(deliver_webhooks, task_name=TASK_NAME)
        self.consumer = Consumer("webhooks.enqueue", WEBHOOK_EVENTS, self._enqueue)

    async def _enqueue(self, uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
        ids = await enqueue(uow, clock, event)
        if ids:
            # Committed (with the consumer's processed mark) before the task can look for them.
            await uow.commit()
            await self.kick(ids)

    async def kick(self, delivery_ids: list[UUID]) -> None:
        """Send these deliveries now (a lost kick only delays them until the retry job)."""
        await self.task.kiq([str(i) for i in delivery_ids])

    def jobs(self, every: timedelta) -> tuple[Job, ...]:
        return (
            Job(
                "deliver_webhooks",
                partial(deliver_due, box=self.box, sender=self.sender),
                every=every,
            ),
            Job("prune_webhook_deliveries", prune_deliveries, cron=DAILY),
        )

    async def run_due(self, clock: Clock | None = None) -> int:
        """Send every due delivery now (tests and operators; the job does this on its ticks)."""
        async with self.uow_factory() as uow:
            return await deliver_due(uow, clock or self.clock, box=self.box, sender=self.sender)

    async def close(self) -> None:
        await self.sender.close()
