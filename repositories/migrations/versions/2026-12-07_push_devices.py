"""push_device: devices that receive push notifications

One row per Web Push subscription (its endpoint and keys) or FCM/APNs token, owned by one
person; `pushed_upto` is the newest notification line already offered to the device.

Revision ID: push_1
Revises: sync_1
Create Date: 2026-12-07 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'push_1'
down_revision: str | None = 'sync_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'push_device',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('platform', sa.String(16), nullable=False),
        sa.Column('address', sa.String(1000), nullable=False),
        sa.Column('p256dh', sa.String(100), nullable=True),
        sa.Column('auth', sa.String(50), nullable=True),
        sa.Column('name', sa.String(100), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('pushed_upto', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_push_device_user_id_user_account',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_push_device'),
    )
    op.create_index('ux_push_device_address', 'push_device', ['platform', 'address'], unique=True)
    op.create_index('ix_push_device_user', 'push_device', ['user_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_push_device_user', table_name='push_device')
    op.drop_index('ux_push_device_address', table_name='push_device')
    op.drop_table('push_device')
