"""Notification mail and digests' part of the unit of work (see repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.digests.repository import SqlMailingRepository


class SqlDigestsRepositories(FeatureRepositories):
    mailing: SqlMailingRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.mailing = SqlMailingRepository(session)
