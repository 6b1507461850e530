"""Selecting people next to other rows: labelled user-summary columns and their mapping."""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.sql.elements import Label

from domain.users.model import UserRef
from repositories.rows import RowLike, fields

SUMMARY_FIELDS = ("id", "handle", "display_name", "title", "avatar_url")


def ref_columns(table: Table | Any, prefix: str) -> list[Label[Any]]:
    """The summary columns of a (possibly aliased) user_account, labelled `<prefix>_<field>`."""
    return [table.c[name].label(f"{prefix}_{name}") for name in SUMMARY_FIELDS]


@cache
def ref_values(prefix: str) -> itemgetter[Any]:
    """Reads a person's summary from a row in one C call, `UserRef(*get(fields(row)))`: rows of
    long lists are mapped here. Built once per prefix."""
    return itemgetter(*(f"{prefix}_{name}" for name in SUMMARY_FIELDS))


def ref_from_row(row: RowLike, prefix: str) -> UserRef | None:
    values = ref_values(prefix)(fields(row))
    return None if values[0] is None else UserRef(*values)


def required_ref(row: RowLike, prefix: str) -> UserRef:
    ref = ref_from_row(row, prefix)
    assert ref is not None, f"{prefix} is a required person"
    return ref
