"""community.steward_term_ends_at: when the first current steward's term ends

Kept by every membership write, so that lists of communities can flag a term ending soon
without reading each community's stewards. Filled from the memberships on upgrade.

Revision ID: home2_1
Revises: mail2_1
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'home2_1'
down_revision: str | None = 'mail2_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('steward_term_ends_at', UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE community SET steward_term_ends_at = ("
        "SELECT min(term_ends_at) FROM community_member "
        "WHERE community_member.community_id = community.id "
        "AND community_member.role = 'steward' AND community_member.status = 'active')"
    )


def downgrade() -> None:
    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('steward_term_ends_at')
