"""Selecting people next to other rows: labelled user-summary columns and their mapping."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.sql.elements import Label

from domain.users.model import UserRef
from repositories.compiled import RowLike, fields

SUMMARY_FIELDS = ("id", "handle", "display_name", "title", "avatar_url")


def ref_columns(table: Table | Any, prefix: str) -> list[Label[Any]]:
    """The summary columns of a (possibly aliased) user_account, labelled `<prefix>_<field>`."""
    return [table.c[name].label(f"{prefix}_{name}") for name in SUMMARY_FIELDS]


_LABELS: dict[str, tuple[str, ...]] = {}  # prefix -> its labels, in SUMMARY_FIELDS order


def ref_from_row(row: RowLike, prefix: str) -> UserRef | None:
    labels = _LABELS.get(prefix)
    if labels is None:  # built once per prefix: rows of long lists are mapped here
        labels = _LABELS[prefix] = tuple(f"{prefix}_{name}" for name in SUMMARY_FIELDS)
    m = fields(row)
    id_ = m[labels[0]]
    if id_ is None:
        return None
    # Indexed one by one: a generator over the labels cost as much as building the UserRef.
    return UserRef(id_, m[labels[1]], m[labels[2]], m[labels[3]], m[labels[4]])


def ref_values(prefix: str) -> itemgetter[Any]:
    """Reads a required person's summary from a row in one call: `UserRef(*get(fields(row)))`,
    for the rows of long lists (see `repositories/posts.py`)."""
    return itemgetter(*(f"{prefix}_{name}" for name in SUMMARY_FIELDS))


def required_ref(row: RowLike, prefix: str) -> UserRef:
    ref = ref_from_row(row, prefix)
    assert ref is not None, f"{prefix} is a required person"
    return ref
