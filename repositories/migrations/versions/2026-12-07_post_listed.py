"""post.listed: whether search may show a post without looking up its community

Search checks every candidate post's visibility. Looked up per candidate (the community by
primary key, then the viewer's membership), that check was two thirds of the database time of a
search for a common word. `listed` stores the answer for the common case, posts in public,
unarchived communities; only the other posts are still looked up.

It is written with each post (SqlPostRepository.add, the seeder) and kept current here by a
trigger on community: when a community's visibility or archive changes, its posts follow.
False, the column's default, is always safe: it only means "look the community up".

Revision ID: search2_1
Revises: contract2_1
Create Date: 2026-12-07 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "search2_1"
down_revision: str | None = "contract2_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
    UPDATE post SET listed = true WHERE community_id IN (
        SELECT id FROM community WHERE visibility = 'public' AND archived_at IS NULL
    )
"""

POSTGRES_UP = [
    """
    CREATE FUNCTION post_listed_follows_community() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE post SET listed = (NEW.visibility = 'public' AND NEW.archived_at IS NULL)
        WHERE community_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER community_listed AFTER UPDATE OF visibility, archived_at ON community
    FOR EACH ROW WHEN (
        OLD.visibility IS DISTINCT FROM NEW.visibility
        OR OLD.archived_at IS DISTINCT FROM NEW.archived_at
    )
    EXECUTE FUNCTION post_listed_follows_community()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS community_listed ON community",
    "DROP FUNCTION IF EXISTS post_listed_follows_community()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER community_listed AFTER UPDATE OF visibility, archived_at ON community
    WHEN old.visibility IS NOT new.visibility OR old.archived_at IS NOT new.archived_at
    BEGIN
        UPDATE post SET listed = (new.visibility = 'public' AND new.archived_at IS NULL)
        WHERE community_id = new.id;
    END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS community_listed"]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    # ADD COLUMN with a constant default: no table rebuild on SQLite (which would drop the FTS5
    # triggers) and no rewrite on PostgreSQL.
    op.add_column(
        "post", sa.Column("listed", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(BACKFILL)
    _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})
    # SQLite drops the column in place (no rebuild that would drop the FTS5 triggers).
    op.drop_column("post", "listed")
