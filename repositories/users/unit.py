"""The users feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.users.ports import SessionsEnded
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
    # Told of accounts whose sessions this unit ended, once it commits (set where units are built).
    sessions: SessionsEnded | None = None

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.users = SqlUserRepository(session)
        self.refresh_tokens = SqlRefreshTokenRepository(session)
        self.personal_tokens = SqlPersonalTokenRepository(session)

    def committed(self) -> None:
        super().committed()
        ended = self.users.take_sessions_ended()
        if self.sessions is not None:
            for user_id, token_version in ended.items():
                self.sessions.sessions_ended(user_id, token_version)

    def rolled_back(self) -> None:
        super().rolled_back()
        self.users.take_sessions_ended()
