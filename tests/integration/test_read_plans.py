"""The plans PostgreSQL keeps for the hot reads are the plans we designed them for.

Every statement runs prepared (the driver prepares them), and after five runs PostgreSQL may
switch to a generic plan, one plan for any parameters, or keep planning each run afresh when the
generic plan looks expensive. Both went wrong here once: a generic plan looked the viewer up
among all the members of a community (7,000 in the biggest demo community) where the primary
key finds the one row, 0.5 ms instead of 0.01 ms on every request about a post; and lists whose
LIMIT was a bound parameter were planned afresh on every run.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from api.seed import seed_demo
from domain.actor import Actor
from domain.communities.model import CommunitySort
from domain.insights.model import week_start
from domain.insights.service import RANKED, refresh_week
from domain.pagination import PageRequest
from domain.posts.model import FeedSort, PostSort
from domain.skill_insights.model import MAX_PAIRS, InsightSort
from domain.skill_insights.ports import ORGANISATION
from domain.skill_insights.service import compute_pairs, compute_rollups, needs_pairs
from domain.skills.model import SkillSort
from repositories.communities.repository import SqlCommunityRepository
from repositories.insights.health import SqlHealthRepository
from repositories.posts import queries
from repositories.skill_insights.repository import SqlSkillInsightRepository
from repositories.skills.experts import expert_page, private_parts
from repositories.skills.taxonomy import SqlSkillRepository
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import BACKEND, make_settings, postgres_database

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="query plans are PostgreSQL's")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", ()):
        found.extend(_nodes(child))
    return found


@pytest.fixture(scope="module")
def plans_database_url() -> Iterator[str]:
    """A database of its own: the statistics that seeding and ANALYZE leave behind would steer
    the plans of other tests that share the session's database."""
    with postgres_database("leaderful_plans") as url:
        yield url


async def _generic_plan(engine: AsyncEngine, sql: str, args: Sequence[Any]) -> Any:
    # Every parameter is cast in the SQL ($1::UUID ...), so PREPARE needs no type list.
    values = ", ".join("NULL" if value is None else f"'{value}'" for value in args)
    async with engine.connect() as connection:
        await connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        await connection.exec_driver_sql(f"PREPARE hot AS {sql}")
        result = await connection.exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hot({values})"
            if values
            else "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hot"
        )
        document = result.scalar_one()
        await connection.exec_driver_sql("DEALLOCATE hot")
    return (document if isinstance(document, list) else json.loads(document))[0]["Plan"]


async def _sent_by(engine: AsyncEngine, read: Any) -> list[tuple[str, Sequence[Any]]]:
    """The statements `read(session)` runs, exactly as it sends them, with their values."""
    sent: list[tuple[str, Sequence[Any]]] = []

    def record(conn: Any, cursor: Any, sql: str, args: Any, context: Any, many: bool) -> None:
        sent.append((sql, args))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with engine.connect() as connection:
            session = AsyncSession(bind=connection)
            await read(session)
            await session.close()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return sent


async def _plans_of(engine: AsyncEngine, read: Any) -> list[Any]:
    """The generic plans of the statements `read(session)` runs."""
    return [await _generic_plan(engine, sql, args) for sql, args in await _sent_by(engine, read)]


def _assert_membership_by_key(name: str, plan: Any) -> None:
    lookups = [n for n in _nodes(plan) if n.get("Relation Name") == "community_member"]
    assert lookups, f"{name}: no membership lookup in\n{json.dumps(plan, indent=1)}"
    for lookup in lookups:
        # Found through an index on (community, user): the viewer is in the index condition,
        # not in a filter applied to every member the index returned.
        condition = lookup.get("Index Cond") or lookup.get("Recheck Cond") or ""
        assert "user_id" in condition, (name, lookup)
        assert lookup.get("Rows Removed by Filter", 0) == 0, (name, lookup)
        # One row per community looked up, or the viewer's memberships read once (for a hash).
        assert lookup["Actual Rows"] <= 1 or lookup["Actual Loops"] == 1, (name, lookup)


