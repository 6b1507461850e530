"""Full-text post search through the port, on the database under test (PostgreSQL tsvector + GIN
or SQLite FTS5): ranking, visibility inside the query, filters, safe snippets, hostile query
syntax, keyset cursors and, on PostgreSQL, the plans for rare, common and absent terms."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import insert, text, update
from sqlalchemy.dialects import postgresql

from api.pagination import CursorCodec
from domain.errors import ValidationFailed
from domain.pagination import PageRequest, PageResult
from domain.search import SearchHit, search_query
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.posts.search import CANDIDATE_LIMIT, PG_SEARCH_INDEX, PgPostSearch
from repositories.posts.tables import PostRow, PostTag
from repositories.skills.tables import SkillRow
from repositories.unit_of_work import SqlUnitOfWork
from repositories.users.tables import UserAccount
from tests.conftest import BACKEND

users = UserAccount.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
post_tags = PostTag.__table__  # type: ignore[attr-defined]
skills = SkillRow.__table__  # type: ignore[attr-defined]

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class World:
    """Rows inserted with plain Core inserts (no services): only storage and the adapter run."""

    app: FastAPI
    clock: int = 0
    post_rows: list[dict[str, Any]] = field(default_factory=list)

    async def run(self, table: Any, rows: list[dict[str, Any]]) -> None:
        async with self.app.state.engine.begin() as connection:
            await connection.execute(insert(table), rows)

    async def user(self, handle: str, role: str = "member") -> uuid.UUID:
        user_id = uuid.uuid4()
        await self.run(
            users,
            [
                {
                    "id": user_id,
                    "email": f"{handle}@example.com",
                    "handle": handle,
                    "display_name": handle.title(),
                    "search_name": handle,
                    "role": role,
                    "password_hash": "x",
                    "is_active": True,
                    "token_version": 0,
                    "version": 1,
                    "created_at": T0,
                    "updated_at": T0,
                }
            ],
        )
        return user_id

    async def community(
        self, slug: str, owner: uuid.UUID, visibility: str = "public", archived: bool = False
    ) -> uuid.UUID:
        community_id = uuid.uuid4()
        await self.run(
            communities,
            [
                {
                    "id": community_id,
                    "slug": slug,
                    "name": slug.title(),
                    "search_name": slug,
                    "purpose": "Learning together.",
                    "description": "",
                    "description_html": "",
                    "visibility": visibility,
                    "join_policy": "open" if visibility == "public" else "invite",
                    "tags": "[]",
                    "created_by": owner,
                    "created_at": T0,
                    "updated_at": T0,
                    "last_activity_at": T0,
                    "archived_at": T0 if archived else None,
                    "member_count": 0,
                    "post_count": 0,
                    "version": 1,
                }
            ],
        )
        return community_id

    async def member(
        self, community_id: uuid.UUID, user_id: uuid.UUID, status: str = "active"
    ) -> None:
        await self.run(
            members,
            [
                {
                    "community_id": community_id,
                    "user_id": user_id,
                    "role": "member",
                    "status": status,
                    "notify_level": "all",
                    "joined_at": T0,
                }
            ],
        )

    async def skill(self, slug: str) -> uuid.UUID:
        skill_id = uuid.uuid4()
        row = {
            "id": skill_id,
            "slug": slug,
            "name": slug,
            "sort_name": slug,
            "holder_count": 0,
            "created_at": T0,
            "updated_at": T0,
        }
        await self.run(skills, [row])
        return skill_id

    def post_row(
        self,
        community_id: uuid.UUID,
        author_id: uuid.UUID,
        title: str,
        body: str,
        kind: str = "discussion",
    ) -> dict[str, Any]:
        self.clock += 1
        at = T0 + timedelta(seconds=self.clock)
        return {
            "id": uuid.uuid4(),
            "community_id": community_id,
            "author_id": author_id,
            "kind": kind,
            "title": title,
            "body": body,
            "body_html": "",
            "links": "[]",
            "tags": "[]",
            "created_at": at,
            "updated_at": at,
            "last_activity_at": at,
            "score": 0,
            "like_count": 0,
            "helpful_count": 0,
            "insightful_count": 0,
            "comment_count": 0,
            "accepted_comment_id": None,
            "is_pinned": False,
            "is_locked": False,
            "deleted_at": None,
            "version": 1,
        }

    async def posts(self, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
        await self.run(posts, rows)
        return [row["id"] for row in rows]

    async def post(self, community_id: uuid.UUID, author_id: uuid.UUID, title: str, body: str,
                   kind: str = "discussion") -> uuid.UUID:  # fmt: skip
        return (await self.posts([self.post_row(community_id, author_id, title, body, kind)]))[0]


@dataclass
class Scene:
    world: World
    author: uuid.UUID
    outsider: uuid.UUID
    public: uuid.UUID


@pytest.fixture
async def scene(app: FastAPI) -> Scene:
    world = World(app)
    author = await world.user("author")
    outsider = await world.user("outsider")
    public = await world.community("open-practice", author)
    await world.member(public, author)
    return Scene(world, author, outsider, public)


async def search(
    app: FastAPI,
    viewer: uuid.UUID,
    q: str,
    *,
    is_admin: bool = False,
    community_id: uuid.UUID | None = None,
    kind: str | None = None,
    skill_id: uuid.UUID | None = None,
    page: PageRequest | None = None,
) -> PageResult[SearchHit]:
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        return await uow.search.search_posts(
            viewer,
            is_admin,
            search_query(q),
            community_id,
            kind,
            skill_id,
            page or PageRequest(limit=20),
        )


async def all_ids(app: FastAPI, viewer: uuid.UUID, q: str, **kwargs: Any) -> list[uuid.UUID]:
    """Every hit, page after page, through the API's cursor encoding."""
    codec = CursorCodec("search-test-secret")
    seen: list[uuid.UUID] = []
    page = PageRequest(limit=7)
    while True:
        result = await search(app, viewer, q, page=page, **kwargs)
        seen += [hit.post_id for hit in result.items]
        if result.next_position is None:
            return seen
        cursor = codec.encode("search", result.next_position)
        page = PageRequest(limit=7, after=codec.decode("search", cursor))


