"""Writing the generated rows in one transaction: COPY on PostgreSQL, executemany on SQLite, with
the bulk-load measures (deferred indexes, skipped foreign key triggers) and the counter refresh."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from repositories.communities.repository import refresh_steward_term
from repositories.db import timestamps_as_text, timestamps_in_binary
from repositories.leadership.backfill import backfill_statements
from repositories.mentorship.offers import refresh_offers
from repositories.seed.model import (
    CHUNK_POSTS,
    COLUMNS,
    TABLE_ORDER,
    Batch,
    DemoPerson,
    Existing,
    Row,
    SeedResult,
    SeedSizes,
    SkillInfo,
)
from repositories.seed.world import DemoWorld
from repositories.skills.counts import recount as recount_skill_counts
from repositories.skills.scores import refresh_scores
from repositories.skills.tables import SkillRow
from repositories.skills.tables import UserSkill as UserSkillRow
from repositories.users.tables import UserAccount


class _Writer(Protocol):
    async def write(self, table: str, rows: list[Row]) -> None: ...


class _PostgresWriter:
    """COPY (binary) through the asyncpg connection under SQLAlchemy's, in its transaction.

    While it is open, the connection decodes timestamps with asyncpg's binary codec, which COPY
    needs (see `repositories.db.timestamps_as_text`). After a failure the codec is left as it is:
    the transaction refuses statements until it is rolled back, and both codecs give the same
    values.
    """

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def __aenter__(self) -> _PostgresWriter:
        await timestamps_in_binary(self.driver)
        return self

    async def __aexit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        if error_type is None:
            await timestamps_as_text(self.driver)

    async def write(self, table: str, rows: list[Row]) -> None:
        await self.driver.copy_records_to_table(table, records=rows, columns=list(COLUMNS[table]))


def _sqlite_value(value: Any) -> Any:
    kind = type(value)
    if kind is UUID:
        return value.hex
    if kind is datetime:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    return value


class _SqliteWriter:
    """executemany in the surrounding transaction, values stored the way SQLAlchemy stores them
    (UUIDs as 32 hex digits, UTC datetimes as naive ISO text with microseconds)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def write(self, table: str, rows: list[Row]) -> None:
        columns = COLUMNS[table]
        # Table and column names come from the table metadata (model.COLUMNS), never from input.
        sql = (
            f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        values = [tuple(_sqlite_value(v) for v in row) for row in rows]
        await self.connection.exec_driver_sql(sql, values)


async def _write(writer: _Writer, batch: Batch, counts: dict[str, int]) -> None:
    for table in TABLE_ORDER:
        rows = batch.get(table)
        if rows:
            await writer.write(table, rows)
            counts[table] = counts.get(table, 0) + len(rows)


users_t = UserAccount.__table__  # type: ignore[attr-defined]
skills_t = SkillRow.__table__  # type: ignore[attr-defined]
user_skills_t = UserSkillRow.__table__  # type: ignore[attr-defined]


async def _existing(connection: AsyncConnection, people: Sequence[DemoPerson]) -> Existing:
    found = Existing()
    for handle, email in await connection.execute(select(users_t.c.handle, users_t.c.email)):
        found.handles.add(handle)
        found.emails.add(email)
    found.empty = not found.emails
    wanted = {p.email for p in people}
    if wanted & found.emails:
        rows = await connection.execute(
            select(users_t.c.email, users_t.c.id).where(users_t.c.email.in_(wanted))
        )
        found.people = {email: user_id for email, user_id in rows}
    found.slugs = {row[0] for row in await connection.execute(text("SELECT slug FROM community"))}
    return found


async def _skills(connection: AsyncConnection) -> list[SkillInfo]:
    rows = await connection.execute(
        select(skills_t.c.id, skills_t.c.slug, skills_t.c.name, skills_t.c.category).order_by(
            skills_t.c.slug
        )
    )
    return [SkillInfo(i, slug, name, category) for i, slug, name, category in rows]


DEFER_INDEXES_FROM = 100_000  # posts; below that, maintaining the indexes row by row is cheap
DEFERRED_TABLES = ("post", "post_tag", "post_mention", "comment", "reaction")


async def _drop_secondary_indexes(connection: AsyncConnection) -> list[str]:
    """Drop the secondary indexes of the content tables when they are all empty, and return
    the exact statements that recreate them after the load, in this same transaction.

    Building an index once over a million sorted keys is several times cheaper than inserting
    the keys one row at a time (random UUIDs, a GIN over every tsvector). Keys that foreign keys
    depend on (post, comment) stay. The schema ends as it was (a test compares it), and a
    failure rolls the drops back with everything else.
    """
    for table in DEFERRED_TABLES:
        probe = text(f'SELECT EXISTS (SELECT 1 FROM "{table}")')  # noqa: S608 (our constant)
        if (await connection.execute(probe)).scalar():
            return []
    rows = await connection.execute(
        text(
            "SELECT index.relname, pg_get_indexdef(index.oid) FROM pg_index x"
            " JOIN pg_class index ON index.oid = x.indexrelid"
            " JOIN pg_class owner ON owner.oid = x.indrelid"
            " WHERE owner.relname = ANY(:tables)"
            " AND owner.relnamespace = current_schema()::regnamespace"
            " AND NOT x.indisprimary AND NOT x.indisunique"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)"
            " ORDER BY index.relname"
        ),
        {"tables": list(DEFERRED_TABLES)},
    )
    definitions = []
    for name, definition in rows.all():
        await connection.execute(text(f'DROP INDEX "{name}"'))
        definitions.append(definition)
    # Primary keys and unique constraints that no foreign key depends on (reaction, post_tag,
    # post_mention): the reaction key alone outgrows shared_buffers at a million posts.
    constraints = await connection.execute(
        text(
            "SELECT k.conname, owner.relname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            " JOIN pg_class owner ON owner.oid = k.conrelid"
            " WHERE owner.relname = ANY(:tables)"
            " AND owner.relnamespace = current_schema()::regnamespace"
            " AND k.contype IN ('p', 'u')"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint f"
            " WHERE f.contype = 'f' AND f.conindid = k.conindid)"
            " ORDER BY k.conname"
        ),
        {"tables": list(DEFERRED_TABLES)},
    )
    for name, table, definition in constraints.all():
        await connection.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
        definitions.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    return definitions


