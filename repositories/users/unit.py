"""The users feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.users.repository import (
    SqlPersonalTokenRepository,
    SqlRefreshTokenRepository,
    SqlUserRepository,
)


class SqlUsersRepositories(FeatureRepositories):
    users: SqlUserRepository
    refresh_tokens: SqlRefreshTokenRepository
    personal_tokens: SqlPersonalTokenRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.users = SqlUserRepository(session)
        self.refresh_tokens = SqlRefreshTokenRepository(session)
        self.personal_tokens = SqlPersonalTokenRepository(session)