async def test_title_matches_rank_above_body_only_matches(app: FastAPI, scene: Scene):
    w = scene.world
    body_only = await w.post(
        scene.public, scene.author, "Weekly notes", "We talked about kubernetes upgrades today."
    )
    title = await w.post(
        scene.public, scene.author, "Kubernetes upgrade checklist", "Drain the nodes first."
    )
    both = await w.post(
        scene.public,
        scene.author,
        "Kubernetes in production",
        "Our kubernetes clusters and how we run kubernetes.",
    )
    await w.post(scene.public, scene.author, "Unrelated", "Nothing to see here.")

    result = await search(app, scene.outsider, "kubernetes")
    ids = [hit.post_id for hit in result.items]
    assert set(ids) == {body_only, title, both}
    assert ids[-1] == body_only  # every title match ranks above the body-only match
    ranks = [hit.rank for hit in result.items]
    assert ranks == sorted(ranks, reverse=True)
    assert result.next_position is None
    # The same query ranks the same way every time (cursors depend on it).
    again = await search(app, scene.outsider, "kubernetes")
    assert [(h.post_id, h.rank) for h in again.items] == [(h.post_id, h.rank) for h in result.items]


async def test_stemming_matches_other_forms_of_a_word(app: FastAPI, scene: Scene):
    post = await scene.world.post(
        scene.public, scene.author, "Mentoring", "She mentors juniors while running retros."
    )
    assert [h.post_id for h in (await search(app, scene.outsider, "run")).items] == [post]


