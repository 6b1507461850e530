"""report: one open report per reporter and target

A member could file the same report on the same post or comment any number of times, each one
notifying the moderators. A partial unique index now allows one open report per reporter and
target; earlier duplicates are closed first (dismissed, with a note), the oldest stays open.

Revision ID: e9f0openreport
Revises: d7e8leaders
Create Date: 2026-12-06 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'e9f0openreport'
down_revision: str | None = 'd7e8leaders'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.execute(
        """
        UPDATE report SET status = 'resolved', action = 'dismiss', resolved_at = created_at,
               note = 'duplicate of an earlier open report'
        WHERE status = 'open' AND EXISTS (
            SELECT 1 FROM report AS earlier
            WHERE earlier.status = 'open'
              AND earlier.reporter_id = report.reporter_id
              AND earlier.target_type = report.target_type
              AND earlier.target_id = report.target_id
              AND (earlier.created_at < report.created_at
                   OR (earlier.created_at = report.created_at AND earlier.id < report.id))
        )
        """
    )
    op.create_index(
        'uq_report_open',
        'report',
        ['reporter_id', 'target_type', 'target_id'],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index('uq_report_open', table_name='report')
