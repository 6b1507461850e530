"""The migrations build exactly the schema the tables declare, on the database under test."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI

from repositories.tables import metadata
from tests.helpers import register


def _declared_only(obj, name, type_, reflected, compare_to):
    """Full-text search objects live in the migrations only (FTS5 tables, tsvector, GIN)."""
    return not (name or "").startswith(("post_fts", "search_vector", "ix_post_search"))


async def test_migrated_schema_matches_the_tables(app: FastAPI):
    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _declared_only}
        )
        return compare_metadata(context, metadata)

    async with app.state.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_sqlite_pragmas_or_postgres_pool_are_configured(app: FastAPI):
    engine = app.state.engine
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            assert journal == "wal" and foreign_keys == 1
        else:
            assert engine.dialect.name == "postgresql"


async def test_a_connection_the_server_closed_is_replaced_without_an_error(app: FastAPI, client):
    """No pre-ping round trip, yet a pooled connection the server killed never fails a request."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        return  # SQLite connections are files: nothing closes them from outside

    async def pids() -> set[int]:
        async with engine.connect() as first, engine.connect() as second:
            return {
                (await first.exec_driver_sql("SELECT pg_backend_pid()")).scalar(),
                (await second.exec_driver_sql("SELECT pg_backend_pid()")).scalar(),
            }

    someone = await register(client)
    pooled = await pids()  # two connections, both back in the pool now
    async with engine.connect() as killer:
        mine = (await killer.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
        victim = next(pid for pid in pooled if pid != mine)
        await killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(victim)})")
    await asyncio.sleep(0.2)  # the event loop sees the socket close
    for _ in range(3):  # whichever pooled connection comes first, every request succeeds
        response = await client.get("/me", headers=someone.headers)
        assert response.status_code == 200, response.text
    assert victim not in await pids()