async def test_private_posts_never_appear_for_outsiders_and_pages_stay_full(
    app: FastAPI, scene: Scene
):
    w = scene.world
    private = await w.community("inner-circle", scene.author, visibility="private")
    await w.member(private, scene.author)
    pending = await w.user("pending")
    await w.member(private, pending, status="pending")
    # Interleave visible and invisible matches so that filtering a page afterwards would show.
    rows = []
    for i in range(25):
        rows.append(w.post_row(scene.public, scene.author, f"Retro idea {i}", "A retrospective."))
        rows.append(w.post_row(private, scene.author, f"Secret retro {i}", "A retrospective."))
    await w.posts(rows)
    visible = {r["id"] for r in rows if r["community_id"] == scene.public}

    first = await search(app, scene.outsider, "retrospective")
    assert len(first.items) == 20
    assert {h.post_id for h in first.items} <= visible
    assert first.next_position is not None
    second = await search(
        app, scene.outsider, "retrospective", page=PageRequest(20, first.next_position)
    )
    assert len(second.items) == 5
    assert second.next_position is None
    assert {h.post_id for h in first.items} | {h.post_id for h in second.items} == visible

    assert set(await all_ids(app, pending, "retrospective")) == visible  # pending is not active
    everything = {r["id"] for r in rows}
    assert set(await all_ids(app, scene.author, "retrospective")) == everything  # a member
    assert set(await all_ids(app, scene.outsider, "retrospective", is_admin=True)) == everything
    # Naming the private community does not open it either.
    assert (await search(app, scene.outsider, "retro", community_id=private)).items == []
    # Membership of another community opens only that one.
    await w.member(scene.public, scene.outsider)
    assert set(await all_ids(app, scene.outsider, "retrospective")) == visible


async def test_deleted_posts_and_archived_communities_never_appear(app: FastAPI, scene: Scene):
    w = scene.world
    archived = await w.community("old-times", scene.author, archived=True)
    kept = await w.post(scene.public, scene.author, "Pairing guide", "How we pair program.")
    deleted = await w.post(scene.public, scene.author, "Pairing rota", "Who pairs when.")
    await w.post(archived, scene.author, "Pairing archive", "Pairing notes from long ago.")
    async with app.state.engine.begin() as connection:
        await connection.execute(
            update(posts).where(posts.c.id == deleted).values(deleted_at=T0 + timedelta(days=1))
        )
    assert [h.post_id for h in (await search(app, scene.outsider, "pairing")).items] == [kept]
    admin_view = await search(app, scene.outsider, "pairing", is_admin=True)
    assert [h.post_id for h in admin_view.items] == [kept]


async def test_listed_posts_follow_their_community_out_of_and_back_into_view(
    app: FastAPI, scene: Scene
):
    """post.listed lets search skip the community lookup; a trigger on community keeps it
    current, so making a community private or archiving it hides its listed posts at once."""
    w = scene.world
    row = w.post_row(scene.public, scene.author, "Sketchnoting", "Drawing our sketchnoting notes.")
    [post] = await w.posts([{**row, "listed": True}])

    async def found() -> list[uuid.UUID]:
        return [h.post_id for h in (await search(app, scene.outsider, "sketchnoting")).items]

    async def community(**values: Any) -> None:
        async with app.state.engine.begin() as connection:
            await connection.execute(
                update(communities).where(communities.c.id == scene.public).values(**values)
            )

    async def listed() -> bool:
        async with app.state.engine.connect() as connection:
            query = posts.select().with_only_columns(posts.c.listed).where(posts.c.id == post)
            return bool((await connection.execute(query)).scalar_one())

    assert await found() == [post]
    await community(visibility="private", join_policy="invite")
    assert not await listed()
    assert await found() == []
    assert [h.post_id for h in (await search(app, scene.author, "sketchnoting")).items] == [post]
    await community(visibility="public", join_policy="open")
    assert await listed()
    assert await found() == [post]
    await community(archived_at=T0)
    assert not await listed()
    assert await found() == []
    await community(archived_at=None, name="Renamed")  # any other edit leaves it alone
    assert await listed()
    await community(name="Renamed again")
    assert await listed() and await found() == [post]


async def test_edits_and_hard_deletes_keep_the_index_in_sync(app: FastAPI, scene: Scene):
    post = await scene.world.post(scene.public, scene.author, "Estimation", "Planning poker.")
    async with app.state.engine.begin() as connection:
        await connection.execute(
            update(posts).where(posts.c.id == post).values(title="Forecasting", score=5)
        )
    assert (await search(app, scene.outsider, "estimation")).items == []
    assert [h.post_id for h in (await search(app, scene.outsider, "forecasting")).items] == [post]
    async with app.state.engine.begin() as connection:
        await connection.execute(posts.delete().where(posts.c.id == post))
    assert (await search(app, scene.outsider, "forecasting")).items == []


