"""user_skill.private_evidence: whether any evidence lies outside public communities

The experts read takes a page of holders straight from the stored score's index and looks up a
viewer's private evidence only for the rows flagged here. Kept by every write that recomputes the
stored score (repositories/skills/scores.py refresh_rows); filled from the evidence and the
endorsements on upgrade.

Revision ID: experts2_1
Revises: insights2_1
Create Date: 2026-12-07 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'experts2_1'
down_revision: str | None = "insights2_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch rebuild: SQLite cannot copy user_skill's generated
    # mentor_score column into a rebuilt table.
    op.add_column(
        'user_skill',
        sa.Column('private_evidence', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        "UPDATE user_skill SET private_evidence = ("
        "EXISTS (SELECT 1 FROM skill_evidence"
        " JOIN community ON community.id = skill_evidence.community_id"
        " WHERE skill_evidence.user_id = user_skill.user_id"
        " AND skill_evidence.skill_id = user_skill.skill_id"
        " AND community.visibility != 'public')"
        " OR EXISTS (SELECT 1 FROM endorsement"
        " JOIN post ON post.id = endorsement.evidence_post_id"
        " JOIN community ON community.id = post.community_id"
        " WHERE endorsement.user_id = user_skill.user_id"
        " AND endorsement.skill_id = user_skill.skill_id"
        " AND post.deleted_at IS NULL AND community.visibility != 'public'))"
    )


def downgrade() -> None:
    op.drop_column('user_skill', 'private_evidence')
