"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), and the session factory."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from asyncpg.exceptions import InternalClientError
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection


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


def raise_if_disconnect(exc: BaseException, driver: Any = None) -> None:
    """For work done straight on the driver, outside SQLAlchemy's error handling: a lost database
    becomes the DisconnectionError SQLAlchemy would report, so callers see one kind of error.
    `driver`: the asyncpg connection the work ran on; closed, it explains any error."""
    closed = driver is not None and driver.is_closed()
    if (closed or is_disconnect(exc)) and not isinstance(exc, DisconnectionError):
        raise DisconnectionError("the database is out of reach") from exc


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
    event.listen(engine.sync_engine, "connect", _timestamps_as_text)
    return engine


def _timestamps_as_text(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.run_async(timestamps_as_text)


async def timestamps_as_text(driver: Any) -> None:
    """Receive `timestamptz` values as ISO text, parsed by `datetime.fromisoformat`.

    asyncpg's binary decoder builds each one as epoch + timedelta: about 7,000 CPU instructions,
    and a page of twenty posts carries sixty timestamps (7 % of the request's Python). Parsing
    PostgreSQL's text ("2026-11-28 16:42:00.123456+00") costs a fifth of that; PostgreSQL's side
    measured no dearer. Values are aware UTC datetimes either way (the session's TimeZone is UTC).
    COPY needs binary codecs: see `timestamps_in_binary`.
    """
    await driver.set_type_codec(
        "timestamptz",
        schema="pg_catalog",
        encoder=datetime.isoformat,
        decoder=datetime.fromisoformat,
        format="text",
    )


async def timestamps_in_binary(driver: Any) -> None:
    """asyncpg's own `timestamptz` codec again, for binary COPY (`timestamps_as_text` undoes it)."""
    await driver.reset_type_codec("timestamptz", schema="pg_catalog")


def create_session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions for one unit of work each.

    `read_only`: for requests that only read (GET). Statements run in autocommit, so the request
    costs no BEGIN and no ROLLBACK round trip; such a unit of work refuses to commit.
    """
    if not read_only:
        return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    session_class = Session if is_sqlite(str(engine.url)) else ReadSession
    return async_sessionmaker(
        bind, sync_session_class=session_class, expire_on_commit=False, autoflush=False
    )


class ReadSession(Session):
    """A read-only request's session on PostgreSQL: one pooled connection, checked out on first
    use, for the hot reads that run straight on asyncpg (`repositories.compiled`) and for every
    other statement alike.

    A session checks a connection out through a Connection and a session transaction, with the
    isolation-level events and a rollback on return: about 300,000 CPU instructions per request,
    more than the pool's own checkout. Nearly every read starts with a compiled statement (the
    caller's account), which only needs the driver connection, so that takes it from the pool
    directly; should the request then run an ordinary statement, the session wraps the same
    pooled connection in a Connection instead of checking out a second one.
    """

    _pooled: PoolProxiedConnection | None = None
    _wrapped: Connection | None = None

    def driver_connection(self) -> Any:
        """The asyncpg connection of this session. Synchronous: call it in a greenlet."""
        if self._pooled is None and self.in_transaction():
            # An ordinary statement came first, through the session's own checkout.
            return self.connection().connection.driver_connection
        if self._pooled is None:
            engine = self.bind
            assert isinstance(engine, Engine)
            try:
                self._pooled = engine.raw_connection()
            except Exception as exc:
                raise_if_disconnect(exc)
                raise
        return self._pooled.driver_connection

    def get_bind(self, *args: Any, **kwargs: Any) -> Engine | Connection:
        if self._pooled is None:
            return super().get_bind(*args, **kwargs)
        if self._wrapped is None:
            engine = self.bind
            assert isinstance(engine, Engine)
            # The engine's AUTOCOMMIT option is applied to it as to a checked-out connection.
            self._wrapped = Connection(engine, self._pooled)
        return self._wrapped

    def close(self) -> None:
        try:
            # A read of compiled statements only never began a session transaction nor loaded
            # an object: the session has nothing of its own to close then.
            if self._transaction is not None or self.identity_map or self._new:
                super().close()
        finally:
            held, self._wrapped, self._pooled = self._wrapped or self._pooled, None, None
            if held is not None:
                held.close()  # back to the pool, reset as any pooled connection is
