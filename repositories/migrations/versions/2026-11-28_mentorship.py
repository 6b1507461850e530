"""mentorship: mentor profiles, mentorships (one open per pair and skill), sessions, feedback

Revision ID: f8a9mentorship
Revises: e6f7search
Create Date: 2026-11-28 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import repositories.types


revision: str = 'f8a9mentorship'
down_revision: str | None = 'e6f7search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('requested', 'active')")


def upgrade() -> None:
    op.create_table('mentor_profile',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('accepting_mentees', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active_mentees', sa.Integer(), nullable=False),
    sa.Column('about', sa.Text(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('active_mentees >= 0', name=op.f('ck_mentor_profile_active_mentees_not_negative')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 20', name=op.f('ck_mentor_profile_capacity_range')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_mentor_profile_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mentor_profile'))
    )

    op.create_table('mentorship',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('mentor_id', sa.Uuid(), nullable=False),
    sa.Column('mentee_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('goal', sa.String(length=500), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decline_reason', sa.String(length=500), nullable=True),
    sa.Column('confirmed_level', sa.Integer(), nullable=True),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('responded_at', repositories.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', repositories.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('confirmed_level BETWEEN 1 AND 5', name=op.f('ck_mentorship_confirmed_level_range')),
    sa.ForeignKeyConstraint(['mentee_id'], ['user_account.id'], name=op.f('fk_mentorship_mentee_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_mentorship_mentor_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_mentorship_skill_id_skill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship'))
    )
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_mentee', ['mentee_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_mentorship_mentor', ['mentor_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_mentorship_skill', ['skill_id'], unique=False)
        batch_op.create_index('ix_mentorship_unanswered', ['status', 'created_at'], unique=False)
        batch_op.create_index('uq_mentorship_open_pair', ['mentor_id', 'mentee_id', 'skill_id'], unique=True, postgresql_where=OPEN, sqlite_where=OPEN)

    op.create_table('mentorship_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('mentorship_id', sa.Uuid(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Uuid(), nullable=False),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('minutes BETWEEN 5 AND 600', name=op.f('ck_mentorship_session_minutes_range')),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_mentorship_session_created_by_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorship.id'], name=op.f('fk_mentorship_session_mentorship_id_mentorship'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_session'))
    )
    with op.batch_alter_table('mentorship_session', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_session_list', ['mentorship_id', 'held_on', 'id'], unique=False)

    op.create_table('mentorship_feedback',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('mentorship_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', repositories.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_mentorship_feedback_rating_range')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_mentorship_feedback_author_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorship.id'], name=op.f('fk_mentorship_feedback_mentorship_id_mentorship'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_feedback'))
    )
    with op.batch_alter_table('mentorship_feedback', schema=None) as batch_op:
        batch_op.create_index('uq_mentorship_feedback_author', ['mentorship_id', 'author_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('mentorship_feedback', schema=None) as batch_op:
        batch_op.drop_index('uq_mentorship_feedback_author')

    op.drop_table('mentorship_feedback')
    with op.batch_alter_table('mentorship_session', schema=None) as batch_op:
        batch_op.drop_index('ix_mentorship_session_list')

    op.drop_table('mentorship_session')
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.drop_index('uq_mentorship_open_pair', postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.drop_index('ix_mentorship_unanswered')
        batch_op.drop_index('ix_mentorship_skill')
        batch_op.drop_index('ix_mentorship_mentor')
        batch_op.drop_index('ix_mentorship_mentee')

    op.drop_table('mentorship')
    op.drop_table('mentor_profile')
