"""Who hears of what happens in a community: join requests (its moderators), approvals and
invitations (the person), nominations (its stewards and the nominee), open nominations (every
member). Derived from the community's events off the request path, once per event."""

from __future__ import annotations

from uuid import UUID

from domain.clock import Clock
from domain.communities.model import Role
from domain.events.model import Consumer, DomainEvent, EventType
from domain.notifications.model import NotificationKind
from domain.notifications.service import notify
from domain.ports import UnitOfWork


async def _tell(
    uow: UnitOfWork,
    clock: Clock,
    event: DomainEvent,
    user_ids: list[UUID],
    kind: NotificationKind,
    title: str,
) -> None:
    community_id = event.community_id
    assert community_id is not None
    await notify(
        uow,
        clock,
        user_ids,
        kind,
        event.actor_id,
        "community",
        community_id,
        title,
        f"/communities/{event.payload['community_slug']}",
        community_id=community_id,
    )


async def on_membership_requested(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    assert event.community_id is not None
    moderators = await uow.communities.leader_ids(event.community_id, Role.moderator)
    name = event.payload["community_name"]
    await _tell(
        uow, clock, event, moderators, NotificationKind.join_request, f"New request to join {name}"
    )


async def on_membership_approved(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    name = event.payload["community_name"]
    await _tell(
        uow,
        clock,
        event,
        [event.uuid("user_id")],
        NotificationKind.membership_approved,
        f"Welcome to {name}",
    )


async def on_invitation_created(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    p = event.payload
    await _tell(
        uow,
        clock,
        event,
        [event.uuid("invitee_id")],
        NotificationKind.invitation,
        f"{p['inviter_name']} invited you to {p['community_name']}",
    )


async def on_nomination_created(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    assert event.community_id is not None
    p = event.payload
    stewards = [m.user_id for m in await uow.communities.stewards(event.community_id)]
    await _tell(
        uow,
        clock,
        event,
        [*stewards, event.uuid("nominee_id")],
        NotificationKind.nomination,
        f"{p['nominee_name']} was nominated as {p['role']}",
    )


async def on_steward_term_ending(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    """The last steward stayed on: every member hears that nominations are open."""
    assert event.community_id is not None
    if event.payload.get("renewed") is None:
        return
    members = await uow.communities.active_member_ids(event.community_id)
    await _tell(
        uow,
        clock,
        event,
        members,
        NotificationKind.nominations_open,
        f"Nominations are open for stewards of {event.payload['community_name']}",
    )


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(
        "notify.membership_requested",
        frozenset({EventType.membership_requested}),
        on_membership_requested,
    ),
    Consumer(
        "notify.membership_approved",
        frozenset({EventType.membership_approved}),
        on_membership_approved,
    ),
    Consumer(
        "notify.invitation_created",
        frozenset({EventType.invitation_created}),
        on_invitation_created,
    ),
    Consumer(
        "notify.nomination_created",
        frozenset({EventType.nomination_created}),
        on_nomination_created,
    ),
    Consumer(
        "notify.nominations_open",
        frozenset({EventType.steward_term_ending}),
        on_steward_term_ending,
    ),
)
