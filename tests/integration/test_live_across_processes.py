"""A notification caused by a request to one server process reaches a stream held by another,
through Redis, within a second: separate `leaderful serve` processes on one PostgreSQL
database and one Redis, as in production.

The processes are a table (`PROCESSES`): a further role (e.g. a background worker that writes
notifications) is one more entry with its own command."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.communities_helpers import create_community, join
from tests.conftest import BACKEND, TEST_SECRET, postgres_database
from tests.helpers import register
from tests.live_helpers import free_port, open_stream

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="server processes on PostgreSQL (LEADERFUL_TEST_DB=postgres)"
)

LEADERFUL = Path(sys.executable).with_name("leaderful")
REDIS_URL = os.environ.get("LEADERFUL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass
class Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    base: str | None  # the API's base URL, for processes that serve HTTP


def _serve(port: int) -> list[str]:
    return [str(LEADERFUL), "serve", "--host", "127.0.0.1", "--port", str(port)]


# name -> command (given a free port). Every process shares the database and Redis.
PROCESSES = {"a": _serve, "b": _serve}


def _wait_healthy(started: Process) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert started.process.poll() is None, started.log.read_text()
        health = f"{str(started.base).removesuffix('/api/v1')}/healthz"
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(health, timeout=1).status_code == 200:
                return
        assert time.monotonic() < deadline, f"{started.name} did not start"
        time.sleep(0.1)


def _stop(started: Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(started.process.pid, signal.SIGTERM)
    try:
        started.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(started.process.pid, signal.SIGKILL)
        started.process.wait(timeout=10)


@contextlib.contextmanager
def processes(database_url: str, workdir: Path) -> Iterator[dict[str, Process]]:
    env = {
        **os.environ,
        "LEADERFUL_DATABASE_URL": database_url,
        "LEADERFUL_REDIS_URL": REDIS_URL,
        "LEADERFUL_SECRET_KEY": TEST_SECRET,
        "LEADERFUL_RATE_LIMIT_ENABLED": "false",
        "LEADERFUL_JOBS_INTERVAL_SECONDS": "0",
        "LEADERFUL_LOG_LEVEL": "WARNING",
        "LEADERFUL_SPA_DIR": str(workdir / "no-spa"),
    }
    running: dict[str, Process] = {}
    try:
        for name, command in PROCESSES.items():
            port = free_port()
            log = workdir / f"{name}.log"
            with log.open("w") as out:
                popen = subprocess.Popen(
                    command(port),
                    cwd=workdir,  # no developer .env, no var/ in the checkout
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            running[name] = Process(name, popen, log, f"http://127.0.0.1:{port}/api/v1")
        for started in running.values():
            if started.base is not None:
                _wait_healthy(started)
        yield running
    finally:
        for started in running.values():
            _stop(started)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Process]]:
    """The processes, on a database of their own."""
    workdir = tmp_path_factory.mktemp("live")
    with postgres_database("leaderful_live") as url, processes(url, workdir) as started:
        yield started


async def test_a_request_to_one_process_reaches_a_stream_on_another(
    running: dict[str, Process],
):
    a, b = running["a"].base, running["b"].base
    assert a and b
    async with (
        httpx.AsyncClient(base_url=a, timeout=5) as on_a,
        httpx.AsyncClient(base_url=b, timeout=5) as on_b,
    ):
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
            assert event.json["comment_id"] == comment.json()["id"]
            assert (await reader.next(within=1)).json == {"unread": 1}
            # Only the recipient hears of it.
            assert await other.quiet(0.3) == []
    for process in running.values():
        log = process.log.read_text()
        assert "Traceback" not in log, log
