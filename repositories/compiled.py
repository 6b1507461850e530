"""Hot reads: Core statements compiled once, run straight on asyncpg where that is safe.

Building a Core select, computing its cache key and processing its rows costs more Python than
the query costs PostgreSQL for the lists everyone reads all day (posts pages, the caller's own
account on every request). A `CompiledQuery` is built once with named bind parameters. In a
read-only unit of work on PostgreSQL (autocommit, see `repositories.db`), it runs its SQL,
compiled once, on the asyncpg connection the unit checked out (`repositories.db.ReadSession`), and
asyncpg reuses the prepared statement.
Anywhere else (SQLite, or inside a write transaction, where a statement that bypassed SQLAlchemy
would run before its BEGIN) it is an ordinary Core execution. Rows come back as mappings by label
either way, so the row-to-entity functions serve both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util import greenlet_spawn

from repositories.db import ReadSession, raise_if_disconnect

_DRIVER = "leaderful.driver_connection"  # session.info key: the asyncpg connection, or None


@dataclass(frozen=True, slots=True)
class _Sql:
    text: str
    names: tuple[str, ...]  # bind parameter names in $1..$n order
    literals: tuple[Any, ...]  # values of the statement's own (anonymous) parameters
    processors: tuple[Callable[[Any], Any] | None, ...]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        args = []
        for name, literal, process in zip(self.names, self.literals, self.processors, strict=True):
            value = params.get(name, literal)
            args.append(value if process is None else process(value))
        return args


class CompiledQuery:
    def __init__(self, stmt: Select[Any]) -> None:
        self.stmt = stmt
        self._sql: _Sql | None = None

    def sql(self, dialect: Dialect) -> str:
        """The statement's text for `dialect`, with `arguments` its $1..$n values."""
        return self._compiled(dialect).text

    def _compiled(self, dialect: Dialect) -> _Sql:
        if self._sql is None:
            compiled = self.stmt.compile(
                dialect=dialect, compile_kwargs={"render_postcompile": True}
            )
            names = tuple(compiled.positiontup or ())
            binds = [compiled.binds[name] for name in names]
            self._sql = _Sql(
                compiled.string,
                names,
                tuple(bind.value for bind in binds),
                tuple(bind.type.bind_processor(dialect) for bind in binds),
            )
        return self._sql

    def arguments(self, dialect: Dialect, **params: Any) -> list[Any]:
        """The driver's $1..$n values: `params` by name, the statement's own literals for the
        rest, each through its type's bind processor."""
        return self._compiled(dialect).arguments(params)

    async def fetch(self, session: AsyncSession, **params: Any) -> Sequence[Mapping[str, Any]]:
        driver = await _driver_connection(session)
        if driver is None:
            return cast(
                Sequence[Mapping[str, Any]],
                (await session.execute(self.stmt, params)).mappings().all(),
            )
        sql = self._compiled(_dialect(session))
        try:
            rows: Sequence[Mapping[str, Any]] = await driver.fetch(sql.text, *sql.arguments(params))
        except Exception as exc:
            raise_if_disconnect(exc, driver)
            raise
        return rows

    async def first(self, session: AsyncSession, **params: Any) -> Mapping[str, Any] | None:
        rows = await self.fetch(session, **params)
        return rows[0] if rows else None


class CompiledQueries:
    """One CompiledQuery per statement shape (which optional filters are present), built lazily."""

    def __init__(self, build: Callable[..., Select[Any]]) -> None:
        self._build = build
        self._by_shape: dict[tuple[Any, ...], CompiledQuery] = {}

    def __call__(self, *shape: Any) -> CompiledQuery:
        query = self._by_shape.get(shape)
        if query is None:
            query = self._by_shape[shape] = CompiledQuery(self._build(*shape))
        return query


async def _driver_connection(session: AsyncSession) -> Any | None:
    if _DRIVER not in session.info:
        # Only a read-only session on PostgreSQL runs in autocommit (see repositories.db).
        sync = session.sync_session
        driver = None
        if isinstance(sync, ReadSession):
            driver = await greenlet_spawn(sync.driver_connection)
        session.info[_DRIVER] = driver
    return session.info[_DRIVER]


def _dialect(session: AsyncSession) -> Dialect:
    # The engine's: get_bind() would wrap a ReadSession's pooled connection for nothing.
    engine = session.bind
    assert engine is not None, "sessions are created bound to the engine"
    return engine.dialect


def forget_driver_connection(session: AsyncSession) -> None:
    """After a rollback the session may check out another connection: look it up again."""
    session.info.pop(_DRIVER, None)
