"""mail_state, digest_record: notification mail and digests

`mail_state` keeps each person's digest choice and when they were last mailed notifications
(the ten-minute quiet time, and up to which line); `digest_record` is the per-person, per-period
claim that keeps a digest from going out twice. Two indexes serve the jobs: unread lines by
time (who has something to mail) and people by time zone (whose digest is due).

Revision ID: digest_1
Revises: ux_1
Create Date: 2026-12-07 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'digest_1'
down_revision: str | None = 'ux_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_state',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('email_digest', sa.String(length=16), nullable=True),
        sa.Column('notification_mailed_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('notification_mailed_upto', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['user_account.id'],
            name=op.f('fk_mail_state_user_id_user_account'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mail_state')),
    )
    op.create_table(
        'digest_record',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('period_key', sa.String(length=16), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'],
            ['user_account.id'],
            name=op.f('fk_digest_record_user_id_user_account'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', 'period_key', name=op.f('pk_digest_record')),
    )
    op.create_index(
        'ix_notification_unread_recent',
        'notification',
        ['created_at', 'user_id'],
        postgresql_where=sa.text('read_at IS NULL'),
        sqlite_where=sa.text('read_at IS NULL'),
    )
    op.create_index('ix_user_account_timezone', 'user_account', ['timezone', 'id'])


def downgrade() -> None:
    op.drop_index('ix_user_account_timezone', table_name='user_account')
    op.drop_index('ix_notification_unread_recent', table_name='notification')
    op.drop_table('digest_record')
    op.drop_table('mail_state')
