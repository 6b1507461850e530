"""notification: reasons, grouping, visibility; per-kind preferences; post watching

Each notification says why it was sent (`reason`), where it points inside its subject
(`anchor_id`) and which community it belongs to (`community_id`, so that leaving a private
community hides its notifications). Unread notifications of one kind on one subject collapse
into one row (`group_key`, `group_count`, `actor_ids`). Authors and commenters of existing posts
start watching them.

Revision ID: a3b4inbox
Revises: f1a2skillcounts
Create Date: 2026-12-06 22:00:00.000000
"""

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'a3b4inbox'
down_revision: str | None = 'f1a2skillcounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASONS = {
    'new_post': 'community_setting',
    'question_for_you': 'expertise',
    'comment_on_post': 'authored',
    'reply_to_comment': 'replied_to',
    'mention': 'mentioned',
    'answer_accepted': 'authored',
    'join_request': 'steward',
    'nomination': 'steward',
    'nominations_open': 'member',
    'mentorship_requested': 'participant',
    'mentorship_accepted': 'participant',
    'mentorship_declined': 'participant',
    'report_filed': 'steward',
}


def _time_ordered_id(at: datetime) -> uuid.UUID:
    # The same layout as domain.notifications.model.time_ordered_id (UUID version 7); written
    # out here so that this migration never changes when the domain does.
    micros = int(at.timestamp() * 1_000_000)
    millis, within = divmod(micros, 1000)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (within * 4) << 64 | 0b10 << 62
    return uuid.UUID(int=value | secrets.randbits(62))


def upgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.add_column(
            sa.Column('reason', sa.String(32), nullable=False, server_default='you')
        )
        batch.add_column(sa.Column('community_id', sa.Uuid(), nullable=True))
        batch.add_column(sa.Column('anchor_id', sa.Uuid(), nullable=True))
        batch.add_column(sa.Column('group_key', sa.String(120), nullable=True))
        batch.add_column(
            sa.Column('group_count', sa.Integer(), nullable=False, server_default='1')
        )
        batch.add_column(sa.Column('actor_ids', sa.Text(), nullable=True))
        batch.create_foreign_key(
            'fk_notification_community', 'community', ['community_id'], ['id'],
            ondelete='CASCADE',
        )
        batch.create_index('ix_notification_group', ['user_id', 'group_key'])
        batch.drop_index('ix_notification_inbox')
        batch.create_index('ix_notification_inbox', ['user_id', 'id'])
    for kind, reason in REASONS.items():
        op.execute(
            sa.text('UPDATE notification SET reason = :reason WHERE kind = :kind').bindparams(
                reason=reason, kind=kind
            )
        )
    # The inbox is ordered by id from now on: existing rows get time-ordered ids from their time.
    bind = op.get_bind()
    table = sa.table('notification', sa.column('id', sa.Uuid()), sa.column('created_at', UTCDateTime(timezone=True)))
    rows = bind.execute(sa.select(table.c.id, table.c.created_at)).all()
    if rows:
        bind.execute(
            table.update().where(table.c.id == sa.bindparam('old_id')).values(id=sa.bindparam('new_id')),
            [{'old_id': row.id, 'new_id': _time_ordered_id(row.created_at)} for row in rows],
        )
    # Existing notifications keep their community, so that visibility applies to them too.
    op.execute(
        "UPDATE notification SET community_id = subject_id WHERE subject_type = 'community'"
    )
    op.execute(
        "UPDATE notification SET community_id = "
        "(SELECT post.community_id FROM post WHERE post.id = notification.subject_id) "
        "WHERE subject_type = 'post'"
    )
    op.create_table(
        'notification_preference',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('in_app', sa.Boolean(), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.Column('push', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind'),
    )
    op.create_table(
        'post_watch',
        sa.Column('post_id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('watching', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('post_id', 'user_id'),
    )
    op.execute(
        "INSERT INTO post_watch (post_id, user_id, watching, created_at) "
        "SELECT id, author_id, true, created_at FROM post"
    )
    op.execute(
        "INSERT INTO post_watch (post_id, user_id, watching, created_at) "
        "SELECT comment.post_id, comment.author_id, true, MIN(comment.created_at) FROM comment "
        "WHERE NOT EXISTS (SELECT 1 FROM post_watch AS w "
        "WHERE w.post_id = comment.post_id AND w.user_id = comment.author_id) "
        "GROUP BY comment.post_id, comment.author_id"
    )


def downgrade() -> None:
    op.drop_table('post_watch')
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification') as batch:
        batch.drop_index('ix_notification_group')
        batch.drop_index('ix_notification_inbox')
        batch.create_index('ix_notification_inbox', ['user_id', 'created_at', 'id'])
        batch.drop_constraint('fk_notification_community', type_='foreignkey')
        for column in ('actor_ids', 'group_count', 'group_key', 'anchor_id', 'community_id',
                       'reason'):
            batch.drop_column(column)
