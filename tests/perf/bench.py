"""`make bench`: the API on PostgreSQL under wrk, each scenario as a ratio to two floors.

    python -m tests.perf.bench --workers 2 --duration 10 --connections 64 --threads 2

One run: create a fresh database (dropped first if it exists) on the local PostgreSQL, migrate it,
serve `tests.perf.floor_app:create` (the real app plus one raw-asyncpg route) with N uvicorn
workers on a free loopback port, seed what the scenarios need, then for every floor and scenario:
one check request, a short wrk warm-up, and a measured wrk run of fixed duration. Prints
requests/s, p50 and p99 with their ratios to

  (a) the bare floor: `GET /healthz`, {"status":"ok"} through the same middleware stack, and
  (b) the row floor: `GET /bench/row/{id}`, one row by primary key through a raw asyncpg pool,

measured in the same run, and writes everything to var/bench/results-<timestamp>.json. The
`around` column divides by the row floor runs nearest before and after each scenario (the first
and the closing one; with --floor-beside, runs between every two scenarios). The server
is stopped and the database dropped at the end, on errors and on Ctrl-C too. Only loopback
addresses are used; every wrk run is bounded in time. Never part of `make test`.

Adding a scenario: append a `Scenario` to `SCENARIOS` (see tests/perf/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped, unused-ignore]
import httpx

from repositories.migrate import upgrade

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "var" / "bench"
SERVER_APP = "tests.perf.floor_app:create"
RESULT_MARK = "LEADERFUL_BENCH "
LOOPBACK = "127.0.0.1"

SetupHook = Callable[["BenchContext"], Awaitable[None]]


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One request shape that wrk repeats.

    `path`, header values and `body` are `string.Template`s (`$name`) filled from
    `BenchContext.values`, which setup hooks fill in. A hook runs once per run however many
    scenarios name it, before the first of them. Before wrk starts, the request is sent once and
    must answer `expect_status`; every non-2xx/3xx answer under load counts as an error.
    """

    name: str
    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    setup: SetupHook | None = None
    expect_status: int = 200
    connections: int | None = None  # overrides --connections (CPU-bound routes queue otherwise)
    note: str = ""


@dataclass(frozen=True)
class Dataset:
    """How much demo data `seed_dataset` generates (`leaderful seed` sizes)."""

    users: int = 20_000
    communities: int = 10_000
    posts: int = 10_000
    seed: int = 1


@dataclass
class BenchContext:
    """What setup hooks get: the running server, the bench database, and the template values.

    A hook that finds a scenario impossible (a route that does not exist yet) puts the scenario's
    name and the reason into `skipped`; `info` goes into the results file.
    """

    base_url: str
    http: httpx.AsyncClient
    db: Any  # asyncpg.Pool on the bench database, for hooks that seed rows directly
    values: dict[str, str] = field(default_factory=dict)
    database_url: str = ""  # SQLAlchemy URL of the bench database
    dataset: Dataset = field(default_factory=Dataset)
    skipped: dict[str, str] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)


BENCH_EMAIL = "bench.user@example.com"
BENCH_PASSWORD = "Bench-run passphrase 7481!"  # a throwaway database's user


async def seed_user(ctx: BenchContext) -> None:
    """One registered member: $user_id, $access_token, $email, $password, $login_form."""
    if "user_id" in ctx.values:  # other hooks may call it first
        return
    response = await ctx.http.post(
        "/api/v1/auth/register",
        json={"email": BENCH_EMAIL, "password": BENCH_PASSWORD, "display_name": "Bench User"},
    )
    if response.status_code != 201:
        raise BenchError(f"registering the bench user: {response.status_code} {response.text}")
    data = response.json()
    ctx.values.update(
        user_id=str(data["user"]["id"]),
        access_token=str(data["access_token"]),
        email=BENCH_EMAIL,
        password=BENCH_PASSWORD,
        login_form=urlencode(
            {"username": BENCH_EMAIL, "password": BENCH_PASSWORD, "grant_type": "password"}
        ),
    )


