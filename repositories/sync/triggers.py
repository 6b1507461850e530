"""The triggers that keep the change log current on every write to a synced table, for
PostgreSQL (one PL/pgSQL function per table) and SQLite (one trigger per table and operation).

A trigger records *that* a row changed, never what it now says: a sync page reads the current
state of what changed, and a row that is gone or out of the caller's sight becomes a tombstone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Synced:
    table: str
    kind: str
    # SQL expressions over the row, written with `{r}` for NEW or OLD.
    entity: str = "{r}.id"
    community: str = "NULL"
    user: str = "NULL"
    other_user: str = "NULL"


SYNCED = (
    Synced("community", "community", community="{r}.id"),
    Synced(
        "community_member",
        "membership",
        entity="{r}.community_id",
        community="{r}.community_id",
        user="{r}.user_id",
    ),
    Synced("post", "post", community="{r}.community_id"),
    Synced(
        "comment",
        "comment",
        community="(SELECT community_id FROM post WHERE post.id = {r}.post_id)",
    ),
    Synced("mentorship", "mentorship", user="{r}.mentor_id", other_user="{r}.mentee_id"),
    # A notification line takes a new id when an event joins it: the old id is recorded too.
    Synced("notification", "notification", user="{r}.user_id"),
    Synced("user_account", "profile", user="{r}.id"),
)

COLUMNS = "txid, kind, entity_id, community_id, user_id, other_user_id, changed_at"


def _values(s: Synced, row: str, txid: str, now: str) -> str:
    exprs = [s.entity, s.community, s.user, s.other_user]
    e, c, u, o = (x.format(r=row) for x in exprs)
    return f"({txid}, '{s.kind}', {e}, {c}, {u}, {o}, {now})"


def _insert(s: Synced, row: str, txid: str, now: str) -> str:
    # Every piece is a constant of this module (table and column names, NEW/OLD): no input.
    return f"INSERT INTO sync_change ({COLUMNS}) VALUES {_values(s, row, txid, now)};"  # noqa: S608


PG_TXID = "pg_current_xact_id()::text::bigint"
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def postgresql_create() -> list[str]:
    statements = []
    for s in SYNCED:
        old_id_changed = (
            f"IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN "
            f"{_insert(s, 'OLD', PG_TXID, 'now()')} END IF;"
            if s.table == "notification"
            else ""
        )
        statements.append(
            f"""CREATE OR REPLACE FUNCTION sync_{s.table}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    {_insert(s, "OLD", PG_TXID, "now()")}
    RETURN OLD;
  END IF;
  {old_id_changed}
  {_insert(s, "NEW", PG_TXID, "now()")}
  RETURN NEW;
END $$"""
        )
        statements.append(
            f"CREATE TRIGGER sync_{s.table} AFTER INSERT OR UPDATE OR DELETE ON {s.table} "
            f"FOR EACH ROW EXECUTE FUNCTION sync_{s.table}()"
        )
    return statements


def postgresql_drop() -> list[str]:
    return [
        statement
        for s in SYNCED
        for statement in (
            f"DROP TRIGGER IF EXISTS sync_{s.table} ON {s.table}",
            f"DROP FUNCTION IF EXISTS sync_{s.table}()",
        )
    ]


def sqlite_create() -> list[str]:
    statements = []
    for s in SYNCED:
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            body = _insert(s, row, "0", SQLITE_NOW)
            if op == "UPDATE" and s.table == "notification":
                body = (
                    f"INSERT INTO sync_change ({COLUMNS}) SELECT "
                    f"{_values(s, 'OLD', '0', SQLITE_NOW)[1:-1]} WHERE OLD.id <> NEW.id; " + body
                )
            statements.append(
                f"CREATE TRIGGER sync_{s.table}_{op.lower()} AFTER {op} ON {s.table} "
                f"FOR EACH ROW BEGIN {body} END"
            )
    return statements


def sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS sync_{s.table}_{op}"
        for s in SYNCED
        for op in ("insert", "update", "delete")
    ]
