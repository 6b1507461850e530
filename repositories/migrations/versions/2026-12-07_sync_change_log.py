"""sync_change: the change log of delta sync, kept by triggers on the synced tables

Every insert, update and delete of a community, membership, post, comment, mentorship,
notification or account writes one row in the same transaction (repositories/sync/triggers.py).
The rows of the existing data are not back-filled: a client starts with a snapshot.

Revision ID: sync_1
Revises: ledger_2
Create Date: 2026-12-07 06:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.sync import triggers
from repositories.types import UTCDateTime

revision: str = 'sync_1'
down_revision: str | None = 'ledger_2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sync_change',
        sa.Column(
            'seq',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column('txid', sa.BigInteger(), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('entity_id', sa.Uuid(), nullable=False),
        sa.Column('community_id', sa.Uuid(), nullable=True),
        sa.Column('user_id', sa.Uuid(), nullable=True),
        sa.Column('other_user_id', sa.Uuid(), nullable=True),
        sa.Column('changed_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('seq', name='pk_sync_change'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_sync_change_position', 'sync_change', ['txid', 'seq'])
    op.create_index('ix_sync_change_community', 'sync_change', ['community_id', 'txid', 'seq'])
    op.create_index('ix_sync_change_user', 'sync_change', ['user_id', 'txid', 'seq'])
    op.create_index(
        'ix_sync_change_other_user', 'sync_change', ['other_user_id', 'txid', 'seq']
    )
    op.create_index('ix_sync_change_changed_at', 'sync_change', ['changed_at'])
    create = (
        triggers.postgresql_create
        if op.get_bind().dialect.name == 'postgresql'
        else triggers.sqlite_create
    )
    for statement in create():
        op.execute(statement)


def downgrade() -> None:
    drop = (
        triggers.postgresql_drop
        if op.get_bind().dialect.name == 'postgresql'
        else triggers.sqlite_drop
    )
    for statement in drop():
        op.execute(statement)
    op.drop_table('sync_change')