BEARER = {"Authorization": "Bearer $access_token"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# The two floors every scenario is compared with; they run first.
FLOOR_BARE = Scenario(
    "floor: bare /healthz",
    "GET",
    "/healthz",
    note="{'status':'ok'} through the full middleware stack",
)
FLOOR_ROW = Scenario(
    "floor: asyncpg row",
    "GET",
    "/bench/row/$user_id",
    setup=seed_user,
    note="one user_account row by primary key through a raw asyncpg pool",
)
FLOORS = (FLOOR_BARE, FLOOR_ROW)
# The row floor once more after the scenarios. On a shared machine the speed can change during a
# run, and a ratio to a floor measured at another speed says little: the drift is reported.
FLOOR_ROW_AGAIN = replace(
    FLOOR_ROW,
    name="floor: asyncpg row, again",
    note="the row floor after every scenario: how far the machine's speed moved during the run",
)
# With --floor-beside, the row floor also runs between every two scenarios: each scenario is then
# bracketed by floor runs a few seconds before and after it.
FLOOR_ROW_BESIDE = replace(
    FLOOR_ROW,
    name="floor: asyncpg row, beside",
    note="the row floor between two scenarios (--floor-beside)",
)
ROW_FLOOR_NAMES = frozenset({FLOOR_ROW.name, FLOOR_ROW_BESIDE.name, FLOOR_ROW_AGAIN.name})
FLOOR_DRIFT_WARNING = 0.10

SEARCH_COMMON_TERM = "team"  # in most generated bodies (see repositories/seed/corpus.py)
SEARCH_ABSENT_TERM = "zyxwvutsrqp"
# A word the generator never writes: the bench adds RARE_POSTS posts with it, so that the rare
# term matches as many posts at 10,000 posts as at 1,000,000 and their latencies compare.
SEARCH_RARE_TERM = "pangolin"
RARE_POSTS = 5
SEARCH_SCENARIOS = (
    "search: rare term",
    "search: uncommon term",
    "search: common term",
    "search: absent term",
)
RARE_COMMUNITY = {
    "name": "Bench field notes",
    "slug": "bench-field-notes",
    "purpose": "Posts the bench writes so that a rare search term matches the same few posts.",
}


# What the dataset scenarios read: the public community with the most posts, and in it the post
# with the most comments (tests/perf/instructions.py picks the same ones).
BIGGEST_COMMUNITY_SQL = (
    "SELECT id, slug, post_count, member_count FROM community"
    " WHERE visibility = 'public' AND archived_at IS NULL"
    " ORDER BY post_count DESC, slug LIMIT 1"
)
BUSIEST_THREAD_SQL = (
    "SELECT id, comment_count FROM post WHERE community_id = $1 AND deleted_at IS NULL"
    " ORDER BY comment_count DESC, id LIMIT 1"
)


async def write_rare_posts(ctx: BenchContext) -> None:
    """RARE_POSTS posts with SEARCH_RARE_TERM, by the bench user in a public community of its own
    (no demo person belongs to it, so no posts page or feed measured here shows them)."""
    bench_user = {"Authorization": f"Bearer {ctx.values['access_token']}"}
    created = await ctx.http.post("/api/v1/communities", json=RARE_COMMUNITY, headers=bench_user)
    if created.status_code != 201:
        raise BenchError(f"creating the rare-term community: {created.status_code} {created.text}")
    for n in range(1, RARE_POSTS + 1):
        written = await ctx.http.post(
            f"/api/v1/communities/{RARE_COMMUNITY['slug']}/posts",
            json={
                "title": f"Field notes {n}: what the {SEARCH_RARE_TERM} pilot taught us",
                "body": f"Our {SEARCH_RARE_TERM} pilot, week {n}: what worked and what did not.",
            },
            headers=bench_user,
        )
        if written.status_code != 201:
            raise BenchError(f"writing a rare-term post: {written.status_code} {written.text}")


async def seed_dataset(ctx: BenchContext) -> None:
    """The demo world of `leaderful seed` at `ctx.dataset` size, then what the scenarios need.

    $viewer_token: a demo person (an ordinary member of many communities, with learning goals);
    $big_slug: the public community with the most posts; $thread_id: its most commented post;
    $expert_skill: the skill whose holder count is nearest 5,000; $rare_term: SEARCH_RARE_TERM,
    in the RARE_POSTS posts the bench user writes here (through the API) in a public community
    of its own, so that no measured page or feed shows them;
    $uncommon_term: a one-word skill name tagged on the fewest posts (more posts as the data
    grows). Search scenarios are skipped when the route is missing.
    """
    if "viewer_token" in ctx.values:
        return
    await seed_user(ctx)  # first: the bench user is the admin, the viewer an ordinary member
    from api.seed import DEMO_PASSWORD, DEMO_PEOPLE_EMAILS, seed_demo
    from api.settings import Settings

    size = ctx.dataset
    progress(
        f"seeding {size.users:,} people, {size.communities:,} communities, {size.posts:,} posts"
    )
    started = time.perf_counter()
    report = await seed_demo(
        Settings(database_url=ctx.database_url),
        users=size.users,
        communities=size.communities,
        posts=size.posts,
        seed=size.seed,
        progress=lambda message: progress(f"  seed: {message}"),
    )
    seconds = time.perf_counter() - started
    progress(f"seeded {sum(report.rows.values()):,} rows in {seconds:.1f} s")
    await write_rare_posts(ctx)
    async with ctx.db.acquire() as db:
        await db.execute("CHECKPOINT")  # flush the load now, not during the measurements
        big = await db.fetchrow(BIGGEST_COMMUNITY_SQL)
        thread = await db.fetchrow(BUSIEST_THREAD_SQL, big["id"])
        expert = await db.fetchrow(
            "SELECT slug, holder_count FROM skill ORDER BY abs(holder_count - 5000), slug LIMIT 1"
        )
        mentors = await db.fetchval(
            "SELECT count(*) FROM mentor_profile mp JOIN user_skill us ON us.user_id = mp.user_id"
            " JOIN skill s ON s.id = us.skill_id WHERE s.slug = $1 AND mp.accepting_mentees",
            expert["slug"],
        )
        uncommon = await db.fetchrow(
            "SELECT s.name, count(*) AS posts FROM post_tag pt JOIN skill s ON s.id = pt.skill_id"
            " WHERE s.name ~ '^[A-Za-z]{5,}$' GROUP BY s.name ORDER BY count(*), s.name LIMIT 1"
        )
        matches = {}
        for term in (SEARCH_RARE_TERM, uncommon["name"], SEARCH_COMMON_TERM):
            matches[term] = await db.fetchval(
                "SELECT count(*) FROM post"
                " WHERE search_vector @@ websearch_to_tsquery('english', $1)",
                term,
            )
    email = DEMO_PEOPLE_EMAILS[0]
    response = await ctx.http.post(
        "/api/v1/auth/token",
        data={"username": email, "password": DEMO_PASSWORD, "grant_type": "password"},
    )
    if response.status_code != 200:
        raise BenchError(f"signing in the demo viewer: {response.status_code} {response.text}")
    ctx.values.update(
        viewer_token=str(response.json()["access_token"]),
        big_slug=str(big["slug"]),
        thread_id=str(thread["id"]),
        expert_skill=str(expert["slug"]),
        rare_term=SEARCH_RARE_TERM,
        uncommon_term=str(uncommon["name"]).lower(),
        common_term=SEARCH_COMMON_TERM,
        absent_term=SEARCH_ABSENT_TERM,
    )
    probe = await ctx.http.get(
        "/api/v1/search/posts",
        params={"q": SEARCH_COMMON_TERM},
        headers={"Authorization": f"Bearer {ctx.values['viewer_token']}"},
    )
    if probe.status_code != 200:
        for name in SEARCH_SCENARIOS:
            ctx.skipped[name] = f"GET /api/v1/search/posts answered {probe.status_code}"
    ctx.info["dataset"] = {
        "requested": {
            "users": size.users,
            "communities": size.communities,
            "posts": size.posts,
            "seed": size.seed,
        },
        "rows": report.rows,
        "seed_seconds": round(seconds, 1),
        "seed_phases": report.phases,
        "viewer": email,
        "big_community": {
            "slug": big["slug"],
            "posts": big["post_count"],
            "members": big["member_count"],
        },
        "thread": {"id": str(thread["id"]), "comments": thread["comment_count"]},
        "expert_skill": {
            "slug": expert["slug"],
            "holders": expert["holder_count"],
            "accepting_mentors": mentors,
        },
        "search_terms": {
            "rare": {"term": SEARCH_RARE_TERM, "posts": matches[SEARCH_RARE_TERM]},
            "uncommon": {"term": ctx.values["uncommon_term"], "posts": matches[uncommon["name"]]},
            "common": {"term": SEARCH_COMMON_TERM, "posts": matches[SEARCH_COMMON_TERM]},
            "absent": {"term": SEARCH_ABSENT_TERM, "posts": 0},
        },
    }


async def seed_insights(ctx: BenchContext) -> None:
    """The dataset, then one run of the scheduled skill-insights refresh (timed: it is what keeps
    GET /insights/skills a read of rollups; its duration bounds how often it can run)."""
    await seed_dataset(ctx)
    if "insights_refreshed" in ctx.values:
        return
    from domain.clock import SystemClock
    from domain.skill_insights.service import refresh_skill_insights
    from repositories.db import create_engine, create_session_factory
    from repositories.unit_of_work import SqlUnitOfWork

    engine = create_engine(ctx.database_url)
    try:
        started = time.perf_counter()
        async with SqlUnitOfWork(create_session_factory(engine)) as uow:
            rollups = await refresh_skill_insights(uow, SystemClock())
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    progress(f"skill insights: {rollups:,} rollups refreshed in {seconds:.1f} s")
    ctx.info["skill_insights"] = {"rollups": rollups, "refresh_seconds": round(seconds, 2)}
    ctx.values["insights_refreshed"] = "1"


async def seed_health(ctx: BenchContext) -> None:
    """The dataset, then the health rollups of the last HEALTH_WEEKS weeks (what the scheduled
    job builds up over its first runs; timed per week), and $ledger_handle: the person with the
    most leadership acts, whose ledger and quarterly summary the ledger scenarios read."""
    await seed_dataset(ctx)
    if "ledger_handle" in ctx.values:
        return
    from domain.clock import SystemClock
    from domain.insights.model import WEEK, week_start
    from domain.insights.service import refresh_week
    from repositories.db import create_engine, create_session_factory
    from repositories.unit_of_work import SqlUnitOfWork

    engine = create_engine(ctx.database_url)
    try:
        now = SystemClock().now()
        started = time.perf_counter()
        for back in range(HEALTH_WEEKS):
            async with SqlUnitOfWork(create_session_factory(engine)) as uow:
                await refresh_week(uow, now, week_start(now) - back * WEEK)
                await uow.commit()
        seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    progress(f"health: {HEALTH_WEEKS} weeks of rollups in {seconds:.1f} s")
    async with ctx.db.acquire() as db:
        person = await db.fetchrow(
            "SELECT u.handle, count(*) AS acts FROM leadership_act a"
            " JOIN user_account u ON u.id = a.person_id"
            " GROUP BY u.handle ORDER BY count(*) DESC, u.handle LIMIT 1"
        )
    ctx.values["ledger_handle"] = str(person["handle"])
    ctx.info["health"] = {
        "weeks": HEALTH_WEEKS,
        "refresh_seconds": round(seconds, 2),
        "seconds_per_week": round(seconds / HEALTH_WEEKS, 2),
        "ledger_person": {"handle": person["handle"], "acts": person["acts"]},
    }


HEALTH_WEEKS = 26


VIEWER = {"Authorization": "Bearer $viewer_token"}


def dataset_scenario(name: str, path: str, note: str) -> Scenario:
    return Scenario(name, "GET", path, headers=VIEWER, setup=seed_dataset, note=note)


SCENARIOS: list[Scenario] = [
    Scenario("GET /api/v1/me", "GET", "/api/v1/me", headers=BEARER, setup=seed_user),
    Scenario(
        "POST /api/v1/auth/token",
        "POST",
        "/api/v1/auth/token",
        headers=FORM,
        body="$login_form",
        setup=seed_user,
        connections=8,
        note="argon2id (t=3, 19 MiB) verify per request: CPU/memory bound by design;"
        " 8 connections already saturate it, 64 would only queue",
    ),
    dataset_scenario(
        "communities sort=active",
        "/api/v1/communities?sort=active&limit=20",
        "first page of the community list (20), as an ordinary member",
    ),
    dataset_scenario(
        "community by slug",
        "/api/v1/communities/$big_slug",
        "one community with the viewer's membership",
    ),
    dataset_scenario(
        "posts sort=new (biggest)",
        "/api/v1/communities/$big_slug/posts?sort=new&limit=20",
        "20 newest posts of the community with the most posts",
    ),
    dataset_scenario(
        "posts sort=top (biggest)",
        "/api/v1/communities/$big_slug/posts?sort=top&limit=20",
        "20 highest-scored posts of the community with the most posts",
    ),
    dataset_scenario("post by id", "/api/v1/posts/$thread_id", "the most commented post"),
    dataset_scenario(
        "post comments page 1",
        "/api/v1/posts/$thread_id/comments",
        "first page (20) of the most commented post's thread",
    ),
    dataset_scenario("feed", "/api/v1/feed", "the viewer's communities + learning-goal tags"),
    dataset_scenario(
        "skill experts (~5k holders)",
        "/api/v1/skills/$expert_skill/experts",
        "first page of experts of the skill whose holder count is nearest 5,000",
    ),
    dataset_scenario(
        "mentors for a skill (~5k holders)",
        "/api/v1/mentors?skill=$expert_skill",
        "recommendations (expertise, level gap, capacity, time zones, shared communities)"
        " for the skill whose holder count is nearest 5,000",
    ),
    dataset_scenario("skills list", "/api/v1/skills", "first page of the plain skill list"),
    # Single-client latency (one connection): the insights target is p95 < 100 ms at 1M posts.
    Scenario(
        "skill insights org, 1 client",
        "GET",
        "/api/v1/insights/skills?sort=gap&limit=25",
        headers=BEARER,
        setup=seed_insights,
        connections=1,
        note="the organisation's skills by gap (administrator), read from the rollups",
    ),
    Scenario(
        "skill insights risk, 1 client",
        "GET",
        "/api/v1/insights/skills?community=$big_slug&sort=risk&limit=25",
        headers=VIEWER,
        setup=seed_insights,
        connections=1,
        note="the biggest public community's skills by bus factor, as a member sees them",
    ),
    Scenario(
        "insights health org, 1 client",
        "GET",
        "/api/v1/insights/health?weeks=26",
        headers=BEARER,
        setup=seed_health,
        connections=1,
        note="the organisation's 26 weekly rollups and its communities ranked (administrator)",
    ),
    Scenario(
        "community health 26 weeks, 1 client",
        "GET",
        "/api/v1/communities/$big_slug/health?weeks=26",
        headers=VIEWER,
        setup=seed_health,
        connections=1,
        note="the biggest public community's weekly series, as a member sees it",
    ),
    Scenario(
        "ledger page, 1 client",
        "GET",
        "/api/v1/users/$ledger_handle/ledger",
        headers=VIEWER,
        setup=seed_health,
        connections=1,
        note="first page (20) of the ledger of the person with the most acts, seen by another",
    ),
    Scenario(
        "ledger summary, 1 client",
        "GET",
        "/api/v1/users/$ledger_handle/ledger/summary",
        headers=VIEWER,
        setup=seed_health,
        connections=1,
        note="that person's acts by quarter and kind, seen by another",
    ),
    dataset_scenario(
        SEARCH_SCENARIOS[0],
        "/api/v1/search/posts?q=$rare_term",
        f"'{SEARCH_RARE_TERM}': in the {RARE_POSTS} posts the bench adds, at any size",
    ),
    dataset_scenario(
        SEARCH_SCENARIOS[1],
        "/api/v1/search/posts?q=$uncommon_term",
        "a one-word skill name tagged on the fewest posts (more as the data grows)",
    ),
    dataset_scenario(
        SEARCH_SCENARIOS[2],
        "/api/v1/search/posts?q=$common_term",
        f"'{SEARCH_COMMON_TERM}': in most posts",
    ),
    dataset_scenario(
        SEARCH_SCENARIOS[3],
        "/api/v1/search/posts?q=$absent_term",
        "a term no post contains",
    ),
]


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------


class BenchError(Exception):
    """A step of the run failed; the message says which."""


@dataclass
class Measurement:
    name: str
    method: str
    path: str
    note: str
    connections: int
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: dict[str, int]
    p95_ms: float | None = None  # None in results files written before it was measured

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def ratios(self, floor: Measurement) -> dict[str, float | None]:
        """req/s and latency, each scenario / floor (req/s < 1 and latency > 1 mean slower)."""
        return {
            "rps": _ratio(self.rps, floor.rps),
            "p50": _ratio(self.p50_ms, floor.p50_ms),
            "p99": _ratio(self.p99_ms, floor.p99_ms),
        }

    def as_json(
        self, floors: Mapping[str, Measurement], around: Measurement | None = None
    ) -> dict[str, Any]:
        ratios = {key: self.ratios(floor) for key, floor in floors.items()}
        if around is not None:
            ratios["row_around"] = self.ratios(around)
        return {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "note": self.note,
            "connections": self.connections,
            "requests": self.requests,
            "duration_s": round(self.duration_s, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 3),
            "p90_ms": round(self.p90_ms, 3),
            "p95_ms": None if self.p95_ms is None else round(self.p95_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "max_ms": round(self.max_ms, 3),
            "mean_ms": round(self.mean_ms, 3),
            "errors": self.errors,
            "ratios": ratios,
        }


def _ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 4) if floor > 0 else None


# wrk's `done` callback prints one JSON line; latencies are in microseconds.
LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n%s{"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,' ..
    '"p50_us":%.0f,"p90_us":%.0f,"p95_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"mean_us":%.1f,' ..
    '"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f}\n',
    "MARK", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_string(value: str) -> str:
    """A Lua string literal; anything but plain printable ASCII becomes a 3-digit escape."""
    parts = []
    for byte in value.encode():
        char = chr(byte)
        parts.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    return '"' + "".join(parts) + '"'


@dataclass(frozen=True)
class Request:
    """A scenario with its templates filled in."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None

    def lua(self) -> str:
        lines = [f"wrk.method = {lua_string(self.method)}", f"wrk.path = {lua_string(self.path)}"]
        for name, value in self.headers.items():
            lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
        if self.body is not None:
            lines.append(f"wrk.body = {lua_string(self.body)}")
        return "\n".join(lines) + "\n" + LUA_DONE.replace("MARK", RESULT_MARK)


def render(scenario: Scenario, values: Mapping[str, str]) -> Request:
    def fill(template: str) -> str:
        try:
            return string.Template(template).substitute(values)
        except KeyError as missing:
            raise BenchError(
                f"{scenario.name}: no value for ${missing.args[0]}; does its setup hook set it?"
            ) from None

    return Request(
        method=scenario.method.upper(),
        path=fill(scenario.path),
        headers={name: fill(value) for name, value in scenario.headers.items()},
        body=None if scenario.body is None else fill(scenario.body),
    )


@dataclass(frozen=True)
class WrkOptions:
    duration: int
    warmup: int
    connections: int
    threads: int
    timeout: int


async def run_wrk(
    base_url: str, request: Request, seconds: int, options: WrkOptions, workdir: Path
) -> dict[str, float]:
    script = workdir / "scenario.lua"
    script.write_text(request.lua())
    command = [
        "wrk",
        f"--threads={options.threads}",
        f"--connections={options.connections}",
        f"--duration={seconds}s",
        f"--timeout={options.timeout}s",
        f"--script={script}",
        base_url + request.path,
    ]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # wrk stops itself after `seconds`; the margin only guards against a hung process.
        output, _ = await asyncio.wait_for(
            process.communicate(), timeout=seconds + options.timeout + 30
        )
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    text = output.decode(errors="replace")
    for line in text.splitlines():
        if line.startswith(RESULT_MARK):
            parsed: dict[str, float] = json.loads(line[len(RESULT_MARK) :])
            return parsed
    raise BenchError(f"wrk exited {process.returncode} without a result:\n{text}")


def measurement(
    scenario: Scenario, request: Request, connections: int, raw: Mapping[str, float]
) -> Measurement:
    duration_s = raw["duration_us"] / 1e6
    return Measurement(
        name=scenario.name,
        method=request.method,
        path=scenario.path,
        note=scenario.note,
        connections=connections,
        requests=int(raw["requests"]),
        duration_s=duration_s,
        rps=raw["requests"] / duration_s if duration_s > 0 else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000,
        errors={key: int(raw[key]) for key in ("connect", "read", "write", "status", "timeout")},
    )


# --------------------------------------------------------------------------------------------
# Database and server
# --------------------------------------------------------------------------------------------


def require_loopback(dsn: str) -> None:
    host = urlsplit(dsn).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise BenchError(f"--admin-dsn must point at a loopback address, not {host!r}")


def database_dsn(admin_dsn: str, database: str) -> str:
    parts = urlsplit(admin_dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def recreate_database(admin_dsn: str, database: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {quote_ident(database)} WITH (FORCE)")
        await connection.execute(f"CREATE DATABASE {quote_ident(database)}")
    finally:
        await connection.close()


async def drop_database(admin_dsn: str, database: str) -> None:
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {quote_ident(database)} WITH (FORCE)")
    finally:
        await connection.close()


async def check_connection_budget(admin_dsn: str, workers: int, pool: int, overflow: int) -> str:
    """Workers x (SQLAlchemy pool + overflow + asyncpg floor pool) must fit in max_connections."""
    connection = await asyncpg.connect(admin_dsn)
    try:
        max_connections = int(await connection.fetchval("SHOW max_connections"))
        reserved = int(await connection.fetchval("SHOW superuser_reserved_connections"))
        in_use = int(await connection.fetchval("SELECT count(*) FROM pg_stat_activity"))
        version = str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()
    needed = workers * (pool + overflow + pool) + 2
    available = max_connections - reserved - in_use
    if needed > available:
        raise BenchError(
            f"{workers} workers x ({pool} pool + {overflow} overflow + {pool} asyncpg floor pool)"
            f" + 2 = {needed} connections, but PostgreSQL has {available} free"
            f" (max_connections {max_connections}); lower --workers or --db-pool-size"
        )
    return version


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, pool: int, overflow: int) -> dict[str, str]:
    # Inherited LEADERFUL_* variables would make runs incomparable: drop them, set our own.
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEADERFUL_")}
    env.update(
        LEADERFUL_DATABASE_URL=database_url,
        LEADERFUL_SECRET_KEY=secrets.token_urlsafe(48),
        LEADERFUL_RATE_LIMIT_ENABLED="false",
        LEADERFUL_LOG_LEVEL="WARNING",
        LEADERFUL_METRICS_ENABLED="true",
        # /metrics is served only with this token (an unset one hides it).
        LEADERFUL_METRICS_TOKEN=secrets.token_urlsafe(32),
        LEADERFUL_CORS_ORIGINS="",
        LEADERFUL_ACCESS_TOKEN_MINUTES=str(24 * 60),
        LEADERFUL_DB_POOL_SIZE=str(pool),
        LEADERFUL_DB_MAX_OVERFLOW=str(overflow),
        LEADERFUL_ENVIRONMENT="bench",
        LEADERFUL_JOBS_INTERVAL_SECONDS="0",  # no periodic jobs: only the measured requests run
    )
    return env


@contextlib.asynccontextmanager
async def serve(
    workers: int, database_url: str, pool: int, overflow: int, log_path: Path
) -> AsyncIterator[str]:
    """The floor app under uvicorn on a free loopback port; yields its base URL once ready."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        SERVER_APP,
        "--factory",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--proxy-headers",
    ]
    log = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=REPO,
        env=server_env(database_url, pool, overflow),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,  # its own process group: Ctrl-C reaches only us; we stop it
    )
    base_url = f"http://{LOOPBACK}:{port}"
    try:
        await wait_ready(base_url, process, log_path)
        yield base_url
    finally:
        await stop(process)
        log.close()


