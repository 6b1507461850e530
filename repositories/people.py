"""Selecting people next to other rows: labelled user-summary columns and their mapping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.sql.elements import Label

from domain.users.model import UserRef
from repositories.compiled import RowLike, fields

SUMMARY_FIELDS = ("id", "handle", "display_name", "title", "avatar_url")


def ref_columns(table: Table | Any, prefix: str) -> list[Label[Any]]:
    """The summary columns of a (possibly aliased) user_account, labelled `<prefix>_<field>`."""
    return [table.c[name].label(f"{prefix}_{name}") for name in SUMMARY_FIELDS]


def ref_from_row(row: RowLike, prefix: str) -> UserRef | None:
    m = fields(row)
    if m[f"{prefix}_id"] is None:
        return None
    return UserRef(
        id=m[f"{prefix}_id"],
        handle=m[f"{prefix}_handle"],
        display_name=m[f"{prefix}_display_name"],
        title=m[f"{prefix}_title"],
        avatar_url=m[f"{prefix}_avatar_url"],
    )


def required_ref(row: RowLike, prefix: str) -> UserRef:
    ref = ref_from_row(row, prefix)
    assert ref is not None, f"{prefix} is a required person"
    return ref
