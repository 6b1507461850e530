"""The event backbone at run time: the relay that moves committed outbox rows to the task broker,
the broker task that hands each event to its consumers, retries with exponential backoff, and
the dead-letter list for events a consumer still fails on after its last try.

Flow: a use case records events in its transaction (domain.events.service.record) -> after the
commit the unit of work nudges the relay -> the relay claims undispatched rows, kicks one task
per event and marks them dispatched (at least once) -> the task runs each consumer of the event
in its own transaction with a processed mark (idempotent by event id). A sweep every
`relay_interval` seconds catches anything a nudge missed (a crash between commit and relay).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from taskiq import AsyncBroker, InMemoryBroker, TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq.kicker import AsyncKicker

from api.middleware import Metrics
from domain.accounts.consumers import CONSUMERS as ACCOUNT_CONSUMERS
from domain.clock import Clock
from domain.communities.consumers import CONSUMERS as COMMUNITY_CONSUMERS
from domain.events.model import Consumer, ConsumerFailed
from domain.events.service import dead_letter, handle
from domain.mentorship.consumers import CONSUMERS as MENTORSHIP_CONSUMERS
from domain.ports import UnitOfWork
from domain.posts.consumers import CONSUMERS as POST_CONSUMERS
from domain.skills.consumers import CONSUMERS as SKILL_CONSUMERS

log = logging.getLogger("leaderful.events")

TASK_NAME = "leaderful.events.handle"
NUDGE_DELAY_SECONDS = 0.05
ATTEMPT_LABEL = "attempt"

# Every consumer of domain events in the application, one tuple per feature.
CONSUMERS: tuple[Consumer, ...] = (
    *POST_CONSUMERS,
    *COMMUNITY_CONSUMERS,
    *MENTORSHIP_CONSUMERS,
    *SKILL_CONSUMERS,
    *ACCOUNT_CONSUMERS,
)

UowFactory = Callable[[], UnitOfWork]


class _TaskFailureLogged(logging.Filter):
    """taskiq logs every failed task at error level; a failed try of an event is ours to log
    (a warning, since it is retried; an error once it is dead-lettered)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "Exception found while executing function."


TASK_FAILURE_LOGGED = _TaskFailureLogged()


class BackoffRetry(TaskiqMiddleware):
    """Retry a failed event task after base * 2^(attempt-1) seconds (capped), then dead-letter it.

    taskiq's own SmartRetryMiddleware computes such delays but only passes them on as a `delay`
    label, which neither the in-memory nor the Redis Streams broker honours without a schedule
    source. Here the failing delivery waits out the delay before it kicks the next attempt and
    only then is acknowledged: a worker that dies meanwhile leaves the delivery unacknowledged,
    and Redis hands it to another worker, so no retry is lost.
    """

    def __init__(
        self,
        backbone: EventBackbone,
        attempts: int,
        base_seconds: float,
        max_seconds: float = 60.0,
    ) -> None:
        super().__init__()
        self.backbone = backbone
        self.attempts = max(1, attempts)
        self.base_seconds = base_seconds
        self.max_seconds = max_seconds

    def delay(self, attempt: int) -> float:
        return float(min(self.base_seconds * 2 ** (attempt - 1), self.max_seconds))

    async def on_error(
        self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException
    ) -> None:
        if message.task_name != TASK_NAME:
            return
        attempt = int(message.labels.get(ATTEMPT_LABEL, 1))
        log.warning(
            "event try failed",
            exc_info=exception,
            extra={"event_id": str(message.args[0]) if message.args else None, "try": attempt},
        )
        try:
            if attempt < self.attempts:
                self.backbone.count("retried")
                await asyncio.sleep(self.delay(attempt))
                kicker: AsyncKicker[Any, Any] = AsyncKicker(
                    task_name=message.task_name, broker=self.broker, labels=message.labels
                ).with_labels(**{ATTEMPT_LABEL: attempt + 1})
                self.backbone.sent(1)
                await kicker.kiq(*message.args, **message.kwargs)
                return
            await self.backbone.bury(message, exception, attempt)
        finally:
            self.backbone.done()


