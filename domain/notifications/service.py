"""The inbox: telling people (`notify`, shared by the services and the event consumer) and
reading, marking and tuning what they were told."""

from __future__ import annotations

from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import NotFound
from domain.notifications.model import (
    DEFAULT_REASON,
    ChannelChange,
    ChannelChoice,
    InboxItem,
    NotificationEvent,
    NotificationKind,
    Reason,
    preferences_with_defaults,
    recipients,
)
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork

NOTIFICATION_NOT_FOUND = "Notification not found."


async def notify(
    uow: UnitOfWork,
    clock: Clock,
    user_ids: list[UUID],
    kind: NotificationKind,
    actor_id: UUID | None,
    subject_type: str,
    subject_id: UUID,
    title: str,
    url: str,
    *,
    reason: Reason | None = None,
    community_id: UUID | None = None,
    anchor_id: UUID | None = None,
) -> None:
    """Tell `user_ids` about one event. Nobody hears of their own action; people who cannot see
    the subject, or switched in-app off for the kind, get nothing; an unread notification of the
    same kind on the same subject is updated (count, latest actors) instead of adding a row."""
    targets = recipients(user_ids, actor_id)
    if not targets:
        return
    event = NotificationEvent(
        kind=kind,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        title=title[:300],
        url=url,
        reason=reason or DEFAULT_REASON[kind],
        occurred_at=clock.now(),
        community_id=community_id,
        anchor_id=anchor_id,
    )
    await uow.notifications.notify(event, targets)


async def inbox(
    uow: UnitOfWork, actor: Actor, unread: bool, page: PageRequest
) -> PageResult[InboxItem]:
    return await uow.notifications.inbox(actor.user_id, unread, page)


async def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    return await uow.notifications.unread_count(actor.user_id)


async def mark_read(uow: UnitOfWork, clock: Clock, actor: Actor, notification_id: UUID) -> None:
    if not await uow.notifications.mark_read(actor.user_id, notification_id, clock.now()):
        raise NotFound(NOTIFICATION_NOT_FOUND)
    await uow.commit()


async def mark_all_read(uow: UnitOfWork, clock: Clock, actor: Actor, up_to: UUID | None) -> None:
    await uow.notifications.mark_all_read(actor.user_id, up_to, clock.now())
    await uow.commit()


async def preferences(uow: UnitOfWork, actor: Actor) -> dict[NotificationKind, ChannelChoice]:
    return preferences_with_defaults(await uow.notifications.preferences(actor.user_id))


async def set_preferences(
    uow: UnitOfWork, actor: Actor, changes: dict[NotificationKind, ChannelChange]
) -> dict[NotificationKind, ChannelChoice]:
    current = preferences_with_defaults(await uow.notifications.preferences(actor.user_id))
    updated = {kind: change.applied_to(current[kind]) for kind, change in changes.items()}
    if updated:
        await uow.notifications.set_preferences(actor.user_id, updated)
        await uow.commit()
    return current | updated