@pytest.fixture(scope="module")
async def seeded_engine(
    plans_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    settings = make_settings(plans_database_url, tmp_path_factory.mktemp("plans"))
    await seed_demo(settings, users=20000, communities=10000, posts=5000, seed=5, now=NOW)
    engine = create_async_engine(plans_database_url)
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("community", "community_member", "post", "post_tag", "learning_goal"):
                await autocommit.exec_driver_sql(f"ANALYZE {table}")
        yield engine
    finally:
        await engine.dispose()


async def test_the_feed_keeps_one_plan_that_stops_at_the_page(seeded_engine: AsyncEngine):
    """No index leads straight to a feed page. Planned for a tenth of the posts (what a generic
    plan assumes of a bound LIMIT), the plan hashed and sorted every post: PostgreSQL then
    planned the statement afresh on every run (custom plans only), at 1-3 ms each."""
    async with seeded_engine.connect() as connection:
        viewer = (
            await connection.execute(
                text(
                    "SELECT user_id FROM community_member GROUP BY user_id"
                    " ORDER BY count(*) DESC LIMIT 1"
                )
            )
        ).scalar_one()
    for sort in FeedSort:

        async def feed(session: AsyncSession, sort: FeedSort = sort) -> None:
            await queries.feed(session, viewer, sort, PageRequest(limit=20))

        (plan,) = await _plans_of(seeded_engine, feed)
        nodes = _nodes(plan)
        posts = [n for n in nodes if n.get("Relation Name") == "post"]
        assert posts and all(n["Node Type"] != "Seq Scan" for n in posts), json.dumps(plan)
        assert all(n["Node Type"] != "Hash Join" for n in nodes), json.dumps(plan, indent=1)
        # Never sorted: the index walk gives the page in order and stops after it.
        assert all(n["Node Type"] != "Sort" for n in nodes), json.dumps(plan, indent=1)
        # What PostgreSQL does by itself (plan_cache_mode auto) on a pooled connection, where
        # the driver keeps the statement prepared.
        async with seeded_engine.connect() as connection:
            session = AsyncSession(bind=connection)
            for _ in range(8):
                await feed(session)
            ((sql, _),) = await _sent_by(seeded_engine, feed)
            generic, custom = (
                await connection.execute(
                    text(
                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                        " WHERE statement = :sql"
                    ),
                    {"sql": sql},
                )
            ).one()
            await session.close()
        assert generic >= 2, (sort, generic, custom)


@dataclass(frozen=True)
class Picked:
    """The biggest community, one of its members, and its most commented post."""

    slug: str
    community_id: Any
    viewer: Any
    post_id: Any


@pytest.fixture(scope="module")
async def picked(seeded_engine: AsyncEngine) -> Picked:
    async with seeded_engine.connect() as connection:
        slug, community_id, members = (
            await connection.execute(
                text(
                    "SELECT slug, id, member_count FROM community"
                    " ORDER BY member_count DESC LIMIT 1"
                )
            )
        ).one()
        viewer = (
            await connection.execute(
                text("SELECT user_id FROM community_member WHERE community_id = :c LIMIT 1"),
                {"c": community_id},
            )
        ).scalar_one()
        post_id = (
            await connection.execute(
                text(
                    "SELECT id FROM post WHERE community_id = :c"
                    " ORDER BY comment_count DESC LIMIT 1"
                ),
                {"c": community_id},
            )
        ).scalar_one()
    assert members > 500  # enough members for a walk through them to show
    return Picked(slug, community_id, viewer, post_id)


async def test_generic_plans_read_the_membership_by_its_key(
    seeded_engine: AsyncEngine, picked: Picked
):
    first = PageRequest(limit=20)

    async def post(session: AsyncSession) -> None:
        await queries.post_in_context(session, picked.post_id, picked.viewer)

    async def community_page(session: AsyncSession) -> None:
        await queries.community_posts(
            session, picked.slug, picked.viewer, PostSort.new, None, None, None, first
        )

    async def thread_page(session: AsyncSession) -> None:
        await queries.thread(session, picked.post_id, picked.viewer, first)

    reads = {
        "a post with its community": post,
        "a community with its posts page": community_page,
        "a post with its thread page": thread_page,
    }
    for name, read in reads.items():
        (plan,) = await _plans_of(seeded_engine, read)
        _assert_membership_by_key(name, plan)


async def test_the_community_list_reads_memberships_by_key_and_stops_at_the_page(
    seeded_engine: AsyncEngine, picked: Picked
):
    async def community_list(session: AsyncSession) -> None:
        for sort in CommunitySort:
            await SqlCommunityRepository(session).list_visible(
                picked.viewer, False, None, False, sort, PageRequest(limit=20)
            )

    # The role index once stood in for the primary key here (PostgreSQL saw the same estimate
    # for a smaller index): every member of each big community was read to find the viewer.
    for plan in await _plans_of(seeded_engine, community_list):
        _assert_membership_by_key("the community list", plan)
        # Keyset lists write their LIMIT into the SQL. Bound, it was invisible to a generic plan,
        # which then read and sorted every community (and PostgreSQL planned each run afresh).
        nodes = _nodes(plan)
        assert all(n["Node Type"] != "Sort" for n in nodes), json.dumps(plan, indent=1)
        scans = [n for n in nodes if n.get("Relation Name") == "community"]
        assert all(n["Node Type"] != "Seq Scan" for n in scans), json.dumps(plan, indent=1)
    # Planned once per connection: 'public' and 'active' are written into the SQL. Bound, the
    # generic plan could not see them and looked dearer than a fresh plan, so PostgreSQL planned
    # every request afresh (1-2 ms of planning for a 0.2 ms read).
    kept = await _kept_plans(seeded_engine, community_list)
    assert len(kept) == len(CommunitySort)
    assert all(generic >= 2 for generic, _custom in kept), kept


async def test_stewards_are_read_through_the_leaders_index(
    seeded_engine: AsyncEngine, picked: Picked
):
    async def stewards(session: AsyncSession) -> None:
        await SqlCommunityRepository(session).stewards(picked.community_id)

    # The partial index of leaders serves it only where the roles are in the SQL.
    (plan,) = await _plans_of(seeded_engine, stewards)
    used = {n.get("Index Name") for n in _nodes(plan)}
    assert "ix_community_member_leaders" in used, json.dumps(plan, indent=1)


async def test_skill_insight_pages_are_index_range_scans(
    seeded_engine: AsyncEngine, picked: Picked
):
    """GET /insights/skills reads one scope's rollups through their index: never a scan of the
    whole table (one row per scope and skill, a quarter of a million rows here)."""
    async with seeded_engine.connect() as connection:
        session = AsyncSession(bind=connection)
        repository = SqlSkillInsightRepository(session)
        facts = await repository.facts(NOW - timedelta(days=90), NOW - timedelta(days=365))
        computed = compute_rollups(facts)
        rollups = [(scope, figures) for (scope, _), figures in computed.items()]
        at_risk = [key for key, figures in computed.items() if needs_pairs(figures)]
        pairs = compute_pairs(*await repository.pair_candidates(at_risk))
        await repository.apply(rollups, facts.stored.keys() - computed.keys(), pairs, NOW)
        await session.commit()
        await session.close()
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("ANALYZE skill_insight")
        await autocommit.exec_driver_sql("ANALYZE skill_insight_pair")
    assert len(rollups) > 1000  # enough rows for a scan or a sort to show

    async def pages(session: AsyncSession) -> None:
        repository = SqlSkillInsightRepository(session)
        for scope in (ORGANISATION, picked.community_id):
            for sort in InsightSort:
                await repository.page(
                    scope, sort, PageRequest(limit=25), listed_only=True, pairs_for=None
                )

    skills = len({figures.skill_id for _, figures in rollups})
    for plan in await _plans_of(seeded_engine, pages):
        nodes = _nodes(plan)
        scans = [
            n for n in nodes if n.get("Relation Name") in ("skill_insight", "skill_insight_pair")
        ]
        # Only the scope's rows, found by the index: a scope holds at most one row per skill,
        # so whatever the planner does with them (it may join and sort a few hundred rows
        # rather than walk the index in order) is bounded by the taxonomy, not by the content.
        assert scans, json.dumps(plan, indent=1)
        for scan in scans:
            assert scan["Node Type"] != "Seq Scan", json.dumps(plan, indent=1)
            condition = scan.get("Index Cond") or scan.get("Recheck Cond") or ""
            assert "scope_id" in condition, json.dumps(plan, indent=1)
            assert scan["Actual Rows"] <= skills * MAX_PAIRS, json.dumps(plan, indent=1)


async def test_health_rankings_read_the_weeks_best_rows_from_their_indexes(
    seeded_engine: AsyncEngine,
):
    """GET /insights/health ranks one week of every community (10,000 here): each ranking reads
    its first rows in order from its own index, never the whole week (ties included: the index
    holds the rankings' exact orders)."""
    week = week_start(NOW)
    async with SqlUnitOfWork(async_sessionmaker(seeded_engine, expire_on_commit=False)) as uow:
        await refresh_week(uow, NOW, week)
        await uow.commit()
    async with seeded_engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("ANALYZE community_health_week")

    async def rankings(session: AsyncSession) -> None:
        for public_only in (False, True):
            await SqlHealthRepository(session).ranking(week, public_only, RANKED)

    plans = await _plans_of(seeded_engine, rankings)
    assert len(plans) == 4
    for plan in plans:
        scans = [n for n in _nodes(plan) if n.get("Relation Name") == "community_health_week"]
        assert len(scans) == 1, json.dumps(plan, indent=1)
        (scan,) = scans
        assert scan.get("Index Name") in (
            "ix_community_health_week_share",
            "ix_community_health_week_change",
        ), json.dumps(plan, indent=1)
        assert not [n for n in _nodes(plan) if "Sort" in n["Node Type"]], json.dumps(plan, indent=1)
        assert scan["Actual Rows"] <= 5 * RANKED, json.dumps(plan, indent=1)


async def _kept_plans(engine: AsyncEngine, read: Any) -> list[tuple[int, int]]:
    """(generic, custom) plans PostgreSQL used for each statement of `read` over eight runs on
    one connection, where the driver keeps the statements prepared."""
    async with engine.connect() as connection:
        session = AsyncSession(bind=connection)
        for _ in range(8):
            await read(session)
        counts = []
        for sql, _ in await _sent_by(engine, read):
            counts.append(
                (
                    await connection.execute(
                        text(
                            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                            " WHERE statement = :sql"
                        ),
                        {"sql": sql},
                    )
                ).one()
            )
        await session.close()
    return [(int(generic), int(custom)) for generic, custom in counts]


async def test_skill_lists_are_index_reads_planned_once(seeded_engine: AsyncEngine):
    """A page of a skill's experts walks ix_user_skill_experts (the stored score) and stops after
    the page; the skill list walks the index of its sort; neither sorts. PostgreSQL keeps one
    plan for the skill list. The experts page of a skill with many holders may be planned per
    request (planned for its own value, it looks cheaper than the plan for any skill), so it
    is kept small: a viewer's private evidence is a second statement, run only for flagged
    rows, which took planning from 2-8 ms to about 0.3 ms."""
    async with seeded_engine.connect() as connection:
        skill_id = (
            await connection.execute(
                text("SELECT skill_id FROM user_skill GROUP BY skill_id ORDER BY count(*) DESC")
            )
        ).first()[0]  # type: ignore[index]
        viewer = (
            await connection.execute(text("SELECT user_id FROM community_member LIMIT 1"))
        ).scalar_one()

    async def experts(session: AsyncSession) -> None:
        await expert_page(session, skill_id, Actor(viewer), PageRequest(limit=20))

    async def skill_list(session: AsyncSession, sort: SkillSort) -> None:
        await SqlSkillRepository(session).search(None, None, sort, PageRequest(limit=20))

    reads: list[tuple[str, Any, str]] = [("experts", experts, "user_skill")]
    for sort in SkillSort:

        async def listed(session: AsyncSession, sort: SkillSort = sort) -> None:
            await skill_list(session, sort)

        reads.append((f"skills sort={sort.value}", listed, "skill"))
    for name, read, table in reads:
        plan, *_ = await _plans_of(seeded_engine, read)
        nodes = _nodes(plan)
        scans = [n for n in nodes if n.get("Relation Name") == table]
        assert scans and all(n["Node Type"] == "Index Scan" for n in scans), (name, plan)
        assert all(n["Actual Rows"] <= 21 for n in scans), (name, json.dumps(plan, indent=1))
        assert all(n["Node Type"] != "Sort" for n in nodes), (name, json.dumps(plan, indent=1))
        if table == "skill":
            generic, _custom = (await _kept_plans(seeded_engine, read))[0]
            assert generic >= 2, (name, generic)


async def test_a_viewers_private_expert_parts_are_read_by_key(seeded_engine: AsyncEngine):
    """What a member adds to a page of experts comes from skill_private_evidence by primary
    key (the page's holders' rows in private communities), each checked against the viewer's
    membership by key: never the holders' evidence in every community, the communities, or
    the posts behind it, so it costs the same however much content the holders wrote."""
    async with seeded_engine.connect() as connection:
        viewer = (
            await connection.execute(
                text(
                    "SELECT m.user_id FROM community_member m"
                    " JOIN community c ON c.id = m.community_id"
                    " WHERE c.visibility = 'private' AND m.status = 'active'"
                    " GROUP BY m.user_id ORDER BY count(*) DESC, m.user_id LIMIT 1"
                )
            )
        ).scalar_one()
        # The skill and holders with the most private evidence rows.
        skill_id = (
            await connection.execute(
                text(
                    "SELECT skill_id FROM skill_private_evidence"
                    " GROUP BY skill_id ORDER BY count(*) DESC, skill_id LIMIT 1"
                )
            )
        ).scalar_one()
        holders = list(
            (
                await connection.execute(
                    text(
                        "SELECT user_id FROM skill_private_evidence WHERE skill_id = :skill"
                        " GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 20"
                    ),
                    {"skill": skill_id},
                )
            ).scalars()
        )

    for actor in (Actor(viewer), Actor(viewer, is_admin=True)):

        async def private(session: AsyncSession, actor: Actor = actor) -> None:
            await private_parts(session, skill_id, actor, holders)

        (plan,) = await _plans_of(seeded_engine, private)
        nodes = _nodes(plan)
        tables = {n["Relation Name"] for n in nodes if "Relation Name" in n}
        expected = {"skill_private_evidence"} | (set() if actor.is_admin else {"community_member"})
        assert tables == expected, json.dumps(plan, indent=1)
        reads = [n for n in nodes if n.get("Relation Name") == "skill_private_evidence"]
        for read in reads:
            assert "Index" in read["Node Type"], read
            condition = read.get("Index Cond") or read.get("Recheck Cond") or ""
            assert "user_id" in condition and "skill_id" in condition, read
        if not actor.is_admin:
            _assert_membership_by_key("private expert parts", plan)
