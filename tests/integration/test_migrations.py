"""The migrations build exactly the schema the tables declare, on the database under test."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from sqlalchemy import Uuid, bindparam, delete, insert, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine

from api.seed import seed_demo
from repositories.communities.tables import CommunityRow
from repositories.migrate import alembic_config, upgrade
from repositories.notifications.tables import NotificationRow
from repositories.posts.tables import ReportRow
from repositories.skills.rows import communities, endorsements, posts, private_rows, user_skills
from repositories.skills.scores import refresh_scores
from repositories.tables import metadata
from repositories.types import UTCDateTime
from repositories.users.tables import UserAccount
from tests.conftest import BACKEND, PG_SERVER, _pg_admin, make_settings


def _declared_only(obj, name, type_, reflected, compare_to):
    """Full-text search objects live in the migrations only (FTS5 tables, tsvector, GIN)."""
    return not (name or "").startswith(("post_fts", "search_vector", "ix_post_search"))


async def test_migrated_schema_matches_the_tables(app: FastAPI):
    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _declared_only}
        )
        return compare_metadata(context, metadata)

    async with app.state.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_sqlite_pragmas_or_postgres_pool_are_configured(app: FastAPI):
    engine = app.state.engine
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            assert journal == "wal" and foreign_keys == 1
        else:
            assert engine.dialect.name == "postgresql"


@contextmanager
def _database_at(revision: str, tmp_path: Path) -> Iterator[str]:
    """A new database of the backend under test, migrated only up to `revision`."""
    if BACKEND == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        upgrade(url, revision)
        yield url
        return
    name = f"leaderful_mig_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(PG_SERVER, f'CREATE DATABASE "{name}"'))
    url = make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, revision)
        yield url
    finally:
        asyncio.run(_pg_admin(PG_SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _user_and_community(
    connection: AsyncConnection, user: uuid.UUID, community: uuid.UUID, start: datetime
) -> None:
    """One user and one public community of theirs, as the early revisions store them."""
    await connection.execute(
        insert(UserAccount.__table__).values(  # type: ignore[attr-defined]
            id=user,
            email="a@example.com",
            handle="a",
            display_name="A",
            search_name="a",
            role="user",
            password_hash="x",
            is_active=True,
            token_version=0,
            version=1,
            created_at=start,
            updated_at=start,
        )
    )
    await connection.execute(
        insert(CommunityRow.__table__).values(  # type: ignore[attr-defined]
            id=community,
            slug="c",
            name="C",
            search_name="c",
            purpose="p",
            description="",
            description_html="",
            visibility="public",
            join_policy="open",
            tags="[]",
            created_by=user,
            created_at=start,
            updated_at=start,
            last_activity_at=start,
            member_count=0,
            post_count=0,
            version=1,
        )
    )


def test_one_open_report_migration_closes_earlier_duplicates(tmp_path: Path):
    """Duplicates filed before the unique index: the oldest stays open, the rest are dismissed."""
    user, community, post = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 11, 1, tzinfo=UTC)
    reports = [uuid.uuid4() for _ in range(4)]

    async def fill(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await _user_and_community(connection, user, community, start)
            for n, report_id in enumerate(reports):
                await connection.execute(
                    insert(ReportRow.__table__).values(  # type: ignore[attr-defined]
                        id=report_id,
                        community_id=community,
                        reporter_id=user,
                        target_type="post",
                        target_id=post,
                        reason="spam",
                        # the last one is already resolved and stays as it is
                        status="resolved" if n == 3 else "open",
                        created_at=start + timedelta(minutes=n),
                    )
                )
        await engine.dispose()

    async def statuses(url: str) -> dict[uuid.UUID, tuple[str, str | None]]:
        engine = create_async_engine(url)
        table = ReportRow.__table__  # type: ignore[attr-defined]
        async with engine.connect() as connection:
            rows = await connection.execute(select(table.c.id, table.c.status, table.c.action))
            found = {row[0]: (row[1], row[2]) for row in rows}
        await engine.dispose()
        return found

    with _database_at("d7e8leaders", tmp_path) as url:
        asyncio.run(fill(url))
        upgrade(url)
        after = asyncio.run(statuses(url))
    assert after == {
        reports[0]: ("open", None),
        reports[1]: ("resolved", "dismiss"),
        reports[2]: ("resolved", "dismiss"),
        reports[3]: ("resolved", None),
    }


def test_inbox_migration_gives_existing_notifications_reasons_communities_and_ordered_ids(
    tmp_path: Path,
):
    user, community, mentorship = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 11, 1, tzinfo=UTC)
    later = [uuid.uuid4(), uuid.uuid4()]  # random ids, the newer one first
    later.sort(reverse=True)

    async def fill(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await _user_and_community(connection, user, community, start)
            for n, (kind, subject_type, subject) in enumerate(
                [
                    ("join_request", "community", community),
                    ("mentorship_requested", "mentorship", mentorship),
                ]
            ):
                await connection.execute(
                    text(
                        "INSERT INTO notification (id, user_id, kind, actor_id, subject_type, "
                        "subject_id, title, url, created_at) VALUES (:id, :user_id, :kind, "
                        "NULL, :subject_type, :subject_id, 't', '/u', :created_at)"
                    ).bindparams(
                        bindparam("id", type_=Uuid()),
                        bindparam("user_id", type_=Uuid()),
                        bindparam("subject_id", type_=Uuid()),
                        bindparam("created_at", type_=UTCDateTime(timezone=True)),
                    ),
                    {
                        "id": later[n],
                        "user_id": user,
                        "kind": kind,
                        "subject_type": subject_type,
                        "subject_id": subject,
                        "created_at": start + timedelta(minutes=n),
                    },
                )
        await engine.dispose()

    async def rows(url: str) -> list[tuple[Any, ...]]:
        engine = create_async_engine(url)
        table = NotificationRow.__table__  # type: ignore[attr-defined]
        async with engine.connect() as connection:
            found = await connection.execute(
                select(
                    table.c.id,
                    table.c.kind,
                    table.c.reason,
                    table.c.community_id,
                    table.c.group_count,
                ).order_by(table.c.id)
            )
            result = [tuple(row) for row in found]
        await engine.dispose()
        return result

    with _database_at("f1a2skillcounts", tmp_path) as url:
        asyncio.run(fill(url))
        upgrade(url)
        after = asyncio.run(rows(url))
    # Ordered by id is ordered by time: the inbox's keyset runs on the id alone.
    assert [(kind, reason, cid, n) for _, kind, reason, cid, n in after] == [
        ("join_request", "steward", community, 1),
        ("mentorship_requested", "participant", None, 1),
    ]
    assert all(row[0].version == 7 for row in after)


def test_nudge_migration_moves_mentor_time_zones_to_their_people(tmp_path: Path):
    """A mentor's profile time zone becomes the person's where the person had none; a person's
    own time zone wins; the mentor profile no longer stores one."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    bare, zoned = uuid.uuid4(), uuid.uuid4()

    async def fill(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            for n, (user, zone) in enumerate(((bare, None), (zoned, "Europe/Paris"))):
                await connection.execute(
                    text(
                        "INSERT INTO user_account (id, email, handle, display_name, search_name, "
                        "timezone, role, password_hash, is_active, token_version, version, "
                        "created_at, updated_at) VALUES (:id, :email, :handle, 'A', 'a', :zone, "
                        "'member', 'x', true, 0, 1, :at, :at)"
                    ).bindparams(
                        bindparam("id", type_=Uuid()), bindparam("at", type_=UTCDateTime())
                    ),
                    {
                        "id": user,
                        "email": f"{n}@example.com",
                        "handle": f"p{n}",
                        "zone": zone,
                        "at": start,
                    },
                )
                await connection.execute(
                    text(
                        "INSERT INTO mentor_profile (user_id, accepting_mentees, capacity, "
                        "active_mentees, timezone, created_at, updated_at) "
                        "VALUES (:id, true, 2, 0, 'Asia/Singapore', :at, :at)"
                    ).bindparams(
                        bindparam("id", type_=Uuid()), bindparam("at", type_=UTCDateTime())
                    ),
                    {"id": user, "at": start},
                )
        await engine.dispose()

    async def zones(url: str) -> tuple[dict[uuid.UUID, str | None], set[str]]:
        engine = create_async_engine(url)
        table = UserAccount.__table__  # type: ignore[attr-defined]
        async with engine.connect() as connection:
            rows = (await connection.execute(select(table.c.id, table.c.timezone))).all()
            found: dict[uuid.UUID, str | None] = {row[0]: row[1] for row in rows}
            columns = await connection.run_sync(
                lambda sync: {c["name"] for c in inspect(sync).get_columns("mentor_profile")}
            )
        await engine.dispose()
        return found, columns

    with _database_at("live1stream", tmp_path) as url:
        asyncio.run(fill(url))
        upgrade(url)
        found, columns = asyncio.run(zones(url))
    assert found == {bare: "Asia/Singapore", zoned: "Europe/Paris"}
    assert "timezone" not in columns


def test_replay_answers_stored_in_clear_are_forgotten(tmp_path: Path):
    """Before answers were sealed, a webhook's signing secret sat in clear in the idempotency
    table; the migration deletes those answers and keeps claims still waiting for theirs."""
    keys = metadata.tables["idempotency_key"]
    at = datetime(2026, 12, 1, tzinfo=UTC)
    answer = b'{"id":"1","secret":"whsec_c2VjcmV0IHNpZ25pbmcga2V5"}'

    async def fill(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(
                insert(keys),
                [
                    dict(
                        owner="user:a",
                        key="done",
                        request_hash="h",
                        created_at=at,
                        status_code=201,
                        body=answer,
                        location="/api/v1/webhooks/1",
                    ),
                    dict(
                        owner="user:a",
                        key="waiting",
                        request_hash="h",
                        created_at=at,
                        status_code=None,
                        body=None,
                        location=None,
                    ),
                ],
            )
        await engine.dispose()

    async def stored(url: str) -> list[tuple[str, bytes | None]]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            rows = (await connection.execute(select(keys.c.key, keys.c.body))).all()
        await engine.dispose()
        return [(row[0], row[1]) for row in rows]

    with _database_at("push_1", tmp_path) as url:
        asyncio.run(fill(url))
        upgrade(url)
        after = asyncio.run(stored(url))
    assert after == [("waiting", None)]


def test_mentor_scores_migration_fills_the_stored_offer(tmp_path: Path):
    """mentors2_1 copies each mentor profile onto its person's skills; the database computes
    the mentor score (level 3 and above only) and the people without an offer stay out."""
    mentor, other, community, skill = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    low = uuid.uuid4()
    start = datetime(2026, 11, 1, tzinfo=UTC)
    ids = {"mentor": mentor, "other": other, "skill": skill, "low": low}
    uuid_params = [bindparam(name, type_=Uuid()) for name in ids]
    at = bindparam("at", type_=UTCDateTime(timezone=True))

    async def fill(url: str) -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await _user_and_community(connection, mentor, community, start)
            await connection.execute(
                text(
                    "INSERT INTO user_account (id, email, handle, display_name, search_name, role,"
                    " password_hash, is_active, token_version, version, created_at, updated_at)"
                    " VALUES (:other, 'b@example.com', 'b', 'B', 'b', 'user', 'x', true, 0, 1,"
                    " :at, :at)"
                ).bindparams(*uuid_params[1:2], at),
                {"other": other, "at": start},
            )
            for skill_id, slug in ((skill, "python"), (low, "sql")):
                await connection.execute(
                    text(
                        "INSERT INTO skill (id, slug, name, sort_name, holder_count, created_at,"
                        " updated_at) VALUES (:skill, :slug, :slug, :slug, 0, :at, :at)"
                    ).bindparams(uuid_params[2], at),
                    {"skill": skill_id, "slug": slug, "at": start},
                )
            holdings = ((mentor, skill, 4, 9.5), (mentor, low, 2, 4.0), (other, skill, 5, 12.0))
            for user_id, skill_id, level, score in holdings:
                await connection.execute(
                    text(
                        "INSERT INTO user_skill (user_id, skill_id, level, wants_to_teach,"
                        " endorsement_count, endorsement_points, score, created_at, updated_at)"
                        " VALUES (:mentor, :skill, :level, true, 0, 0, :score, :at, :at)"
                    ).bindparams(uuid_params[0], uuid_params[2], at),
                    {
                        "mentor": user_id,
                        "skill": skill_id,
                        "level": level,
                        "score": score,
                        "at": start,
                    },
                )
            await connection.execute(
                text(
                    "INSERT INTO mentor_profile (user_id, accepting_mentees, capacity,"
                    " active_mentees, created_at, updated_at)"
                    " VALUES (:mentor, true, 3, 1, :at, :at)"
                ).bindparams(uuid_params[0], at),
                {"mentor": mentor, "at": start},
            )
        await engine.dispose()

    async def stored(url: str) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[Any, Any]]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT user_id, skill_id, mentor_points, mentor_score FROM user_skill"
                ).columns(user_id=Uuid(), skill_id=Uuid())
            )
            found = {(row[0], row[1]): (row[2], row[3]) for row in rows}
        await engine.dispose()
        return found

    with _database_at("contract2_1", tmp_path) as url:
        asyncio.run(fill(url))
        upgrade(url)
        after = asyncio.run(stored(url))
    assert after == {
        (mentor, skill): (1.0, 10.5),  # two open places: 0.5 each
        (mentor, low): (1.0, None),  # below level 3: no mentor score
        (other, skill): (None, None),  # no offer
    }


