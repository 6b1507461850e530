"""skill evidence: per-community evidence of listed skills, public sums on user_skill,
endorsement evidence links to posts

The stored expert score now counts accepted answers and helpful reactions on public content
tagged with the skill, and each viewer's numbers add the private communities they can see (see
repositories/skills/scores.py). Existing rows are backfilled from the content already there, with the
scoring constants of domain/skills/model.py as they are today (a migration never imports the
domain: what it computed must not change when the constants do).
`endorsement` is rebuilt on SQLite to gain its foreign key; `post` and `comment` only gain
covering indexes (plain CREATE INDEX, no rebuild), so the full-text triggers of e6f7search stay.

Revision ID: a1b2evidence
Revises: f8a9mentorship
Create Date: 2026-11-28 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a1b2evidence'
down_revision: str | None = 'f8a9mentorship'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Each listed skill's evidence per community, counted from the content (the same three branches as
# repositories/skills/scores.py `_content_of`), then the public sums and the score of every user skill.
BACKFILL = [
    """
    INSERT INTO skill_evidence
        (user_id, skill_id, community_id, posts, accepted_answers, helpful_reactions)
    SELECT user_id, skill_id, community_id, sum(posts), sum(accepted), sum(helpful)
    FROM (
        SELECT us.user_id, us.skill_id, p.community_id,
               1 AS posts, 0 AS accepted, p.helpful_count AS helpful
        FROM user_skill us
        JOIN post p ON p.author_id = us.user_id
        JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = us.skill_id
        WHERE p.deleted_at IS NULL
        UNION ALL
        SELECT us.user_id, us.skill_id, p.community_id, 0, 1, 0
        FROM user_skill us
        JOIN comment cm ON cm.author_id = us.user_id
        JOIN post p ON p.accepted_comment_id = cm.id AND p.id = cm.post_id
        JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = us.skill_id
        WHERE cm.deleted_at IS NULL AND p.deleted_at IS NULL
        UNION ALL
        SELECT us.user_id, us.skill_id, p.community_id, 0, 0, cm.helpful_count
        FROM user_skill us
        JOIN comment cm ON cm.author_id = us.user_id
        JOIN post p ON p.id = cm.post_id
        JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = us.skill_id
        WHERE cm.helpful_count > 0 AND cm.deleted_at IS NULL AND p.deleted_at IS NULL
    ) content
    GROUP BY user_id, skill_id, community_id
    """,
    """
    UPDATE user_skill SET
        accepted_answers = (
            SELECT coalesce(sum(ev.accepted_answers), 0) FROM skill_evidence ev
            JOIN community c ON c.id = ev.community_id
            WHERE ev.user_id = user_skill.user_id AND ev.skill_id = user_skill.skill_id
              AND c.visibility = 'public'
        ),
        helpful_reactions = (
            SELECT coalesce(sum(ev.helpful_reactions), 0) FROM skill_evidence ev
            JOIN community c ON c.id = ev.community_id
            WHERE ev.user_id = user_skill.user_id AND ev.skill_id = user_skill.skill_id
              AND c.visibility = 'public'
        )
    """,
    # LEVEL_POINTS 2.0, ACCEPTED_ANSWER_POINTS 1.5, HELPFUL_REACTION_POINTS 0.25
    """
    UPDATE user_skill SET score = 2.0 * level + endorsement_points
        + 1.5 * accepted_answers + 0.25 * helpful_reactions
    """,
]


def upgrade() -> None:
    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_answers', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('helpful_reactions', sa.Integer(), server_default='0', nullable=False))

    # Evidence links were refused until now, so every existing value is NULL and the key holds.
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.create_index('ix_endorsement_evidence', ['evidence_post_id'], unique=False)
        batch_op.create_foreign_key(
            op.f('fk_endorsement_evidence_post_id_post'), 'post', ['evidence_post_id'], ['id'],
            ondelete='SET NULL',
        )

    op.create_table('skill_evidence',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('community_id', sa.Uuid(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('accepted_answers', sa.Integer(), nullable=False),
    sa.Column('helpful_reactions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], name=op.f('fk_skill_evidence_community_id_community'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id', 'skill_id'], ['user_skill.user_id', 'user_skill.skill_id'], name=op.f('fk_skill_evidence_user_id_user_skill'), onupdate='CASCADE', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'skill_id', 'community_id', name=op.f('pk_skill_evidence'))
    )
    with op.batch_alter_table('skill_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_skill_evidence_community', ['community_id'], unique=False)

    # Covering indexes for the evidence reads (plain CREATE INDEX: `post` is not rebuilt).
    op.create_index(
        'ix_post_author_evidence', 'post',
        ['author_id', 'id', 'community_id', 'deleted_at', 'helpful_count'], unique=False,
    )
    op.create_index(
        'ix_comment_author_evidence', 'comment',
        ['author_id', 'post_id', 'id', 'deleted_at', 'helpful_count'], unique=False,
    )
    op.create_index(
        'ix_post_accepted_evidence', 'post',
        ['accepted_comment_id', 'id', 'community_id', 'deleted_at'], unique=False,
        postgresql_where=sa.text('accepted_comment_id IS NOT NULL'),
        sqlite_where=sa.text('accepted_comment_id IS NOT NULL'),
    )

    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('skill_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_evidence_community')
    op.drop_table('skill_evidence')
    op.drop_index('ix_post_accepted_evidence', table_name='post')
    op.drop_index('ix_comment_author_evidence', table_name='comment')
    op.drop_index('ix_post_author_evidence', table_name='post')
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_endorsement_evidence_post_id_post'), type_='foreignkey')
        batch_op.drop_index('ix_endorsement_evidence')

    # Plain DROP COLUMN (SQLite 3.35+): rebuilding user_skill would cascade-delete the
    # endorsements that reference it.
    op.drop_column('user_skill', 'helpful_reactions')
    op.drop_column('user_skill', 'accepted_answers')
    # Scores fall back to level and endorsements, as the previous code stored them.
    op.execute("UPDATE user_skill SET score = 2.0 * level + endorsement_points")
