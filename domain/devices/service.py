"""Devices: registering, listing and forgetting them (the caller's own only), and the push job
that turns new notification lines into one `push.requested` event per device."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.devices.model import (
    DEVICE_NOT_FOUND,
    LOOKBACK,
    MAX_DEVICES,
    Device,
    DeviceDraft,
    PendingLine,
    may_push,
    message_for,
    start_mark,
)
from domain.errors import NotFound
from domain.events.model import EventType
from domain.events.service import record
from domain.notifications.model import time_ordered_id
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork

BATCH = 500


async def register_device(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: DeviceDraft
) -> tuple[Device, bool]:
    """Register a device for the caller; (device, created). The same endpoint or token again
    updates the registration (keys, name) instead of adding a second one, and moves it to the
    caller when another account had it (the browser or phone is now signed in as the caller).
    Past MAX_DEVICES, the oldest registration makes room."""
    now = clock.now()
    existing = await uow.devices.find(draft.platform.value, draft.address)
    if existing is not None:
        moved = existing.user_id != actor.user_id
        device = replace(
            existing,
            user_id=actor.user_id,
            keys=draft.keys,
            name=draft.name,
            updated_at=now,
            # A new owner hears only of what happens from now on.
            pushed_upto=start_mark(now) if moved else existing.pushed_upto,
        )
        await uow.devices.update(device)
        await uow.commit()
        return device, False
    if await uow.devices.count_for_user(actor.user_id) >= MAX_DEVICES:
        oldest = await uow.devices.oldest_for_user(actor.user_id)
        if oldest is not None:
            await uow.devices.delete(oldest.id)
    device = Device(
        id=time_ordered_id(now),
        user_id=actor.user_id,
        platform=draft.platform,
        address=draft.address,
        keys=draft.keys,
        name=draft.name,
        created_at=now,
        updated_at=now,
        pushed_upto=start_mark(now),
    )
    await uow.devices.add(device)
    await uow.commit()
    return device, True


async def own_device(uow: UnitOfWork, actor: Actor, device_id: UUID) -> Device:
    """The caller's device; another person's is NotFound, as a missing one is."""
    device = await uow.devices.get(device_id)
    if device is None or device.user_id != actor.user_id:
        raise NotFound(DEVICE_NOT_FOUND)
    return device


async def list_devices(uow: UnitOfWork, actor: Actor, page: PageRequest) -> PageResult[Device]:
    return await uow.devices.list_for_user(actor.user_id, page)


async def delete_device(uow: UnitOfWork, actor: Actor, device_id: UUID) -> None:
    device = await own_device(uow, actor, device_id)
    await uow.devices.delete(device.id)
    await uow.commit()


async def forget_device(uow: UnitOfWork, device_id: UUID) -> bool:
    """The push service says the device is gone: no more pushes to it."""
    deleted = await uow.devices.delete(device_id)
    await uow.commit()
    return deleted


async def queue_pushes(uow: UnitOfWork, clock: Clock, batch: int = BATCH) -> int:
    """The push job: for each device with new unread lines of kinds its owner wants pushed, one
    `push.requested` event (delivered and retried by the push task) when the owner is at work
    or the line is a mentorship decision they asked for. Lines outside working hours are
    passed over, not saved for later (the inbox and e-mail have them). Each device's mark moves
    past what it was offered in the transaction that queues the events, so two runs never push
    one line twice. The number of pushes queued."""
    now = clock.now()
    queued = 0
    while True:
        lines = await uow.devices.pending(now - LOOKBACK, batch)
        by_device: dict[UUID, list[PendingLine]] = defaultdict(list)
        for line in lines:
            by_device[line.device_id].append(line)
        for device_id, offered in by_device.items():
            wanted = [line for line in offered if may_push(line, now)]
            if not wanted:
                continue
            message = message_for(wanted)
            await record(
                uow,
                clock,
                EventType.push_requested,
                actor_id=None,
                community_id=None,
                payload={"device_id": device_id, **message.payload()},
            )
            queued += 1
        await uow.devices.advance(
            [(d, max(line.notification_id for line in ls)) for d, ls in by_device.items()]
        )
        await uow.commit()
        if len(lines) < batch:
            return queued
