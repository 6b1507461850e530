"""Home's two lists: unanswered questions on the skills I hold (only where I can read them, never
my own, gone once someone answers, within a window) and the popular public posts a new person's
empty feed shows instead. Both are keyset pages that cost the same statements at any size."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from domain.posts.model import UNANSWERED_WINDOW
from repositories.posts.tables import PostRow
from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register, with_personal_token

posts = PostRow.__table__  # type: ignore[attr-defined]


async def hold(client: httpx.AsyncClient, who: Account, skill: str, level: int = 4) -> None:
    r = await client.put(
        f"/me/skills/{skill}", json={"level": level, "wants_to_teach": True}, headers=who.headers
    )
    assert r.status_code == 200, r.text


async def ask(
    client: httpx.AsyncClient,
    who: Account,
    slug: str,
    title: str,
    tags: list[str],
    kind: str = "question",
) -> str:
    r = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": kind, "title": title, "body": "Any ideas?", "tags": tags},
        headers=who.headers,
    )
    assert r.status_code == 201, r.text
    post_id: str = r.json()["id"]
    return post_id


async def titles(client: httpx.AsyncClient, who: Account, path: str) -> list[str]:
    r = await client.get(path, headers=who.headers)
    assert r.status_code == 200, r.text
    return [item["title"] for item in r.json()["items"]]


async def test_unanswered_questions_on_my_skills(app: FastAPI, client: httpx.AsyncClient) -> None:
    asker = await register(client, "Asa Asker")
    expert = await register(client, "Eko Expert")
    await create_community(client, asker, "Platform Guild")
    await create_community(client, asker, "Secret Ops", visibility="private", join_policy="invite")
    r = await client.post("/skills", json={"name": "Kubernetes"}, headers=asker.headers)
    assert r.status_code == 201, r.text
    await hold(client, expert, "kubernetes")
    assert await titles(client, expert, "/me/unanswered-questions") == []

    drain = await ask(client, asker, "platform-guild", "Draining nodes", ["Kubernetes"])
    await ask(client, asker, "platform-guild", "Pod limits", ["Kubernetes", "Capacity"])
    await ask(client, asker, "platform-guild", "Lunch?", ["Cooking"])
    await ask(client, asker, "platform-guild", "Our cluster tour", ["Kubernetes"], "discussion")
    await ask(client, asker, "secret-ops", "Hidden cluster", ["Kubernetes"])
    assert (await join(client, expert, "platform-guild")).status_code == 201
    await ask(client, expert, "platform-guild", "My own question", ["Kubernetes"])
    old = await ask(client, asker, "platform-guild", "Last season's upgrade", ["Kubernetes"])
    async with app.state.engine.begin() as connection:
        long_ago = app.state.clock.now() - UNANSWERED_WINDOW - timedelta(days=1)
        await connection.execute(
            update(posts).where(posts.c.id == uuid.UUID(old)).values(created_at=long_ago)
        )

    # Newest first; not the private community's, not off my skills, not a discussion, not
    # mine, not older than the window.
    assert await titles(client, expert, "/me/unanswered-questions") == [
        "Pod limits",
        "Draining nodes",
    ]
    # Someone who holds none of the skills sees none; a member of the private community sees it.
    assert await titles(client, asker, "/me/unanswered-questions") == []

    # An answer takes the question off the list.
    r = await client.post(
        f"/posts/{drain}/comments", json={"body": "cordon first"}, headers=expert.headers
    )
    assert r.status_code == 201, r.text
    assert await titles(client, expert, "/me/unanswered-questions") == ["Pod limits"]

    # Invited into the private community and joined: its question now shows.
    r = await client.post(
        "/communities/secret-ops/invitations", json={"handle": expert.handle}, headers=asker.headers
    )
    assert r.status_code == 201, r.text
    assert (await join(client, expert, "secret-ops")).status_code == 201
    assert await titles(client, expert, "/me/unanswered-questions") == [
        "Hidden cluster",
        "Pod limits",
    ]


async def test_dropping_a_skill_drops_its_questions(client: httpx.AsyncClient) -> None:
    asker = await register(client, "Asa Asker")
    peer = await register(client, "Pia Peer")
    await create_community(client, asker, "Data Folk")
    await ask(client, asker, "data-folk", "Slow join", ["SQL"])
    await hold(client, peer, "sql")
    assert await titles(client, peer, "/me/unanswered-questions") == ["Slow join"]
    assert (await client.delete("/me/skills/sql", headers=peer.headers)).status_code == 204
    assert await titles(client, peer, "/me/unanswered-questions") == []


async def test_popular_public_posts(client: httpx.AsyncClient) -> None:
    owner = await register(client, "Olga Owner")
    reader = await register(client, "Rui Reader")
    newcomer = await register(client, "Nia New")
    await create_community(client, owner, "Python Guild")
    await create_community(
        client, owner, "Inner Circle", visibility="private", join_policy="invite"
    )
    quiet = await ask(client, owner, "python-guild", "Quiet post", ["Python"], "discussion")
    loved = await ask(client, owner, "python-guild", "Loved post", ["Python"], "best_practice")
    await ask(client, owner, "inner-circle", "Private gem", ["Python"], "discussion")
    assert (await join(client, reader, "python-guild")).status_code == 201
    for kind in ("helpful", "insightful"):
        r = await client.put(f"/posts/{loved}/reactions/{kind}", headers=reader.headers)
        assert r.status_code == 204, r.text
    r = await client.put(f"/posts/{quiet}/reactions/like", headers=reader.headers)
    assert r.status_code == 204, r.text

    # The newcomer's own feed is empty; the popular posts are the public ones, best first.
    assert await titles(client, newcomer, "/feed") == []
    assert await titles(client, newcomer, "/feed/popular") == ["Loved post", "Quiet post"]
    page = (await client.get("/feed/popular?limit=1", headers=newcomer.headers)).json()
    assert [p["title"] for p in page["items"]] == ["Loved post"]
    second = await client.get(
        f"/feed/popular?limit=1&cursor={page['next_cursor']}", headers=newcomer.headers
    )
    assert [p["title"] for p in second.json()["items"]] == ["Quiet post"]
    assert second.json()["next_cursor"] is None


@pytest.mark.parametrize("path", ["/me/unanswered-questions", "/feed/popular"])
async def test_home_lists_need_a_reader(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert_problem(response, 401)
    person = await register(client, "Tia Token")
    readonly = await with_personal_token(client, person, ["read"])
    assert (await client.get(path, headers=readonly.headers)).status_code == 200
    assert_problem(await client.get(f"{path}?limit=0", headers=person.headers), 422)
    assert_problem(await client.get(f"{path}?cursor=not-a-cursor", headers=person.headers), 400)


async def test_home_lists_run_constant_statements(
    client: httpx.AsyncClient, count_statements
) -> None:
    asker = await register(client, "Asa Asker")
    expert = await register(client, "Eko Expert")
    await create_community(client, asker, "Platform Guild")
    await client.post("/skills", json={"name": "Kubernetes"}, headers=asker.headers)
    await hold(client, expert, "kubernetes")
    for i in range(6):
        await ask(client, asker, "platform-guild", f"Question {i}", ["Kubernetes"])
    for path in ("/me/unanswered-questions", "/feed/popular"):
        counts = []
        for limit in (1, 3, 20):
            count_statements.statements.clear()
            r = await client.get(f"{path}?limit={limit}", headers=expert.headers)
            assert r.status_code == 200 and r.json()["items"], r.text
            counts.append(count_statements.count)
        # The caller's account, then the page in one statement.
        assert counts == [2, 2, 2], (path, counts, count_statements.statements)
