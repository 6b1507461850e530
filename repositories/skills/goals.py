"""Learning goals: a person's target level in a skill."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import PageRequest, PageResult
from domain.skills.model import GoalStatus, LearningGoal
from repositories.base import SortKey, keyset_page
from repositories.rows import fields
from repositories.skills.counts import adjust, compare_and_set, is_learning
from repositories.skills.rows import (
    REF_COLUMNS,
    goals,
    insert_or_ignore,
    ref_from_row,
    rowcount_of,
    skills,
    user_skills,
)


def _goal_from_row(row: Row[Any]) -> LearningGoal:
    m = fields(row)
    return LearningGoal(
        id=m["id"],
        user_id=m["user_id"],
        skill=ref_from_row(row),
        target_level=m["target_level"],
        status=GoalStatus(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        note=m["note"],
        due_on=m["due_on"],
        current_level=m["current_level"],
    )


class SqlLearningGoalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self) -> Select[Any]:
        g = goals
        return (
            select(
                g.c.id,
                g.c.user_id,
                g.c.target_level,
                g.c.status,
                g.c.note,
                g.c.due_on,
                g.c.created_at,
                g.c.updated_at,
                user_skills.c.level.label("current_level"),
                *REF_COLUMNS,
            )
            .join_from(g, skills, g.c.skill_id == skills.c.id)
            .outerjoin(
                user_skills,
                and_(
                    user_skills.c.user_id == g.c.user_id,
                    user_skills.c.skill_id == g.c.skill_id,
                ),
            )
        )

    async def add(self, goal: LearningGoal) -> bool:
        result = await self.session.execute(
            insert_or_ignore(self.session, goals, ["user_id", "skill_id"]).values(
                id=goal.id,
                user_id=goal.user_id,
                skill_id=goal.skill.id,
                target_level=goal.target_level,
                status=goal.status.value,
                note=goal.note,
                due_on=goal.due_on,
                created_at=goal.created_at,
                updated_at=goal.updated_at,
            )
        )
        if rowcount_of(result) != 1:
            return False
        await adjust(self.session, goal.skill.id, {"learner_count": is_learning(goal.status.value)})
        return True

    async def _lock(self, user_id: UUID, goal_id: UUID) -> tuple[UUID, str] | None:
        """The goal's skill and status, read under the goal's lock: what a write changes the
        skill's learner count from."""
        row = (
            await self.session.execute(
                select(goals.c.skill_id, goals.c.status)
                .where(goals.c.id == goal_id, goals.c.user_id == user_id)
                .with_for_update()
            )
        ).first()
        return (row[0], str(row[1])) if row else None

    async def get(self, user_id: UUID, goal_id: UUID) -> LearningGoal | None:
        row = (
            await self.session.execute(
                self._select().where(goals.c.id == goal_id, goals.c.user_id == user_id)
            )
        ).first()
        return _goal_from_row(row) if row else None

    async def update(self, goal: LearningGoal) -> None:
        async def write(before: tuple[UUID, str]) -> bool:
            result = await self.session.execute(
                update(goals)
                .where(
                    goals.c.id == goal.id,
                    goals.c.user_id == goal.user_id,
                    goals.c.status == before[1],
                )
                .values(
                    target_level=goal.target_level,
                    status=goal.status.value,
                    note=goal.note,
                    due_on=goal.due_on,
                    updated_at=goal.updated_at,
                )
            )
            return rowcount_of(result) == 1

        before = await compare_and_set(lambda: self._lock(goal.user_id, goal.id), write)
        if before is None:
            return
        skill_id, status = before
        change = is_learning(goal.status.value) - is_learning(status)
        await adjust(self.session, skill_id, {"learner_count": change})

    async def remove(self, user_id: UUID, goal_id: UUID) -> bool:
        async def delete_locked(before: tuple[UUID, str]) -> bool:
            result = await self.session.execute(
                delete(goals).where(
                    goals.c.id == goal_id, goals.c.user_id == user_id, goals.c.status == before[1]
                )
            )
            return rowcount_of(result) == 1

        before = await compare_and_set(lambda: self._lock(user_id, goal_id), delete_locked)
        if before is None:
            return False
        skill_id, status = before
        await adjust(self.session, skill_id, {"learner_count": -is_learning(status)})
        return True

    async def list_for_user(
        self, user_id: UUID, status: GoalStatus | None, page: PageRequest
    ) -> PageResult[LearningGoal]:
        stmt = self._select().where(goals.c.user_id == user_id)
        if status is not None:
            stmt = stmt.where(goals.c.status == status.value)
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(goals.c.created_at, descending=True), SortKey(goals.c.id, descending=True)],
            page,
            _goal_from_row,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )
