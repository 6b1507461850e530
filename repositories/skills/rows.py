"""The skill tables as this package reads them, and the row mappers they share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.skills.model import Skill, SkillCategory, SkillName, SkillRef
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.mentorship.tables import MentorshipRow
from repositories.posts.tables import CommentRow, PostRow, PostTag
from repositories.rows import fields
from repositories.skills.tables import (
    EndorsementRow,
    LearningGoalRow,
    SkillAlias,
    SkillEvidenceRow,
    SkillPrivateEvidenceRow,
    SkillRow,
)
from repositories.skills.tables import UserSkill as UserSkillRow
from repositories.users.tables import UserAccount

skills = SkillRow.__table__  # type: ignore[attr-defined]
names = SkillAlias.__table__  # type: ignore[attr-defined]
user_skills = UserSkillRow.__table__  # type: ignore[attr-defined]
endorsements = EndorsementRow.__table__  # type: ignore[attr-defined]
goals = LearningGoalRow.__table__  # type: ignore[attr-defined]
post_tags = PostTag.__table__  # type: ignore[attr-defined]
mentorships = MentorshipRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
comments = CommentRow.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
evidence = SkillEvidenceRow.__table__  # type: ignore[attr-defined]
private_rows = SkillPrivateEvidenceRow.__table__  # type: ignore[attr-defined]

SKILL_COLUMNS = [
    skills.c.id,
    skills.c.slug,
    skills.c.name,
    skills.c.sort_name,
    skills.c.description,
    skills.c.category,
    skills.c.holder_count,
    skills.c.expert_count,
    skills.c.teacher_count,
    skills.c.learner_count,
    skills.c.created_at,
    skills.c.updated_at,
    skills.c.listed,
]
REF_COLUMNS = [
    skills.c.id.label("skill_id"),
    skills.c.slug.label("skill_slug"),
    skills.c.name.label("skill_name"),
    skills.c.category.label("skill_category"),
    skills.c.listed.label("skill_listed"),
]


def rowcount_of(result: Any) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (ON CONFLICT DO NOTHING counts 0)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def insert_or_ignore(session: AsyncSession, table: Any, conflict: list[str]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING: the unique index, not a prior read, decides who wins."""
    dialect = session.get_bind().dialect.name
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing(index_elements=conflict)


def category_of(value: str | None) -> SkillCategory | None:
    return SkillCategory(value) if value is not None else None


def ref_from_row(row: Row[Any]) -> SkillRef:
    m = fields(row)
    return SkillRef(
        id=m["skill_id"],
        slug=m["skill_slug"],
        name=m["skill_name"],
        category=category_of(m["skill_category"]),
        listed=m["skill_listed"],
    )


def skill_from_row(row: Row[Any]) -> Skill:
    m = fields(row)
    return Skill(
        id=m["id"],
        slug=m["slug"],
        name=m["name"],
        description=m["description"],
        category=category_of(m["category"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        holder_count=m["holder_count"],
        expert_count=m["expert_count"],
        teacher_count=m["teacher_count"],
        learner_count=m["learner_count"],
        listed=m["listed"],
    )


def name_values(skill_id: UUID, rows: Sequence[SkillName]) -> list[dict[str, Any]]:
    return [
        {"normalized": n.key, "skill_id": skill_id, "name": n.name, "is_primary": n.primary}
        for n in rows
    ]
