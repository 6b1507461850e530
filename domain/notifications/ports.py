"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.notifications.model import (
    ChannelChoice,
    InboxItem,
    NotificationEvent,
    NotificationKind,
)
from domain.pagination import PageRequest, PageResult


class NotificationRepository(Protocol):
    async def notify(self, event: NotificationEvent, user_ids: list[UUID]) -> None:
        """Tell `user_ids` (who can see the subject and keep in-app on for the kind): an
        unread notification of the same kind and subject absorbs the event, else a new row."""
        ...

    async def inbox(self, user_id: UUID, unread: bool, page: PageRequest) -> PageResult[InboxItem]:
        """Newest first, only notifications about what the user can still see."""
        ...

    async def unread_count(self, user_id: UUID) -> int: ...

    async def mark_read(self, user_id: UUID, notification_id: UUID, at: datetime) -> bool:
        """False when the notification is not the user's (or no longer visible to them)."""
        ...

    async def mark_all_read(self, user_id: UUID, up_to: UUID | None, at: datetime) -> None:
        """Every line with an id at or before `up_to` (ids are time-ordered); all, without it."""
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


class WatchRepository(Protocol):
    async def watch(self, post_id: UUID, user_id: UUID, at: datetime, *, explicit: bool) -> None:
        """`explicit=False` (automatic watching) never overrides a choice the user made."""
        ...

    async def unwatch(self, post_id: UUID, user_id: UUID, at: datetime) -> None: ...

    async def watcher_ids(self, post_id: UUID) -> list[UUID]: ...


class NotificationsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def notifications(self) -> NotificationRepository: ...

    @property
    def watches(self) -> WatchRepository: ...
