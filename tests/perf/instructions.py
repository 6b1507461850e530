"""Python instructions per request of one read, counted by callgrind: repeatable where timings
on a shared machine are not (the bench's run-to-run spread is larger than most single changes).

Runs the app in-process (no HTTP server) against an existing database that `leaderful seed`
filled, signs in the first demo person, warms the route up, then switches callgrind's
instrumentation on for exactly `--requests` requests of the chosen read:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \\
        .venv/bin/python -m tests.perf.instructions posts --requests 100

with LEADERFUL_DATABASE_URL pointing at the seeded PostgreSQL database. Divide callgrind's
"Collected" figure by the number of requests. PostgreSQL's own work is not in the count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from httpx import ASGITransport, AsyncClient

from api.seed import DEMO_PASSWORD, DEMO_PEOPLE_EMAILS
from api.settings import Settings
from tests.perf.bench import (
    BIGGEST_COMMUNITY_SQL,
    BUSIEST_THREAD_SQL,
    SEARCH_COMMON_TERM,
    server_env,
)
from tests.perf.floor_app import asyncpg_dsn, create

READS = {
    "row": "/bench/row/{viewer_id}",
    "me": "/api/v1/me",
    "posts": "/api/v1/communities/{slug}/posts?sort=new",
    "top": "/api/v1/communities/{slug}/posts?sort=top",
    "post": "/api/v1/posts/{post_id}",
    "comments": "/api/v1/posts/{post_id}/comments",
    "feed": "/api/v1/feed",
    "search": "/api/v1/search/posts?q=" + SEARCH_COMMON_TERM,
    "skills": "/api/v1/skills",
}


async def _targets(database_url: str) -> dict[str, str]:
    """The community, thread and viewer that `make bench` measures."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        big = await connection.fetchrow(BIGGEST_COMMUNITY_SQL)
        thread = await connection.fetchrow(BUSIEST_THREAD_SQL, big["id"])
        viewer_id = await connection.fetchval(
            "SELECT id FROM user_account WHERE email = $1", DEMO_PEOPLE_EMAILS[0]
        )
    finally:
        await connection.close()
    return {"slug": big["slug"], "post_id": str(thread["id"]), "viewer_id": str(viewer_id)}


def _count_from_here() -> None:
    """Under `valgrind --tool=callgrind --instr-atstart=no`, start counting now; a no-op
    otherwise. Blocking on purpose: nothing may run before the switch has happened."""
    subprocess.run(
        ["callgrind_control", "--instr=on", str(os.getpid())], check=False, capture_output=True
    )


async def run(read: str, requests: int, warmup: int) -> None:
    # The bench server's settings (no rate limit, no access log lines, metrics on), so that
    # both count the same work.
    os.environ.update(server_env(os.environ["LEADERFUL_DATABASE_URL"], pool=2, overflow=0))
    settings = Settings()
    app = create(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://bench") as client:
            form = {"username": DEMO_PEOPLE_EMAILS[0], "password": DEMO_PASSWORD}
            signed_in = await client.post("/api/v1/auth/token", data=form)
            signed_in.raise_for_status()
            headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
            path = READS[read].format(**await _targets(settings.database_url))
            for _ in range(warmup):
                (await client.get(path, headers=headers)).raise_for_status()
            _count_from_here()
            for _ in range(requests):
                (await client.get(path, headers=headers)).raise_for_status()
    print(f"{read}: {requests} requests of {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("read", choices=sorted(READS))
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.read, args.requests, args.warmup))


if __name__ == "__main__":
    main()
