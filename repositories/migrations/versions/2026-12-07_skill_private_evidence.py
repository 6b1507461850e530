"""skill_private_evidence: per person, skill and private community, the evidence there and the
bonus of endorsements citing a live post there

The experts read adds a viewer's private part from these rows by key (the page's flagged holders,
each row checked against the viewer's membership) instead of reading each holder's evidence in
every community and following endorsements to their posts. Kept by every write that recomputes
the stored score (repositories/skills/scores.py refresh_rows). Backfilled with the scoring
constants of domain/skills/model.py as they are today (a migration never imports the domain):
ENDORSEMENT_BASE 0.5, ENDORSER_LEVEL_POINTS 0.2 x the endorser's claimed level (0 when proposed
or not listed), x (EVIDENCE_MULTIPLIER 1.5 - 1).

Revision ID: experts3_1
Revises: experts2_1
Create Date: 2026-12-07 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'experts3_1'
down_revision: str | None = 'experts2_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
INSERT INTO skill_private_evidence
    (user_id, skill_id, community_id, accepted_answers, helpful_reactions, bonus)
SELECT user_id, skill_id, community_id, SUM(accepted), SUM(helpful), SUM(bonus)
FROM (
    SELECT ev.user_id, ev.skill_id, ev.community_id,
           ev.accepted_answers AS accepted, ev.helpful_reactions AS helpful, 0.0 AS bonus
    FROM skill_evidence ev
    JOIN community c ON c.id = ev.community_id
    WHERE c.visibility != 'public'
    UNION ALL
    SELECT e.user_id, e.skill_id, p.community_id, 0, 0,
           (0.5 + 0.2 * COALESCE(CASE WHEN es.proposed THEN 0 ELSE es.level END, 0)) * 0.5
    FROM endorsement e
    JOIN post p ON p.id = e.evidence_post_id
    JOIN community c ON c.id = p.community_id
    LEFT JOIN user_skill es ON es.user_id = e.endorser_id AND es.skill_id = e.skill_id
    WHERE p.deleted_at IS NULL AND c.visibility != 'public'
) AS private
GROUP BY user_id, skill_id, community_id
"""


def upgrade() -> None:
    op.create_table(
        'skill_private_evidence',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('skill_id', sa.Uuid(), nullable=False),
        sa.Column('community_id', sa.Uuid(), nullable=False),
        sa.Column('accepted_answers', sa.Integer(), nullable=False),
        sa.Column('helpful_reactions', sa.Integer(), nullable=False),
        sa.Column('bonus', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ['community_id'],
            ['community.id'],
            name=op.f('fk_skill_private_evidence_community_id_community'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id', 'skill_id'],
            ['user_skill.user_id', 'user_skill.skill_id'],
            name=op.f('fk_skill_private_evidence_user_id_user_skill'),
            onupdate='CASCADE',
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'user_id', 'skill_id', 'community_id', name=op.f('pk_skill_private_evidence')
        ),
    )
    op.create_index(
        'ix_skill_private_evidence_community', 'skill_private_evidence', ['community_id']
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index('ix_skill_private_evidence_community', table_name='skill_private_evidence')
    op.drop_table('skill_private_evidence')
