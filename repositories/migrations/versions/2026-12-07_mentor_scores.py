"""user_skill.mentor_points and mentor_score: mentors of a skill read from an index range

`mentor_points` copies the holder's mentor offer (the points of their open places while it
takes requests; NULL otherwise) and is kept by every write of an offer; `mentor_score` is
computed by the database from the row (the expert score plus those points, for holders at level
3 or above whose offer takes requests), and ix_user_skill_mentors orders each skill's mentors by
it. Filled from the mentor profiles on upgrade. SQLite adds generated columns only as VIRTUAL
ones (computed when read, indexable); PostgreSQL stores them.

Revision ID: mentors2_1
Revises: search2_1
Create Date: 2026-12-07 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'mentors2_1'
down_revision: str | None = 'search2_1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MENTOR_SCORE_SQL = (
    "CASE WHEN mentor_points IS NOT NULL AND level >= 3 THEN score + mentor_points END"
)
# domain.mentorship.model.capacity_points (0.5 a place, up to 4) of an offer taking requests.
OFFER_POINTS_SQL = (
    "SELECT CASE WHEN mp.accepting_mentees AND mp.active_mentees < mp.capacity"
    " THEN 0.5 * (CASE WHEN mp.capacity - mp.active_mentees >= 4 THEN 4"
    " ELSE mp.capacity - mp.active_mentees END) END"
    " FROM mentor_profile mp WHERE mp.user_id = user_skill.user_id"
)


def upgrade() -> None:
    stored = op.get_bind().dialect.name == 'postgresql'
    op.add_column('user_skill', sa.Column('mentor_points', sa.Float(), nullable=True))
    op.add_column(
        'user_skill',
        sa.Column(
            'mentor_score',
            sa.Float(),
            sa.Computed(MENTOR_SCORE_SQL, persisted=stored),
            nullable=True,
        ),
    )
    op.execute(
        f"UPDATE user_skill SET mentor_points = ({OFFER_POINTS_SQL})"
        " WHERE user_id IN (SELECT user_id FROM mentor_profile)"
    )
    op.create_index(
        'ix_user_skill_mentors',
        'user_skill',
        ['skill_id', 'mentor_score', 'user_id'],
        postgresql_where=sa.text('mentor_score IS NOT NULL'),
        sqlite_where=sa.text('mentor_score IS NOT NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_user_skill_mentors', table_name='user_skill')
    op.drop_column('user_skill', 'mentor_score')
    op.drop_column('user_skill', 'mentor_points')