async def _skip_foreign_key_triggers(connection: AsyncConnection) -> bool:
    """Skip per-row foreign key checks for this transaction when the role may (superuser).

    Checking each of millions of generated rows against its parents (one locking lookup per
    row and key) costs more than writing them; the generator only ever references rows it wrote
    before or that exist, like `pg_restore --disable-triggers` trusts its dump (the tests check
    every foreign key of the generated data, and SQLite always checks them). It stays off for
    the score refresh at the end: its UPDATEs change no key, but PostgreSQL re-checks the keys
    of every row updated in the transaction that inserted it.
    """
    superuser = await connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    )
    if not superuser.scalar():
        return False
    await connection.execute(text("SET LOCAL session_replication_role = replica"))
    return True


async def _refresh_counters(connection: AsyncConnection) -> None:
    """Every skill's counts in one statement, every mentor's offer onto the skills they hold,
    then every expert score from its sources (which moves the stored mentor scores too)."""
    held = (await connection.execute(select(user_skills_t.c.skill_id).distinct())).all()
    # The skills repository's own refresh, in this transaction (a session joined to it).
    session = AsyncSession(bind=connection)
    try:
        await session.execute(refresh_steward_term())
        await recount_skill_counts(session)
        await refresh_offers(session)
        for (skill_id,) in held:
            await refresh_scores(session, skill_id)
    finally:
        await session.close()


