"""Reading result rows by column name, and the SQL helpers the row readers rely on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from sqlalchemy import String
from sqlalchemy.engine import Row
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

# A result row, or the columns of one under other names (`prefixed`).
RowLike = Row[Any] | Mapping[str, Any]


def fields(row: RowLike) -> Mapping[str, Any]:
    """Column values by label: the one place rows are read by name. `Row._mapping` is
    SQLAlchemy's documented accessor despite its underscore."""
    return cast(Mapping[str, Any], row._mapping) if isinstance(row, Row) else row


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
        return (key[n:] for key in self._fields if key.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def prefixed(row: RowLike, prefix: str) -> Mapping[str, Any]:
    """For a statement that selects two entities side by side (one of them with prefixed labels),
    so that each entity's usual row mapping reads its own columns."""
    return _Prefixed(row, prefix)


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
