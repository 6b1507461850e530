"""Devices in SQL: the DeviceRepository port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.devices.model import Device, PendingLine, Platform, WebPushKeys
from domain.notifications.model import NotificationKind
from domain.pagination import PageRequest, PageResult
from repositories.base import SortKey, keyset_page, rows_changed
from repositories.devices.tables import PushDeviceRow
from repositories.notifications.tables import NotificationPreferenceRow, NotificationRow
from repositories.users.queries import decode_working_hours
from repositories.users.tables import UserAccount

d = PushDeviceRow.__table__  # type: ignore[attr-defined]
n = NotificationRow.__table__  # type: ignore[attr-defined]
p = NotificationPreferenceRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]

NEWEST_FIRST = (SortKey(d.c.id, descending=True),)


def device_from_row(row: Any) -> Device:
    keys = WebPushKeys(row.p256dh, row.auth) if row.p256dh and row.auth else None
    return Device(
        id=row.id,
        user_id=row.user_id,
        platform=Platform(row.platform),
        address=row.address,
        keys=keys,
        name=row.name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        pushed_upto=row.pushed_upto,
    )


class SqlDeviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, platform: str, address: str) -> Device | None:
        row = (
            await self.session.execute(
                select(d).where(d.c.platform == platform, d.c.address == address)
            )
        ).first()
        return device_from_row(row) if row else None

    async def add(self, device: Device) -> None:
        await self.session.execute(
            insert(d).values(
                id=device.id,
                user_id=device.user_id,
                platform=device.platform.value,
                address=device.address,
                p256dh=device.keys.p256dh if device.keys else None,
                auth=device.keys.auth if device.keys else None,
                name=device.name,
                created_at=device.created_at,
                updated_at=device.updated_at,
                pushed_upto=device.pushed_upto,
            )
        )

    async def update(self, device: Device) -> None:
        await self.session.execute(
            update(d)
            .where(d.c.id == device.id)
            .values(
                user_id=device.user_id,
                p256dh=device.keys.p256dh if device.keys else None,
                auth=device.keys.auth if device.keys else None,
                name=device.name,
                updated_at=device.updated_at,
                pushed_upto=device.pushed_upto,
            )
        )

    async def get(self, device_id: UUID) -> Device | None:
        row = (await self.session.execute(select(d).where(d.c.id == device_id))).first()
        return device_from_row(row) if row else None

    async def list_for_user(self, user_id: UUID, page: PageRequest) -> PageResult[Device]:
        return await keyset_page(
            self.session,
            select(d).where(d.c.user_id == user_id),
            NEWEST_FIRST,
            page,
            device_from_row,
            lambda row: (row.id,),
        )

    async def count_for_user(self, user_id: UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(d).where(d.c.user_id == user_id)
        )
        return int(count or 0)

    async def oldest_for_user(self, user_id: UUID) -> Device | None:
        row = (
            await self.session.execute(
                select(d).where(d.c.user_id == user_id).order_by(d.c.id).limit(1)
            )
        ).first()
        return device_from_row(row) if row else None

    async def delete(self, device_id: UUID) -> bool:
        return rows_changed(await self.session.execute(delete(d).where(d.c.id == device_id))) > 0

    async def pending(self, since: datetime, limit: int) -> list[PendingLine]:
        stmt = (
            select(
                d.c.id.label("device_id"),
                n.c.id.label("notification_id"),
                n.c.kind,
                n.c.title,
                n.c.url,
                n.c.group_count,
                users.c.timezone,
                users.c.working_hours,
            )
            .select_from(
                d.join(users, users.c.id == d.c.user_id)
                .join(
                    n,
                    and_(
                        n.c.user_id == d.c.user_id,
                        n.c.id > d.c.pushed_upto,
                        n.c.read_at.is_(None),
                        n.c.created_at >= since,
                    ),
                )
                .join(
                    p,
                    and_(p.c.user_id == d.c.user_id, p.c.kind == n.c.kind, p.c.push.is_(True)),
                )
            )
            .where(users.c.is_active.is_(True))
            .order_by(d.c.id, n.c.id)
            .limit(limit)
        )
        rows = (await self.session.execute(stmt)).all()
        return [
            PendingLine(
                device_id=r.device_id,
                notification_id=r.notification_id,
                kind=NotificationKind(r.kind),
                title=r.title,
                url=r.url,
                count=r.group_count,
                timezone=r.timezone,
                working_hours=decode_working_hours(r.working_hours),
            )
            for r in rows
            if r.kind in NotificationKind.__members__
        ]

    async def advance(self, marks: Sequence[tuple[UUID, UUID]]) -> None:
        if not marks:
            return
        await self.session.execute(
            update(d)
            .where(d.c.id == bindparam("device_id"), d.c.pushed_upto < bindparam("upto"))
            .values(pushed_upto=bindparam("upto")),
            [{"device_id": device, "upto": upto} for device, upto in marks],
        )
