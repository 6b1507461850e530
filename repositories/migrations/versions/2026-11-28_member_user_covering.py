"""community_member by user covers community_id

Mentor recommendations read the communities of up to 200 candidates at once; with community_id in
ix_community_member_user that read never touches the table.

Revision ID: b3c4memberuser
Revises: a1b2evidence
Create Date: 2026-11-28 06:00:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'b3c4memberuser'
down_revision: str | None = 'a1b2evidence'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_community_member_user', table_name='community_member')
    op.create_index(
        'ix_community_member_user',
        'community_member',
        ['user_id', 'status', 'community_id'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_community_member_user', table_name='community_member')
    op.create_index(
        'ix_community_member_user', 'community_member', ['user_id', 'status'], unique=False
    )
