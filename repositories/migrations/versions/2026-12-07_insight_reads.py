"""Insight reads by design: sparse skill rollups written only when they change, and stored
changes of the leaderful index for the organisation's rankings

- skill_insight loses `refreshed_at`: a refresh now writes only the rollups whose figures
  changed, and the time of the last refresh is one row of `skill_insight_run`.
- community_health_week gains `index_change` (the share minus the share four weeks earlier,
  kept by the health job) and two indexes that give the week's communities in ranking order
  (by share, by change), replacing the index on the week alone.

Revision ID: insights2_1
Revises: mentors2_1
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from repositories.types import UTCDateTime

CHANGE_WEEKS = 4  # domain.insights.model.CHANGE_WEEKS when this was written

revision: str = "insights2_1"
down_revision: str | None = "mentors2_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "skill_insight_run",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("refreshed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_skill_insight_run"),
    )
    op.execute(
        "INSERT INTO skill_insight_run (id, refreshed_at)"
        " SELECT 1, max(refreshed_at) FROM skill_insight HAVING count(*) > 0"
    )
    with op.batch_alter_table("skill_insight") as batch:
        batch.drop_column("refreshed_at")

    with op.batch_alter_table("community_health_week") as batch:
        batch.add_column(sa.Column("index_change", sa.Float(), nullable=True))
    op.drop_index("ix_community_health_week_week", table_name="community_health_week")
    # The rankings' exact orders (repositories/insights/health.py), ties included.
    op.create_index(
        "ix_community_health_week_share",
        "community_health_week",
        [
            "week_start",
            sa.text("index_share DESC"),
            sa.text("coalesce(index_concentration, 1.0)"),
            "community_id",
        ],
    )
    op.create_index(
        "ix_community_health_week_change",
        "community_health_week",
        ["week_start", sa.text("index_change DESC"), "community_id"],
    )
    # Every stored week against the one four weeks before it (set-based per week, idempotent).
    bind = op.get_bind()
    weeks = [
        row[0]
        for row in bind.execute(
            sa.select(sa.column("week_start", UTCDateTime()))
            .select_from(sa.table("community_health_week"))
            .distinct()
        )
    ]
    fill = sa.text(
        "UPDATE community_health_week SET index_change = index_share - ("
        " SELECT b.index_share FROM community_health_week b"
        " WHERE b.community_id = community_health_week.community_id AND b.week_start = :earlier"
        ") WHERE week_start = :week"
    ).bindparams(
        sa.bindparam("earlier", type_=UTCDateTime()), sa.bindparam("week", type_=UTCDateTime())
    )
    for week in weeks:
        bind.execute(fill, {"week": week, "earlier": week - timedelta(days=7 * CHANGE_WEEKS)})


def downgrade() -> None:
    op.drop_index("ix_community_health_week_change", table_name="community_health_week")
    op.drop_index("ix_community_health_week_share", table_name="community_health_week")
    op.create_index("ix_community_health_week_week", "community_health_week", ["week_start"])
    with op.batch_alter_table("community_health_week") as batch:
        batch.drop_column("index_change")
    with op.batch_alter_table("skill_insight") as batch:
        batch.add_column(sa.Column("refreshed_at", UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE skill_insight SET refreshed_at = (SELECT refreshed_at FROM skill_insight_run)"
    )
    op.drop_table("skill_insight_run")
