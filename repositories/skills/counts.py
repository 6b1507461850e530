"""The counts stored on each skill row, kept current by the writes that change them.

`holder_count`, `expert_count` (holders at EXPERT_LEVEL or above), `teacher_count` (holders who
want to teach) and `learner_count` (active learning goals) are read by every page of the skill
list; counting them there meant an index range count per skill and per count on every request.

Writers move them by a delta in the writer's own transaction: `col = col + delta` re-reads the
committed row once it holds the row lock, so concurrent writers add up instead of overwriting
each other. A delta comes from the row's value before and after the write: the row is read
under its lock and written only while it still holds what was read (compare and set, retried),
so two writers of one row never count the same change twice. Bulk rewrites (a merge, the seed)
recount from the source tables instead, under locks that keep the per-row writers out
(`recount`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict
from domain.skills.model import EXPERT_LEVEL, GoalStatus
from repositories.skills.rows import goals, skills, user_skills

# A counted write replaces the row only while it still holds what was read (compare and set),
# and reads again when it does not. PostgreSQL's row locks make the first attempt succeed; on
# SQLite, whose reads take no lock, a concurrent writer can force another.
WRITE_ATTEMPTS = 8
KEPT_CHANGING = "This kept changing while it was being saved; try again."

T = TypeVar("T")


async def compare_and_set(
    read: Callable[[], Awaitable[T | None]], write: Callable[[T], Awaitable[bool]]
) -> T | None:
    """Read a row's current values and `write` only while it still holds them (the write says
    whether it did), retried: the values the write replaced, or None when there is no row and
    nothing was written."""
    for _ in range(WRITE_ATTEMPTS):
        before = await read()
        if before is None or await write(before):
            return before
    raise Conflict(KEPT_CHANGING)


def is_expert(level: int | None) -> int:
    return int(level is not None and level >= int(EXPERT_LEVEL))


def is_learning(status: str | None) -> int:
    return int(status == GoalStatus.active.value)


def holding_delta(
    before: tuple[int, bool] | None, after: tuple[int, bool] | None
) -> dict[str, int]:
    """What changing a user skill from `before` to `after` ((level, wants_to_teach), None when
    absent) does to its skill's counts."""
    old_level, old_teach = before if before is not None else (None, False)
    new_level, new_teach = after if after is not None else (None, False)
    return {
        "holder_count": int(after is not None) - int(before is not None),
        "expert_count": is_expert(new_level) - is_expert(old_level),
        "teacher_count": int(bool(new_teach)) - int(bool(old_teach)),
    }


async def adjust(session: AsyncSession, skill_id: UUID, delta: dict[str, int]) -> None:
    """Add `delta` (column -> change) to the skill's counts; nothing when nothing changes."""
    changes = {name: skills.c[name] + value for name, value in delta.items() if value}
    if changes:
        await session.execute(update(skills).where(skills.c.id == skill_id).values(**changes))


def _count(table: Any, *where: Any) -> Any:
    return (
        select(func.count())
        .select_from(table)
        .where(table.c.skill_id == skills.c.id, *where)
        .correlate(skills)
        .scalar_subquery()
    )


async def recount(session: AsyncSession, skill_ids: Iterable[UUID] | None = None) -> None:
    """Every count of the given skills (all of them when None) from the source tables. Only for
    writers that already keep the per-row writers of these skills out (a merge locks both skill
    rows) or run alone (the seed)."""
    claimed = user_skills.c.proposed.is_(False)  # proposals are not holders (never counted)
    stmt = update(skills).values(
        holder_count=_count(user_skills, claimed),
        expert_count=_count(user_skills, claimed, user_skills.c.level >= int(EXPERT_LEVEL)),
        teacher_count=_count(user_skills, claimed, user_skills.c.wants_to_teach == true()),
        learner_count=_count(goals, goals.c.status == GoalStatus.active.value),
    )
    if skill_ids is not None:
        stmt = stmt.where(skills.c.id.in_(list(skill_ids)))
    await session.execute(stmt)
