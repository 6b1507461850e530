"""PostgreSQL restarts while a real server process is under load.

The test starts its own PostgreSQL instance (initdb into a temporary folder, a free port), so the
shared cluster is never stopped. Several clients write (posts, comments) and read through the HTTP
server while the instance is stopped (fast, then immediate) and started again. Then:
- every write that answered 2xx is in the database (an acknowledged commit is never lost);
- every other answer was 503 problem+json with Retry-After: no 500, no dropped connection;
- the same server process serves requests again within seconds of the database being back.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from tests.conftest import BACKEND, TEST_SECRET
from tests.helpers import PASSWORD, PROBLEM

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        BACKEND != "postgres", reason="restarts a PostgreSQL instance (LEADERFUL_TEST_DB=postgres)"
    ),
]

CLIENTS = 6
OUTAGE_SECONDS = 1.5  # load keeps running while the instance is down
RECOVERY_LIMIT = 5.0  # seconds from "database accepts connections" to the first 2xx
LEADERFUL = Path(sys.executable).with_name("leaderful")


def _postgres_bindir() -> Path | None:
    candidates: list[Path] = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        found = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True, timeout=10
        )
        candidates.append(Path(found.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrivatePostgres:
    """A throw-away cluster owned by the `postgres` OS user when the test runs as root (PostgreSQL
    refuses to run as root)."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 30, check: bool = True) -> None:
        done = subprocess.run(
            [*self.as_owner, *args], capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0 or not check, f"{args} failed:\n{done.stdout}{done.stderr}"

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", *args, check=check)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--no-sync",  # only initdb's own files; the server keeps fsync on
            timeout=60,
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "max_connections = 40\n"
                "shared_buffers = 16MB\n"
            )

    def start(self) -> None:
        self._pg_ctl("-l", str(self.root / "postgres.log"), "start")

    def stop(self, mode: str) -> None:
        self._pg_ctl("-m", mode, "stop")

    def stop_if_running(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "stop", check=False)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    bindir = _postgres_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("initdb/pg_ctl not found (pg_config --bindir, /usr/lib/postgresql/*/bin)")
        pytest.skip("PostgreSQL server binaries (initdb) are not installed")
    root = Path(tempfile.mkdtemp(prefix="leaderful-pg-"))
    instance = PrivatePostgres(bindir, root)
    try:
        instance.init()
        instance.start()
        yield instance
    finally:
        instance.stop_if_running()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def server_process(database_url: str, workdir: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "LEADERFUL_DATABASE_URL": database_url,
        "LEADERFUL_SECRET_KEY": TEST_SECRET,
        "LEADERFUL_RATE_LIMIT_ENABLED": "false",
        "LEADERFUL_JOBS_INTERVAL_SECONDS": "0",
        "LEADERFUL_LOG_LEVEL": "WARNING",
        "LEADERFUL_SPA_DIR": str(workdir / "no-spa"),
    }
    log = (workdir / "server.log").open("w")
    process = subprocess.Popen(
        [str(LEADERFUL), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=workdir,  # no developer .env, no var/ in the checkout
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, (workdir / "server.log").read_text()
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


@dataclass
class Outcome:
    what: str
    started: float
    status: int | None = None
    content_type: str = ""
    retry_after: str | None = None
    created: str | None = None  # id of the acknowledged post/comment
    error: str | None = None  # transport failure (reset, timeout)
    body: str = ""


@dataclass
class Load:
    base: str
    tokens: list[str]
    slug: str
    post_ids: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def client(self, n: int) -> None:
        headers = {"Authorization": f"Bearer {self.tokens[n % len(self.tokens)]}"}
        async with httpx.AsyncClient(
            base_url=f"{self.base}/api/v1", headers=headers, timeout=10
        ) as http:
            i = 0
            while not self.stop.is_set():
                i += 1
                post_id = self.post_ids[(n + i) % len(self.post_ids)]
                if i % 3 == 0:
                    outcome = await self.send(http, "read", "GET", f"/posts/{post_id}")
                elif i % 3 == 1:
                    body = {"title": f"Load {n}-{i}", "body": "written during a restart"}
                    outcome = await self.send(
                        http, "post", "POST", f"/communities/{self.slug}/posts", body
                    )
                else:
                    body = {"body": f"comment {n}-{i}"}
                    outcome = await self.send(
                        http, "comment", "POST", f"/posts/{post_id}/comments", body
                    )
                if outcome.status != 201 and outcome.status != 200:
                    await asyncio.sleep(0.05)  # a client backing off a little, as clients do

    async def send(
        self, http: httpx.AsyncClient, what: str, method: str, url: str, body: Any = None
    ) -> Outcome:
        outcome = Outcome(what, time.monotonic())
        self.outcomes.append(outcome)
        try:
            response = await http.request(method, url, json=body)
        except httpx.TransportError as exc:
            outcome.error = repr(exc)
            return outcome
        outcome.status = response.status_code
        outcome.content_type = response.headers.get("content-type", "")
        outcome.retry_after = response.headers.get("retry-after")
        outcome.body = response.text[:300]
        if response.status_code == 201:
            outcome.created = response.json()["id"]
        return outcome

    def first_success_after(self, moment: float) -> float | None:
        done = [o.started for o in self.outcomes if o.started >= moment and o.status in (200, 201)]
        return min(done) if done else None


async def _setup(base: str) -> tuple[list[str], str, list[str]]:
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=20) as http:
        tokens = []
        for n in range(3):
            registered = await http.post(
                "/auth/register",
                json={
                    "email": f"restart{n}@example.com",
                    "password": PASSWORD,
                    "display_name": f"Restart {n}",
                },
            )
            assert registered.status_code == 201, registered.text
            tokens.append(registered.json()["access_token"])
        auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
        community = await http.post(
            "/communities",
            headers=auth[0],
            json={"name": "Restart lab", "purpose": "Writes that survive a database restart."},
        )
        assert community.status_code == 201, community.text
        slug = community.json()["slug"]
        for headers in auth[1:]:
            joined = await http.post(f"/communities/{slug}/members", headers=headers)
            assert joined.status_code == 201, joined.text
        post_ids = []
        for n in range(4):
            created = await http.post(
                f"/communities/{slug}/posts", headers=auth[n % 3], json={"title": f"Seed {n}"}
            )
            assert created.status_code == 201, created.text
            post_ids.append(created.json()["id"])
        return tokens, slug, post_ids


async def _restart_under_load(instance: PrivatePostgres, load: Load) -> list[float]:
    """Stop and start the instance twice while the clients run; returns the recovery times."""
    clients = [asyncio.create_task(load.client(n)) for n in range(CLIENTS)]
    recoveries: list[float] = []
    try:
        await asyncio.sleep(1.0)  # load before the first outage
        for mode in ("fast", "immediate"):
            await asyncio.to_thread(instance.stop, mode)
            await asyncio.sleep(OUTAGE_SECONDS)
            await asyncio.to_thread(instance.start)
            back = time.monotonic()
            while (first := load.first_success_after(back)) is None:
                assert time.monotonic() - back < RECOVERY_LIMIT, (
                    f"no request succeeded within {RECOVERY_LIMIT}s after the {mode} restart"
                )
                await asyncio.sleep(0.05)
            recoveries.append(first - back)
            await asyncio.sleep(1.0)  # load on the recovered server
    finally:
        load.stop.set()
        await asyncio.wait_for(asyncio.gather(*clients), timeout=15)
    return recoveries


async def _stored_ids(dsn: str) -> tuple[set[str], set[str]]:
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        posts = {str(r[0]) for r in await connection.fetch("SELECT id FROM post")}
        comments = {str(r[0]) for r in await connection.fetch("SELECT id FROM comment")}
    finally:
        await connection.close()
    return posts, comments


async def _exercise(
    instance: PrivatePostgres, base: str
) -> tuple[Load, list[float], list[httpx.Response]]:
    tokens, slug, post_ids = await _setup(base)
    load = Load(base, tokens, slug, post_ids)
    recoveries = await _restart_under_load(instance, load)
    # Every pooled connection died with the instance: none may fail a request now, and none may
    # have leaked (30 at once need every slot of the pool).
    async with httpx.AsyncClient(
        base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=10
    ) as http:
        after = await asyncio.gather(
            *(http.get(f"/posts/{post_ids[n % 4]}") for n in range(20)),
            *(http.post(f"/posts/{post_ids[0]}/comments", json={"body": "ok"}) for _ in range(10)),
        )
    return load, recoveries, list(after)


def test_restart_under_load_loses_no_acknowledged_write() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="leaderful-restart-"))
    server_log = ""
    try:
        with private_postgres() as instance:
            # `leaderful migrate`, in this process: a second interpreter costs seconds of imports.
            migrated = CliRunner().invoke(
                cli, ["migrate"], env={"LEADERFUL_DATABASE_URL": instance.url}
            )
            assert migrated.exit_code == 0, migrated.output
            with server_process(instance.url, workdir) as base:
                try:
                    load, recoveries, after = asyncio.run(_exercise(instance, base))
                finally:
                    server_log = (workdir / "server.log").read_text()
                    print(server_log[-6000:])  # shown when the test fails
            posts, comments = asyncio.run(_stored_ids(instance.dsn))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    outcomes = load.outcomes
    print(Counter((o.what, o.status, o.error) for o in outcomes))
    dropped = [o for o in outcomes if o.error is not None]
    assert not dropped, f"requests without an HTTP answer: {dropped[:5]}"
    unavailable = [o for o in outcomes if o.status == 503]
    assert unavailable, "the outage was not seen by any request (did the instance stop?)"
    wrong = [o for o in outcomes if o.status not in (200, 201, 503)]
    assert not wrong, f"answers other than 2xx and 503: {wrong[:5]}"
    for o in unavailable:
        assert o.content_type.startswith(PROBLEM), o
        assert o.retry_after is not None and int(o.retry_after) >= 1, o

    acknowledged_posts = {o.created for o in outcomes if o.what == "post" and o.created}
    acknowledged_comments = {o.created for o in outcomes if o.what == "comment" and o.created}
    assert acknowledged_posts and acknowledged_comments
    assert acknowledged_posts <= posts, acknowledged_posts - posts
    assert acknowledged_comments <= comments, acknowledged_comments - comments

    assert all(r < RECOVERY_LIMIT for r in recoveries), recoveries
    # Nothing escaped as an error: no 500 handler, no failing clean-up after a response.
    assert "Exception in ASGI application" not in server_log
    assert '"level": "error"' not in server_log
    assert [r.status_code for r in after] == [200] * 20 + [201] * 10, [
        (r.status_code, r.text[:200]) for r in after if r.status_code not in (200, 201)
    ]
