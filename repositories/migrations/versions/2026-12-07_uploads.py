"""upload: files attached to posts and comments; post.attachments and comment.attachments

`upload` holds one row per uploaded file (its bytes are in the file store under its id). An
upload belongs to its uploader until it is attached to a post or a comment, and from then on is
visible to whoever sees that post. `attachments` on post and comment keeps the attached uploads
as JSON with the row, so every page of posts or comments shows them without another statement.

Revision ID: upload_1
Revises: nudge_1
Create Date: 2026-12-07 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

revision: str = 'upload_1'
down_revision: str | None = 'nudge_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('post') as batch:
        batch.add_column(sa.Column('attachments', sa.Text(), nullable=False, server_default='[]'))
    with op.batch_alter_table('comment') as batch:
        batch.add_column(sa.Column('attachments', sa.Text(), nullable=False, server_default='[]'))
    op.create_table(
        'upload',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('owner_id', sa.Uuid(), nullable=False),
        sa.Column('post_id', sa.Uuid(), nullable=True),
        sa.Column('comment_id', sa.Uuid(), nullable=True),
        sa.Column('content_type', sa.String(100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(200), nullable=False),
        sa.Column('has_thumbnail', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['user_account.id'], ondelete='CASCADE',
            name='fk_upload_owner_id_user_account',
        ),
        sa.ForeignKeyConstraint(
            ['post_id'], ['post.id'], ondelete='CASCADE', name='fk_upload_post_id_post',
        ),
        sa.ForeignKeyConstraint(
            ['comment_id'], ['comment.id'], ondelete='CASCADE',
            name='fk_upload_comment_id_comment',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_upload'),
    )
    op.create_index('ix_upload_unattached', 'upload', ['post_id', 'created_at'])
    op.create_index('ix_upload_comment', 'upload', ['comment_id'])
    op.create_index('ix_upload_owner', 'upload', ['owner_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_upload_owner', table_name='upload')
    op.drop_index('ix_upload_comment', table_name='upload')
    op.drop_index('ix_upload_unattached', table_name='upload')
    op.drop_table('upload')
    with op.batch_alter_table('comment') as batch:
        batch.drop_column('attachments')
    with op.batch_alter_table('post') as batch:
        batch.drop_column('attachments')
