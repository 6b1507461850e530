"""What the generator yields and the loader writes: the tables and their columns, the inputs
and the result of a load."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from repositories.unit_of_work import SCHEMA as metadata

Row = tuple[Any, ...]
Batch = dict[str, list[Row]]
CHUNK_POSTS = 5_000
# Parents before children (SQLite checks foreign keys row by row).
TABLE_ORDER = (
    "user_account",
    "user_skill",
    "mentor_profile",
    "endorsement",
    "learning_goal",
    "community",
    "community_member",
    "community_audit",
    "post",
    "post_tag",
    "post_mention",
    "comment",
    "reaction",
    "report",
)
# Stored columns the generator leaves at their defaults: the score refresh at the end of the load
# computes them from the generated rows.
REFRESHED: dict[str, frozenset[str]] = {
    # `proposed` too: the demo people list their own skills (false, the column's default).
    # `mentor_points`: copied from the generated mentor profiles (mentorship/offers.py).
    "user_skill": frozenset(
        {"accepted_answers", "helpful_reactions", "proposed", "mentor_points", "private_evidence"}
    ),
    # The earliest steward term, from the generated memberships.
    "community": frozenset({"steward_term_ends_at"}),
}
# Column order of the rows the generator yields, per table: the table's own columns in their
# declared order (one definition, repositories/<feature>/tables.py), less the refreshed ones
# and any the database computes itself.
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(
        column.name
        for column in metadata.tables[name].columns
        if column.computed is None and column.name not in REFRESHED.get(name, ())
    )
    for name in TABLE_ORDER
}
CONTENT_TABLES = ("post", "post_tag", "post_mention", "comment", "reaction", "report")


@dataclass(frozen=True, slots=True)
class SeedSizes:
    users: int
    communities: int
    posts: int


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A named demo account (the sign-in people of `make run`)."""

    display_name: str
    title: str
    email: str


@dataclass(frozen=True, slots=True)
class SkillInfo:
    id: UUID
    slug: str
    name: str
    category: str | None


@dataclass(slots=True)
class Existing:
    """What the instance already holds that generated rows must not collide with."""

    handles: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    people: dict[str, UUID] = field(default_factory=dict)  # demo email -> existing user id
    empty: bool = True


@dataclass(slots=True)
class SeedResult:
    skipped: bool
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    admin_email: str | None = None
    checked_foreign_keys: bool = True

    @property
    def created_users(self) -> int:
        return self.rows.get("user_account", 0)
