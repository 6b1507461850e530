"""The mail job: each queued message (a `mail.requested` event in the outbox) is sent by a task
of the process's task broker (`leaderful.mail.send`), in the server with the in-memory broker or
in `leaderful worker` with Redis.

Flow: `domain.mail.service.send_mail` writes the message to the outbox in the use case's
transaction -> the event relay hands it to its consumer (`mail.send`), which kicks the mail task
-> the task reads the recipient *now* (still active, verified if the category needs it, not
undeliverable, same address), renders the templates and sends. No database connection is held
while the SMTP server talks. A temporary failure (4xx, connection refused, timeout) is tried
again after base * 2^(n-1) seconds; a permanent refusal of the person's current address (5xx)
marks it undeliverable, which stops every later message until the address changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from taskiq import AsyncBroker, InMemoryBroker

from api.mail.render import MailRenderer
from api.mail.transport import MailTransport, PermanentFailure, TemporaryFailure
from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.mail.model import MailMessage, Recipient, Skip, Undeliverable, recipient_for
from domain.mail.service import mark_undeliverable
from domain.ports import UnitOfWork

log = logging.getLogger("leaderful.mail")

TASK_NAME = "leaderful.mail.send"
MAX_DELAY_SECONDS = 600.0

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
    ) -> None:
        self.broker = broker
        self.uow_factory = uow_factory
        self.clock = clock
        self.transport = transport
        self.renderer = renderer
        self.attempts = max(1, attempts)
        self.base_seconds = base_seconds

        async def send_mail(event_id: str, payload: dict[str, Any]) -> str:
            return await self.deliver(UUID(event_id), MailMessage.from_payload(payload))

        self.task = broker.register_task(send_mail, task_name=TASK_NAME)
        self.consumer = Consumer("mail.send", frozenset({EventType.mail_requested}), self._kick)

    async def _kick(self, uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
        await self.task.kiq(str(event.id), dict(event.payload))

    def delay(self, attempt: int) -> float:
        return float(min(self.base_seconds * 2 ** (attempt - 1), MAX_DELAY_SECONDS))

    async def _recipient(self, message: MailMessage) -> Recipient | Skip:
        user = None
        if message.to_user_id is not None:
            async with self.uow_factory() as uow:
                user = await uow.users.get(message.to_user_id)
        return recipient_for(message, user)

    async def deliver(self, mail_id: UUID, message: MailMessage) -> str:
        """Send one message; what became of it: sent, skipped:<why>, undeliverable, failed."""
        where = {"mail_id": str(mail_id), "template": message.template}
        for attempt in range(1, self.attempts + 1):
            # Read again before every try: the address may have changed or been marked.
            recipient = await self._recipient(message)
            if isinstance(recipient, Skip):
                log.info("mail not sent", extra={**where, "why": recipient.value})
                return f"skipped:{recipient.value}"
            email = self.renderer.render(
                message.template,
                message.category,
                recipient.address,
                message.context,
                recipient_name=recipient.user.display_name if recipient.user else None,
                headers=message.headers,
            )
            try:
                await self.transport.send(email, recipient.address)
            except PermanentFailure as exc:
                log.warning("mail refused for good", extra={**where, "reason": exc.reason})
                if recipient.marks_account and recipient.user is not None:
                    async with self.uow_factory() as uow:
                        await mark_undeliverable(
                            uow,
                            Undeliverable(
                                recipient.user.id, recipient.address, exc.reason, self.clock.now()
                            ),
                        )
                return "undeliverable"
            except TemporaryFailure as exc:
                if attempt == self.attempts:
                    log.error(
                        "mail not sent after its last try",
                        extra={**where, "tries": attempt, "error": str(exc)},
                    )
                    return "failed"
                log.warning(
                    "mail try failed; trying again",
                    extra={**where, "try": attempt, "error": str(exc)},
                )
                await asyncio.sleep(self.delay(attempt))
                continue
            log.info("mail sent", extra={**where, "subject": str(email["Subject"])})
            return "sent"
        return "failed"

    async def drain(self) -> None:
        """Wait until every mail task this process runs has finished (the in-memory broker;
        tests use it after the event backbone has drained)."""
        if not isinstance(self.broker, InMemoryBroker):
            raise RuntimeError("drain waits for tasks run in this process (no broker URL)")
        await self.broker.wait_all()
