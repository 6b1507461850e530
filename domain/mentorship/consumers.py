"""Mentorship requests and decisions reach the other participant: derived from the
mentorship's events off the request path, once per event."""

from __future__ import annotations

from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.mentorship.service import mentorship_url
from domain.notifications.model import NotificationKind
from domain.notifications.service import notify
from domain.ports import UnitOfWork

KINDS = {
    EventType.mentorship_requested: NotificationKind.mentorship_requested,
    EventType.mentorship_accepted: NotificationKind.mentorship_accepted,
    EventType.mentorship_declined: NotificationKind.mentorship_declined,
}


async def on_mentorship_event(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    mentorship_id = event.uuid("mentorship_id")
    await notify(
        uow,
        clock,
        [event.uuid("recipient_id")],
        KINDS[event.type],
        event.actor_id,
        "mentorship",
        mentorship_id,
        str(event.payload["title"]),
        mentorship_url(mentorship_id),
    )


CONSUMERS: tuple[Consumer, ...] = (
    Consumer("notify.mentorship", frozenset(KINDS), on_mentorship_event),
)