async def wait_ready(base_url: str, process: asyncio.subprocess.Process, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise BenchError(f"the server exited {process.returncode}:\n{tail(log_path)}")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.25)
    raise BenchError(f"the server was not ready within 60 s:\n{tail(log_path)}")


async def stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM to uvicorn (it stops its workers), then SIGKILL to its own process group."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # leftover workers of this server only
    if process.returncode is None:
        await process.wait()


def tail(path: Path, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


async def timed_request(ctx: BenchContext, scenario: Scenario, request: Request) -> float:
    """One request on a fresh connection (so it may reach any worker); its latency in seconds."""
    started = time.perf_counter()
    response = await ctx.http.request(
        request.method,
        request.path,
        headers={**request.headers, "Connection": "close"},
        content=None if request.body is None else request.body.encode(),
    )
    elapsed = time.perf_counter() - started
    if response.status_code != scenario.expect_status:
        raise BenchError(
            f"{scenario.name}: {request.method} {request.path} answered {response.status_code},"
            f" expected {scenario.expect_status}: {response.text[:500]}"
        )
    return elapsed


async def settle(ctx: BenchContext, scenario: Scenario, request: Request, idle_s: float) -> None:
    """Wait until requests abandoned by the last wrk run are done (uvicorn finishes them).

    Probes until three in a row answer about as fast as on the idle server, for at most
    SETTLE_LIMIT_S, so a slow route's backlog does not leak into the next measurement.
    """
    fast_enough = max(3 * idle_s, idle_s + 0.02)
    deadline = time.monotonic() + SETTLE_LIMIT_S
    in_a_row = 0
    while in_a_row < 3 and time.monotonic() < deadline:
        if await timed_request(ctx, scenario, request) <= fast_enough:
            in_a_row += 1
        else:
            in_a_row = 0
            await asyncio.sleep(0.25)


SETTLE_LIMIT_S = 30


async def measure_all(
    ctx: BenchContext, scenarios: Sequence[Scenario], options: WrkOptions, workdir: Path
) -> list[Measurement]:
    hooks_done: set[int] = set()
    results: list[Measurement] = []
    for scenario in scenarios:
        if scenario.setup is not None and id(scenario.setup) not in hooks_done:
            await scenario.setup(ctx)
            hooks_done.add(id(scenario.setup))
        if scenario.name in ctx.skipped:
            progress(f"{scenario.name}: skipped ({ctx.skipped[scenario.name]})")
            continue
        request = render(scenario, ctx.values)
        # Checks the answer, and gives the idle latency that settle() compares with.
        idle_s = min([await timed_request(ctx, scenario, request) for _ in range(3)])
        run_options = options
        if scenario.connections is not None:
            run_options = replace(
                options,
                connections=scenario.connections,
                threads=min(options.threads, scenario.connections),
            )
        progress(
            f"{scenario.name}: warm-up {options.warmup} s, run {options.duration} s,"
            f" {run_options.connections} connections"
        )
        if options.warmup > 0:
            await run_wrk(ctx.base_url, request, options.warmup, run_options, workdir)
            await settle(ctx, scenario, request, idle_s)
        raw = await run_wrk(ctx.base_url, request, options.duration, run_options, workdir)
        result = measurement(scenario, request, run_options.connections, raw)
        if result.error_count:
            progress(f"  ! {result.name}: errors {result.errors}")
        results.append(result)
        await settle(ctx, scenario, request, idle_s)
    return results


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_order(scenarios: Sequence[Scenario], floor_beside: bool) -> list[Scenario]:
    """The floors, the scenarios and the closing row floor; with `floor_beside`, the row floor
    also between every two scenarios."""
    if not scenarios:
        return [*FLOORS]
    order: list[Scenario] = [*FLOORS]
    for index, scenario in enumerate(scenarios):
        if floor_beside and index > 0:
            order.append(FLOOR_ROW_BESIDE)
        order.append(scenario)
    return [*order, FLOOR_ROW_AGAIN]


def floors_around(results: Sequence[Measurement]) -> list[Measurement | None]:
    """For each scenario, the mean of the nearest row floor runs before and after it (None for
    the floors themselves, and where either is missing). Without --floor-beside these are the
    first and the closing floor run; with it, the runs right beside the scenario, so that a
    change in the machine's speed during the run moves both the scenario and its floor."""
    floors = [index for index, result in enumerate(results) if result.name in ROW_FLOOR_NAMES]
    around: list[Measurement | None] = []
    for index, result in enumerate(results):
        before = [i for i in floors if i < index]
        after = [i for i in floors if i > index]
        if index in floors or result.name == FLOOR_BARE.name or not before or not after:
            around.append(None)
            continue
        first, second = results[before[-1]], results[after[0]]
        around.append(
            replace(
                first,
                name="row floor around",
                rps=(first.rps + second.rps) / 2,
                p50_ms=(first.p50_ms + second.p50_ms) / 2,
                p99_ms=(first.p99_ms + second.p99_ms) / 2,
            )
        )
    return around


def format_table(
    results: Sequence[Measurement],
    bare: Measurement,
    row: Measurement,
    around: Sequence[Measurement | None],
) -> str:
    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}x"

    header = (
        f"{'scenario':<26} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} |"
        f" {'bare: req/s':>11} {'p50':>7} {'p99':>7} |"
        f" {'row: req/s':>10} {'p50':>7} {'p99':>7} | {'around':>7}"
    )
    lines = [header, "-" * len(header)]
    for index, result in enumerate(results):
        vs_bare, vs_row = result.ratios(bare), result.ratios(row)
        floor = around[index]
        vs_around = result.ratios(floor)["rps"] if floor is not None else None
        lines.append(
            f"{result.name:<26.26} {result.connections:>5} {result.rps:>9.1f}"
            f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {result.error_count:>6} |"
            f" {ratio(vs_bare['rps']):>11} {ratio(vs_bare['p50']):>7} {ratio(vs_bare['p99']):>7} |"
            f" {ratio(vs_row['rps']):>10} {ratio(vs_row['p50']):>7} {ratio(vs_row['p99']):>7} |"
            f" {ratio(vs_around):>7}"
        )
    lines.append(
        "ratios are scenario / floor: req/s below 1x and latency above 1x are slower than the floor"
    )
    lines.append(
        "around: req/s / the mean of the row floor runs just before and after the scenario"
    )
    single = [
        f"  {r.name}: p50 {r.p50_ms:.1f}, p95 {r.p95_ms:.1f}, p99 {r.p99_ms:.1f},"
        f" mean {r.mean_ms:.1f} ms ({r.requests} requests)"
        for r in results
        if r.connections == 1 and r.p95_ms is not None
    ]
    if single:
        lines += ["single-client latency (one request at a time):", *single]
    notes = list(dict.fromkeys(f"  {r.name}: {r.note}" for r in results if r.note))
    return "\n".join(lines + (["notes:", *notes] if notes else []))


