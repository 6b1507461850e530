"""Periodic jobs on taskiq's scheduler against the database under test (and Redis): each tick of
each job runs once however many processes schedule it; a failing job is recorded and logged and
the others go on."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import select
from taskiq import InMemoryBroker, TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq_redis import RedisStreamBroker
from typer.testing import CliRunner

from api.cli import app as cli
from api.jobs import Job
from api.main import build_periodic_jobs, create_app
from api.worker import run_worker
from domain.clock import SystemClock
from repositories.jobs.ledger import SqlJobTicks
from repositories.jobs.tables import JobTickRow
from tests.conftest import make_settings

REDIS_URL = os.environ.get("LEADERFUL_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
ticks = JobTickRow.__table__  # type: ignore[attr-defined]
EVERY_SECOND = timedelta(seconds=1)


async def tick_rows(app: FastAPI, job: str) -> list[Any]:
    async with app.state.engine.connect() as connection:
        result = await connection.execute(
            select(ticks).where(ticks.c.job == job).order_by(ticks.c.tick_at)
        )
        return list(result)


async def tick_count(app: FastAPI, job: str, at_least: int) -> bool:
    return len(await tick_rows(app, job)) >= at_least


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 20) -> None:
    """Wait for `condition` (the machine may be busy: ticks are seconds apart, not instants)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.2)


class Deliveries(TaskiqMiddleware):
    """Every execution of a job's task: (worker, tick, what the task returned)."""

    def __init__(self, worker: str, seen: list[tuple[str, str, Any]]) -> None:
        super().__init__()
        self.worker = worker
        self.seen = seen

    def post_execute(self, message: TaskiqMessage, result: TaskiqResult[Any]) -> None:
        self.seen.append((self.worker, message.kwargs["tick_at"], result.return_value))


async def test_a_tick_is_claimed_by_one_of_those_that_reach_it(app: FastAPI):
    ledgers = [SqlJobTicks(app.state.session_factory) for _ in range(4)]
    tick = datetime(2026, 12, 7, 10, 5, tzinfo=UTC)
    now = datetime.now(UTC)
    claims = await asyncio.gather(*(ledger.claim("job", tick, now) for ledger in ledgers))
    assert sorted(claims) == [False, False, False, True]
    # Another job, or another tick of the same job, is a claim of its own.
    assert await ledgers[0].claim("other", tick, now)
    assert await ledgers[0].claim("job", tick + timedelta(minutes=5), now)
    # Finishing records the outcome and forgets the job's old ticks.
    await ledgers[0].finish("job", tick + timedelta(minutes=5), now, 3, None, keep_since=tick)
    await ledgers[0].finish(
        "job", tick + timedelta(minutes=5), now, 3, None, keep_since=tick + timedelta(minutes=1)
    )
    rows = await tick_rows(app, "job")
    assert [(r.tick_at, r.processed, r.error) for r in rows] == [
        (tick + timedelta(minutes=5), 3, None)
    ]
    assert len(await tick_rows(app, "other")) == 1


async def test_the_server_schedules_its_jobs_without_a_broker(
    app: FastAPI, database_url: str, tmp_path: Path
):
    """`make run`: the in-memory broker and the scheduler live in the server process."""
    served = create_app(make_settings(database_url, tmp_path, jobs_interval_seconds=1))
    async with served.router.lifespan_context(served):
        assert isinstance(served.state.broker, InMemoryBroker) and served.state.jobs.running
        await until(lambda: tick_count(app, "expire_mentorship_requests", 2))
    assert not served.state.jobs.running
    rows = await tick_rows(app, "expire_mentorship_requests")
    assert len(rows) >= 2
    assert all(r.processed == 0 and r.error is None and r.finished_at for r in rows)
    # With a broker URL the server leaves the jobs to `leaderful worker`.
    remote = create_app(
        make_settings(database_url, tmp_path, jobs_interval_seconds=1, broker_url=REDIS_URL)
    )
    async with remote.router.lifespan_context(remote):
        assert not remote.state.jobs.running


