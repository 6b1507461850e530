"""job_tick: periodic jobs run once per tick, however many processes schedule them

Every process that runs a scheduler reaches the same ticks; the first to insert (job, tick_at)
runs the job, the others skip. The row keeps when the run ended and what it reported.

Revision ID: schedule_jobtick
Revises: events_outbox
Create Date: 2026-12-07 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'schedule_jobtick'
down_revision: str | None = 'events_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'job_tick',
        sa.Column('job', sa.String(length=80), nullable=False),
        sa.Column('tick_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('processed', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('job', 'tick_at', name=op.f('pk_job_tick')),
    )


def downgrade() -> None:
    op.drop_table('job_tick')
