"""A notification caused by a request to one server process reaches a stream held by another,
through Redis, within a second: two `leaderful serve` processes and one `leaderful worker` on
one PostgreSQL database and one Redis, as in production. Server B records the event in its
outbox and relays it to the Redis Stream; the worker derives the notification and publishes it
on Redis pub/sub; server A hands it to the open stream.

The processes are a table (`PROCESSES`): a further role is one more entry with its own command."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.communities_helpers import create_community, join
from tests.conftest import BACKEND, TEST_SECRET, postgres_database
from tests.helpers import register
from tests.live_helpers import (
    Process,
    Role,
    leaderful_env,
    leaderful_processes,
    open_stream,
    serve_command,
    worker_command,
)

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="server processes on PostgreSQL (LEADERFUL_TEST_DB=postgres)"
)

REDIS_URL = os.environ.get("LEADERFUL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Every process shares the database, the broker's stream and Redis pub/sub.
PROCESSES: dict[str, Role] = {
    "a": (serve_command, True),
    "b": (serve_command, True),
    "worker": (worker_command, False),
}


@contextlib.contextmanager
def processes(database_url: str, workdir: Path) -> Iterator[dict[str, Process]]:
    env = leaderful_env(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        BROKER_URL=REDIS_URL,
        # A stream of this run's own: other runs on the same Redis never take its tasks.
        BROKER_QUEUE=f"leaderful:test-live:{uuid.uuid4().hex}",
        SECRET_KEY=TEST_SECRET,
        RATE_LIMIT_ENABLED="false",
        JOBS_INTERVAL_SECONDS="0",
        LOG_LEVEL="WARNING",
        SPA_DIR=str(workdir / "no-spa"),
    )
    with leaderful_processes(PROCESSES, env, workdir) as running:
        yield running


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Process]]:
    """The processes, on a database of their own."""
    workdir = tmp_path_factory.mktemp("live")
    with postgres_database("leaderful_live") as url, processes(url, workdir) as started:
        yield started


@contextlib.asynccontextmanager
async def clients(
    running: dict[str, Process],
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """A client of server A and one of server B: the two processes the tests cross."""
    a, b = running["a"].base, running["b"].base
    assert a and b
    async with (
        httpx.AsyncClient(base_url=a, timeout=5) as on_a,
        httpx.AsyncClient(base_url=b, timeout=5) as on_b,
    ):
        yield on_a, on_b


async def test_a_request_to_one_process_reaches_a_stream_on_another(
    running: dict[str, Process],
):
    async with clients(running) as (on_a, on_b):
        asker = await register(on_b, "Asker")
        helper = await register(on_b, "Helper")
        bystander = await register(on_b, "Bystander")
        await create_community(on_b, asker, "Guild")
        for person in (helper, bystander):
            assert (await join(on_b, person, "guild")).status_code == 201
        post = await on_b.post(
            "/communities/guild/posts",
            json={"kind": "question", "title": "How do we roll back?", "body": "?"},
            headers=asker.headers,
        )
        assert post.status_code == 201, post.text
        async with (
            open_stream(on_a, "/me/notifications/stream", asker.headers) as reader,
            open_stream(on_a, "/me/notifications/stream", bystander.headers) as other,
        ):
            assert (await reader.next()).json == {"unread": 0}
            assert (await other.next()).json == {"unread": 0}
            # The worker may still be starting: the first answer waits for it, untimed.
            first = await on_b.post(
                f"/posts/{post.json()['id']}/comments",
                json={"body": "Try this."},
                headers=helper.headers,
            )
            assert first.status_code == 201, first.text
            assert (await reader.next(within=60)).json["comment_id"] == first.json()["id"]
            assert (await reader.next(within=1)).json == {"unread": 1}
            started = time.monotonic()
            comment = await on_b.post(
                f"/posts/{post.json()['id']}/comments",
                json={"body": "Like this."},
                headers=helper.headers,
            )
            assert comment.status_code == 201, comment.text
            event = await reader.next(within=1)
            assert time.monotonic() - started < 1.0
            assert event.event == "notification"
            # The second answer joins the first's unread line: two answers, one line.
            assert event.json["comment_id"] == comment.json()["id"]
            assert event.json["count"] == 2
            assert (await reader.next(within=1)).json == {"unread": 1}
            # Only the recipient hears of it.
            assert await other.quiet(0.3) == []
    for process in running.values():
        log = process.log.read_text()
        assert "Traceback" not in log, log


async def test_a_password_change_on_one_process_ends_streams_on_another(
    running: dict[str, Process],
):
    async with clients(running) as (on_a, on_b):
        person = await register(on_b, "Person")
        bystander = await register(on_b, "Bystander")
        ticket = await on_b.post("/me/notifications/stream-ticket", headers=person.headers)
        assert ticket.status_code == 201, ticket.text
        async with (
            open_stream(on_a, "/me/notifications/stream", person.headers) as by_header,
            open_stream(
                on_a, f"/me/notifications/stream?ticket={ticket.json()['ticket']}"
            ) as by_ticket,
            open_stream(on_a, "/me/notifications/stream", bystander.headers) as other,
        ):
            for reader in (by_header, by_ticket, other):
                assert (await reader.next()).event == "unread_count"
            changed = await on_b.post(
                "/me/password",
                json={"current_password": person.password, "new_password": "a-brand-new-secret"},
                headers=person.headers,
            )
            assert changed.status_code == 204, changed.text
            # Told through Redis, well before the account check (every 15 s) would find it.
            assert await by_header.ended(within=2)
            assert await by_ticket.ended(within=2)
            assert not await other.ended(within=0.3)


async def test_reading_on_one_process_updates_the_count_on_streams_on_another(
    running: dict[str, Process],
):
    async with clients(running) as (on_a, on_b):
        asker = await register(on_b, "Asker")
        helper = await register(on_b, "Helper")
        await create_community(on_b, asker, "Readers")
        assert (await join(on_b, helper, "readers")).status_code == 201
        post = await on_b.post(
            "/communities/readers/posts",
            json={"kind": "question", "title": "Who read this?", "body": "?"},
            headers=asker.headers,
        )
        assert post.status_code == 201, post.text
        comment = await on_b.post(
            f"/posts/{post.json()['id']}/comments",
            json={"body": "Me."},
            headers=helper.headers,
        )
        assert comment.status_code == 201, comment.text
        lines: list = []
        for _ in range(600):  # the worker may still be starting
            lines = (await on_b.get("/me/notifications", headers=asker.headers)).json()["items"]
            if lines:
                break
            await asyncio.sleep(0.1)
        [line] = lines
        async with (
            open_stream(on_a, "/me/notifications/stream", asker.headers) as tab,
            open_stream(on_b, "/me/notifications/stream", asker.headers) as other_tab,
        ):
            for reader in (tab, other_tab):
                assert (await reader.next()).json == {"unread": 1}
            read = await on_b.post(f"/me/notifications/{line['id']}/read", headers=asker.headers)
            assert read.status_code == 204, read.text
            for reader in (tab, other_tab):
                event = await reader.next(within=1)
                assert (event.event, event.json) == ("unread_count", {"unread": 0})
