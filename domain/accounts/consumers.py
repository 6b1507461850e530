"""A password reset request becomes a mailed link off the request path, so the request does the
same work whether or not the address has an account."""

from __future__ import annotations

from domain.accounts.service import mail_password_reset
from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.ports import UnitOfWork


async def on_password_reset_requested(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    await mail_password_reset(uow, clock, str(event.payload["email"]))


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(
        "mail.password_reset",
        frozenset({EventType.password_reset_requested}),
        on_password_reset_requested,
    ),
)
