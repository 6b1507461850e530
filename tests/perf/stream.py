"""Notification streams under load: N concurrent Server-Sent Events connections on one server
worker (`leaderful serve`, PostgreSQL), then a post that notifies every one of them.

Measures the server's memory per open stream (RSS after the connections, minus RSS before,
divided by N) and, for every round, the time from sending the POST that causes the
notification to its arrival at each client (p50 / p99 / max over all clients and rounds).

    .venv/bin/python -m tests.perf.stream --connections 2000 --rounds 5
    .venv/bin/python -m tests.perf.stream --connections 2000 --redis redis://127.0.0.1:6379/0

The readers are N users copied in SQL from one registered user (registering 2,000 people
through the API would hash 2,000 passwords), members of one community with notify_level
`all`, signed in with access tokens minted with the bench server's key. The clients speak raw
HTTP/1.1 on asyncio streams (an HTTP library's per-connection cost would be measured instead of
the server's). The open-file limit is raised to its hard limit for this process and the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from api.main import build_auth
from api.settings import Settings
from domain.clock import SystemClock
from repositories.migrate import upgrade
from tests.live_helpers import free_port

SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"
LEADERFUL = Path(sys.executable).with_name("leaderful")
PASSWORD = "correct-horse-battery"


@dataclass
class Client:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    arrivals: list[float] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    async def read(self) -> None:
        status = await self.reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        while True:
            line = await self.reader.readline()
            if not line:
                return
            if line.startswith(b"event: notification"):
                self.arrivals.append(time.perf_counter())
            elif line.startswith(b"event: unread_count"):
                self.connected.set()


async def open_client(port: int, token: str) -> Client:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            "GET /api/v1/me/notifications/stream HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
    )
    client = Client(reader, writer)
    client.task = asyncio.create_task(client.read())
    return client


def raise_open_files_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


async def admin(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def seed_readers(dsn: str, template: str, slug: str, count: int) -> list[uuid.UUID]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "INSERT INTO user_account (id, email, handle, display_name, search_name, role, "
            "password_hash, is_active, token_version, version, created_at, updated_at) "
            "SELECT gen_random_uuid(), 'reader' || n || '@bench.example', 'reader-' || n, "
            "'Reader ' || n, 'reader ' || n, role, password_hash, true, 0, 1, now(), now() "
            "FROM user_account, generate_series(1, $2::int) AS n WHERE email = $1 "
            "RETURNING id",
            template,
            count,
        )
        ids = [row["id"] for row in rows]
        await connection.execute(
            "INSERT INTO community_member (community_id, user_id, role, status, notify_level, "
            "joined_at) SELECT c.id, u, 'member', 'active', 'all', now() "
            "FROM community AS c, unnest($2::uuid[]) AS u WHERE c.slug = $1",
            slug,
            ids,
        )
        await connection.execute("ANALYZE")
        return ids
    finally:
        await connection.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    limit = raise_open_files_limit()
    needed = args.connections + 200
    if limit < needed:
        print(f"open-file limit {limit} < {needed}: fewer connections will work", flush=True)
    dsn = args.admin_dsn
    name = args.database
    await admin(dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin(dsn, f'CREATE DATABASE "{name}"')
    db_dsn = dsn.rsplit("/", 1)[0] + f"/{name}"
    url = db_dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    await asyncio.to_thread(upgrade, url)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="leaderful-stream-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LEADERFUL_")},
        "LEADERFUL_DATABASE_URL": url,
        "LEADERFUL_SECRET_KEY": SECRET,
        "LEADERFUL_RATE_LIMIT_ENABLED": "false",
        "LEADERFUL_JOBS_INTERVAL_SECONDS": "0",
        "LEADERFUL_LOG_LEVEL": "WARNING",
        "LEADERFUL_SPA_DIR": str(workdir / "no-spa"),
        "LEADERFUL_SERVER_LIMIT_CONCURRENCY": str(args.connections + 500),
    }
    if args.redis:
        env["LEADERFUL_REDIS_URL"] = args.redis
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: ASYNC220 (started once, before any measurement)
        [str(LEADERFUL), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    clients: list[Client] = []
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((workdir / "server.log").read_text())
                await asyncio.sleep(0.1)
            owner = await register(http, "Bench Owner", "owner@bench.example")
            await register(http, "Bench Reader", "template@bench.example")
            headers = {"Authorization": f"Bearer {owner}"}
            created = await http.post(
                "/communities",
                json={"name": "Bench", "purpose": "Measuring notification streams."},
                headers=headers,
            )
            assert created.status_code == 201, created.text
            slug = created.json()["slug"]
            readers = await seed_readers(db_dsn, "template@bench.example", slug, args.connections)
            settings = Settings(database_url=url, secret_key=SECRET)
            codec = build_auth(settings, SystemClock()).codec
            now = datetime.now(UTC)
            tokens = [codec.issue(r, frozenset({"read", "write"}), 0, now) for r in readers]

            async def post(title: str) -> float:
                started = time.perf_counter()
                response = await http.post(
                    f"/communities/{slug}/posts",
                    json={"kind": "discussion", "title": title, "body": "Hello."},
                    headers=headers,
                )
                assert response.status_code == 201, response.text
                return started

            # Warm up: code paths, pools, a few streams opened and closed.
            warm = [await open_client(port, t) for t in tokens[:20]]
            for client in warm:
                await asyncio.wait_for(client.connected.wait(), 10)
            await post("Warm-up")
            await asyncio.sleep(1)
            for client in warm:
                client.writer.close()
            await asyncio.sleep(2)
            rss_before = rss_kib(server.pid)

            opened_at = time.perf_counter()
            for start in range(0, len(tokens), args.batch):
                batch = [await open_client(port, t) for t in tokens[start : start + args.batch]]
                clients += batch
                try:
                    await asyncio.wait_for(asyncio.gather(*(c.connected.wait() for c in batch)), 30)
                except TimeoutError:
                    print(f"connections stopped answering after {len(clients)}", flush=True)
                    break
            connected = sum(1 for c in clients if c.connected.is_set())
            open_seconds = time.perf_counter() - opened_at
            await asyncio.sleep(2)
            rss_after = rss_kib(server.pid)

            latencies: list[float] = []
            missing = 0
            post_seconds: list[float] = []
            for round_number in range(args.rounds):
                for client in clients:
                    client.arrivals.clear()
                started = await post(f"Round {round_number}")
                post_seconds.append(time.perf_counter() - started)
                waiting_until = time.perf_counter() + 10
                while time.perf_counter() < waiting_until:
                    if all(c.arrivals for c in clients if c.connected.is_set()):
                        break
                    await asyncio.sleep(0.01)
                for client in clients:
                    if not client.connected.is_set():
                        continue
                    if client.arrivals:
                        latencies.append(client.arrivals[0] - started)
                    else:
                        missing += 1
                await asyncio.sleep(1)
        result = {
            "connections_wanted": args.connections,
            "connections_open": connected,
            "open_files_limit": limit,
            "seconds_to_open": round(open_seconds, 2),
            "redis": bool(args.redis),
            "rss_before_mib": round(rss_before / 1024, 1),
            "rss_after_mib": round(rss_after / 1024, 1),
            "kib_per_connection": round((rss_after - rss_before) / max(connected, 1), 1),
            "rounds": args.rounds,
            "deliveries": len(latencies),
            "missing": missing,
            "post_ms_p50": round(statistics.median(post_seconds) * 1000, 1),
            "delivery_ms_p50": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
            "delivery_ms_p99": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
            "delivery_ms_max": round(max(latencies) * 1000, 1) if latencies else None,
        }
        server_log = (workdir / "server.log").read_text()
        if server_log.strip():
            print(server_log[-3000:], flush=True)
        return result
    finally:
        for client in clients:
            client.writer.close()
            if client.task is not None:
                client.task.cancel()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
        await admin(dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def register(http: httpx.AsyncClient, name: str, email: str) -> str:
    response = await http.post(
        "/auth/register", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["access_token"]
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100, help="streams opened at once")
    parser.add_argument("--redis", default=None, help="serve with LEADERFUL_REDIS_URL=this")
    parser.add_argument("--database", default="leaderful_bench_stream")
    parser.add_argument("--admin-dsn", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    out = Path("var/bench")
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"stream-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
