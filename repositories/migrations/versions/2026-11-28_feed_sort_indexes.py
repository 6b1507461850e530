"""post: indexes for the feed's "active" and "top" sorts

The feed spans communities, so the per-community sort indexes cannot serve it. Sorted by last
activity or by score it read and sorted every post (25 ms at 10,000 posts, a full scan at any
size); these let it walk newest-active or best-scored first and stop after the page.

Revision ID: c5d6feedsorts
Revises: b3c4memberuser
Create Date: 2026-11-28 10:30:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'c5d6feedsorts'
down_revision: str | None = 'b3c4memberuser'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_post_recent_activity', 'post', ['last_activity_at', 'id'], unique=False)
    op.create_index('ix_post_best', 'post', ['score', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_post_best', table_name='post')
    op.drop_index('ix_post_recent_activity', table_name='post')
