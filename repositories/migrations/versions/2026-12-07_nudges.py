"""follow-the-sun nudges: working hours, one time zone per person, nudge_after_minutes, post_nudge

- user_account.working_hours ("12345 09:00-17:00"; NULL is Monday to Friday, 09:00-17:00).
- The time zone lives on the person only: a mentor profile's time zone is copied to its person
  where the person has none, and mentor_profile.timezone goes (the mentor profile API reads and
  writes the person's).
- community.nudge_after_minutes (default 60, 0 turns nudges off).
- post_nudge: who was asked to answer which question, in which window and why, or dismissed it.
- ix_post_question_due: the recent questions without an accepted answer, for the nudge job.

Revision ID: nudge_1
Revises: mail_2
Create Date: 2026-12-07 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'nudge_1'
down_revision: str | None = 'mail_2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('working_hours', sa.String(32), nullable=True))
    op.execute(
        "UPDATE user_account SET timezone = "
        "(SELECT mentor_profile.timezone FROM mentor_profile "
        "WHERE mentor_profile.user_id = user_account.id) "
        "WHERE timezone IS NULL AND EXISTS (SELECT 1 FROM mentor_profile "
        "WHERE mentor_profile.user_id = user_account.id AND mentor_profile.timezone IS NOT NULL)"
    )
    with op.batch_alter_table('mentor_profile') as batch:
        batch.drop_column('timezone')
    with op.batch_alter_table('community') as batch:
        batch.add_column(
            sa.Column('nudge_after_minutes', sa.Integer(), nullable=False, server_default='60')
        )
    op.create_index(
        'ix_post_question_due', 'post', ['kind', 'accepted_comment_id', 'created_at']
    )
    op.create_table(
        'post_nudge',
        sa.Column('post_id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('window', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(300), nullable=True),
        sa.Column('nudged_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('dismissed_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', 'user_id'),
    )
    op.create_index('ix_post_nudge_user', 'post_nudge', ['user_id', 'nudged_at'])


def downgrade() -> None:
    op.drop_index('ix_post_nudge_user', table_name='post_nudge')
    op.drop_table('post_nudge')
    op.drop_index('ix_post_question_due', table_name='post')
    with op.batch_alter_table('community') as batch:
        batch.drop_column('nudge_after_minutes')
    with op.batch_alter_table('mentor_profile') as batch:
        batch.add_column(sa.Column('timezone', sa.String(64), nullable=True))
    op.execute(
        "UPDATE mentor_profile SET timezone = (SELECT user_account.timezone FROM user_account "
        "WHERE user_account.id = mentor_profile.user_id)"
    )
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('working_hours')
