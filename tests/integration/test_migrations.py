"""The migrations build exactly the schema the tables declare, on the database under test."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI

from repositories.tables import metadata


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
