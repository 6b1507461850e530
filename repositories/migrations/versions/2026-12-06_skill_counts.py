"""skill.expert_count, teacher_count, learner_count: stored, kept current on write

Every page of the skill list counted each skill's experts, teachers and learners on every
request. The counts are now columns that the writes of user skills and learning goals move in
their own transaction (repositories/skills/counts.py); this migration fills them for the
existing rows.

Revision ID: f1a2skillcounts
Revises: e9f0skilllisting
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'f1a2skillcounts'
down_revision: str | None = 'e9f0skilllisting'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ('expert_count', 'teacher_count', 'learner_count')
# domain.skills.model.EXPERT_LEVEL and GoalStatus.active, as they were when this was written.
EXPERT_LEVEL = 4
ACTIVE = 'active'


def upgrade() -> None:
    with op.batch_alter_table('skill', schema=None) as batch_op:
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    skill = sa.table('skill', sa.column('id'), *(sa.column(name) for name in COUNTS))
    user_skill = sa.table(
        'user_skill', sa.column('skill_id'), sa.column('level'), sa.column('wants_to_teach')
    )
    goal = sa.table('learning_goal', sa.column('skill_id'), sa.column('status'))

    def count(table: sa.TableClause, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return (
            sa.select(sa.func.count())
            .select_from(table)
            .where(table.c.skill_id == skill.c.id, *where)
            .scalar_subquery()
        )

    op.execute(
        skill.update().values(
            expert_count=count(user_skill, user_skill.c.level >= EXPERT_LEVEL),
            teacher_count=count(user_skill, user_skill.c.wants_to_teach == sa.true()),
            learner_count=count(goal, goal.c.status == ACTIVE),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('skill', schema=None) as batch_op:
        for name in COUNTS:
            batch_op.drop_column(name)
