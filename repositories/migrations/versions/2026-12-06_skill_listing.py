"""skill.listed: a skill first named by a tag in a private community stays out of the taxonomy

Existing skills stay listed (the column's default). A partial index serves the administrators'
review list of unlisted skills.

Revision ID: e9f0skilllisting
Revises: e9f0openreport
Create Date: 2026-12-06 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'e9f0skilllisting'
down_revision: str | None = 'e9f0openreport'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rendered per dialect, as the queries render it, so that each database matches the two.
UNLISTED = sa.column('listed', sa.Boolean()).is_(False)


def upgrade() -> None:
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('listed', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_index(
        'ix_skill_unlisted',
        'skill',
        ['sort_name', 'id'],
        unique=False,
        postgresql_where=UNLISTED,
        sqlite_where=UNLISTED,
    )


def downgrade() -> None:
    op.drop_index('ix_skill_unlisted', table_name='skill')
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_column('listed')
