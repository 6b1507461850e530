"""`leaderful seed`: the bulk demo-data generator writes consistent data on both databases.

Every denormalised counter must equal what the source rows say, content rules hold (no reaction
on one's own content, accepted answers belong to their question, one level of replies), bodies
render exactly as the application would render them, and `--if-empty` never seeds twice.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from uuid import UUID

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

import repositories.seed.load as seed_load
from api.cli import app as cli
from api.seed import DEMO_PASSWORD, DEMO_PEOPLE_EMAILS, seed_demo
from domain.markdown import render_markdown
from domain.posts.context import render_body
from domain.posts.model import REACTION_WEIGHT
from domain.skills.taxonomy import STARTER_TAXONOMY
from repositories.seed.corpus import (
    ANSWERS,
    DESCRIPTIONS,
    INTROS,
    LINK_PARAGRAPHS,
    LISTS,
    MENTIONS,
    MIDDLES,
    REPLIES,
    fill,
)
from repositories.seed.model import COLUMNS, DemoPerson, SeedSizes, SkillInfo
from repositories.seed.world import DemoWorld
from repositories.skills.scores import refresh_scores
from repositories.tables import metadata
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import make_settings

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SIZES = {"users": 30, "communities": 6, "posts": 250}
runner = CliRunner()


def _uuid(value: object) -> UUID:
    return value if type(value) is UUID else UUID(str(value))


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


async def _rows(app: FastAPI, sql: str) -> list[tuple]:
    async with app.state.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql))]


async def _seed(app: FastAPI, database_url: str, tmp_path, **overrides):
    settings = make_settings(database_url, tmp_path)
    sizes = {**SIZES, **overrides}
    return await seed_demo(settings, if_empty=True, seed=7, now=NOW, **sizes)


async def test_seeded_counters_are_exact_and_rules_hold(app: FastAPI, database_url: str, tmp_path):
    report = await _seed(app, database_url, tmp_path)
    assert not report.skipped
    assert report.created_users == SIZES["users"]
    assert report.rows["community"] == SIZES["communities"]
    assert report.rows["post"] == SIZES["posts"]
    assert report.rows["comment"] > SIZES["posts"]  # threads, with replies
    assert report.rows["reaction"] > SIZES["posts"]
    assert report.admin_email == DEMO_PEOPLE_EMAILS[0]

    # Communities: member_count, post_count, last_activity_at; stewards and moderators.
    communities = await _rows(
        app, "SELECT id, member_count, post_count, last_activity_at, created_at FROM community"
    )
    members = await _rows(app, "SELECT community_id, user_id, role, status FROM community_member")
    posts = await _rows(
        app,
        "SELECT id, community_id, author_id, kind, comment_count, like_count, helpful_count,"
        " insightful_count, score, accepted_comment_id, deleted_at, created_at,"
        " last_activity_at, tags, body, body_html FROM post",
    )
    comments = await _rows(
        app,
        "SELECT id, post_id, parent_id, author_id, like_count, helpful_count, insightful_count,"
        " score, deleted_at, created_at, body, body_html FROM comment",
    )
    reactions = await _rows(app, "SELECT user_id, target_id, kind, target_type FROM reaction")
    active: Counter[UUID] = Counter()
    roles: dict[UUID, Counter[str]] = defaultdict(Counter)
    member_of: set[tuple[UUID, UUID]] = set()
    for community_id, user_id, role, status in members:
        if status == "active":
            active[_uuid(community_id)] += 1
            roles[_uuid(community_id)][role] += 1
            member_of.add((_uuid(community_id), _uuid(user_id)))
    live_posts: Counter[UUID] = Counter()
    newest_post: dict[UUID, datetime] = {}
    for post in posts:
        community_id = _uuid(post[1])
        if post[10] is None:
            live_posts[community_id] += 1
        created = _moment(post[11])
        newest_post[community_id] = max(newest_post.get(community_id, created), created)
    assert len(communities) == SIZES["communities"]
    sizes = []
    for community_id, member_count, post_count, last_activity, created in communities:
        key = _uuid(community_id)
        assert member_count == active[key]
        assert post_count == live_posts[key]
        assert _moment(last_activity) == max(
            _moment(created), newest_post.get(key, _moment(created))
        )
        assert roles[key]["steward"] >= 1 and roles[key]["moderator"] >= 1
        sizes.append(member_count)
    assert max(sizes) >= 2 * min(sizes)  # skewed sizes

    # Reactions: never on one's own content, counters and scores exact.
    author_of = {_uuid(p[0]): _uuid(p[2]) for p in posts}
    author_of.update({_uuid(c[0]): _uuid(c[3]) for c in comments})
    post_ids = {_uuid(p[0]) for p in posts}
    counts: dict[UUID, Counter[str]] = defaultdict(Counter)
    for user_id, target_id, kind, target_type in reactions:
        target = _uuid(target_id)
        assert author_of[target] != _uuid(user_id), "a reaction on one's own content"
        assert target_type == ("post" if target in post_ids else "comment")
        counts[target][kind] += 1

    def check_reactions(target: UUID, like: int, helpful: int, insightful: int, score: int) -> None:
        got = counts[target]
        assert (like, helpful, insightful) == (got["like"], got["helpful"], got["insightful"])
        assert score == sum(got[k.value] * w for k, w in REACTION_WEIGHT.items())

    # Comments: one level of replies in the same post; counters exact; bodies rendered.
    comment_by_id = {_uuid(c[0]): c for c in comments}
    live_comments: Counter[UUID] = Counter()
    newest_comment: dict[UUID, datetime] = {}
    for comment in comments:
        comment_id, post_id = _uuid(comment[0]), _uuid(comment[1])
        if comment[2] is not None:
            parent = comment_by_id[_uuid(comment[2])]
            assert _uuid(parent[1]) == post_id and parent[2] is None
            assert _moment(parent[9]) < _moment(comment[9])
        if comment[8] is None:
            live_comments[post_id] += 1
        moment = _moment(comment[9])
        newest_comment[post_id] = max(newest_comment.get(post_id, moment), moment)
        check_reactions(comment_id, comment[4], comment[5], comment[6], comment[7])
        assert comment[11] == render_markdown(comment[10])

    # Posts: counters, accepted answers, tags, last activity, bodies rendered.
    tags = await _rows(
        app, "SELECT post_tag.post_id, skill.slug FROM post_tag JOIN skill ON skill.id = skill_id"
    )
    tagged: dict[UUID, set[str]] = defaultdict(set)
    for post_id, slug in tags:
        tagged[_uuid(post_id)].add(slug)
    mentions: dict[UUID, set[UUID]] = defaultdict(set)
    for post_id, user_id in await _rows(app, "SELECT post_id, user_id FROM post_mention"):
        mentions[_uuid(post_id)].add(_uuid(user_id))
    kinds: Counter[str] = Counter()
    questions = accepted = linked = 0
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        saved = {_uuid(p[0]): await render_body(uow, p[14]) for p in posts}
    for post in posts:
        post_id = _uuid(post[0])
        kinds[post[3]] += 1
        assert (_uuid(post[1]), _uuid(post[2])) in member_of  # authors are members
        assert post[4] == live_comments[post_id]
        check_reactions(post_id, post[5], post[6], post[7], post[8])
        assert set(json.loads(post[13])) == tagged[post_id] and tagged[post_id]
        assert _moment(post[12]) >= newest_comment.get(post_id, _moment(post[11]))
        # What saving the post would store: its @mentions of active people linked to them.
        html, mentioned = saved[post_id]
        assert post[15] == html
        assert set(mentioned) == mentions.get(post_id, set())
        linked += 'class="mention"' in html
        if post[3] == "question":
            questions += 1
        if post[9] is not None:
            accepted += 1
            answer = comment_by_id[_uuid(post[9])]
            assert post[3] == "question"
            assert _uuid(answer[1]) == post_id, "the accepted answer belongs to another post"
            assert answer[2] is None and answer[8] is None
    assert set(kinds) == {"discussion", "question", "best_practice", "resource"}
    assert linked and linked == len(mentions)  # some posts mention people, as links
    assert 0.25 * questions <= accepted <= 0.75 * questions

    # Skills: holder_count exact; stored scores are what the repository's refresh computes.
    holders = dict(await _rows(app, "SELECT skill_id, count(*) FROM user_skill GROUP BY skill_id"))
    for skill_id, holder_count in await _rows(app, "SELECT id, holder_count FROM skill"):
        assert holder_count == holders.get(skill_id, 0)
    scores_sql = (
        "SELECT user_id, skill_id, endorsement_count, endorsement_points, accepted_answers,"
        " helpful_reactions, score FROM user_skill"
    )
    evidence_sql = "SELECT * FROM skill_evidence"
    before = sorted(await _rows(app, scores_sql))
    evidence_before = sorted(await _rows(app, evidence_sql))
    assert any(row[2] for row in before)  # some endorsements
    assert any(row[4] for row in before) and any(row[5] for row in before)  # and evidence
    async with app.state.engine.connect() as connection:
        session = AsyncSession(bind=connection)
        for skill_id in holders:
            await refresh_scores(session, _uuid(skill_id))
        after = sorted(tuple(r) for r in await connection.execute(text(scores_sql)))
        evidence_after = sorted(tuple(r) for r in await connection.execute(text(evidence_sql)))
        await session.close()
    assert after == before
    assert evidence_after == evidence_before and evidence_before
    goals = await _rows(app, "SELECT count(*) FROM learning_goal")
    assert goals[0][0] > 0

    # Every foreign key of the generated rows points at a row (PostgreSQL may skip the per-row
    # checks during the load, so check them all here).
    for name in COLUMNS:
        for fk in metadata.tables[name].foreign_key_constraints:
            referred = fk.referred_table.name
            pairs = [(e.parent.name, e.column.name) for e in fk.elements]
            present = " AND ".join(f'child."{c}" IS NOT NULL' for c, _ in pairs)
            match = " AND ".join(f'p."{r}" = child."{c}"' for c, r in pairs)
            orphans = await _rows(
                app,
                f'SELECT count(*) FROM "{name}" child WHERE {present} AND NOT EXISTS'
                f' (SELECT 1 FROM "{referred}" p WHERE {match})',
            )
            assert orphans[0][0] == 0, f"{name} -> {referred}"

    # A second run with --if-empty does nothing.
    again = await _seed(app, database_url, tmp_path)
    assert again.skipped
    assert (await _rows(app, "SELECT count(*) FROM post"))[0][0] == SIZES["posts"]


async def test_demo_people_sign_in_with_the_demo_password(app: FastAPI, database_url, tmp_path):
    await _seed(app, database_url, tmp_path, users=10, communities=2, posts=20)
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://testserver/api/v1") as http:
        for email in (DEMO_PEOPLE_EMAILS[0], DEMO_PEOPLE_EMAILS[-1]):
            response = await http.post(
                "/auth/token",
                data={"username": email, "password": DEMO_PASSWORD, "grant_type": "password"},
            )
            assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        page = await http.get("/feed", headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200 and page.json()["items"]


@pytest.mark.postgres_only
async def test_big_loads_rebuild_the_same_indexes(
    app: FastAPI, database_url: str, tmp_path, monkeypatch
):
    """From DEFER_INDEXES_FROM posts on, the content tables' plain indexes are dropped for the
    load and rebuilt from their own definitions: the schema must end exactly as it was."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    indexes_sql = (
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " ORDER BY indexname"
    )
    constraints_sql = (
        "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE connamespace = current_schema()::regnamespace ORDER BY conname"
    )
    before = await _rows(app, indexes_sql)
    constraints = await _rows(app, constraints_sql)
    monkeypatch.setattr(seed_load, "DEFER_INDEXES_FROM", 1)
    report = await _seed(app, database_url, tmp_path, users=12, communities=3, posts=60)
    assert any("dropped" in phase for phase in report.phases)
    assert await _rows(app, indexes_sql) == before
    assert await _rows(app, constraints_sql) == constraints


