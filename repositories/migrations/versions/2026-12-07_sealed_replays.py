"""idempotency_key: forget answers stored in clear

Answers stored for Idempotency-Key replays are sealed from now on (api/idempotency.py), since
some carry a secret shown once (a new webhook's signing secret). Those stored before were kept
in clear; they are deleted, so no copy of a signing secret stays readable in the database. A
retry with one of those keys is then answered as a new request.

Revision ID: contract2_1
Revises: push_1
Create Date: 2026-12-07 07:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "contract2_1"
down_revision: str | None = "push_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_key WHERE status_code IS NOT NULL")


def downgrade() -> None:
    pass  # what was deleted was a cache of answers; nothing to bring back