async def test_kind_community_and_tag_filters(app: FastAPI, scene: Scene):
    w = scene.world
    other = await w.community("other-practice", scene.author)
    python = await w.skill("python")
    question = await w.post(
        scene.public, scene.author, "Testing question", "How do you test?", kind="question"
    )
    practice = await w.post(
        scene.public, scene.author, "Testing practice", "We test first.", kind="best_practice"
    )
    elsewhere = await w.post(other, scene.author, "Testing elsewhere", "Tests everywhere.")
    await w.run(post_tags, [{"post_id": practice, "skill_id": python}])

    async def ids(**kwargs: Any) -> set[uuid.UUID]:
        return {h.post_id for h in (await search(app, scene.outsider, "testing", **kwargs)).items}

    assert await ids() == {question, practice, elsewhere}
    assert await ids(kind="question") == {question}
    assert await ids(community_id=other) == {elsewhere}
    assert await ids(skill_id=python) == {practice}
    assert await ids(skill_id=python, kind="question") == set()
    assert await ids(community_id=scene.public, kind="best_practice") == {practice}


async def test_snippets_highlight_matches_and_are_safe_html(app: FastAPI, scene: Scene):
    body = (
        "Before the demo <script>alert('x')</script> we checked the <b>onboarding</b> flow; "
        "onboarding & mentoring go together < always > in our team."
    )
    await scene.world.post(scene.public, scene.author, "Notes", body)
    [hit] = (await search(app, scene.outsider, "onboarding")).items
    assert "<mark>" in hit.snippet and "</mark>" in hit.snippet
    assert "<script" not in hit.snippet.lower()
    assert "<b>" not in hit.snippet
    # The only tags left are the highlights.
    assert set(re.findall(r"</?[a-z][^>]*>", hit.snippet)) <= {"<mark>", "</mark>"}
    assert hit.snippet.count("<mark>") == hit.snippet.count("</mark>")
    assert re.search(r"<mark>onboarding</mark>", hit.snippet, re.IGNORECASE)


async def test_snippet_markers_in_the_body_cannot_unbalance_the_html(app: FastAPI, scene: Scene):
    body = "stray \ue001 close and \ue000 open markers around the glossary term"
    await scene.world.post(scene.public, scene.author, "Markers", body)
    [hit] = (await search(app, scene.outsider, "glossary")).items
    assert hit.snippet.count("<mark>") == hit.snippet.count("</mark>") >= 1
    assert "\ue000" not in hit.snippet and "\ue001" not in hit.snippet