async def test_a_failing_job_is_recorded_on_its_tick_and_the_others_run(app: FastAPI):
    runs: list[str] = []

    async def fine(uow, clock) -> int:
        runs.append("fine")
        return 1

    async def broken(uow, clock) -> int:
        runs.append("broken")
        raise RuntimeError("boom")

    broker = InMemoryBroker()
    jobs = build_periodic_jobs(
        app.state.settings,
        broker,
        app.state.session_factory,
        SystemClock(),
        [Job("broken", broken, every=EVERY_SECOND), Job("fine", fine, every=EVERY_SECOND)],
    )
    await broker.startup()
    jobs.start()
    await until(lambda: tick_count(app, "broken", 2))
    await until(lambda: tick_count(app, "fine", 2))
    await jobs.stop()
    await broker.wait_all()
    await broker.shutdown()
    failed = await tick_rows(app, "broken")
    done = await tick_rows(app, "fine")
    assert len(failed) >= 2 and len(done) >= 2
    assert all(r.error == "RuntimeError: boom" and r.processed is None for r in failed)
    assert all(r.error is None and r.processed == 1 for r in done)
    assert runs.count("fine") == len(done) and runs.count("broken") == len(failed)


async def test_two_workers_run_each_tick_of_a_job_once(
    app: FastAPI, database_url: str, tmp_path: Path
):
    """Two `leaderful worker`s (each with its broker, scheduler and engine) on one database and
    one Redis stream: both send every tick, whichever worker receives a copy tries to claim it,
    and the job runs once per tick."""
    runs: list[datetime] = []

    async def count(uow, clock) -> int:
        runs.append(datetime.now(UTC))
        return 1

    jobs = [Job("count", count, every=EVERY_SECOND)]
    queue = f"leaderful:test:{uuid.uuid4().hex}"
    seen: list[tuple[str, str, Any]] = []
    settings = make_settings(database_url, tmp_path, broker_url=REDIS_URL, jobs_interval_seconds=1)

    def broker(name: str) -> RedisStreamBroker:
        redis = RedisStreamBroker(
            REDIS_URL, queue_name=queue, consumer_group_name="workers", xread_block=100
        )
        redis.add_middlewares(Deliveries(name, seen))
        return redis

    workers = [
        asyncio.create_task(run_worker(settings, broker=broker(name), jobs=jobs))
        for name in ("a", "b")
    ]

    def by_tick() -> dict[str, list[Any]]:
        results: dict[str, list[Any]] = {}
        for _, tick, returned in seen:
            results.setdefault(tick, []).append(returned)
        return results

    async def four_ticks_sent_twice() -> bool:
        return sum(len(results) == 2 for results in by_tick().values()) >= 4

    try:
        await until(four_ticks_sent_twice)
        stopped_at = datetime.now(UTC)
    finally:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        async with Redis.from_url(REDIS_URL) as redis:
            await redis.delete(queue)

    rows = {r.tick_at: r for r in await tick_rows(app, "count")}
    # Never more runs than claimed ticks (a tick cut short by the end of the test may have
    # been claimed and not run yet).
    assert len(runs) <= len(rows)
    # Every tick that had time to settle ran the job once: one copy ran it, the other skipped.
    settled = {
        tick: results
        for tick, results in by_tick().items()
        if datetime.fromisoformat(tick) <= stopped_at - timedelta(seconds=2)
    }
    assert len(settled) >= 2, by_tick()
    for tick, results in settled.items():
        assert results.count(1) == 1 and results.count(None) == len(results) - 1, (tick, results)
        row = rows[datetime.fromisoformat(tick)]
        assert row.processed == 1 and row.finished_at is not None
    # Both schedulers sent the ticks, and both workers took copies.
    assert Counter(len(results) for results in by_tick().values())[2] >= 4
    assert {worker for worker, _, _ in seen} == {"a", "b"}


def test_a_worker_needs_a_broker(monkeypatch):
    monkeypatch.delenv("LEADERFUL_BROKER_URL", raising=False)
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 2
    assert "LEADERFUL_BROKER_URL" in result.output
