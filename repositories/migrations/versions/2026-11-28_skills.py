"""skills: taxonomy with a normalised name index, profile skills, endorsements, learning goals

Revision ID: 5c1a7e2b9d40
Revises: b2c0communities
Create Date: 2026-11-28 02:08:16.569254
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import repositories.types


revision: str = '5c1a7e2b9d40'
down_revision: str | None = 'b2c0communities'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('skill',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('sort_name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('holder_count', sa.Integer(), nullable=False),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
    sa.UniqueConstraint('slug', name=op.f('uq_skill_slug'))
    )
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.create_index('ix_skill_by_name', ['sort_name', 'id'], unique=False)
        batch_op.create_index('ix_skill_category_by_name', ['category', 'sort_name', 'id'], unique=False)
        batch_op.create_index('ix_skill_category_popular', ['category', sa.literal_column('holder_count DESC'), 'sort_name', 'id'], unique=False)
        batch_op.create_index('ix_skill_popular', [sa.literal_column('holder_count DESC'), 'sort_name', 'id'], unique=False)

    op.create_table('learning_goal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('target_level', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('target_level BETWEEN 1 AND 5', name=op.f('ck_learning_goal_target_level_range')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_learning_goal_skill_id_skill'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_learning_goal_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_goal'))
    )
    with op.batch_alter_table('learning_goal', schema=None) as batch_op:
        batch_op.create_index('ix_learning_goal_learners', ['skill_id', 'status'], unique=False)
        batch_op.create_index('ix_learning_goal_list', ['user_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_learning_goal_user_skill', ['user_id', 'skill_id'], unique=True)

    op.create_table('skill_alias',
    sa.Column('normalized', sa.String(length=255), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_alias_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('normalized', name=op.f('pk_skill_alias'))
    )
    with op.batch_alter_table('skill_alias', schema=None) as batch_op:
        batch_op.create_index('ix_skill_alias_normalized_pattern', ['normalized'], unique=False, postgresql_ops={'normalized': 'varchar_pattern_ops'})
        batch_op.create_index(batch_op.f('ix_skill_alias_skill_id'), ['skill_id'], unique=False)

    op.create_table('user_skill',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('wants_to_teach', sa.Boolean(), nullable=False),
    sa.Column('endorsement_count', sa.Integer(), nullable=False),
    sa.Column('endorsement_points', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_user_skill_level_range')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_user_skill_skill_id_skill'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_skill_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill_id', name=op.f('pk_user_skill'))
    )
    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.create_index('ix_user_skill_experts', ['skill_id', 'score', 'user_id'], unique=False)
        batch_op.create_index('ix_user_skill_level', ['skill_id', 'level'], unique=False)
        batch_op.create_index('ix_user_skill_profile', ['user_id', 'level'], unique=False)
        batch_op.create_index('ix_user_skill_teachers', ['skill_id', 'wants_to_teach'], unique=False)

    op.create_table('endorsement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('endorser_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence_post_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['endorser_id'], ['user_account.id'], name=op.f('fk_endorsement_endorser_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id', 'skill_id'], ['user_skill.user_id', 'user_skill.skill_id'], name=op.f('fk_endorsement_user_id_user_skill'), onupdate='CASCADE', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsement'))
    )
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.create_index('ix_endorsement_received', ['user_id', 'skill_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_endorsement_endorser', ['endorser_id', 'skill_id', 'user_id'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_index('uq_endorsement_endorser')
        batch_op.drop_index('ix_endorsement_received')

    op.drop_table('endorsement')
    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.drop_index('ix_user_skill_teachers')
        batch_op.drop_index('ix_user_skill_profile')
        batch_op.drop_index('ix_user_skill_level')
        batch_op.drop_index('ix_user_skill_experts')

    op.drop_table('user_skill')
    with op.batch_alter_table('skill_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_alias_skill_id'))
        batch_op.drop_index('ix_skill_alias_normalized_pattern', postgresql_ops={'normalized': 'varchar_pattern_ops'})

    op.drop_table('skill_alias')
    with op.batch_alter_table('learning_goal', schema=None) as batch_op:
        batch_op.drop_index('uq_learning_goal_user_skill')
        batch_op.drop_index('ix_learning_goal_list')
        batch_op.drop_index('ix_learning_goal_learners')

    op.drop_table('learning_goal')
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_popular')
        batch_op.drop_index('ix_skill_category_popular')
        batch_op.drop_index('ix_skill_category_by_name')
        batch_op.drop_index('ix_skill_by_name')

    op.drop_table('skill')