HOSTILE_QUERIES = [
    '"',
    '"unterminated phrase',
    '""',
    "*",
    "retro*",
    "NEAR(",
    "NEAR(retro team, 2)",
    "-",
    "-retro",
    "retro -team",
    ":",
    "title:retro",
    "body : retro",
    "retro OR",
    "OR retro",
    "or",
    "AND NOT OR",
    "^retro",
    "(retro",
    "retro)",
    "{title body}: retro",
    "'; DROP TABLE post; --",
    "\\",
    "100%",
    "a_b",
    "retro & team | !x <-> y",
    "retro:*",
    "\u00e9quipe r\u00e9tro",
    "\U0001f600 retro",
    "the of and",
    "x" * 300,
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
async def test_query_syntax_characters_never_raise(app: FastAPI, scene: Scene, q: str):
    post = await scene.world.post(
        scene.public, scene.author, "Retro formats", "Our team retro, with a NEAR miss."
    )
    result = await search(app, scene.outsider, q)
    assert {h.post_id for h in result.items} <= {post}


async def test_plain_words_still_match_after_syntax_is_neutralised(app: FastAPI, scene: Scene):
    post = await scene.world.post(
        scene.public, scene.author, "Retro formats", "Our team retro, with a NEAR miss."
    )
    for q in ["NEAR(retro", '"team retro"', "retro -planning", "retro*", "^retro", "(retro)"]:
        assert [h.post_id for h in (await search(app, scene.outsider, q)).items] == [post], q
    assert (await search(app, scene.outsider, "retro -team")).items == []
    assert (await search(app, scene.outsider, '"retro team"')).items == []  # phrase order
    assert (await search(app, scene.outsider, "title:retro")).items == []  # no column syntax
    # Exclusions alone match nothing (not every post), on both databases.
    assert (await search(app, scene.outsider, "-planning")).items == []
    assert (await search(app, scene.outsider, "planning or -retro")).items == []
    both = (await search(app, scene.outsider, "planning or retro")).items
    assert [h.post_id for h in both] == [post]


async def test_empty_queries_are_a_validation_error():
    for q in ["", "   ", "\x00\x01\t\n", "\u200b"]:
        with pytest.raises(ValidationFailed):
            search_query(q)


async def test_keyset_cursor_continues_without_repeats_or_gaps(app: FastAPI, scene: Scene):
    w = scene.world
    rows = [
        # Several rank levels with many ties inside each, so the id tie-break matters.
        w.post_row(
            scene.public,
            scene.author,
            "Facilitation tips" if i % 3 == 0 else f"Note {i}",
            "facilitation " * (1 + i % 4) + "in workshops.",
        )
        for i in range(45)
    ]
    expected = set(await w.posts(rows))
    seen = await all_ids(app, scene.outsider, "facilitation")
    assert len(seen) == len(set(seen)) == 45
    assert set(seen) == expected
    # The order is (rank desc, id desc) across page boundaries.
    whole = await search(app, scene.outsider, "facilitation", page=PageRequest(limit=100))
    assert [h.post_id for h in whole.items] == seen
    keys = [(h.rank, h.post_id) for h in whole.items]
    assert keys == sorted(keys, reverse=True)


async def test_one_statement_per_page(app: FastAPI, scene: Scene, count_statements):
    await scene.world.posts(
        [w for i in range(30) for w in [scene.world.post_row(scene.public, scene.author,
                                                            f"Kata {i}", "code kata")]]
    )  # fmt: skip
    count_statements.statements.clear()
    result = await search(app, scene.outsider, "kata")
    assert len(result.items) == 20
    # One SELECT whatever the page size.
    assert count_statements.count == 1, count_statements.statements


# --- PostgreSQL plans ---

RARE, MEDIUM, COMMON, ABSENT = "zygomorphic", "mentoring", "leadership", "xylophonist"
SEQ_SCAN_ON_POST = re.compile(r"Seq Scan on post\b")
GIN_SCAN = f"Bitmap Index Scan on {PG_SEARCH_INDEX}"
NEWEST_FIRST_SCAN = "Index Scan Backward using ix_post_recent on post"
POSTS_FOR_PLANS = 20_000


def _node(plan: dict[str, Any], alias: str) -> dict[str, Any] | None:
    if plan.get("Alias") == alias:
        return plan
    for child in plan.get("Plans", []):
        found = _node(child, alias)
        if found is not None:
            return found
    return None


pg_only = pytest.mark.skipif(BACKEND != "postgres", reason="query plans are PostgreSQL's")


@pg_only
async def test_plans_never_scan_posts_and_rank_a_bounded_set(app: FastAPI, scene: Scene):
    """Rare, absent and fairly common terms are answered from the GIN index. For a term in half
    of all posts the planner may instead walk ix_post_recent newest-first and stop after
    CANDIDATE_LIMIT matches: at 1M posts that took 7 ms where a GIN bitmap over 500k matches
    took 4 s. Either way nothing scans `post`, ts_rank sees at most CANDIDATE_LIMIT rows, and
    the community is looked up only for candidates that post.listed does not answer."""
    w = scene.world
    private = await w.community("private-practice", scene.author, visibility="private")
    await w.member(private, scene.author)
    generate = text(
        """
        INSERT INTO post (id, community_id, author_id, kind, title, body, body_html, links, tags,
            created_at, updated_at, last_activity_at, score, like_count, helpful_count,
            insightful_count, comment_count, is_pinned, is_locked, version, listed)
        SELECT gen_random_uuid(),
            CAST(CASE WHEN g % 5 = 0 THEN :private ELSE :public END AS uuid), CAST(:author AS uuid),
            'discussion',
            'Post ' || g || CASE WHEN g = 3455 THEN ' zygomorphic' ELSE '' END,
            'Some ' || CASE WHEN g % 2 = 0 THEN 'leadership' ELSE 'topic' || g END
                || CASE WHEN g % 20 = 1 THEN ' mentoring' ELSE '' END
                || CASE WHEN g = 1234 THEN ' zygomorphic' ELSE '' END || ' notes.',
            '', '[]', '[]', CAST(:t0 AS timestamptz) + g * interval '1 second',
            CAST(:t0 AS timestamptz), CAST(:t0 AS timestamptz), 0, 0, 0, 0, 0,
            false, false, 1, g % 5 <> 0
        FROM generate_series(1, :n) AS g
        """
    )
    async with app.state.engine.begin() as connection:
        await connection.execute(
            generate,
            {"private": str(private), "public": str(scene.public), "author": str(scene.author),
             "t0": T0, "n": POSTS_FOR_PLANS},
        )  # fmt: skip
    async with app.state.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        # Statistics for the planner, and the GIN pending list merged as autovacuum would.
        await autocommit.exec_driver_sql("VACUUM ANALYZE post")
        await autocommit.exec_driver_sql("ANALYZE community")
        await autocommit.exec_driver_sql("ANALYZE community_member")

    adapter = PgPostSearch(None)  # only builds statements here
    for term in (RARE, MEDIUM, COMMON, ABSENT):
        for viewer, is_admin in (
            (scene.outsider, False),
            (scene.author, False),
            (scene.outsider, True),
        ):
            stmt = adapter.statement(viewer, is_admin, term, None, None, None, PageRequest(20))
            sql = str(
                stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
            )
            async with app.state.engine.connect() as connection:
                result = await connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, COSTS OFF, FORMAT JSON) " + sql
                )
                document = result.scalar_one()
            plan_json = (document if isinstance(document, list) else json.loads(document))[0]
            async with app.state.engine.connect() as connection:
                lines = (await connection.exec_driver_sql("EXPLAIN " + sql)).scalars().all()
            plan = "\n".join(lines)
            where = f"{term!r} is_admin={is_admin}:\n{plan}"
            assert not SEQ_SCAN_ON_POST.search(plan), where
            if term == COMMON:
                assert GIN_SCAN in plan or NEWEST_FIRST_SCAN in plan, where
            else:
                assert GIN_SCAN in plan, where
            candidates = _node(plan_json["Plan"], "candidates")
            assert candidates is not None, where
            assert candidates["Actual Rows"] <= CANDIDATE_LIMIT, where
            # post.listed answers for the public four fifths: the community is looked up only
            # for the others (the private fifth), never once per candidate.
            lookups = _node(candidates, "community_1")
            assert lookups is not None, where
            if candidates["Actual Rows"] >= 50:
                assert lookups["Actual Loops"] <= candidates["Actual Rows"] / 2, where

    # The answers are right too: the private half of the matches is not the outsider's.
    assert len((await search(app, scene.outsider, RARE)).items) == 1  # g=3455 is private
    assert len((await search(app, scene.author, RARE)).items) == 2
    assert (await search(app, scene.outsider, ABSENT)).items == []
    common = await search(app, scene.outsider, COMMON)
    assert len(common.items) == 20 and common.next_position is not None


@pg_only
async def test_every_search_is_planned_for_its_own_words(app: FastAPI, scene: Scene):
    """A generic plan cannot tell a rare term from a common one. The words are written into the
    statement, so that after any number of searches each is planned knowing its term. (A
    `SET LOCAL plan_cache_mode` did this before, but GET requests run in autocommit, where
    PostgreSQL ignores SET LOCAL: after five searches, every term got the same plan.)"""
    hostile = 'o\'reilly \\ "x" ); DROP TABLE post; --'
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        for words in [RARE] * 6 + [COMMON, MEDIUM, hostile]:
            await uow.search.search_posts(
                scene.outsider, False, words, None, None, None, PageRequest(20)
            )
        connection = await uow.session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        statements = [
            row["statement"]
            for row in await driver.fetch("SELECT statement FROM pg_prepared_statements")
            if "websearch_to_tsquery" in row["statement"]
        ]
    assert statements and all("websearch_to_tsquery('english', $" not in s for s in statements)
    for words in (RARE, COMMON, MEDIUM):
        assert any(f"'{words}'" in s for s in statements), words
    async with app.state.engine.connect() as connection:  # the words were only words
        assert (await connection.execute(text("SELECT to_regclass('post')"))).scalar_one()
