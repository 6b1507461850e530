"""post search

Full-text search objects, one set per database. None of them is declared in tables.py: they
belong to repositories/posts/search.py, and `repositories.posts.search.include_schema_object` hides them
from autogenerate and from the schema comparison test.

PostgreSQL: a STORED generated tsvector column (title weighted A, body B) with a GIN index.
SQLite: an external-content FTS5 table over post.rowid, kept in sync by triggers. Any later
migration that rebuilds `post` on SQLite (batch_alter_table "move and copy") drops these
triggers and may renumber rowids: such a migration must recreate the triggers with the SQL
below and run `INSERT INTO post_fts(post_fts) VALUES ('rebuild')`.

Revision ID: e6f7search
Revises: d4e5posts
Create Date: 2026-11-28 03:00:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'e6f7search'
down_revision: str | None = 'd4e5posts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


POSTGRES_UP = [
    """
    ALTER TABLE post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, body), 'B')
    ) STORED
    """,
    "CREATE INDEX ix_post_search_vector ON post USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_post_search_vector",
    "ALTER TABLE post DROP COLUMN IF EXISTS search_vector",
]

SQLITE_UP = [
    # porter: English stemming, like the 'english' configuration on PostgreSQL.
    """
    CREATE VIRTUAL TABLE post_fts USING fts5(
        title, body,
        content='post', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER post_fts_insert AFTER INSERT ON post BEGIN
        INSERT INTO post_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER post_fts_delete AFTER DELETE ON post BEGIN
        INSERT INTO post_fts(post_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
    END
    """,
    # Only title and body are indexed: score and counter updates leave the index alone.
    """
    CREATE TRIGGER post_fts_update AFTER UPDATE OF title, body ON post BEGIN
        INSERT INTO post_fts(post_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
        INSERT INTO post_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
    END
    """,
    "INSERT INTO post_fts(post_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS post_fts_update",
    "DROP TRIGGER IF EXISTS post_fts_delete",
    "DROP TRIGGER IF EXISTS post_fts_insert",
    "DROP TABLE IF EXISTS post_fts",
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    _run({'postgresql': POSTGRES_UP, 'sqlite': SQLITE_UP})


def downgrade() -> None:
    _run({'postgresql': POSTGRES_DOWN, 'sqlite': SQLITE_DOWN})
