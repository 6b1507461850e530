"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from typing import Protocol

from domain.notifications.model import Notification


class NotificationRepository(Protocol):
    async def add_many(self, notifications: list[Notification]) -> None: ...


class NotificationsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def notifications(self) -> NotificationRepository: ...
