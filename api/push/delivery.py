"""The push task: each `push.requested` event (queued by the push job, domain.devices) is sent
by a task of the process's task broker (`leaderful.push.send`), in the server with the in-memory
broker or in `leaderful worker` with Redis.

Flow: the push job records one event per device in the outbox -> the relay hands it to its
consumer (`push.send`), which kicks the push task -> the task reads the device *now* (it may have
been removed meanwhile), picks the provider of its platform and sends. No database connection is
held while the push service talks. A temporary failure (5xx, 429, timeout) is tried again after
base * 2^(n-1) seconds; a 404/410 (or an unregistered token) forgets the device.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from taskiq import AsyncBroker, InMemoryBroker

from domain.clock import Clock
from domain.devices.model import Platform, PushMessage
from domain.devices.ports import DeviceGone, PushFailed, PushProvider, PushRejected
from domain.devices.service import forget_device
from domain.events.model import Consumer, DomainEvent, EventType
from domain.ports import UnitOfWork

log = logging.getLogger("leaderful.push")

TASK_NAME = "leaderful.push.send"
MAX_DELAY_SECONDS = 600.0

UowFactory = Callable[[], UnitOfWork]


class PushDelivery:
    """The push task of one process's broker, and the event consumer that kicks it."""

    def __init__(
        self,
        broker: AsyncBroker,
        uow_factory: UowFactory,
        providers: Mapping[Platform, PushProvider],
        *,
        attempts: int = 6,
        base_seconds: float = 5.0,
    ) -> None:
        self.broker = broker
        self.uow_factory = uow_factory
        self.providers = dict(providers)
        self.attempts = max(1, attempts)
        self.base_seconds = base_seconds

        async def send_push(event_id: str, payload: dict[str, Any]) -> str:
            return await self.deliver(
                UUID(event_id), UUID(str(payload["device_id"])), PushMessage.from_payload(payload)
            )

        self.task = broker.register_task(send_push, task_name=TASK_NAME)
        self.consumer = Consumer("push.send", frozenset({EventType.push_requested}), self._kick)

    async def _kick(self, uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
        await self.task.kiq(str(event.id), dict(event.payload))

    def delay(self, attempt: int) -> float:
        return float(min(self.base_seconds * 2 ** (attempt - 1), MAX_DELAY_SECONDS))

    async def deliver(self, push_id: UUID, device_id: UUID, message: PushMessage) -> str:
        """Send one push; what became of it: sent, skipped:<why>, gone, rejected, failed."""
        where = {"push_id": str(push_id), "device_id": str(device_id), "kind": message.kind}
        for attempt in range(1, self.attempts + 1):
            # Read again before every try: the device may have been removed meanwhile.
            async with self.uow_factory() as uow:
                device = await uow.devices.get(device_id)
            if device is None:
                return "skipped:no_device"
            provider = self.providers.get(device.platform)
            if provider is None:
                log.info("push not sent: platform not configured", extra=where)
                return f"skipped:{device.platform.value}_not_configured"
            try:
                await provider.send(device, message)
            except DeviceGone as exc:
                log.info("push service says the device is gone", extra={**where, "why": str(exc)})
                async with self.uow_factory() as uow:
                    await forget_device(uow, device.id)
                return "gone"
            except PushRejected as exc:
                log.warning("push refused for good", extra={**where, "why": str(exc)})
                return "rejected"
            except PushFailed as exc:
                if attempt == self.attempts:
                    log.error(
                        "push not sent after its last try",
                        extra={**where, "tries": attempt, "error": str(exc)},
                    )
                    return "failed"
                log.warning(
                    "push try failed; trying again",
                    extra={**where, "try": attempt, "error": str(exc)},
                )
                await asyncio.sleep(self.delay(attempt))
                continue
            log.info("push sent", extra=where)
            return "sent"
        return "failed"

    async def drain(self) -> None:
        """Wait until every push task this process runs has finished (the in-memory broker)."""
        if not isinstance(self.broker, InMemoryBroker):
            raise RuntimeError("drain waits for tasks run in this process (no broker URL)")
        await self.broker.wait_all()
