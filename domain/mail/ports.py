"""Ports of mail: the queue a use case adds messages to, in its own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.mail.model import MailMessage, Undeliverable


class MailQueue(Protocol):
    async def add(self, message: MailMessage, at: datetime) -> None:
        """Queue `message`: it is sent if and only if the unit of work commits."""
        ...

    async def mark_undeliverable(self, mark: Undeliverable) -> bool:
        """Mark the account's address undeliverable if it still is `mark.address`; False when
        the address changed meanwhile (the mark is not recorded)."""
        ...


class MailRepositories(Protocol):
    @property
    def mail(self) -> MailQueue: ...