class EventBackbone:
    def __init__(
        self,
        broker: AsyncBroker,
        uow_factory: UowFactory,
        clock: Clock,
        consumers: Sequence[Consumer] = CONSUMERS,
        *,
        relay_interval: float = 1.0,
        batch: int = 100,
        retry_attempts: int = 5,
        retry_base_seconds: float = 1.0,
        concurrency: int = 4,
        metrics: Metrics | None = None,
    ) -> None:
        self.broker = broker
        self.uow_factory = uow_factory
        self.clock = clock
        self.consumers = tuple(consumers)
        self.relay_interval = relay_interval
        self.batch = batch
        self.metrics = metrics

        async def handle_event(event_id: str) -> None:
            await self._handle(event_id)

        self.task = broker.register_task(handle_event, task_name=TASK_NAME)
        logging.getLogger("taskiq.receiver.receiver").addFilter(TASK_FAILURE_LOGGED)
        broker.add_middlewares(BackoffRetry(self, retry_attempts, retry_base_seconds))
        self._relay_lock = asyncio.Lock()
        self._handling = asyncio.Semaphore(concurrency)
        self._nudged = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None
        self._started = False
        # Tasks kicked and not finished, when this process runs them (the in-memory broker):
        # what `drain` waits for.
        self._in_process = isinstance(broker, InMemoryBroker)
        self._in_flight = 0

    # --- the consumer side ----------------------------------------------------------------------

    async def _handle(self, event_id: str) -> None:
        async with self._handling:
            await handle(self.uow_factory, self.clock, self.consumers, UUID(event_id))
        self.count("handled")
        self.done()

    def sent(self, tasks: int) -> None:
        if self._in_process:
            self._in_flight += tasks

    def done(self) -> None:
        if self._in_process:
            self._in_flight -= 1

    async def bury(self, message: TaskiqMessage, exception: BaseException, attempts: int) -> None:
        """The last try failed: the event joins the dead-letter list."""
        event_id = UUID(str(message.args[0] if message.args else message.kwargs["event_id"]))
        consumer = exception.consumer if isinstance(exception, ConsumerFailed) else None
        async with self.uow_factory() as uow:
            event = await uow.events.get(event_id)
            await dead_letter(
                uow,
                self.clock,
                event_id,
                event.type.value if event else "unknown",
                consumer,
                str(exception),
                attempts,
            )
        self.count("dead")
        log.error(
            "event dead-lettered",
            extra={"event_id": str(event_id), "consumer": consumer, "attempts": attempts},
        )

    def count(self, what: str) -> None:
        if self.metrics is not None:
            self.metrics.events.labels(what).inc()

    # --- the relay ------------------------------------------------------------------------------

    async def relay_once(self) -> int:
        """Move one batch of committed, undispatched events to the broker; how many moved.

        The rows stay locked (PostgreSQL: skipped by other relays) until they are marked
        dispatched; a kick that fails rolls the batch back, to be sent again (at least once)."""
        async with self._relay_lock, self.uow_factory() as uow:
            claimed = await uow.events.claim_undispatched(self.batch)
            if not claimed:
                return 0
            for event in claimed:
                self.sent(1)
                await self.task.kiq(str(event.id))
            await uow.events.mark_dispatched([e.id for e in claimed], self.clock.now())
            await uow.commit()
        if self.metrics is not None:
            self.metrics.events.labels("published").inc(len(claimed))
        return len(claimed)

    async def relay(self) -> int:
        """Relay until the outbox is empty."""
        total = 0
        while moved := await self.relay_once():
            total += moved
        return total

    def nudge(self) -> None:
        """A transaction committed events: relay soon. Never blocks (called after commit)."""
        self._nudged.set()

    @property
    def nudged(self) -> bool:
        """Events were committed since the relay last looked."""
        return self._nudged.is_set()

    async def _run(self) -> None:
        sweep = self.relay_interval if self.relay_interval > 0 else None
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(sweep):
                    await self._nudged.wait()
                # Let the response that committed the events go out first (in-process, the
                # consumers share its event loop), and gather a burst of commits into a batch.
                await asyncio.sleep(NUDGE_DELAY_SECONDS)
            self._nudged.clear()
            try:
                await self.relay()
            except Exception:
                # The database or the broker is away (a restart, a failover): the events wait
                # in the outbox and the next sweep sends them.
                log.warning("relaying events failed; the next sweep tries again", exc_info=True)

    async def start(self, *, relay: bool = True) -> None:
        try:
            await self.broker.startup()
        except Exception:
            # Redis down at boot must not stop the server: events wait in the outbox, /readyz
            # says the broker is missing, and the sweeper relays once it is back.
            log.warning("the task broker did not start; events wait in the outbox", exc_info=True)
        self._started = True
        if relay:
            self._loop = asyncio.create_task(self._run(), name="leaderful-event-relay")

    async def stop(self) -> None:
        task, self._loop = self._loop, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._started:
            self._started = False
            await self.broker.shutdown()

    @property
    def relaying(self) -> bool:
        return self._loop is not None

    # --- for tests and operators ----------------------------------------------------------------

    async def drain(self) -> None:
        """Relay everything committed and wait until the in-process broker has run every task,
        retries included (tests use this to wait for the backbone deterministically)."""
        if not isinstance(self.broker, InMemoryBroker):
            raise RuntimeError("drain waits for tasks run in this process (no broker URL)")
        while True:
            self._nudged.clear()
            moved = await self.relay()
            await self.broker.wait_all()
            if not moved and self._in_flight <= 0:
                return
            if not moved:
                await asyncio.sleep(0.005)  # a retry waiting out its backoff

    async def ping(self) -> None:
        """Raises when the broker cannot be reached (the in-process one always can)."""
        pool = getattr(self.broker, "connection_pool", None)
        if pool is None:
            return
        from redis.asyncio import Redis

        async with Redis(connection_pool=pool) as redis:
            await redis.ping()
