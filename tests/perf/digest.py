"""Weekly digests on PostgreSQL: N people, each in a few communities with a week of posts,
holding skills with unanswered questions, some stewarding communities with new members and
pending requests. One run of the digest job builds every digest and queues it (a constant
number of statements per batch of people); the mail sender then claims the queued messages a
batch at a time, renders each and hands the batch to a local SMTP server (aiosmtpd, counting
what it receives) over one connection.

    .venv/bin/python -m tests.perf.digest                     # 5,000 then 20,000 people
    .venv/bin/python -m tests.perf.digest --people 20000

For each size a fresh database `leaderful_digest_<random>` is created, migrated, filled in bulk
with SQL and dropped at the end. The job runs in a child process (the app in-process, the
in-memory broker as `make run` has it), so its peak resident memory is its own: with the job
keyset-paging people in bounded batches, the peak should stay flat as the number of people
grows. Prints, per size: digests built, mails received, build and delivery time, peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from api.main import create_app
from api.settings import Settings
from domain.digests.service import send_digests
from repositories.migrate import upgrade
from tests.mail_helpers import free_port

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256"
# Monday 08:30 UTC: within the three hours after 08:00 local (a digest is not sent later) in
# London, Paris, Helsinki and UTC, so every reader's weekly digest is due in this one run.
RUN_AT = datetime(2026, 12, 14, 8, 30, tzinfo=UTC)
ZONES = ["Europe/London", "Europe/Paris", "Europe/Helsinki", None]
SKILLS = 60
POSTS_PER_COMMUNITY = 20


class FixedClock:
    def now(self) -> datetime:
        return RUN_AT


class Counter:
    """An SMTP handler that only counts (and checks each message has an unsubscribe header)."""

    def __init__(self) -> None:
        self.count = 0
        self.unsubscribable = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        with self.lock:
            self.count += 1
            if b"\nList-Unsubscribe-Post: List-Unsubscribe=One-Click" in content:
                self.unsubscribable += 1
        return "250 OK"


SEED = [
    # People: verified, a time zone among four (or none), weekly digests chosen.
    """
    INSERT INTO user_account (id, email, handle, display_name, search_name, role, password_hash,
        is_active, token_version, version, created_at, updated_at, email_verified_at, timezone)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
        'p' || g || '@bench.example', 'p' || g, 'Person ' || g, 'person ' || g, 'member', 'x',
        true, 0, 1, $2::timestamptz - interval '60 days', $2::timestamptz - interval '60 days',
        $2::timestamptz - interval '60 days', ($3::text[])[1 + g % 4]
    FROM generate_series(1, $1::int) AS g
    """,
    """
    INSERT INTO mail_state (user_id, email_digest)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'weekly'
    FROM generate_series(1, $1::int) AS g
    """,
    # One community per hundred people, public, created by person c (its steward).
    """
    INSERT INTO community (id, slug, name, search_name, purpose, description, description_html,
        visibility, join_policy, tags, created_by, created_at, updated_at, last_activity_at,
        member_count, post_count, version)
    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(c), 12, '0'))::uuid, 'c' || c,
        'Community ' || c, 'community ' || c, 'Benchmark digests.', '', '', 'public', 'open',
        '[]', ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid,
        $2::timestamptz - interval '60 days', $2::timestamptz - interval '60 days',
        $2::timestamptz, 0, 0, 1
    FROM generate_series(1, greatest(10, $1::int / 100)) AS c
    """,
    # Each person in three communities; some joined this week; every tenth asks to join one more.
    """
    INSERT INTO community_member (community_id, user_id, role, status, notify_level, joined_at)
    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(1 + (g * k) % m), 12, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'member', 'active',
        'all', $2::timestamptz - (g % 20) * interval '1 day'
    FROM generate_series(1, $1::int) AS g, (VALUES (1), (7), (13)) AS f(k),
        (SELECT greatest(10, $1::int / 100) AS m) AS s
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO community_member (community_id, user_id, role, status, notify_level, joined_at)
    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(1 + (g * 3 + 1) % m), 12, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'member', 'pending',
        'all', $2::timestamptz - interval '2 days'
    FROM generate_series(10, $1::int, 10) AS g, (SELECT greatest(10, $1::int / 100) AS m) AS s
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO community_member (community_id, user_id, role, status, notify_level, joined_at)
    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(c), 12, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, 'steward', 'active',
        'all', $2::timestamptz - interval '60 days'
    FROM generate_series(1, greatest(10, $1::int / 100)) AS c
    ON CONFLICT (community_id, user_id) DO UPDATE SET role = 'steward', status = 'active'
    """,
    """
    INSERT INTO skill (id, slug, name, sort_name, category, holder_count, expert_count,
        teacher_count, learner_count, created_at, updated_at, listed)
    SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(s), 12, '0'))::uuid, 'skill-' || s,
        'Skill ' || s, 'skill ' || s, NULL, 0, 0, 0, 0, $2::timestamptz, $2::timestamptz, true
    FROM generate_series(1, $4::int) AS s
    """,
    """
    INSERT INTO user_skill (user_id, skill_id, level, wants_to_teach, endorsement_count,
        endorsement_points, accepted_answers, helpful_reactions, score, created_at, updated_at)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
        ('00000000-0000-4000-a000-' || lpad(to_hex(1 + (g * k) % $4::int), 12, '0'))::uuid,
        3, false, 0, 0, 0, 0, 0, $2::timestamptz, $2::timestamptz
    FROM generate_series(1, $1::int) AS g, (VALUES (1), (11)) AS f(k)
    ON CONFLICT DO NOTHING
    """,
    # A week of posts in every community; every third one a question still without an answer.
    """
    INSERT INTO post (id, community_id, author_id, kind, title, body, body_html, links, tags,
        created_at, updated_at, last_activity_at, score, like_count, helpful_count,
        insightful_count, comment_count, is_pinned, is_locked, version)
    SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(c * 1000 + i), 12, '0'))::uuid,
        ('00000000-0000-4000-9000-' || lpad(to_hex(c), 12, '0'))::uuid,
        ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid,
        CASE WHEN i % 3 = 0 THEN 'question' ELSE 'discussion' END,
        'Post ' || i || ' in community ' || c, 'Body', '<p>Body</p>', '[]', '[]',
        $2::timestamptz - (i * 7) * interval '1 hour',
        $2::timestamptz - (i * 7) * interval '1 hour',
        $2::timestamptz - (i * 7) * interval '1 hour',
        (c * 31 + i * 17) % 50, 0, 0, 0, CASE WHEN i % 3 = 0 THEN 0 ELSE i % 5 END,
        false, false, 1
    FROM generate_series(1, greatest(10, $1::int / 100)) AS c,
        generate_series(1, $5::int) AS i
    """,
    """
    INSERT INTO post_tag (post_id, skill_id)
    SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(c * 1000 + i), 12, '0'))::uuid,
        ('00000000-0000-4000-a000-' || lpad(to_hex(1 + (c + i) % $4::int), 12, '0'))::uuid
    FROM generate_series(1, greatest(10, $1::int / 100)) AS c,
        generate_series(3, $5::int, 3) AS i
    """,
    "ANALYZE",
]


async def seed(dsn: str, people: int) -> None:
    """Fill the database in bulk (our own numbers and constants, written into the SQL)."""
    zones = "ARRAY[" + ", ".join(f"'{z}'" if z else "NULL" for z in ZONES) + "]::text[]"
    values = {
        "$1::int": str(people),
        "$2::timestamptz": f"'{RUN_AT.isoformat()}'::timestamptz",
        "$3::text[]": zones,
        "$4::int": str(SKILLS),
        "$5::int": str(POSTS_PER_COMMUNITY),
    }
    connection = await asyncpg.connect(dsn)
    try:
        for statement in SEED:
            for placeholder, value in values.items():
                statement = statement.replace(placeholder, value)
            await connection.execute(statement)
    finally:
        await connection.close()


async def child(database_url: str, smtp_url: str, deliver: bool = True) -> dict[str, Any]:
    """The measured part: one run of the digest job, then (unless `deliver` is false) the
    delivery of what it queued."""
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET,
        smtp_url=smtp_url,
        public_url="https://leaderful.example.com",
        jobs_interval_seconds=0,
        events_relay=False,
        rate_limit_enabled=False,
        log_level="WARNING",
        spa_dir=Path(tempfile.gettempdir()) / "no-spa",
        mail_dir=Path(tempfile.gettempdir()) / "bench-mail",
    )
    clock = FixedClock()
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        started = time.perf_counter()
        async with app.state.events.uow_factory() as uow:
            built = await send_digests(uow, clock, app.state.unsubscribe_tokens)
        queued_at = time.perf_counter()
        if deliver:
            await app.state.events.drain()
            await app.state.mail.drain()
        done = time.perf_counter()
    return {
        "digests": built,
        "build_seconds": round(queued_at - started, 1),
        "delivery_seconds": round(done - queued_at, 1),
        "total_seconds": round(done - started, 1),
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def measure(people: int, deliver: bool = True) -> dict[str, Any]:
    name = f"leaderful_digest_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}")
    database_url = url.render_as_string(hide_password=False)
    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    try:
        upgrade(database_url)
        seeding = time.perf_counter()
        asyncio.run(seed(f"postgresql://postgres@127.0.0.1:5432/{name}", people))
        seeded = round(time.perf_counter() - seeding, 1)
        controller.start()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.perf.digest",
                "--child",
                database_url,
                f"smtp://127.0.0.1:{port}?starttls=false",
                *([] if deliver else ["--build-only"]),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
        result.update(
            people=people,
            seed_seconds=seeded,
            received=counter.count,
            with_one_click_unsubscribe=counter.unsubscribable,
        )
        return result
    finally:
        controller.stop(no_assert=True)
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--child", nargs=2, metavar=("DATABASE_URL", "SMTP_URL"))
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="run the digest job (build and queue every digest) but deliver none",
    )
    args = parser.parse_args(argv)
    if args.child:
        database_url, smtp_url = args.child
        print(json.dumps(asyncio.run(child(database_url, smtp_url, deliver=not args.build_only))))
        return 0
    results: list[dict[str, Any]] = []
    for n in args.people:
        results.append(measure(n, deliver=not args.build_only))
        print(json.dumps(results[-1]), flush=True)  # each size as soon as it is measured
    print(
        f"{'people':>8} {'digests':>8} {'received':>8} {'build s':>8} {'deliver s':>9} "
        f"{'total s':>8} {'peak RSS MB':>11}"
    )
    for r in results:
        print(
            f"{r['people']:>8} {r['digests']:>8} {r['received']:>8} {r['build_seconds']:>8} "
            f"{r['delivery_seconds']:>9} {r['total_seconds']:>8} {r['peak_rss_mb']:>11}"
        )
    print(json.dumps(results))
    if args.build_only:
        return 0 if all(r["digests"] == r["people"] for r in results) else 1
    ok = all(r["received"] == r["digests"] == r["with_one_click_unsubscribe"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