def speed_change(before: Measurement, after: Measurement) -> float:
    """req/s of `after` relative to `before` (+0.05: 5 % faster)."""
    return round(after.rps / before.rps - 1, 4) if before.rps > 0 else 0.0


def describe_drift(before: Measurement, after: Measurement) -> str:
    drift = speed_change(before, after)
    line = (
        f"row floor: {before.rps:,.0f} req/s before the scenarios, {after.rps:,.0f}"
        f" after them ({drift:+.0%}); the row ratios above use the first, 'around' both"
    )
    if abs(drift) > FLOOR_DRIFT_WARNING:
        line += (
            f"\n  ! the machine's speed moved by more than {FLOOR_DRIFT_WARNING:.0%} during this"
            " run: its row ratios are unreliable; run again, or with --floor-beside"
        )
    return line


def describe_dataset(dataset: Mapping[str, Any]) -> str:
    rows = dataset["rows"]
    big, terms = dataset["big_community"], dataset["search_terms"]
    return "\n".join(
        [
            f"dataset: {rows.get('user_account', 0):,} people, {rows.get('community', 0):,}"
            f" communities, {rows.get('post', 0):,} posts, {rows.get('comment', 0):,} comments,"
            f" {rows.get('reaction', 0):,} reactions; seeded in {dataset['seed_seconds']} s",
            f"  viewer {dataset['viewer']}; biggest community {big['slug']} ({big['posts']:,}"
            f" posts, {big['members']:,} members); thread of {dataset['thread']['comments']}"
            f" comments; experts of {dataset['expert_skill']['slug']}"
            f" ({dataset['expert_skill']['holders']:,} holders,"
            f" {dataset['expert_skill'].get('accepting_mentors', 0):,} accepting mentors)",
            f"  search terms: rare {terms['rare']['term']!r} ({terms['rare']['posts']:,} posts),"
            f" uncommon {terms['uncommon']['term']!r} ({terms['uncommon']['posts']:,} posts),"
            f" common {terms['common']['term']!r} ({terms['common']['posts']:,} posts),"
            f" absent {terms['absent']['term']!r}",
        ]
    )


