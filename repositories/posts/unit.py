"""The posts feature's part of the unit of work (composed in repositories/unit_of_work.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from repositories.base import FeatureRepositories
from repositories.posts.nudges import SqlNudgeRepository
from repositories.posts.repository import SqlPostRepository
from repositories.posts.search import PgPostSearch, SqlitePostSearch, post_search_for


class SqlPostsRepositories(FeatureRepositories):
    posts: SqlPostRepository
    search: PgPostSearch | SqlitePostSearch
    nudges: SqlNudgeRepository

    def attach(self, session: AsyncSession) -> None:
        super().attach(session)
        self.posts = SqlPostRepository(session)
        self.search = post_search_for(session)
        self.nudges = SqlNudgeRepository(session)
