"""webhook, webhook_delivery, webhook_attempt: signed webhooks and their deliveries

A webhook is a subscription of a community (its stewards) or of the organisation
(administrators, `community_id` null) to event types of the catalog; its secret is stored
encrypted. Each event becomes one delivery per subscription (the exact body every try sends),
and each try of a delivery is a webhook_attempt row.

Revision ID: hooks_1
Revises: insights_1
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'hooks_1'
down_revision: str | None = 'insights_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'webhook',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('community_id', sa.Uuid(), nullable=True),
        sa.Column('created_by', sa.Uuid(), nullable=False),
        sa.Column('url', sa.String(2000), nullable=False),
        sa.Column('event_types', sa.JSON(), nullable=False),
        sa.Column('description', sa.String(500), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('include_private_communities', sa.Boolean(), nullable=False),
        sa.Column('secret_sealed', sa.Text(), nullable=False),
        sa.Column('previous_secret_sealed', sa.Text(), nullable=True),
        sa.Column('previous_secret_expires_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('failing_since', UTCDateTime(timezone=True), nullable=True),
        sa.Column('disabled_reason', sa.String(200), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(
            ['community_id'], ['community.id'], ondelete='CASCADE',
            name='fk_webhook_community_id_community',
        ),
        sa.ForeignKeyConstraint(
            ['created_by'], ['user_account.id'], ondelete='CASCADE',
            name='fk_webhook_created_by_user_account',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_webhook'),
    )
    op.create_index('ix_webhook_scope', 'webhook', ['community_id', 'id'])
    op.create_table(
        'webhook_delivery',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('webhook_id', sa.Uuid(), nullable=False),
        sa.Column('event_id', sa.Uuid(), nullable=True),
        sa.Column('event_type', sa.String(64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('attempt_budget', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_attempt_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['webhook_id'], ['webhook.id'], ondelete='CASCADE',
            name='fk_webhook_delivery_webhook_id_webhook',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_webhook_delivery'),
    )
    op.create_index('ix_webhook_delivery_list', 'webhook_delivery', ['webhook_id', 'id'])
    op.create_index(
        'ix_webhook_delivery_due',
        'webhook_delivery',
        ['next_attempt_at'],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_index('ix_webhook_delivery_created', 'webhook_delivery', ['created_at'])
    op.create_table(
        'webhook_attempt',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('delivery_id', sa.Uuid(), nullable=False),
        sa.Column('attempted_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('error', sa.String(500), nullable=True),
        sa.Column('response_excerpt', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['delivery_id'], ['webhook_delivery.id'], ondelete='CASCADE',
            name='fk_webhook_attempt_delivery_id_webhook_delivery',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_webhook_attempt'),
    )
    op.create_index('ix_webhook_attempt_delivery', 'webhook_attempt', ['delivery_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_webhook_attempt_delivery', table_name='webhook_attempt')
    op.drop_table('webhook_attempt')
    op.drop_index('ix_webhook_delivery_created', table_name='webhook_delivery')
    op.drop_index('ix_webhook_delivery_due', table_name='webhook_delivery')
    op.drop_index('ix_webhook_delivery_list', table_name='webhook_delivery')
    op.drop_table('webhook_delivery')
    op.drop_index('ix_webhook_scope', table_name='webhook')
    op.drop_table('webhook')
