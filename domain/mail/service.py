"""Mail use cases: queue messages from any use case, consumer or job; record what became of a
batch the sender tried (dead letters and undeliverable addresses included); forget old ones.
Sending (templates, SMTP) happens off the request path, in api/mail/."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from domain.clock import Clock
from domain.mail.model import MailMessage, MailOutcome, Undeliverable
from domain.ports import UnitOfWork

# Finished messages (sent, skipped, undeliverable, failed) are kept this long, then forgotten.
MAIL_RETENTION = timedelta(days=7)


async def send_mail(uow: UnitOfWork, clock: Clock, message: MailMessage) -> None:
    """Queue `message` in `uow`'s transaction (does not commit): it leaves only if the change
    that asked for it commits, and it is sent by the mail sender, retried on temporary failures.
    Whether the recipient may get it (active, verified, deliverable) is checked again when it
    is sent."""
    await uow.mail.add(message, clock.now())


async def send_mails(uow: UnitOfWork, clock: Clock, messages: Sequence[MailMessage]) -> None:
    """Queue many messages at once (one statement), as `send_mail` does each."""
    await uow.mail.add_many(messages, clock.now())


async def mark_undeliverable(uow: UnitOfWork, mark: Undeliverable) -> bool:
    """A permanent SMTP refusal: no more mail to that address until the person changes it."""
    marked = await uow.mail.mark_undeliverable(mark)
    await uow.commit()
    return marked


async def record_outcomes(uow: UnitOfWork, clock: Clock, outcomes: Sequence[MailOutcome]) -> None:
    """One transaction for a batch the sender tried: each message's status, the addresses a
    permanent refusal marks undeliverable, and a dead letter (the administrators' failed jobs,
    replayable) for each message that failed on its last try."""
    await uow.mail.finish(outcomes, clock.now())
    await uow.commit()


async def resume_mail(uow: UnitOfWork, clock: Clock) -> int:
    """Periodic job: wake the sender when messages are due that no sender holds (a sender
    stopped in the middle of a batch and its lease ran out, or stopped while waiting to retry).
    1 when it woke the sender, else 0."""
    now = clock.now()
    due = await uow.mail.next_due(now)
    if due is None or due > now:
        return 0
    await uow.mail.wake(now)
    await uow.commit()
    return 1


async def prune_mail(uow: UnitOfWork, clock: Clock) -> int:
    """Periodic job: forget messages finished more than MAIL_RETENTION ago."""
    pruned = await uow.mail.prune(clock.now() - MAIL_RETENTION)
    await uow.commit()
    return pruned