def compare_with(results: Sequence[Measurement], baseline_path: Path) -> str:
    """Each scenario against the same scenario of an earlier results file (e.g. 1M vs 10k posts):
    latency ratios above 1x and req/s ratios below 1x mean this run is slower. The "/ row floor"
    columns first divide each run's figure by its own row floor, which cancels most of the
    difference in background load between the two runs.

    `mean` is the steadiest latency to compare. wrk's connections are not split evenly between
    the server's workers (36 and 28 of 64, say) and the workers get about the same CPU, so one
    group of connections waits longer than the other and the median can fall in either group:
    the feed, at the same req/s, measured a p50 of 20 ms in one run and 33 ms in the next, with
    means 2 % apart."""
    baseline = json.loads(baseline_path.read_text())
    before = {item["name"]: item for item in baseline["results"]}
    size = (baseline.get("dataset") or {}).get("rows", {}).get("post")
    row_now = next(r for r in results if r.name == FLOOR_ROW.name)
    row_then = before[FLOOR_ROW.name]

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}x"

    def normalised(now: float, floor_now: float, then: float, floor_then: float) -> float | None:
        if not (floor_now and then and floor_then):
            return None
        return round((now / floor_now) / (then / floor_then), 4)

    lines = [
        f"vs baseline {baseline_path.name}" + (f" ({size:,} posts)" if size else ""),
        f"{'scenario':<26} {'req/s':>9} {'p50':>7} {'mean':>7} {'p99':>7} |"
        f" {'/ row floor: req/s':>18} {'p50':>7} {'mean':>7} {'p99':>7}",
    ]
    keys = ("rps", "p50_ms", "mean_ms", "p99_ms")
    for result in results:
        old = before.get(result.name)
        if old is None:
            continue
        plain = [_ratio(getattr(result, key), old[key]) for key in keys]
        floor = [
            normalised(getattr(result, key), getattr(row_now, key), old[key], row_then[key])
            for key in keys
        ]
        lines.append(
            f"{result.name:<26.26} {cell(plain[0]):>9} "
            + " ".join(f"{cell(value):>7}" for value in plain[1:])
            + f" | {cell(floor[0]):>18} "
            + " ".join(f"{cell(value):>7}" for value in floor[1:])
        )
    return "\n".join(lines)


