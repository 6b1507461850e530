"""domain_event (the outbox), processed_event (consumers' marks), failed_job (dead letters)

Every change worth telling writes a domain event in its own transaction; a relay hands the
undispatched ones to the task broker, consumers mark what they took, and events a consumer kept
failing on wait in failed_job for an administrator to replay.

Revision ID: events_outbox
Revises: a3b4inbox
Create Date: 2026-12-06 23:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'events_outbox'
down_revision: str | None = 'a3b4inbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'domain_event',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('type', sa.String(64), nullable=False),
        sa.Column('occurred_at', UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.Uuid(), nullable=True),
        sa.Column('community_id', sa.Uuid(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('payload_version', sa.Integer(), nullable=False, server_default='1'),
        sa.Column('dispatched_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_domain_event'),
    )
    op.create_index(
        'ix_domain_event_undispatched',
        'domain_event',
        ['id'],
        postgresql_where=sa.text('dispatched_at IS NULL'),
        sqlite_where=sa.text('dispatched_at IS NULL'),
    )
    op.create_index('ix_domain_event_dispatched_at', 'domain_event', ['dispatched_at'])
    op.create_table(
        'processed_event',
        sa.Column('consumer', sa.String(120), nullable=False),
        sa.Column('event_id', sa.Uuid(), nullable=False),
        sa.Column('processed_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('consumer', 'event_id', name='pk_processed_event'),
    )
    op.create_index('ix_processed_event_processed_at', 'processed_event', ['processed_at'])
    op.create_table(
        'failed_job',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('event_id', sa.Uuid(), nullable=False),
        sa.Column('event_type', sa.String(64), nullable=False),
        sa.Column('consumer', sa.String(120), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('failed_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_failed_job'),
    )
    op.create_index('ix_failed_job_failed_at', 'failed_job', ['failed_at'])


def downgrade() -> None:
    op.drop_table('failed_job')
    op.drop_table('processed_event')
    op.drop_table('domain_event')
