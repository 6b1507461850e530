"""leadership_act: the leadership ledger, filled from what already happened

One row per act of leadership (steward terms, moderation decisions, nominations, accepted
answers, best practices, endorsements with evidence, mentoring, nudged questions answered,
communities started), written from now on in the transaction of the act itself. The upgrade
derives the acts of existing data from the rows that prove them
(repositories/leadership/backfill.py).

Revision ID: ledger_1
Revises: hooks_1
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.leadership.backfill import backfill_statements
from repositories.types import UTCDateTime

revision: str = 'ledger_1'
down_revision: str | None = 'hooks_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'leadership_act',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('community_id', sa.Uuid(), nullable=True),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('occurred_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('subject_type', sa.String(16), nullable=False),
        sa.Column('subject_id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_leadership_act_person_id_user_account',
        ),
        sa.ForeignKeyConstraint(
            ['community_id'], ['community.id'], ondelete='CASCADE',
            name='fk_leadership_act_community_id_community',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_leadership_act'),
    )
    op.create_index(
        'ix_leadership_act_person', 'leadership_act', ['person_id', 'occurred_at', 'id']
    )
    op.create_index(
        'ix_leadership_act_community', 'leadership_act', ['community_id', 'occurred_at']
    )
    op.create_index('ix_leadership_act_subject', 'leadership_act', ['subject_id'])
    for statement in backfill_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    op.drop_index('ix_leadership_act_subject', table_name='leadership_act')
    op.drop_index('ix_leadership_act_community', table_name='leadership_act')
    op.drop_index('ix_leadership_act_person', table_name='leadership_act')
    op.drop_table('leadership_act')
