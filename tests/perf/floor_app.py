"""The benchmark server: the real app plus one route that is the driver's floor.

`create()` builds the app with `api.main.create_app` (so every route, and the whole middleware
stack, is the production one) and adds `GET /bench/row/{row_id}`: one `user_account` row by
primary key through a raw asyncpg pool opened in the app's lifespan, answered as a small declared
pydantic model. Nothing else differs, so "scenario / row floor" is the cost of the app's own
layers (auth, unit of work, SQLAlchemy, services, schemas) on top of the driver.

Serve it with: uvicorn tests.perf.floor_app:create --factory --workers N
(`python -m tests.perf.bench` does that for you). Never mounted by the application itself.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, cast

import asyncpg  # type: ignore[import-untyped, unused-ignore]
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

from api.cli import tune_garbage_collector
from api.main import create_app
from api.settings import Settings

ROW_PATH = "/bench/row/{row_id}"
ROW_SQL = "SELECT id, handle, display_name FROM user_account WHERE id = $1"


class BenchRow(BaseModel):
    id: uuid.UUID
    handle: str
    display_name: str


def asyncpg_dsn(database_url: str) -> str:
    """SQLAlchemy's `postgresql+asyncpg://...` to the libpq form that asyncpg takes."""
    scheme, sep, rest = database_url.partition("://")
    if not sep or not scheme.startswith("postgresql"):
        raise ValueError("the row floor needs a PostgreSQL LEADERFUL_DATABASE_URL")
    return "postgresql://" + rest


async def bench_row(row_id: uuid.UUID, request: Request) -> BenchRow:
    pool: asyncpg.Pool = request.app.state.bench_pool
    record = await pool.fetchrow(ROW_SQL, row_id)
    if record is None:
        raise HTTPException(status_code=404, detail="no such row")
    return BenchRow(id=record["id"], handle=record["handle"], display_name=record["display_name"])


def create(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = create_app(settings)
    # Tuned as `leaderful serve` tunes its workers (api/cli.py), so the bench measures that.
    tune_garbage_collector(settings.gc_young_threshold)
    dsn = asyncpg_dsn(settings.database_url)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with cast(AbstractAsyncContextManager[Any], inner(app)) as state:
            # Same size as the app's SQLAlchemy pool, so both paths get as many connections.
            pool = await asyncpg.create_pool(
                dsn, min_size=1, max_size=settings.db_pool_size, command_timeout=30
            )
            app.state.bench_pool = pool
            try:
                yield state
            finally:
                await pool.close()

    app.router.lifespan_context = lifespan
    app.add_api_route(
        ROW_PATH, bench_row, methods=["GET"], include_in_schema=False, name="benchRow"
    )
    return app
