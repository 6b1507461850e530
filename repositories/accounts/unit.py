"""The account flows' part of the unit of work (see repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.accounts.repository import SqlAccountTokenRepository
from repositories.base import FeatureRepositories


class SqlAccountsRepositories(FeatureRepositories):
    account_tokens: SqlAccountTokenRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.account_tokens = SqlAccountTokenRepository(session)
