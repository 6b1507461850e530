"""Mail use cases: queue a message from any use case, consumer or job; record a permanent
refusal. Sending (templates, SMTP) happens off the request path, in api/mail/."""

from __future__ import annotations

from domain.clock import Clock
from domain.mail.model import MailMessage, Undeliverable
from domain.ports import UnitOfWork


async def send_mail(uow: UnitOfWork, clock: Clock, message: MailMessage) -> None:
    """Queue `message` in `uow`'s transaction (does not commit): it leaves only if the change
    that asked for it commits, and it is sent by a job, retried on temporary failures. Whether
    the recipient may get it (active, verified, deliverable) is checked again when it is sent."""
    await uow.mail.add(message, clock.now())


async def mark_undeliverable(uow: UnitOfWork, mark: Undeliverable) -> bool:
    """A permanent SMTP refusal: no more mail to that address until the person changes it."""
    marked = await uow.mail.mark_undeliverable(mark)
    await uow.commit()
    return marked
