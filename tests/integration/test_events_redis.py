"""The Redis Streams path (LEADERFUL_BROKER_URL): the server relays events to a stream of its
own for this run, a worker (`leaderful worker`'s code, in this process) consumes them, and the
notification appears; a second delivery of the same event notifies nobody again."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text

from api.main import create_app
from api.worker import run_worker
from tests.communities_helpers import create_community, join
from tests.conftest import TEST_SECRET, make_settings
from tests.helpers import Account, register
from tests.live_helpers import (
    Role,
    free_port,
    leaderful_env,
    leaderful_processes,
    worker_command,
)

REDIS = "redis://127.0.0.1:6379/0"


@dataclass
class Deployment:
    server: FastAPI
    http: httpx.AsyncClient
    queue: str
    redis: Redis


@contextlib.asynccontextmanager
async def serving(
    database_url: str, tmp_path: Path, queue: str
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A server that relays to `queue` and runs no consumers (the broker URL is set)."""
    settings = make_settings(
        database_url,
        tmp_path,
        broker_url=REDIS,
        broker_queue=queue,
        events_relay=True,
        relay_interval_seconds=0.5,
    )
    server = create_app(settings)
    async with server.router.lifespan_context(server):
        transport = httpx.ASGITransport(app=server, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            yield server, http


@contextlib.asynccontextmanager
async def _redis_queue() -> AsyncIterator[tuple[str, Redis]]:
    """A stream of the test's own (other test runs on this machine use the same Redis) and a
    client to look at it; the stream is deleted afterwards."""
    queue = f"leaderful-test:{uuid.uuid4().hex}"
    redis = Redis.from_url(REDIS)
    try:
        yield queue, redis
    finally:
        await redis.delete(queue)
        await redis.aclose()


@pytest.fixture
async def deployment(database_url: str, tmp_path, app: FastAPI) -> AsyncIterator[Deployment]:
    async with _redis_queue() as (queue, redis):
        worker_settings = make_settings(
            database_url, tmp_path, broker_url=REDIS, broker_queue=queue, events_relay=False
        )
        worker = asyncio.create_task(run_worker(worker_settings))
        try:
            async with serving(database_url, tmp_path, queue) as (server, http):
                yield Deployment(server, http, queue, redis)
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker


async def _inbox(http: httpx.AsyncClient, who: Account) -> list[dict[str, Any]]:
    response = await http.get("/me/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _eventually_inbox(http: httpx.AsyncClient, who: Account) -> list[dict[str, Any]]:
    for _ in range(200):
        items = await _inbox(http, who)
        if items:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError("no notification arrived within 10 s")


async def _member_answers_owners_question(
    http: httpx.AsyncClient, title: str, answer: str
) -> Account:
    """An owner asks in a new community and a member answers: one `comment.created` event
    whose notification goes to the owner, who is returned."""
    owner = await register(http, "Owner")
    member = await register(http, "Member")
    await create_community(http, owner, "Guild")
    await join(http, member, "guild")
    post = await http.post(
        "/communities/guild/posts",
        json={"kind": "question", "title": title, "body": "?"},
        headers=owner.headers,
    )
    assert post.status_code == 201, post.text
    comment = await http.post(
        f"/posts/{post.json()['id']}/comments", json={"body": answer}, headers=member.headers
    )
    assert comment.status_code == 201, comment.text
    return owner


async def _consumed(d: Deployment) -> None:
    """Wait until the worker has taken and acknowledged everything in the stream."""
    for _ in range(200):
        groups = await d.redis.xinfo_groups(d.queue)
        last = await d.redis.xrevrange(d.queue, count=1)
        if groups and last:
            group = groups[0]
            if group["pending"] == 0 and group["last-delivered-id"] == last[0][0]:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker did not consume the stream within 10 s")


async def test_a_worker_consumes_events_from_redis_and_the_notification_appears(deployment):
    http = deployment.http
    owner = await _member_answers_owners_question(http, "Which queue?", "Streams.")
    inbox = await _eventually_inbox(http, owner)
    assert [n["kind"] for n in inbox] == ["comment_on_post"]
    assert await deployment.redis.xlen(deployment.queue) >= 1  # it went through the stream


async def test_the_same_event_delivered_twice_notifies_once(deployment):
    http, server = deployment.http, deployment.server
    owner = await _member_answers_owners_question(http, "Twice?", "Once.")
    await _eventually_inbox(http, owner)
    async with server.state.engine.connect() as connection:
        event_id = (
            await connection.execute(
                text("SELECT id FROM domain_event WHERE type = 'comment.created'")
            )
        ).scalar_one()
    # At least once: the same event reaches the stream again (as after a relay crash).
    await server.state.events.task.kiq(str(event_id))
    await server.state.events.task.kiq(str(event_id))
    await _consumed(deployment)
    inbox = await _inbox(http, owner)
    assert len(inbox) == 1 and inbox[0]["count"] == 1


def _worker_env(database_url: str, queue: str, **settings: str) -> dict[str, str]:
    return leaderful_env(
        DATABASE_URL=database_url,
        BROKER_URL=REDIS,
        BROKER_QUEUE=queue,
        SECRET_KEY=TEST_SECRET,
        LOG_LEVEL="WARNING",
        **settings,
    )


WORKER: dict[str, Role] = {"worker": (worker_command, False)}


async def test_a_leaderful_worker_process_delivers_the_notification(
    database_url: str, tmp_path: Path, app: FastAPI
):
    async with _redis_queue() as (queue, _):
        with leaderful_processes(WORKER, _worker_env(database_url, queue), tmp_path) as started:
            async with serving(database_url, tmp_path, queue) as (_, http):
                owner = await _member_answers_owners_question(http, "Who runs this?", "A worker.")
                inbox = await _eventually_inbox(http, owner)
                assert [n["kind"] for n in inbox] == ["comment_on_post"]
    output = started["worker"].output
    assert not _crashes(output), output


def _handled(metrics: str) -> float:
    for line in metrics.splitlines():
        if line.startswith('leaderful_events_total{outcome="handled"}'):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no handled counter in:\n{metrics}")


async def _scrape(url: str, within: float = 30) -> str:
    """The worker's metrics page, once its server answers."""
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient(timeout=2) as scraper:
        while True:
            try:
                response = await scraper.get(url)
            except httpx.TransportError:
                assert asyncio.get_running_loop().time() < deadline, f"{url} never answered"
                await asyncio.sleep(0.1)
                continue
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith("text/plain")
            return response.text


async def test_a_worker_serves_its_event_counters_on_its_metrics_port(
    database_url: str, tmp_path: Path, app: FastAPI
):
    """The events are handled in the worker, so its counters are scraped from the worker:
    LEADERFUL_WORKER_METRICS_PORT turns its metrics server on (on 127.0.0.1 by default)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    async with _redis_queue() as (queue, _):
        env = _worker_env(database_url, queue, WORKER_METRICS_PORT=str(port))
        with leaderful_processes(WORKER, env, tmp_path) as started:
            before = _handled(await _scrape(url))
            async with serving(database_url, tmp_path, queue) as (_, http):
                owner = await _member_answers_owners_question(
                    http, "Who counts this?", "The worker does."
                )
                await _eventually_inbox(http, owner)  # the worker handled the comment's event
                # The post's and the comment's events at least were handled there.
                for _ in range(100):
                    after = _handled(await _scrape(url))
                    if after >= before + 2:
                        break
                    await asyncio.sleep(0.1)
                assert after >= before + 2, (before, after)
    output = started["worker"].output
    assert not _crashes(output), output
    # The server stops with the worker.
    async with httpx.AsyncClient(timeout=1) as scraper:
        with pytest.raises(httpx.TransportError):
            await scraper.get(url)


def _crashes(log: str) -> list[str]:
    """Lines of the worker's output that say something broke: error-level log records, or a
    bare traceback. A failed try is logged as a warning (with its traceback) and retried, which
    two processes writing one SQLite file can cause; that is not a crash."""
    broken = []
    for line in log.splitlines():
        if line.startswith("{"):
            if json.loads(line).get("level") in {"error", "critical"}:
                broken.append(line)
        elif "Traceback" in line:
            broken.append(line)
    return broken