def wrk_version() -> str:
    run = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (run.stdout or run.stderr).splitlines()[0].strip() if (run.stdout or run.stderr) else ""


def git_commit() -> str | None:
    run = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    )
    return run.stdout.strip() or None


def selected(only: Sequence[str]) -> list[Scenario]:
    if not only:
        return list(SCENARIOS)
    chosen = [s for s in SCENARIOS if any(word.lower() in s.name.lower() for word in only)]
    if not chosen:
        raise BenchError(f"no scenario matches {list(only)}; see --list")
    return chosen


async def run(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed (apt-get install -y wrk)")
    require_loopback(args.admin_dsn)
    scenarios = selected(args.only)
    options = WrkOptions(args.duration, args.warmup, args.connections, args.threads, args.timeout)
    pool, overflow = args.db_pool_size, args.db_max_overflow
    postgres = await check_connection_budget(args.admin_dsn, args.workers, pool, overflow)
    order = run_order(scenarios, args.floor_beside)
    count = len(order)
    progress(
        f"{count} runs of {args.warmup} + {args.duration} s, {args.workers} workers,"
        f" {args.connections} connections, {args.threads} wrk threads"
        f" (about {count * (args.warmup + args.duration + 1) + 10} s)"
    )
    started = datetime.now(UTC)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    log_path = RESULTS_DIR / f"server-{stamp}.log"
    bench_dsn = database_dsn(args.admin_dsn, args.database)
    database_url = bench_dsn.replace("postgresql://", "postgresql+asyncpg://", 1)

    progress(f"creating database {args.database}")
    await recreate_database(args.admin_dsn, args.database)
    try:
        await asyncio.to_thread(upgrade, database_url)
        db = await asyncpg.create_pool(bench_dsn, min_size=1, max_size=2)
        try:
            async with (
                serve(args.workers, database_url, pool, overflow, log_path) as base_url,
                httpx.AsyncClient(base_url=base_url, timeout=60) as http,
            ):
                progress(f"serving {SERVER_APP} on {base_url}")
                ctx = BenchContext(
                    base_url=base_url,
                    http=http,
                    db=db,
                    database_url=database_url,
                    dataset=Dataset(args.users, args.communities, args.posts, args.seed),
                )
                if any(scenario.setup is seed_dataset for scenario in scenarios):
                    # Before the floors, so that every figure is measured on the same database.
                    await seed_dataset(ctx)
                with tempfile.TemporaryDirectory(prefix="leaderful-bench-") as workdir:
                    results = await measure_all(ctx, order, options, Path(workdir))
        finally:
            await db.close()
    finally:
        progress(f"dropping database {args.database}")
        await drop_database(args.admin_dsn, args.database)

    bare, row = results[0], results[1]
    around = floors_around(results)
    print(format_table(results, bare, row, around), flush=True)
    again = next((r for r in results if r.name == FLOOR_ROW_AGAIN.name), None)
    if again is not None:
        print(describe_drift(row, again), flush=True)
    for name, reason in ctx.skipped.items():
        print(f"  skipped {name}: {reason}", flush=True)
    if "dataset" in ctx.info:
        print(describe_dataset(ctx.info["dataset"]), flush=True)
    if args.baseline is not None:
        print(compare_with(results, args.baseline), flush=True)
    floors = {"bare": bare, "row": row}
    document = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "config": {
            "workers": args.workers,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "threads": args.threads,
            "timeout_s": args.timeout,
            "db_pool_size": pool,
            "db_max_overflow": overflow,
            "server": f"uvicorn {SERVER_APP} --factory",
        },
        "environment": {
            "git_commit": git_commit(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "postgres": postgres,
            "wrk": wrk_version(),
        },
        "floors": {key: floor.name for key, floor in floors.items()},
        "row_floor_drift": speed_change(row, again) if again is not None else None,
        "dataset": ctx.info.get("dataset"),
        "skipped": ctx.skipped,
        "floor_beside": args.floor_beside,
        "results": [
            result.as_json(floors, floor) for result, floor in zip(results, around, strict=True)
        ],
    }
    output = RESULTS_DIR / f"results-{stamp}.json"
    output.write_text(json.dumps(document, indent=2) + "\n")
    progress(f"wrote {output.relative_to(REPO)}")
    if log_path.stat().st_size == 0:
        log_path.unlink()  # the server said nothing at WARNING; keep only logs with content
    else:
        progress(f"the server logged warnings: {log_path.relative_to(REPO)}")
    return 1 if any(result.error_count for result in results) else 0


def bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.bench",
        description="Benchmark the API on PostgreSQL with wrk, as ratios to two floors.",
    )
    parser.add_argument("--workers", type=bounded(1, 16), default=2, help="uvicorn workers")
    parser.add_argument("--duration", type=bounded(1, 600), default=10, help="seconds per run")
    parser.add_argument("--warmup", type=bounded(0, 60), default=2, help="seconds of warm-up")
    parser.add_argument("--connections", type=bounded(1, 1024), default=64)
    parser.add_argument("--threads", type=bounded(1, 64), default=2, help="wrk threads")
    parser.add_argument("--timeout", type=bounded(1, 60), default=10, help="wrk request timeout")
    parser.add_argument(
        "--db-pool-size",
        type=bounded(1, 50),
        default=None,
        help="connections per worker (default: PostgreSQL's 2 x cores + 1 for the whole server,"
        " split between the workers; the row floor's pool gets the same size)",
    )
    parser.add_argument("--db-max-overflow", type=bounded(0, 50), default=0)
    parser.add_argument(
        "--admin-dsn",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a loopback PostgreSQL that may create and drop --database",
    )
    parser.add_argument("--database", default="leaderful_bench", help="dropped and re-created")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORD",
        help="run only scenarios whose name contains WORD (repeatable; floors always run)",
    )
    parser.add_argument(
        "--posts", type=bounded(0, 10_000_000), default=Dataset.posts, help="dataset: posts"
    )
    parser.add_argument(
        "--users", type=bounded(1, 1_000_000), default=Dataset.users, help="dataset: people"
    )
    parser.add_argument(
        "--communities",
        type=bounded(1, 1_000_000),
        default=Dataset.communities,
        help="dataset: communities",
    )
    parser.add_argument("--seed", type=int, default=Dataset.seed, help="dataset: random seed")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="also compare every scenario with the same scenario of an earlier results file",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="with --baseline: compare two results files and exit (nothing is run)",
    )
    parser.add_argument(
        "--floor-beside",
        action="store_true",
        help="also run the row floor between every two scenarios, for the 'around' ratios"
        " (about twice as long)",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    if args.db_pool_size is None:
        args.db_pool_size = max(1, (2 * (os.cpu_count() or 1) + 1) // args.workers)
    return args


def measurements_from(document: Mapping[str, Any]) -> list[Measurement]:
    fields = [f for f in Measurement.__dataclass_fields__ if f != "ratios"]
    return [
        Measurement(**{k: item[k] for k in fields if k in item}) for item in document["results"]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare is not None:
        if args.baseline is None:
            progress("--compare needs --baseline")
            return 2
        print(compare_with(measurements_from(json.loads(args.compare.read_text())), args.baseline))
        return 0
    if args.list:
        for scenario in [*FLOORS, *SCENARIOS]:
            print(f"{scenario.name:<28} {scenario.method:<6} {scenario.path}")
        return 0

    async def guarded() -> int:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await run(args)

    try:
        return asyncio.run(guarded())
    except BenchError as error:
        progress(f"failed: {error}")
        return 2
    except (KeyboardInterrupt, asyncio.CancelledError):
        progress("interrupted; server stopped and database dropped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
