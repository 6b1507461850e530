"""The shape of a keyset page as the domain sees it: items plus the sort key of the last one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# A keyset position: the values of the sort columns of the last item seen, e.g. (created_at, id).
Position = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = 20
    after: Position | None = None


@dataclass(frozen=True, slots=True)
class PageResult(Generic[T]):
    items: list[T]
    next_position: Position | None
