"""skill_insight and skill_insight_pair: per-skill demand, supply, gap and bus factor rollups

A scheduled job (refresh_skill_insights) replaces both tables on every tick: one row per scope
(a community, or the organisation under the nil UUID) and skill, and the suggested mentorship
pairs of at-risk skills. Pages of GET /insights/skills are keyset scans of the two indexes.

Revision ID: insights_1
Revises: home2_1
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'insights_1'
down_revision: str | None = 'home2_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'skill_insight',
        sa.Column('scope_id', sa.Uuid(), nullable=False),
        sa.Column('skill_id', sa.Uuid(), nullable=False),
        sa.Column('learners', sa.Integer(), nullable=False),
        sa.Column('questions', sa.Integer(), nullable=False),
        sa.Column('unanswered', sa.Integer(), nullable=False),
        sa.Column('median_first_answer_minutes', sa.Float(), nullable=True),
        sa.Column('experts', sa.Integer(), nullable=False),
        sa.Column('answerers', sa.Integer(), nullable=False),
        sa.Column('mentors', sa.Integer(), nullable=False),
        sa.Column('accepted_answers', sa.Integer(), nullable=False),
        sa.Column('bus_factor', sa.Integer(), nullable=False),
        sa.Column('risk', sa.Integer(), nullable=False),
        sa.Column('gap', sa.Float(), nullable=False),
        sa.Column('refreshed_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('scope_id', 'skill_id', name='pk_skill_insight'),
    )
    op.create_index('ix_skill_insight_gap', 'skill_insight', ['scope_id', 'gap', 'skill_id'])
    op.create_index(
        'ix_skill_insight_risk', 'skill_insight', ['scope_id', 'risk', 'gap', 'skill_id']
    )
    op.create_table(
        'skill_insight_pair',
        sa.Column('scope_id', sa.Uuid(), nullable=False),
        sa.Column('skill_id', sa.Uuid(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('expert_id', sa.Uuid(), nullable=False),
        sa.Column('learner_id', sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint(
            'scope_id', 'skill_id', 'position', name='pk_skill_insight_pair'
        ),
    )
    op.create_index(
        'ix_skill_insight_pair_learner', 'skill_insight_pair', ['scope_id', 'learner_id']
    )


def downgrade() -> None:
    op.drop_index('ix_skill_insight_pair_learner', table_name='skill_insight_pair')
    op.drop_table('skill_insight_pair')
    op.drop_index('ix_skill_insight_risk', table_name='skill_insight')
    op.drop_index('ix_skill_insight_gap', table_name='skill_insight')
    op.drop_table('skill_insight')
