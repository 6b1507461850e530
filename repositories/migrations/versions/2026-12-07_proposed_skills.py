"""user_skill.proposed: a skill put on someone's profile by their peers' evidence

An endorsement for a skill the person does not list, or their accepted answer to a question
tagged with it, proposes the skill to them: a user_skill row with `proposed` true. It carries
the endorsements and the evidence like any other, its level counts no points until the person
claims one (saving the skill turns the proposal into their own), and the skill's holder counts
leave it out.

Revision ID: ux_1
Revises: upload_1
Create Date: 2026-12-07 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'ux_1'
down_revision: str | None = 'upload_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('proposed', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.drop_column('proposed')
