"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), and the session factory."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from asyncpg.exceptions import InternalClientError
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
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
    this check and its first statement fails that request (503, see `is_disconnect`) and is then
    discarded by the pool.
    """
    if record.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


# SQLSTATEs that mean "not now" rather than "not this statement": connection exceptions (08...),
# shutdown and start-up (57P01-57P05), too many connections (53300).
UNAVAILABLE_SQLSTATES = ("08", "57P", "53300")
OUT_OF_REACH = (
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,
    socket.gaierror,
    DisconnectionError,
    PoolTimeout,  # every pooled connection busy for pool_timeout seconds
    InternalClientError,  # asyncpg lost the protocol state (a FATAL came between statements)
)


def is_disconnect(exc: BaseException) -> bool:
    """Whether `exc`, or an error that caused it, says the database is out of reach (restart,
    failover, network) rather than that the statement was wrong: worth a retry, not a bug."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OUT_OF_REACH):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(UNAVAILABLE_SQLSTATES):
            return True
        current = current.__cause__ or current.__context__
    return False


def _mark_disconnect(context: ExceptionContext) -> None:
    """SQLAlchemy's asyncpg dialect recognises a closed connection only; a server shutting down or
    starting up, or a connection whose protocol state broke, count as disconnects too: the
    connection is then invalidated (the pool replaces it) and the error says so."""
    if is_disconnect(context.original_exception):
        context.is_disconnect = True


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 5) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(
        url,
        # Statement parameters (password hashes, emails, token digests) never reach an error
        # message or a log line.
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
        # What `timestamps_as_text` reads: ISO dates in UTC, whatever the server's defaults.
        connect_args={"server_settings": {"TimeZone": "UTC", "DateStyle": "ISO"}},
    )
    event.listen(engine.sync_engine, "checkout", _drop_closed_connection)
    event.listen(engine.sync_engine, "handle_error", _mark_disconnect)
    event.listen(engine.sync_engine, "connect", _python_values)
    return engine


def _python_values(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.run_async(timestamps_as_text)
    dbapi_connection.run_async(uuids_as_python)


# PostgreSQL's timestamps beyond any date: the datetimes at either end of Python's range stand
# for them, and are written back as them.
LATEST = datetime.max.replace(tzinfo=UTC)
EARLIEST = datetime.min.replace(tzinfo=UTC)
_INFINITIES = {"infinity": LATEST, "-infinity": EARLIEST}


def timestamp_from_text(text: str) -> datetime:
    """PostgreSQL's text form of a `timestamptz` as an aware UTC datetime."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        moment = _INFINITIES.get(text)
        if moment is None:
            raise
        return moment


def timestamp_to_text(moment: datetime) -> str:
    if moment == LATEST:
        return "infinity"
    if moment == EARLIEST:
        return "-infinity"
    return moment.isoformat()


async def timestamps_as_text(driver: Any) -> None:
    """Receive `timestamptz` values as ISO text, parsed by `datetime.fromisoformat`.

    asyncpg's binary decoder builds each one as epoch + timedelta: about 7,000 CPU instructions,
    and a page of twenty posts carries sixty timestamps (7 % of the request's Python). Parsing
    PostgreSQL's text ("2026-11-28 16:42:00.123456+00") costs a fifth of that; PostgreSQL's side
    measured no dearer. Values are aware UTC datetimes either way (the session's TimeZone is UTC);
    `infinity` and `-infinity` are `LATEST` and `EARLIEST`. COPY needs binary codecs: see
    `timestamps_in_binary`.
    """
    await driver.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=timestamp_to_text,
        decoder=timestamp_from_text,
        format="text",
    )


async def timestamps_in_binary(driver: Any) -> None:
    """asyncpg's own `timestamptz` codec again, for binary COPY (`timestamps_as_text` undoes it)."""
    await driver.reset_type_codec("timestamptz", schema="pg_catalog")


def uuid_from_bytes(data: bytes) -> UUID:
    """A `uuid.UUID` of PostgreSQL's 16 bytes, built by its public constructor."""
    return UUID(bytes=data)


def uuid_to_bytes(value: UUID | str) -> bytes:
    return value.bytes if isinstance(value, UUID) else UUID(value).bytes


async def uuids_as_python(driver: Any) -> None:
    """Receive `uuid` values as `uuid.UUID` itself. asyncpg's own codec returns its subclass
    (`asyncpg.pgproto.pgproto.UUID`), and SQLAlchemy passes native UUIDs through untouched: the
    driver's type would reach the domain and everything built from it."""
    await driver.set_type_codec(
        "uuid",
        schema="pg_catalog",
        encoder=uuid_to_bytes,
        decoder=uuid_from_bytes,
        format="binary",
    )


def create_session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions for one unit of work each.

    `read_only`: for requests that only read (GET). Statements run in autocommit, so the request
    costs no BEGIN and no ROLLBACK round trip; such a unit of work refuses to commit.
    """
    bind = engine.execution_options(isolation_level="AUTOCOMMIT") if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=False)
