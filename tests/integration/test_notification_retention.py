"""Notification retention: the daily job deletes inbox lines older than
LEADERFUL_NOTIFICATION_RETENTION_DAYS and keeps the rest (on the database under test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import insert, select

from api.jobs import configured_jobs, run_jobs_once
from domain.notifications.model import time_ordered_id
from domain.notifications.retention import prune_notifications
from repositories.notifications.tables import NotificationRow
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import make_settings
from tests.helpers import register

notifications = NotificationRow.__table__  # type: ignore[attr-defined]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


async def add_notifications(app: FastAPI, user_id: str, ages: dict[str, timedelta]) -> None:
    async with app.state.engine.begin() as connection:
        for title, age in ages.items():
            at = NOW - age
            await connection.execute(
                insert(notifications).values(
                    id=time_ordered_id(at),
                    user_id=uuid.UUID(user_id),
                    kind="mention",
                    reason="mentioned",
                    subject_type="post",
                    subject_id=uuid.uuid4(),
                    title=title,
                    url="/posts/x",
                    group_count=1,
                    created_at=at,
                )
            )


async def titles(app: FastAPI) -> set[str]:
    async with app.state.engine.connect() as connection:
        return set((await connection.execute(select(notifications.c.title))).scalars())


async def test_old_notifications_are_pruned_and_recent_ones_kept(app: FastAPI, client):
    person = await register(client)
    await add_notifications(
        app,
        person.id,
        {
            "a year old": timedelta(days=365),
            "just too old": timedelta(days=90, seconds=1),
            "ninety days ago, to the day": timedelta(days=90),
            "last month": timedelta(days=30),
            "now": timedelta(0),
        },
    )
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        assert await prune_notifications(uow, FixedClock(), batch=1) == 2
    assert await titles(app) == {"ninety days ago, to the day", "last month", "now"}
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        assert await prune_notifications(uow, FixedClock()) == 0


async def test_the_scheduled_job_uses_the_configured_retention(
    app: FastAPI, client, database_url, tmp_path
):
    person = await register(client)
    await add_notifications(
        app, person.id, {"eleven days": timedelta(days=11), "nine days": timedelta(days=9)}
    )
    settings = make_settings(
        database_url, tmp_path, jobs_interval_seconds=60, notification_retention_days=10
    )
    jobs = [job for job in configured_jobs(settings) if job.name == "prune_notifications"]
    results = await run_jobs_once(
        lambda: SqlUnitOfWork(app.state.session_factory), FixedClock(), jobs
    )
    assert results == {"prune_notifications": 1}
    assert await titles(app) == {"nine days"}
