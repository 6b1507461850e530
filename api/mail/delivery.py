"""The mail sender: queued messages (rows of the mail queue, see domain.mail) are claimed a
batch at a time and sent over one SMTP connection per batch, by a task of the process's task
broker (`leaderful.mail.send`), in the server with the in-memory broker or in
`leaderful worker` with Redis.

Flow: `domain.mail.service.send_mail` (or `send_mails`) writes messages to the queue in the use
case's transaction, with one `mail.requested` outbox event per transaction -> the event relay
hands that event to its consumer (`mail.send`), which kicks the mail task -> the task claims up
to `batch` due messages (a lease, so concurrent senders never share one), reads their recipients
*now* in one statement (still active, verified if the category needs it, not undeliverable,
same address), renders each and sends them over one connection, then records every outcome in
one transaction; it goes on until no message is due, and waits for retries still pending. No
database connection is held while the SMTP server talks.

A connection that drops mid-batch is opened again and the batch goes on (up to RECONNECTS
times); a connection that cannot be made leaves the rest of the batch to a later try. A
temporary failure (4xx, connection refused, timeout) is tried again after base * 2^(n-1)
seconds (at most MAX_DELAY_SECONDS); after the last try the message is failed and listed among
the administrators' failed jobs (replayable). A permanent refusal of the person's current
address (5xx) marks it undeliverable, which stops every later message until the address changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from taskiq import AsyncBroker, InMemoryBroker

from api.mail.render import MailRenderer
from api.mail.transport import (
    ConnectionLost,
    MailConnection,
    MailTransport,
    PermanentFailure,
    TemporaryFailure,
)
from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.mail.model import (
    MAIL_SENDER,
    MailMessage,
    MailOutcome,
    MailStatus,
    QueuedMail,
    Recipient,
    Skip,
    Undeliverable,
    recipient_for,
)
from domain.mail.service import record_outcomes, send_mail
from domain.ports import UnitOfWork

log = logging.getLogger("leaderful.mail")

TASK_NAME = "leaderful.mail.send"
MAX_DELAY_SECONDS = 600.0
# Times one batch opens its connection again after it dropped.
RECONNECTS = 3
# The shortest wait before looking again for due messages (another sender may hold them).
MIN_WAIT_SECONDS = 0.05

UowFactory = Callable[[], UnitOfWork]


class MailDelivery:
    """The mail task of one process's broker, and the event consumer that kicks it."""

    def __init__(
        self,
        broker: AsyncBroker,
        uow_factory: UowFactory,
        clock: Clock,
        transport: MailTransport,
        renderer: MailRenderer,
        *,
        attempts: int = 6,
        base_seconds: float = 5.0,
        batch: int = 500,
        lease_seconds: float = 600.0,
    ) -> None:
        self.broker = broker
        self.uow_factory = uow_factory
        self.clock = clock
        self.transport = transport
        self.renderer = renderer
        self.attempts = max(1, attempts)
        self.base_seconds = base_seconds
        self.batch = max(1, batch)
        self.lease = timedelta(seconds=lease_seconds)
        self._running = False
        self._woken = asyncio.Event()

        async def send_mail_task() -> int:
            return await self.run()

        self.task = broker.register_task(send_mail_task, task_name=TASK_NAME)
        self.consumer = Consumer(MAIL_SENDER, frozenset({EventType.mail_requested}), self._kick)

    async def _kick(self, uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
        if event.payload_version == 1 and "template" in event.payload:
            # Queued before mail had its own queue: the event carries the message.
            await send_mail(uow, clock, MailMessage.from_payload(event.payload))
        await self.task.kiq()

    def delay(self, attempt: int) -> float:
        return float(min(self.base_seconds * 2 ** (attempt - 1), MAX_DELAY_SECONDS))

    async def run(self) -> int:
        """Send batches until no message is pending (waiting for retries that are): the number
        of messages tried. One loop a process: a kick while it runs only wakes it."""
        self._woken.set()
        if self._running:
            return 0
        self._running = True
        tried = 0
        try:
            while True:
                self._woken.clear()
                count = await self.send_batch()
                tried += count
                if count:
                    continue
                now = self.clock.now()
                async with self.uow_factory() as uow:
                    due = await uow.mail.next_due(now)
                if due is None:
                    if self._woken.is_set():
                        continue
                    return tried
                wait = max((due - now).total_seconds(), MIN_WAIT_SECONDS)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._woken.wait(), min(wait, MAX_DELAY_SECONDS))
        finally:
            self._running = False

    async def send_batch(self) -> int:
        """Claim up to `batch` due messages, send them over one connection, record what became
        of each in one transaction: the number claimed."""
        now = self.clock.now()
        async with self.uow_factory() as uow:
            claimed = await uow.mail.claim(now, now + self.lease, self.batch)
            if not claimed:
                return 0
            people = await uow.mail.recipients(
                [m.message.to_user_id for m in claimed if m.message.to_user_id is not None]
            )
            await uow.commit()
        outcomes: list[MailOutcome] = []
        sendable: list[tuple[QueuedMail, Recipient]] = []
        for item in claimed:
            user_id = item.message.to_user_id
            recipient = recipient_for(item.message, people.get(user_id) if user_id else None)
            if isinstance(recipient, Skip):
                log.info("mail not sent", extra={**_where(item), "why": recipient.value})
                outcomes.append(
                    MailOutcome(item.id, MailStatus.skipped, item.attempts, recipient.value)
                )
            else:
                sendable.append((item, recipient))
        if sendable:
            outcomes.extend(await self._send_all(sendable))
        async with self.uow_factory() as uow:
            await record_outcomes(uow, self.clock, outcomes)
        return len(claimed)

    async def _send_all(self, batch: list[tuple[QueuedMail, Recipient]]) -> list[MailOutcome]:
        outcomes: list[MailOutcome] = []
        # Retries of this batch are timed from its start (one statement records them).
        started = self.clock.now()
        waiting = list(reversed(batch))  # popped from the end, in order
        reconnects = 0
        while waiting:
            connected = False
            try:
                async with self.transport.connect() as connection:
                    connected = True
                    while waiting:
                        item, recipient = waiting[-1]
                        outcomes.append(await self._send_one(connection, item, recipient, started))
                        waiting.pop()
            except ConnectionLost as exc:
                if not connected or reconnects >= RECONNECTS:
                    # No connection to be had now: the rest of the batch waits for its retry.
                    outcomes.extend(
                        self._temporary(item, str(exc), started) for item, _ in reversed(waiting)
                    )
                    return outcomes
                reconnects += 1
                log.warning("mail connection lost; connecting again", extra={"error": str(exc)})
        return outcomes

    async def _send_one(
        self, connection: MailConnection, item: QueuedMail, recipient: Recipient, started: datetime
    ) -> MailOutcome:
        message = item.message
        email = self.renderer.render(
            message.template,
            message.category,
            recipient.address,
            message.context,
            recipient_name=recipient.user.display_name if recipient.user else None,
            headers=message.headers,
        )
        try:
            await connection.send(email, recipient.address)
        except ConnectionLost:
            raise
        except PermanentFailure as exc:
            log.warning("mail refused for good", extra={**_where(item), "reason": exc.reason})
            mark = None
            if recipient.marks_account and recipient.user is not None:
                mark = Undeliverable(
                    recipient.user.id, recipient.address, exc.reason, self.clock.now()
                )
            return MailOutcome(
                item.id, MailStatus.undeliverable, item.attempts, exc.reason, mark=mark
            )
        except TemporaryFailure as exc:
            return self._temporary(item, str(exc), started)
        log.info("mail sent", extra={**_where(item), "subject": str(email["Subject"])})
        return MailOutcome(item.id, MailStatus.sent, item.attempts)

    def _temporary(self, item: QueuedMail, error: str, started: datetime) -> MailOutcome:
        if item.attempts >= self.attempts:
            log.error(
                "mail not sent after its last try",
                extra={**_where(item), "tries": item.attempts, "error": error},
            )
            return MailOutcome(item.id, MailStatus.failed, item.attempts, error)
        log.warning(
            "mail try failed; trying again",
            extra={**_where(item), "try": item.attempts, "error": error},
        )
        retry_at = started + timedelta(seconds=self.delay(item.attempts))
        return MailOutcome(item.id, MailStatus.pending, item.attempts, error, retry_at=retry_at)

    async def drain(self) -> None:
        """Wait until every mail task this process runs has finished (the in-memory broker;
        tests use it after the event backbone has drained)."""
        if not isinstance(self.broker, InMemoryBroker):
            raise RuntimeError("drain waits for tasks run in this process (no broker URL)")
        await self.broker.wait_all()


def _where(item: QueuedMail) -> dict[str, str]:
    return {"mail_id": str(item.id), "template": item.message.template}