def test_cli_seed_if_empty_then_nothing(app: FastAPI, database_url: str, monkeypatch):
    monkeypatch.setenv("LEADERFUL_DATABASE_URL", database_url)
    first = runner.invoke(
        cli, ["seed", "--users", "12", "--communities", "3", "--posts", "40", "--if-empty"]
    )
    assert first.exit_code == 0, first.output
    assert "seeded 12 demo people, 3 communities, 40 posts" in first.output
    assert DEMO_PASSWORD in first.output
    again = runner.invoke(cli, ["seed", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "nothing seeded" in again.output
    no_community = runner.invoke(cli, ["seed", "--communities", "0", "--posts", "5"])
    assert no_community.exit_code != 0


# --- pure parts: determinism, columns, templates --------------------------------------------


def _world(seed: int) -> list[tuple[str, tuple]]:
    skills = [
        SkillInfo(UUID(int=i + 1), f"skill-{i}", entry.name, entry.category.value)
        for i, entry in enumerate(STARTER_TAXONOMY[:40])
    ]
    people = [DemoPerson("Amara Okafor", "Lead", "amara.okafor@demo.leaderful.dev")]
    world = DemoWorld(
        SeedSizes(users=25, communities=4, posts=120), skills, people, "hash", seed=seed, now=NOW
    )
    rows: list[tuple[str, tuple]] = []
    for batch in [world.people_rows(), world.community_rows(), *world.content_chunks(50)]:
        for table, items in batch.items():
            rows.extend((table, row) for row in items)
    return rows


def test_the_same_seed_gives_the_same_rows():
    first, second = _world(3), _world(3)
    assert first == second
    assert first != _world(4)


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_generated_columns_cover_every_required_column(table: str):
    columns: Table = metadata.tables[table]
    names = set(COLUMNS[table])
    assert names <= set(columns.c.keys())
    required = {
        c.name
        for c in columns.c
        if not c.nullable and c.default is None and c.server_default is None
    }
    assert required <= names, f"{table} misses {required - names}"


def test_templates_render_like_the_application_for_awkward_names():
    """Paragraphs are filled into pre-rendered templates: that must equal rendering them."""
    names = [e.name for e in STARTER_TAXONOMY if not e.name.replace(" ", "").isalnum()]
    names += ["Python", "World Café"]
    templates = [
        *ANSWERS,
        *REPLIES,
        *MIDDLES,
        *LISTS,
        *MENTIONS,
        *LINK_PARAGRAPHS,
        *(t for group in INTROS.values() for t in group),
    ]
    for template in templates:
        for name in names:
            source, html = fill(template, name, slug="some-skill", handle="amara-okafor")
            assert html == render_markdown(source, frozenset({"amara-okafor"})), (template, name)
    for description in DESCRIPTIONS:
        assert render_markdown(description.format(skill="C++"))
