"""Notification fan-out on PostgreSQL: one post in a community whose members all chose
notify_level=all. Measures the POST's latency without and with those members, and the time
from the POST until every member's notification exists.

    .venv/bin/python -m tests.perf.fanout                      # 10,000 members, 9 posts each
    .venv/bin/python -m tests.perf.fanout --members 2000 --posts 5

The app runs in this process (httpx over ASGI, no network), with the event relay as `make run`
has it (nudged after each commit, sweeping every second, consumers on the in-process broker).
The measurement uses only HTTP and SQL, so the same script measures a tree where the request
writes the notifications itself: there the fan-out time is the POST's own. A fresh database
`leaderful_fanout_<random>` is created, migrated and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from api.main import create_app
from api.settings import Settings
from repositories.migrate import upgrade

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct-horse-battery"


async def _admin(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _register(http: httpx.AsyncClient, name: str) -> dict[str, str]:
    n = uuid.uuid4().hex[:8]
    response = await http.post(
        "/auth/register",
        json={"email": f"{n}@bench.example", "password": PASSWORD, "display_name": name},
    )
    response.raise_for_status()
    data = response.json()
    return {"Authorization": f"Bearer {data['access_token']}"}


async def _community(http: httpx.AsyncClient, headers: dict[str, str], name: str) -> str:
    response = await http.post(
        "/communities",
        json={"name": name, "purpose": "Benchmarking how many people hear of a new post."},
        headers=headers,
    )
    response.raise_for_status()
    slug: str = response.json()["slug"]
    return slug


async def _add_members(dsn: str, slug: str, members: int) -> None:
    """`members` people who chose notify_level=all, written in bulk."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            """
            INSERT INTO user_account (id, email, handle, display_name, search_name, role,
                password_hash, is_active, token_version, version, created_at, updated_at)
            SELECT gen_random_uuid(), 'fan' || g || '@bench.example', 'fan' || g,
                'Fan ' || g, 'fan ' || g, 'member', 'x', true, 0, 1, now(), now()
            FROM generate_series(1, $1) AS g
            """,
            members,
        )
        await connection.execute(
            """
            INSERT INTO community_member (community_id, user_id, role, status, notify_level,
                joined_at)
            SELECT c.id, u.id, 'member', 'active', 'all', now()
            FROM community c, user_account u
            WHERE c.slug = $1 AND u.handle LIKE 'fan%'
            """,
            slug,
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _notifications(dsn: str, post_id: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        count: int = await connection.fetchval(
            "SELECT count(*) FROM notification WHERE subject_id = $1 AND kind = 'new_post'",
            uuid.UUID(post_id),
        )
        return count
    finally:
        await connection.close()


async def _post(http: httpx.AsyncClient, headers: dict[str, str], slug: str) -> tuple[str, float]:
    started = time.perf_counter()
    response = await http.post(
        f"/communities/{slug}/posts",
        json={"kind": "discussion", "title": "Who hears of this?", "body": "Everyone."},
        headers=headers,
    )
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return response.json()["id"], elapsed


async def _wait_for(dsn: str, post_id: str, expected: int, started: float) -> float:
    while True:
        if await _notifications(dsn, post_id) >= expected:
            return time.perf_counter() - started
        if time.perf_counter() - started > 300:
            raise TimeoutError(f"fewer than {expected} notifications after 300 s")
        await asyncio.sleep(0.02)


def _ms(values: Sequence[float]) -> str:
    ordered = sorted(values)
    return (
        f"median {statistics.median(ordered) * 1000:7.1f} ms   "
        f"min {ordered[0] * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    name = f"leaderful_fanout_{uuid.uuid4().hex[:8]}"
    await _admin(args.admin_dsn, f'CREATE DATABASE "{name}"')
    dsn = args.admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            database_url=url,
            secret_key="fanout-bench-secret-key-long-enough-for-hs256",
            rate_limit_enabled=False,
            log_level="WARNING",
            jobs_interval_seconds=0,
            spa_dir=Path(tempfile.gettempdir()) / "no-spa",
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://b/api/v1") as http:
                author = await _register(http, "Author")
                quiet = await _community(http, author, "Quiet Guild")
                busy = await _community(http, author, "Busy Guild")
                await _add_members(dsn, busy, args.members)
                for _ in range(2):  # warm up both paths
                    await _post(http, author, quiet)
                    post_id, _ = await _post(http, author, busy)
                    await _wait_for(dsn, post_id, args.members, time.perf_counter())
                quiet_posts, busy_posts, fanouts = [], [], []
                for _ in range(args.posts):
                    _, elapsed = await _post(http, author, quiet)
                    quiet_posts.append(elapsed)
                    started = time.perf_counter()
                    post_id, elapsed = await _post(http, author, busy)
                    busy_posts.append(elapsed)
                    fanouts.append(await _wait_for(dsn, post_id, args.members, started))
    finally:
        await _admin(args.admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"fan-out to {args.members:,} members at notify_level=all, {args.posts} posts each")
    print(f"  POST, community without them : {_ms(quiet_posts)}")
    print(f"  POST, community with them    : {_ms(busy_posts)}")
    print(f"  POST until all notifications : {_ms(fanouts)}")
    return {"quiet": quiet_posts, "busy": busy_posts, "fanout": fanouts}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=9, help="measured posts per path")
    parser.add_argument("--admin-dsn", default=ADMIN_DSN)
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
