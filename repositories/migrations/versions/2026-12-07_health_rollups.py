"""community_week_person, community_health_week, organisation_health_week: health over time

Weekly rollups kept by the health job (domain/insights/service.py): who took part in each
community each week (and their leadership acts), each community's weekly figures with its
leaderful index, and the organisation's (over all communities and over the public ones). The job
fills the past weeks itself, a few per run. Plus indexes on the time of comments, reactions and
leadership acts, which the job reads one week at a time.

Revision ID: ledger_2
Revises: ledger_1
Create Date: 2026-12-07 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'ledger_2'
down_revision: str | None = 'ledger_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _figures() -> list[sa.Column]:
    return [
        sa.Column('members', sa.Integer(), nullable=False),
        sa.Column('active_members', sa.Integer(), nullable=False),
        sa.Column('posts', sa.Integer(), nullable=False),
        sa.Column('questions', sa.Integer(), nullable=False),
        sa.Column('answered_share', sa.Float(), nullable=True),
        sa.Column('median_first_response_minutes', sa.Float(), nullable=True),
        sa.Column('contributors', sa.Integer(), nullable=False),
        sa.Column('leaders', sa.Integer(), nullable=False),
        sa.Column('index_active', sa.Integer(), nullable=False),
        sa.Column('index_leaders', sa.Integer(), nullable=False),
        sa.Column('index_acts', sa.Integer(), nullable=False),
        sa.Column('index_share', sa.Float(), nullable=False),
        sa.Column('index_concentration', sa.Float(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        'community_week_person',
        sa.Column('week_start', UTCDateTime(timezone=True), nullable=False),
        sa.Column('community_id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('contributed', sa.Integer(), nullable=False),
        sa.Column('acts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['community_id'], ['community.id'], ondelete='CASCADE',
            name='fk_community_week_person_community_id_community',
        ),
        sa.ForeignKeyConstraint(
            ['person_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_community_week_person_person_id_user_account',
        ),
        sa.PrimaryKeyConstraint(
            'week_start', 'community_id', 'person_id', name='pk_community_week_person'
        ),
    )
    op.create_table(
        'community_health_week',
        *_figures(),
        sa.Column('community_id', sa.Uuid(), nullable=False),
        sa.Column('week_start', UTCDateTime(timezone=True), nullable=False),
        sa.Column('computed_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['community_id'], ['community.id'], ondelete='CASCADE',
            name='fk_community_health_week_community_id_community',
        ),
        sa.PrimaryKeyConstraint('community_id', 'week_start', name='pk_community_health_week'),
    )
    op.create_index('ix_community_health_week_week', 'community_health_week', ['week_start'])
    op.create_table(
        'organisation_health_week',
        *_figures(),
        sa.Column('scope', sa.String(8), nullable=False),
        sa.Column('week_start', UTCDateTime(timezone=True), nullable=False),
        sa.Column('computed_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'week_start', name='pk_organisation_health_week'),
    )
    op.create_index('ix_comment_recent', 'comment', ['created_at'])
    op.create_index('ix_reaction_recent', 'reaction', ['created_at'])
    op.create_index('ix_leadership_act_recent', 'leadership_act', ['occurred_at'])


def downgrade() -> None:
    op.drop_index('ix_leadership_act_recent', table_name='leadership_act')
    op.drop_index('ix_reaction_recent', table_name='reaction')
    op.drop_index('ix_comment_recent', table_name='comment')
    op.drop_table('organisation_health_week')
    op.drop_index('ix_community_health_week_week', table_name='community_health_week')
    op.drop_table('community_health_week')
    op.drop_table('community_week_person')
