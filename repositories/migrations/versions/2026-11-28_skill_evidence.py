"""skill evidence: public evidence columns on user_skill, endorsement evidence links to posts

The stored expert score now counts accepted answers and helpful reactions on public content
tagged with the skill (see repositories/skills.py). Existing rows are backfilled from the content
already there, with the scoring constants of domain/skills/model.py as they are today (a
migration never imports the domain: what it computed must not change when the constants do).
`endorsement` is rebuilt on SQLite to gain its foreign key; `post` is not touched, so the
full-text triggers of e6f7search stay as they are.

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


# Public content tagged with the row's skill, by the row's person (live posts and comments only).
BACKFILL = [
    """
    UPDATE user_skill SET
        accepted_answers = (
            SELECT count(*) FROM comment cm
            JOIN post p ON p.id = cm.post_id AND p.accepted_comment_id = cm.id
            JOIN community c ON c.id = p.community_id
            JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = user_skill.skill_id
            WHERE cm.author_id = user_skill.user_id AND cm.deleted_at IS NULL
              AND p.deleted_at IS NULL AND c.visibility = 'public'
        ),
        helpful_reactions = (
            SELECT coalesce(sum(p.helpful_count), 0) FROM post p
            JOIN community c ON c.id = p.community_id
            JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = user_skill.skill_id
            WHERE p.author_id = user_skill.user_id AND p.deleted_at IS NULL
              AND c.visibility = 'public'
        ) + (
            SELECT coalesce(sum(cm.helpful_count), 0) FROM comment cm
            JOIN post p ON p.id = cm.post_id
            JOIN community c ON c.id = p.community_id
            JOIN post_tag pt ON pt.post_id = p.id AND pt.skill_id = user_skill.skill_id
            WHERE cm.author_id = user_skill.user_id AND cm.deleted_at IS NULL
              AND p.deleted_at IS NULL AND c.visibility = 'public'
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

    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_endorsement_evidence_post_id_post'), type_='foreignkey')
        batch_op.drop_index('ix_endorsement_evidence')

    with op.batch_alter_table('user_skill', schema=None) as batch_op:
        batch_op.drop_column('helpful_reactions')
        batch_op.drop_column('accepted_answers')
    # Scores fall back to level and endorsements, as the previous code stored them.
    op.execute("UPDATE user_skill SET score = 2.0 * level + endorsement_points")
