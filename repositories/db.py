"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), and the session factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the writer; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _drop_closed_connection(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Replace a pooled connection the server has already closed (restart, idle kill).

    asyncpg notices the closed socket on its own, so this costs no round trip; `pool_pre_ping`
    would add one (three inside a transaction) to every request. A connection that dies between
    this check and its first statement fails that request and is then discarded by the pool.
    """
    if record.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 5) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800
    )
    event.listen(engine.sync_engine, "checkout", _drop_closed_connection)
    return engine


def create_session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions for one unit of work each.

    `read_only`: for requests that only read (GET). Statements run in autocommit, so the request
    costs no BEGIN and no ROLLBACK round trip; such a unit of work refuses to commit.
    """
    bind = engine.execution_options(isolation_level="AUTOCOMMIT") if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)
