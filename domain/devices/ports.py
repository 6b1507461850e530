"""Ports of devices: where registrations are kept (DeviceRepository) and how a push reaches a
device (PushProvider: Web Push, FCM or APNs, chosen by the device's platform)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.devices.model import Device, PendingLine, PushMessage
from domain.pagination import PageRequest, PageResult


class DeviceGone(Exception):
    """The push service says the device no longer exists (404/410, an unregistered token):
    it is forgotten."""


class PushRejected(Exception):
    """The push service refused this message for good (a malformed request, bad credentials):
    not tried again, the device is kept."""


class PushFailed(Exception):
    """A temporary failure (5xx, 429, timeout, connection refused): tried again later."""


class PushProvider(Protocol):
    async def send(self, device: Device, message: PushMessage) -> None:
        """Deliver or raise DeviceGone, PushRejected or PushFailed."""
        ...


class DeviceRepository(Protocol):
    async def find(self, platform: str, address: str) -> Device | None:
        """The registration of this endpoint or token, whoever owns it."""
        ...

    async def add(self, device: Device) -> None: ...

    async def update(self, device: Device) -> None:
        """Owner, keys, name and `updated_at` of an existing registration."""
        ...

    async def get(self, device_id: UUID) -> Device | None: ...

    async def list_for_user(self, user_id: UUID, page: PageRequest) -> PageResult[Device]:
        """Newest first (keyset on id: ids are time-ordered)."""
        ...

    async def count_for_user(self, user_id: UUID) -> int: ...

    async def oldest_for_user(self, user_id: UUID) -> Device | None: ...

    async def delete(self, device_id: UUID) -> bool: ...

    async def pending(self, since: datetime, limit: int) -> list[PendingLine]:
        """Unread lines written since `since`, newer than their device's `pushed_upto`, of
        kinds whose push channel the device's owner switched on, with the owner's time zone
        and working hours; ordered by device, then line."""
        ...

    async def advance(self, marks: Sequence[tuple[UUID, UUID]]) -> None:
        """Set each (device, line) device's `pushed_upto` to that line, in one statement."""
        ...


class DevicesRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def devices(self) -> DeviceRepository: ...
