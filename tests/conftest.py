"""Test wiring: one migrated database per run (SQLite file or a fresh PostgreSQL database),
one app, and an empty database for every test.

LEADERFUL_TEST_DB=sqlite|postgres chooses the backend (make test runs both).
LEADERFUL_TEST_DATABASE_URL points at the PostgreSQL server to create test databases on.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from api.main import create_app
from api.settings import Settings
from repositories.migrate import upgrade
from repositories.tables import metadata

BACKEND = os.environ.get("LEADERFUL_TEST_DB", "sqlite")
PG_SERVER = os.environ.get(
    "LEADERFUL_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256"


def pytest_report_header() -> str:
    return f"leaderful database backend: {BACKEND}"


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("db") / "leaderful.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url
        return
    if BACKEND != "postgres":
        raise pytest.UsageError(f"unknown LEADERFUL_TEST_DB={BACKEND!r}")
    # No skip: a missing PostgreSQL fails the run loudly.
    with postgres_database("leaderful_test") as url:
        yield url


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database for the duration of the block, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(PG_SERVER, f'CREATE DATABASE "{name}"'))
    url = make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(_pg_admin(PG_SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def make_settings(database_url: str, tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "rate_limit_enabled": False,
        "spa_dir": tmp / "no-spa",
        "uploads_dir": tmp / "uploads",
        "log_level": "WARNING",
        "cors_origins": ["http://localhost:5173"],
        "jobs_interval_seconds": 0,
        # No relay loop: the test client drains the event backbone after each request that
        # committed events (see `client`), so tests see derived notifications at once and
        # nothing runs in the background while statements are counted.
        "events_relay": False,
        "events_retry_base_seconds": 0.01,
        "mail_dir": tmp / "mail",
        "vapid_private_key_file": tmp / "vapid_private_key",
        "mail_retry_base_seconds": 0.01,
        "public_url": "http://leaderful.test",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
async def app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database_url, tmp_path_factory.mktemp("app")))
    async with application.router.lifespan_context(application):
        yield application


def draining(app: FastAPI) -> dict[str, list[Any]]:
    """httpx event hooks that wait, after each response, until the events the request
    committed have been relayed and every consumer has run (the in-process broker)."""

    async def drain(response: httpx.Response) -> None:
        if app.state.events.nudged:
            await app.state.events.drain()
            await app.state.mail.drain()
            await app.state.push.drain()

    return {"response": [drain]}


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver/api/v1", event_hooks=draining(app)
    ) as http:
        yield http


@pytest.fixture(autouse=True)
async def _empty_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test starts from empty tables (committed data, so concurrency tests are real)."""
    yield
    if "app" not in request.fixturenames:
        return
    application: FastAPI = request.getfixturevalue("app")
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    # DELETE beats TRUNCATE for a handful of rows (TRUNCATE pays a fixed cost per table).
    async with application.state.engine.begin() as connection:
        for table in tables:
            await connection.execute(text(f'DELETE FROM "{table}"'))


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(app: FastAPI) -> Iterator[StatementCounter]:
    """Every statement sent to the database (all of them go through SQLAlchemy)."""
    counter = StatementCounter()
    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)
