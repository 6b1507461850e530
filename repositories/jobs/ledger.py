"""SqlJobTicks: claims a job's tick in the database, so that it runs once per tick however many
processes run a scheduler (INSERT ... ON CONFLICT DO NOTHING on the (job, tick_at) key: the
primary key, not an earlier read, decides who wins, on PostgreSQL and SQLite alike)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from repositories.base import insert_or_ignore, rows_changed
from repositories.jobs.tables import JobTickRow

ticks = JobTickRow.__table__  # type: ignore[attr-defined]


class SqlJobTicks:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def claim(self, job: str, tick_at: datetime, at: datetime) -> bool:
        """Record that this process runs `job` for `tick_at`; False when another one already
        does. The claim commits at once: the job's own transactions come after it."""
        async with self.session_factory() as session:
            statement = insert_or_ignore(session, ticks, ["job", "tick_at"]).values(
                job=job, tick_at=tick_at, claimed_at=at
            )
            claimed = rows_changed(await session.execute(statement)) == 1
            await session.commit()
            return claimed

    async def finish(
        self,
        job: str,
        tick_at: datetime,
        at: datetime,
        processed: int | None,
        error: str | None,
        keep_since: datetime,
    ) -> None:
        """Record how the run ended, and forget this job's ticks older than `keep_since`."""
        async with self.session_factory() as session:
            await session.execute(
                update(ticks)
                .where(ticks.c.job == job, ticks.c.tick_at == tick_at)
                .values(finished_at=at, processed=processed, error=error)
            )
            await session.execute(
                delete(ticks).where(ticks.c.job == job, ticks.c.tick_at < keep_since)
            )
            await session.commit()