def _backfill_of(revision: str) -> str:
    """The BACKFILL statement of migration `revision`, from Alembic's own script directory."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision)
    assert script is not None, revision
    return str(script.module.BACKFILL)


async def _private_parts(app: FastAPI) -> dict[tuple[str, str, str], tuple[int, int, float]]:
    async with app.state.engine.connect() as connection:
        rows = await connection.execute(
            select(
                private_rows.c.user_id,
                private_rows.c.skill_id,
                private_rows.c.community_id,
                private_rows.c.accepted_answers,
                private_rows.c.helpful_reactions,
                private_rows.c.bonus,
            )
        )
        return {
            (str(row[0]), str(row[1]), str(row[2])): (row[3], row[4], round(row[5], 9))
            for row in rows
        }


async def test_private_evidence_backfill_gives_the_rows_the_application_keeps(
    app: FastAPI, database_url: str, tmp_path: Path
):
    """experts3_1 fills skill_private_evidence with the scoring constants written out in SQL.
    On a demo world with two private communities and endorsements citing their posts (one
    cited post deleted), its rows must be exactly those the application's own recount keeps,
    and a user skill is flagged private_evidence exactly when it has such a row."""
    await seed_demo(
        make_settings(database_url, tmp_path),
        users=30,
        communities=6,
        posts=250,
        if_empty=True,
        seed=11,
        now=datetime(2026, 11, 28, tzinfo=UTC),
    )
    c, p, e = communities, posts, endorsements
    async with app.state.engine.begin() as connection:
        busiest = (
            (await connection.execute(select(c.c.id).order_by(c.c.post_count.desc()).limit(2)))
            .scalars()
            .all()
        )
        await connection.execute(update(c).where(c.c.id.in_(busiest)).values(visibility="private"))
        cited = (
            (
                await connection.execute(
                    select(p.c.id).where(p.c.community_id == busiest[0]).order_by(p.c.id).limit(5)
                )
            )
            .scalars()
            .all()
        )
        endorsed = (await connection.execute(select(e.c.id).order_by(e.c.id))).scalars().all()
        assert len(cited) == 5 and len(endorsed) >= 10
        for i, endorsement_id in enumerate(endorsed[::2]):
            await connection.execute(
                update(e).where(e.c.id == endorsement_id).values(evidence_post_id=cited[i % 5])
            )
        await connection.execute(
            update(p)
            .where(p.c.id == cited[0])
            .values(deleted_at=datetime(2026, 11, 29, tzinfo=UTC))
        )
        session = AsyncSession(bind=connection)
        held = (await session.execute(select(user_skills.c.skill_id).distinct())).scalars().all()
        for skill_id in held:
            await refresh_scores(session, skill_id)
        await session.close()
    kept = await _private_parts(app)

    async with app.state.engine.begin() as connection:
        await connection.execute(delete(private_rows))
        await connection.execute(text(_backfill_of("experts3_1")))
    backfilled = await _private_parts(app)

    assert backfilled == kept
    assert any(bonus > 0 for _, _, bonus in kept.values()), "no endorsement bonus was compared"
    assert any(accepted + helpful > 0 for accepted, helpful, _ in kept.values())
    async with app.state.engine.connect() as connection:
        flagged = {
            (str(row[0]), str(row[1]))
            for row in await connection.execute(
                select(user_skills.c.user_id, user_skills.c.skill_id).where(
                    user_skills.c.private_evidence
                )
            )
        }
    assert flagged == {(user, skill) for user, skill, _ in kept}
