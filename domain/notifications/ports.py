"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.notifications.model import (
    ChannelChoice,
    InboxItem,
    NotificationEvent,
    NotificationKind,
    WrittenNotification,
)
from domain.pagination import PageRequest, PageResult


class NotificationRepository(Protocol):
    async def notify(
        self, event: NotificationEvent, user_ids: list[UUID]
    ) -> list[WrittenNotification]:
        """Tell `user_ids` (who can see the subject and keep in-app on for the kind): an
        unread notification of the same kind and subject absorbs the event, else a new row.
        Safe against concurrent events on one subject (one unread line each, never two). The
        lines written are returned, and published live once the unit of work commits."""
        ...

    async def notify_many(
        self, batch: Sequence[tuple[NotificationEvent, list[UUID]]]
    ) -> list[WrittenNotification]:
        """`notify` for each (event, people) pair, all at once: a fixed number of statements
        (the subjects' communities when not given, who may be told, who muted which kind, and
        one upsert per distinct actor)."""
        ...

    async def lines(self, notification_ids: list[UUID]) -> dict[UUID, InboxItem]:
        """Lines by id, those still visible to their recipients."""
        ...

    async def unread_counts(self, user_ids: list[UUID]) -> dict[UUID, int]:
        """Each user's unread count, in one statement (users with none are 0)."""
        ...

    async def since(self, user_id: UUID, after: UUID, limit: int) -> list[InboxItem]:
        """The user's visible lines with an id greater than `after`, oldest first."""
        ...

    async def active_users(self, user_ids: list[UUID]) -> dict[UUID, int]:
        """Those of `user_ids` whose accounts still exist and are active, with their current
        token versions."""
        ...

    async def inbox(self, user_id: UUID, unread: bool, page: PageRequest) -> PageResult[InboxItem]:
        """Newest first, only notifications about what the user can still see."""
        ...

    async def unread_count(self, user_id: UUID) -> int: ...

    async def mark_read(self, user_id: UUID, notification_id: UUID, at: datetime) -> bool:
        """False when the notification is not the user's (or no longer visible to them). The
        user's new unread count reaches their open streams once the unit of work commits."""
        ...

    async def mark_all_read(self, user_id: UUID, up_to: UUID | None, at: datetime) -> None:
        """Every line with an id at or before `up_to` (ids are time-ordered); all, without it.
        The user's new unread count reaches their open streams once the unit of work commits."""
        ...

    async def preferences(self, user_id: UUID) -> dict[NotificationKind, ChannelChoice]:
        """The stored choices only; kinds never set keep their defaults."""
        ...

    async def set_preferences(
        self, user_id: UUID, choices: dict[NotificationKind, ChannelChoice]
    ) -> None: ...

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` notifications whose latest event is older than `before`;
        the number deleted."""
        ...


class StreamTicketRepository(Protocol):
    async def add(
        self, user_id: UUID, ticket_hash: str, expires_at: datetime, at: datetime
    ) -> None:
        """Store a ticket (hashed); expired tickets of the user go at the same time."""
        ...

    async def take(self, ticket_hash: str, at: datetime) -> UUID | None:
        """The ticket's user, removing the ticket (single use); None when unknown, used or
        expired."""
        ...


class LiveNotifications(Protocol):
    """Where a unit of work hands the lines it wrote once it has committed (never for one that
    rolled back), for the recipients' open streams, in this process or any other."""

    def publish(self, written: Sequence[WrittenNotification]) -> None:
        """Queue for publication: returns at once and never raises (the lines are committed;
        a stream that misses one finds it in the inbox when it resumes)."""
        ...

    def publish_unread(self, user_ids: Collection[UUID]) -> None:
        """These users read something: queue their new unread counts for their open streams
        (every tab follows). Returns at once and never raises."""
        ...


class WatchRepository(Protocol):
    async def watch(self, post_id: UUID, user_id: UUID, at: datetime, *, explicit: bool) -> None:
        """`explicit=False` (automatic watching) never overrides a choice the user made."""
        ...

    async def unwatch(self, post_id: UUID, user_id: UUID, at: datetime) -> None: ...

    async def watcher_ids(self, post_id: UUID) -> list[UUID]: ...

    async def choice(self, post_id: UUID, user_id: UUID) -> tuple[bool | None, bool]:
        """The user's stored watching flag for the post (None when there is none) and whether
        they have commented on it, in one statement."""
        ...


class NotificationsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def notifications(self) -> NotificationRepository: ...

    @property
    def watches(self) -> WatchRepository: ...

    @property
    def stream_tickets(self) -> StreamTicketRepository: ...
