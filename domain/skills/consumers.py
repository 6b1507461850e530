"""An endorsement reaches the person endorsed: derived from its event off the request path,
once per event."""

from __future__ import annotations

from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.notifications.model import NotificationKind
from domain.notifications.service import notify
from domain.ports import UnitOfWork


async def on_endorsement_created(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    if event.actor_id is None:
        return
    endorser = await uow.users.get(event.actor_id)
    if endorser is None:
        return
    p = event.payload
    await notify(
        uow,
        clock,
        [event.uuid("person_id")],
        NotificationKind.endorsement_received,
        event.actor_id,
        "skill",
        event.uuid("skill_id"),
        f"{endorser.display_name} endorsed your {p['skill_name']}",
        f"/skills/{p['skill_slug']}",
    )


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(
        "notify.endorsement_created",
        frozenset({EventType.endorsement_created}),
        on_endorsement_created,
    ),
)
