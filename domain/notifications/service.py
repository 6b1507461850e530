"""The inbox: telling people (`notify`, shared by the services and the event consumer) and
reading, marking and tuning what they were told."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import NotFound, Unauthenticated
from domain.notifications.model import (
    DEFAULT_REASON,
    ChannelChange,
    ChannelChoice,
    InboxItem,
    LiveNotification,
    Notice,
    NotificationEvent,
    NotificationKind,
    Reason,
    StreamListener,
    WrittenNotification,
    preferences_with_defaults,
    recipients,
)
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork

NOTIFICATION_NOT_FOUND = "Notification not found."
BAD_TICKET = "The stream ticket is invalid, used or expired; ask for a new one."
STREAM_TICKET_LIFETIME = timedelta(seconds=60)
# At most this many lines are replayed when a stream resumes; the inbox has the rest.
REPLAY_LIMIT = 200


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
) -> list[WrittenNotification]:
    """Tell `user_ids` about one event. Nobody hears of their own action; people who cannot see
    the subject, or switched in-app off for the kind, get nothing; an unread notification of the
    same kind on the same subject is updated (count, latest actors) instead of adding a row.
    The lines written reach the recipients' open streams once `uow` commits."""
    targets = recipients(user_ids, actor_id)
    if not targets:
        return []
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
    return await uow.notifications.notify(event, targets)


async def notify_many(
    uow: UnitOfWork, clock: Clock, notices: Sequence[Notice]
) -> list[WrittenNotification]:
    """`notify` for many subjects at once, each to its own people, by the same rules, in a
    fixed number of statements however many notices and people (a periodic job telling a
    hundred questions' experts at once). A person told twice of one subject in the batch gets
    one line."""
    at = clock.now()
    batch: list[tuple[NotificationEvent, list[UUID]]] = []
    for notice in notices:
        targets = recipients(notice.user_ids, notice.actor_id)
        if not targets:
            continue
        event = NotificationEvent(
            kind=notice.kind,
            actor_id=notice.actor_id,
            subject_type=notice.subject_type,
            subject_id=notice.subject_id,
            title=notice.title[:300],
            url=notice.url,
            reason=notice.reason or DEFAULT_REASON[notice.kind],
            occurred_at=at,
            community_id=notice.community_id,
            anchor_id=notice.anchor_id,
        )
        batch.append((event, targets))
    if not batch:
        return []
    return await uow.notifications.notify_many(batch)


async def live_notifications(
    uow: UnitOfWork, written: Sequence[WrittenNotification]
) -> list[LiveNotification]:
    """What to send to open streams for lines just committed: each line as its recipient's
    inbox lists it and their unread count, read for all recipients at once (two statements)."""
    lines = await uow.notifications.lines([w.notification_id for w in written])
    counts = await uow.notifications.unread_counts(list({w.user_id for w in written}))
    return [
        LiveNotification(
            w.user_id, w.notification_id, lines.get(w.notification_id), counts[w.user_id]
        )
        for w in written
    ]


async def unread_counts(uow: UnitOfWork, user_ids: list[UUID]) -> dict[UUID, int]:
    """Several users' unread counts in one statement (for their open streams)."""
    return await uow.notifications.unread_counts(user_ids)


async def replay(uow: UnitOfWork, actor: Actor, after: UUID) -> list[InboxItem]:
    """What a resuming stream missed: the lines newer than the last one it received (a line
    that an event joined since has a newer id), oldest first."""
    return await uow.notifications.since(actor.user_id, after, REPLAY_LIMIT)


@dataclass(frozen=True, slots=True)
class StreamTicket:
    ticket: str
    expires_at: datetime


def _ticket_hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


async def issue_stream_ticket(uow: UnitOfWork, clock: Clock, actor: Actor) -> StreamTicket:
    """A ticket that opens the caller's stream once, within a minute: for clients (browsers'
    EventSource) that cannot send an Authorization header. Stored hashed, so it works in any
    server process."""
    now = clock.now()
    ticket = StreamTicket(secrets.token_urlsafe(32), now + STREAM_TICKET_LIFETIME)
    await uow.stream_tickets.add(actor.user_id, _ticket_hash(ticket.ticket), ticket.expires_at, now)
    await uow.commit()
    return ticket


async def redeem_stream_ticket(uow: UnitOfWork, clock: Clock, ticket: str) -> StreamListener:
    """The ticket's user, whose account must still be active; the ticket is used up either
    way. Unknown, used or expired: Unauthenticated. The stream it opens lasts until the
    account's sessions end (its token version as read now)."""
    user_id = await uow.stream_tickets.take(_ticket_hash(ticket), clock.now())
    await uow.commit()
    user = await uow.users.get(user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise Unauthenticated(BAD_TICKET)
    return StreamListener(user.id, token_version=user.token_version)


async def still_active(uow: UnitOfWork, user_ids: list[UUID]) -> dict[UUID, int]:
    """Of the users with open streams, those whose accounts are still active, with the token
    version their sessions must carry."""
    return await uow.notifications.active_users(user_ids)


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
