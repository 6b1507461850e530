"""account_token: single-use links for e-mail verification and password reset

Only the SHA-256 of each link's secret is stored, with its purpose, the address it was mailed
to, its expiry and when it was used (or replaced by a newer one).

Revision ID: mail_2
Revises: mail_1
Create Date: 2026-12-07 03:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'mail_2'
down_revision: str | None = 'mail_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'account_token',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('purpose', sa.String(16), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=False),
        sa.Column('email', sa.String(320), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_account_token_user_id_user_account',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_account_token'),
        sa.UniqueConstraint('token_hash', name='uq_account_token_token_hash'),
    )
    op.create_index(
        'ix_account_token_user_purpose', 'account_token', ['user_id', 'purpose', 'created_at']
    )


def downgrade() -> None:
    op.drop_index('ix_account_token_user_purpose', table_name='account_token')
    op.drop_table('account_token')
