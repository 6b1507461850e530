"""mail_queue: outgoing mail as rows, sent in batches over one SMTP connection

Until now each queued message was one `mail.requested` outbox event, handed on and sent alone
(three transactions and a new SMTP connection per message). Now a message is a row here; a
transaction that queues mail records one `mail.requested` event (whatever the number of
messages) that wakes the sender, which claims due messages a batch at a time.

Revision ID: mail2_1
Revises: digest_1
Create Date: 2026-12-07 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'mail2_1'
down_revision: str | None = 'digest_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mail_queue',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('queued_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('message', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_until', UTCDateTime(timezone=True), nullable=True),
        sa.Column('finished_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_queue')),
    )
    op.create_index(
        'ix_mail_queue_pending',
        'mail_queue',
        ['next_attempt_at'],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_index('ix_mail_queue_finished_at', 'mail_queue', ['finished_at'])


def downgrade() -> None:
    op.drop_index('ix_mail_queue_finished_at', table_name='mail_queue')
    op.drop_index('ix_mail_queue_pending', table_name='mail_queue')
    op.drop_table('mail_queue')
