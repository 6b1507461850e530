"""notification: at most one unread line per (user, group); stream tickets

Two events on one subject used to be able to write two unread lines for one person when they
ran at the same time (each looked for an open line, found none and inserted). A partial unique
index on (user_id, group_key) WHERE read_at IS NULL makes the write an upsert instead. Existing
duplicates are resolved first: the newest unread line of a group stays unread, older ones are
marked read at their own time.

`stream_ticket` holds the short-lived, single-use tickets that open a notification stream from
a browser's EventSource (which cannot send an Authorization header); only their hash is stored.

Revision ID: live1stream
Revises: schedule_jobtick
Create Date: 2026-12-06 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'live1stream'
down_revision: str | None = 'schedule_jobtick'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE notification SET read_at = created_at "
        "WHERE read_at IS NULL AND group_key IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM notification AS newer WHERE newer.user_id = notification.user_id "
        "AND newer.group_key = notification.group_key AND newer.read_at IS NULL "
        "AND newer.id > notification.id)"
    )
    op.create_index(
        'ux_notification_open_group',
        'notification',
        ['user_id', 'group_key'],
        unique=True,
        postgresql_where=sa.text('read_at IS NULL'),
        sqlite_where=sa.text('read_at IS NULL'),
    )
    op.create_table(
        'stream_ticket',
        sa.Column('ticket_hash', sa.String(64), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_stream_ticket_user_id_user_account',
        ),
        sa.PrimaryKeyConstraint('ticket_hash', name='pk_stream_ticket'),
    )
    op.create_index('ix_stream_ticket_user_id', 'stream_ticket', ['user_id'])


def downgrade() -> None:
    op.drop_index('ix_stream_ticket_user_id', table_name='stream_ticket')
    op.drop_table('stream_ticket')
    op.drop_index('ux_notification_open_group', table_name='notification')
