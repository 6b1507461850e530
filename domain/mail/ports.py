"""Ports of mail: the queue a use case adds messages to, in its own transaction, and from which
the sender claims batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.mail.model import MailMessage, MailOutcome, QueuedMail, Undeliverable
from domain.users.model import User


class MailQueue(Protocol):
    async def add(self, message: MailMessage, at: datetime) -> None:
        """Queue `message`: it is sent if and only if the unit of work commits."""
        ...

    async def add_many(self, messages: Sequence[MailMessage], at: datetime) -> None:
        """Queue every message at once (one statement, whatever their number)."""
        ...

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[QueuedMail]:
        """Up to `limit` pending messages due at `now` that no other sender holds, oldest due
        first, now held until `lease_until` with this try counted."""
        ...

    async def next_due(self, now: datetime) -> datetime | None:
        """When the next pending message not held by a sender is due (None: nothing pending)."""
        ...

    async def finish(self, outcomes: Sequence[MailOutcome], at: datetime) -> None:
        """Record a batch's outcomes (a constant number of statements for the usual ones): each
        message's status; the mark of an `undeliverable` outcome on the account; a dead letter
        among the failed jobs (consumer MAIL_SENDER, the message's id as its event id) for each
        `failed` one."""
        ...

    async def requeue(self, mail_id: UUID, at: datetime) -> bool:
        """A failed message goes back to pending, with its tries counted from zero; False when
        there is no such failed message."""
        ...

    async def recipients(self, user_ids: Sequence[UUID]) -> dict[UUID, User]:
        """The people messages are addressed to, read now, in one statement."""
        ...

    async def wake(self, at: datetime) -> None:
        """Wake the sender once this transaction commits (as queuing mail does)."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget messages finished before `before`."""
        ...

    async def mark_undeliverable(self, mark: Undeliverable) -> bool:
        """Mark the account's address undeliverable if it still is `mark.address`; False when
        the address changed meanwhile (the mark is not recorded)."""
        ...


class MailRepositories(Protocol):
    @property
    def mail(self) -> MailQueue: ...
