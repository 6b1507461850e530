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

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, String
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.util import greenlet_spawn

from repositories.db import ReadSession, raise_if_disconnect

RowLike = Row[Any] | Mapping[str, Any]
_DRIVER = "leaderful.driver_connection"  # session.info key: the asyncpg connection, or None


def fields(row: RowLike) -> Mapping[str, Any]:
    """Column values by label, from a SQLAlchemy Row or an asyncpg Record: the one place rows
    are read by name. `Row._mapping` is SQLAlchemy's documented accessor despite its underscore."""
    return cast(Mapping[str, Any], row._mapping) if isinstance(row, Row) else row  # noqa: SLF001


class _Prefixed(Mapping[str, Any]):
    """The columns of one row whose labels start with a prefix, under their unprefixed names."""

    __slots__ = ("_fields", "_prefix")

    def __init__(self, row: RowLike, prefix: str) -> None:
        self._fields = fields(row)
        self._prefix = prefix

    def __getitem__(self, key: str) -> Any:
        return self._fields[self._prefix + key]

    def __iter__(self) -> Iterator[str]:
        n = len(self._prefix)
        # keys(): iterating an asyncpg Record yields its values.
        return (key[n:] for key in self._fields.keys() if key.startswith(self._prefix))  # noqa: SIM118

    def __len__(self) -> int:
        return sum(1 for _ in self)


def prefixed(row: RowLike, prefix: str) -> Mapping[str, Any]:
    """For a statement that selects two entities side by side (one of them with prefixed labels),
    so that each entity's usual row mapping reads its own columns."""
    return _Prefixed(row, prefix)


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


class comma_joined(FunctionElement[str]):
    """string_agg(x, ',') / group_concat(x, ','): the separator is SQL text, not a parameter."""

    type = String()
    inherit_cache = True
    name = "comma_joined"


@compiles(comma_joined, "postgresql")
def _comma_joined_postgresql(element: comma_joined, compiler: Any, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


@compiles(comma_joined)
def _comma_joined_default(element: comma_joined, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


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
