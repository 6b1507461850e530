"""The webhooks feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.webhooks.repository import SqlWebhookRepository


class SqlWebhooksRepositories(FeatureRepositories):
    webhooks: SqlWebhookRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.webhooks = SqlWebhookRepository(session)