async def seed_bulk(
    engine: AsyncEngine,
    *,
    sizes: SeedSizes,
    people: Sequence[DemoPerson],
    password_hash: str,
    seed: int = 1,
    if_empty: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Generate and write the demo world in one transaction (nothing is written on failure).

    With `if_empty`, does nothing when the instance already has people. Otherwise adds to what
    is there: generated handles, emails and community slugs avoid existing ones, and demo people
    who already exist are reused as members instead of being created again.
    """
    started = time.perf_counter()
    result = SeedResult(skipped=False)
    say = progress or (lambda _message: None)

    def phase(name: str, since: float) -> float:
        moment = time.perf_counter()
        result.phases[name] = round(moment - since, 3)
        say(f"{name}: {moment - since:.1f} s")
        return moment

    async with engine.connect() as connection, contextlib.AsyncExitStack() as writing_stack:
        count = (await connection.execute(select(func.count()).select_from(users_t))).scalar_one()
        if if_empty and count:
            result.skipped = True
            return result
        existing = await _existing(connection, people)
        world = DemoWorld(
            sizes,
            await _skills(connection),
            people,
            password_hash,
            seed=seed,
            now=now or datetime.now(UTC),
            existing=existing,
        )
        writer: _Writer
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None and driver.is_in_transaction()  # COPY joins our transaction
            writer = await writing_stack.enter_async_context(_PostgresWriter(driver))
            # The score refresh runs ~1,400 statements whose plans JIT would compile each time.
            await connection.execute(text("SET LOCAL jit = off"))
            result.checked_foreign_keys = not await _skip_foreign_key_triggers(connection)
        else:
            writer = _SqliteWriter(connection)
        mark = time.perf_counter()
        await _write(writer, await asyncio.to_thread(world.people_rows), result.rows)
        mark = phase("people, skills, endorsements, goals", mark)
        await _write(writer, await asyncio.to_thread(world.community_rows), result.rows)
        mark = phase("communities, members, audit log", mark)
        deferred: list[str] = []
        if postgres and sizes.posts >= DEFER_INDEXES_FROM:
            deferred = await _drop_secondary_indexes(connection)
            if deferred:
                mark = phase(f"dropped {len(deferred)} indexes and keys of empty tables", mark)
        chunks = world.content_chunks()
        # One chunk ahead: the thread builds chunk k+1 while the database ingests chunk k.
        pending = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
        waited = writing = 0.0
        try:
            done = 0
            while True:
                moment = time.perf_counter()
                batch = await pending
                waited += time.perf_counter() - moment
                if batch is None:
                    break
                pending = asyncio.ensure_future(asyncio.to_thread(next, chunks, None))
                moment = time.perf_counter()
                await _write(writer, batch, result.rows)
                writing += time.perf_counter() - moment
                done += len(batch.get("post", ()))
                if done % 100_000 < CHUNK_POSTS:
                    say(f"posts: {done:,} of {sizes.posts:,}")
        finally:
            if not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
        result.phases["content: waiting for the generator"] = round(waited, 3)
        result.phases["content: writing"] = round(writing, 3)
        mark = phase("posts, threads, reactions", mark)
        say(f"(of which waiting for the generator {waited:.1f} s, writing {writing:.1f} s)")
        if deferred:
            await connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            for definition in deferred:
                await connection.execute(text(definition))
            mark = phase("recreated the indexes and keys", mark)
        if postgres:
            # Statistics of the new rows first: the refresh's correlated subqueries are planned
            # for empty tables otherwise (minutes instead of seconds at 10,000 posts).
            tables = ", ".join(f'"{t}"' for t in (*TABLE_ORDER, "skill") if t != "report")
            await connection.execute(text(f"ANALYZE {tables}"))
            mark = phase("analyze", mark)
        await _refresh_counters(connection)
        mark = phase("skill holder counts and expert scores", mark)
        for statement in backfill_statements(connection.dialect.name):
            await connection.execute(statement)
        mark = phase("leadership ledger", mark)
        await connection.commit()
        mark = phase("commit", mark)
    if postgres:
        # Fresh statistics and a visibility map, so the planner and index-only scans see the data.
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in TABLE_ORDER:
                if result.rows.get(table):
                    await autocommit.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
            await autocommit.exec_driver_sql('VACUUM (ANALYZE) "skill"')
        phase("vacuum analyze", mark)
    if world.people and existing.empty:
        result.admin_email = world.people[0].email
    result.seconds = round(time.perf_counter() - started, 3)
    return result
