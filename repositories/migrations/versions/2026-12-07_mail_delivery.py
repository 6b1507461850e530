"""user_account: e-mail verification and deliverability

`email_verified_at` says when the current address was confirmed; mail other than account mail
(notifications, digests) waits for it. Accounts that exist before this revision keep getting
mail: they count as verified since they were created. `email_undeliverable_at` and its reason
record a permanent SMTP refusal of the current address; no mail goes there until it changes.

Revision ID: mail_1
Revises: live1stream
Create Date: 2026-12-07 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'mail_1'
down_revision: str | None = 'live1stream'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('email_verified_at', UTCDateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column('email_undeliverable_at', UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column('email_undeliverable_reason', sa.String(500), nullable=True))
    op.execute("UPDATE user_account SET email_verified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('email_undeliverable_reason')
        batch.drop_column('email_undeliverable_at')
        batch.drop_column('email_verified_at')
