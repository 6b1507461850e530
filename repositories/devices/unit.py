"""The devices feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.devices.repository import SqlDeviceRepository


class SqlDevicesRepositories(FeatureRepositories):
    devices: SqlDeviceRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.devices = SqlDeviceRepository(session)
