"""Shared repository helpers: keyset pagination over Core selects, conditional writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from domain.pagination import PageRequest, PageResult, Position
from repositories.rows import RowLike, fields, prefixed

T = TypeVar("T")
T_row = TypeVar("T_row")


@dataclass(frozen=True, slots=True)
class SortKey:
    """One column of a keyset ordering. The last key must make the order total (usually id)."""

    column: ColumnElement[Any]
    descending: bool = False


def keyset_after(keys: Sequence[SortKey], position: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `position` in the order given by `keys`.

    Same direction everywhere -> one row-value comparison, which both databases answer with an
    index range scan. Mixed directions -> the expanded OR form.
    """
    if len(position) != len(keys):
        raise ValueError("cursor does not match this ordering")
    if all(k.descending == keys[0].descending for k in keys):
        left = tuple_(*(k.column for k in keys))
        right = tuple_(*position)
        return left < right if keys[0].descending else left > right
    clauses = []
    for i, key in enumerate(keys):
        equal_prefix = [k.column == v for k, v in zip(keys[:i], position[:i], strict=True)]
        step = key.column < position[i] if key.descending else key.column > position[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)


def order_by(keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    return [k.column.desc() if k.descending else k.column.asc() for k in keys]


def inline(value: Any, type_: TypeEngine[Any]) -> ColumnElement[Any]:
    """`value` written into the statement's text (quoted by the dialect) instead of bound.

    The driver prepares every statement, and after five runs PostgreSQL either keeps one generic
    plan for any parameters or, when that plan looks dearer, plans every run afresh. A generic
    plan cannot see bound values: a LIMIT counts as a tenth of the rows, a search term as any
    term, a role as any role (so a partial index on some roles never applies). Written in, the
    planner sees them, and each distinct value is a statement of its own.
    """
    if type(value) is int:
        # A number needs no quoting: written now, it also serves statements built once per
        # shape (repositories/<feature>/queries.py), which are built before any value is known.
        return literal_column(str(value), type_)
    return bindparam(None, value, type_=type_, literal_execute=True)


async def keyset_page(
    session: AsyncSession,
    stmt: Select[Any],
    keys: Sequence[SortKey],
    page: PageRequest,
    to_entity: Callable[[Row[Any]], T],
    position_of: Callable[[Row[Any]], Position],
) -> PageResult[T]:
    """Run `stmt` as one keyset page: fetch limit+1 rows to know whether a next page exists.

    The limit is `inline`: bound, it left the community and skill lists planned afresh on every
    request. There is one statement per page size, and clients use few.
    """
    if page.after is not None:
        stmt = stmt.where(keyset_after(keys, page.after))
    stmt = stmt.order_by(*order_by(keys)).limit(inline(page.limit + 1, Integer()))
    rows = (await session.execute(stmt)).all()
    return keyset_result(rows, page, to_entity, position_of)


def keyset_bound(
    stmt: Select[Any], keys: Sequence[SortKey], *, after: bool, limit: int
) -> Select[Any]:
    """`stmt` as a keyset page of `limit` rows, with bind parameters `after_0..n` (when `after`).

    For statements built once per shape (repositories/<feature>/queries.py), the limit being
    part of the shape; `keyset_params` fills the rest. The limit is `inline`: bound, the feed's
    generic plan hashed and sorted every post, and PostgreSQL planned the feed afresh on every
    request.
    """
    if after:
        bound = tuple(bindparam(f"after_{i}", type_=k.column.type) for i, k in enumerate(keys))
        stmt = stmt.where(keyset_after(keys, bound))
    return stmt.order_by(*order_by(keys)).limit(inline(limit, Integer()))


def head_then_page(
    head: Select[Any], prefix: str, page: Select[Any], keys: Sequence[SortKey]
) -> Select[Any]:
    """`head` (at most one row, its labels prefixed) followed by the rows of `page`, one statement.

    For a page that is only shown after a check on what it belongs to (a community's posts, a
    post's thread): one round trip instead of two. The head is a row of its own, so its columns
    are not repeated on every item, and the page keeps its own limit and order. Rows come back
    head first; no head row means the owner does not exist. `split_head` takes them apart.
    """
    head_q = head.subquery("head")
    page_q = page.subquery("page")
    head_row = select(
        literal_column("0").label("part"),
        *(column.label(prefix + column.name) for column in head_q.c),
        *(type_coerce(null(), column.type).label(column.name) for column in page_q.c),
    )
    page_rows = select(
        literal_column("1").label("part"),
        *(type_coerce(null(), column.type).label(prefix + column.name) for column in head_q.c),
        *page_q.c,
    )
    parts = union_all(head_row, page_rows).subquery("parts")
    ordered = [replace(k, column=parts.c[k.column.name]) for k in keys]
    return select(parts).order_by(parts.c.part, *order_by(ordered))


def split_head(
    rows: Sequence[RowLike], prefix: str
) -> tuple[Mapping[str, Any] | None, Sequence[RowLike]]:
    """The rows of a `head_then_page` statement: the head row read under its unprefixed labels
    (None when there is none; the page rows are then meaningless) and the page rows."""
    if not rows or fields(rows[0])["part"] != 0:
        return None, ()
    return prefixed(rows[0], prefix), rows[1:]


def keyset_shape(page: PageRequest) -> tuple[bool, int]:
    """What a `keyset_bound` statement for `page` is built for: after a position or not,
    and how many rows (one more than the page, to know whether another page follows)."""
    return page.after is not None, page.limit + 1


def keyset_params(page: PageRequest) -> dict[str, Any]:
    return {f"after_{i}": value for i, value in enumerate(page.after or ())}


def keyset_result(
    rows: Sequence[T_row],
    page: PageRequest,
    to_entity: Callable[[T_row], T],
    position_of: Callable[[T_row], Position],
) -> PageResult[T]:
    """limit+1 rows fetched -> one page and the position after it, if there is more."""
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_position = position_of(rows[-1]) if has_more and rows else None
    return PageResult(items=[to_entity(r) for r in rows], next_position=next_position)


def like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` as a literal prefix (wildcards escaped with '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def insert_or_ignore(
    session: AsyncSession, table: Any, conflict: Sequence[str], where: Any = None
) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING on the unique index of `conflict` (partial with
    `where`): the index, not an earlier read, decides which of concurrent writers wins."""
    dialect = session.get_bind().dialect.name
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing(index_elements=list(conflict), index_where=where)


def rows_changed(result: Any) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (ON CONFLICT DO NOTHING counts 0): counters move
    only by what a conditional write really changed."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


class FeatureRepositories:
    """One feature's repositories in a unit of work. SqlUnitOfWork inherits one subclass per
    feature (`repositories/<feature>/unit.py`); each `attach` creates its feature's repositories
    on the unit's session and hands on to the next feature in the chain."""

    def attach(self, session: AsyncSession) -> None:
        """The end of the chain: no feature left."""

    def committed(self) -> None:
        """The unit's transaction has committed: a feature hands on what must follow a commit
        (e.g. live notifications), then calls the next feature in the chain."""

    def rolled_back(self) -> None:
        """The unit's transaction was rolled back: whatever waited for its commit is dropped."""
