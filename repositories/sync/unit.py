"""The sync feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.sync.repository import SqlSyncRepository


class SqlSyncRepositories(FeatureRepositories):
    sync: SqlSyncRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.sync = SqlSyncRepository(session)
