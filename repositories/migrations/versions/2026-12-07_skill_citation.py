"""skill_citation: per person, skill and community, the bonus of endorsements citing a live post

The experts read adds a viewer's private part by key, the page's holders x the viewer's private
communities, from skill_evidence and this table, instead of following each endorsement's evidence
link to its post. Kept by every write that recomputes the stored score (repositories/skills/scores.py
refresh_rows). Backfilled with the scoring constants of domain/skills/model.py as they are today
(a migration never imports the domain): ENDORSEMENT_BASE 0.5, ENDORSER_LEVEL_POINTS 0.2 x the
endorser's claimed level (0 when proposed or not listed), x (EVIDENCE_MULTIPLIER 1.5 - 1).

Revision ID: experts3_1
Revises: experts2_1
Create Date: 2026-12-07 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "experts3_1"
down_revision: str | None = "experts2_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
INSERT INTO skill_citation (user_id, skill_id, community_id, bonus)
SELECT e.user_id, e.skill_id, p.community_id,
       SUM((0.5 + 0.2 * COALESCE(CASE WHEN es.proposed THEN 0 ELSE es.level END, 0)) * 0.5)
FROM endorsement e
JOIN post p ON p.id = e.evidence_post_id
LEFT JOIN user_skill es ON es.user_id = e.endorser_id AND es.skill_id = e.skill_id
WHERE p.deleted_at IS NULL
GROUP BY e.user_id, e.skill_id, p.community_id
"""


def upgrade() -> None:
    op.create_table(
        "skill_citation",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("skill_id", sa.Uuid(), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=False),
        sa.Column("bonus", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_skill_citation_community_id_community"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id", "skill_id"],
            ["user_skill.user_id", "user_skill.skill_id"],
            name=op.f("fk_skill_citation_user_id_user_skill"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "skill_id", "community_id", name=op.f("pk_skill_citation")
        ),
    )
    op.create_index("ix_skill_citation_community", "skill_citation", ["community_id"])
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index("ix_skill_citation_community", table_name="skill_citation")
    op.drop_table("skill_citation")
