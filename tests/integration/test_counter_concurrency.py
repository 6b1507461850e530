"""Stored counters stay exact under truly concurrent requests: every counter kept on write is
compared with a COUNT(*) of the rows it counts after a burst of parallel requests through the app.

On PostgreSQL the requests really overlap (READ COMMITTED, row locks); SQLite serialises writers,
so there the same bursts check the outcome rules (one winner, the others 404 or repeats).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.api.test_mentorship import act, hold, new_skill, offer, requested
from tests.communities_helpers import create_community, join
from tests.helpers import Account, register

BURST = 12


async def scalar(app: FastAPI, sql: str, **params: Any) -> int:
    async with app.state.engine.connect() as connection:
        return int((await connection.execute(text(sql), params)).scalar_one())


async def statuses(*requests: Any) -> Counter[int]:
    responses: list[httpx.Response] = await asyncio.gather(*requests)
    for response in responses:
        assert response.status_code < 500, response.text
    return Counter(r.status_code for r in responses)


async def members_exact(app: FastAPI, slug: str) -> int:
    stored = await scalar(app, "SELECT member_count FROM community WHERE slug = :s", s=slug)
    counted = await scalar(
        app,
        "SELECT COUNT(*) FROM community_member m JOIN community c ON c.id = m.community_id "
        "WHERE c.slug = :s AND m.status = 'active'",
        s=slug,
    )
    assert stored == counted
    return stored


# --- community members ---------------------------------------------------------------------------


async def test_parallel_leaves_leave_once(app: FastAPI, client: httpx.AsyncClient):
    owner, member = await register(client), await register(client)
    slug = (await create_community(client, owner))["slug"]
    for _ in range(3):
        assert (await join(client, member, slug)).status_code == 201
        assert await members_exact(app, slug) == 2
        leave = f"/communities/{slug}/members/me"
        codes = await statuses(
            *(client.delete(leave, headers=member.headers) for _ in range(BURST))
        )
        assert codes == {204: 1, 404: BURST - 1}
        assert await members_exact(app, slug) == 1


async def test_parallel_joins_join_once(app: FastAPI, client: httpx.AsyncClient):
    owner, member = await register(client), await register(client)
    others = [await register(client) for _ in range(5)]
    slug = (await create_community(client, owner))["slug"]
    codes = await statuses(*(join(client, member, slug) for _ in range(BURST)))
    assert codes == {201: 1, 200: BURST - 1}
    codes = await statuses(*(join(client, other, slug) for other in others))
    assert codes == {201: len(others)}
    assert await members_exact(app, slug) == 2 + len(others)
    # Everyone leaves at once: each leave counts once.
    leave = f"/communities/{slug}/members/me"
    everyone = [member, *others]
    codes = await statuses(
        *(client.delete(leave, headers=who.headers) for who in everyone for _ in range(2))
    )
    assert codes == {204: len(everyone), 404: len(everyone)}
    assert await members_exact(app, slug) == 1


async def test_parallel_approvals_and_removals_count_once(app: FastAPI, client: httpx.AsyncClient):
    owner, asker = await register(client), await register(client)
    slug = (await create_community(client, owner, join_policy="approval"))["slug"]
    assert (await join(client, asker, slug)).status_code == 202
    assert await members_exact(app, slug) == 1
    member = f"/communities/{slug}/members/{asker.handle}"
    codes = await statuses(
        *(client.patch(member, json={"status": "active"}, headers=owner.headers) for _ in range(6))
    )
    assert codes == {200: 6}
    assert await members_exact(app, slug) == 2
    codes = await statuses(*(client.delete(member, headers=owner.headers) for _ in range(BURST)))
    assert codes == {204: 1, 404: BURST - 1}
    assert await members_exact(app, slug) == 1


async def test_a_steward_leaving_twice_at_once_leaves_a_steward(
    app: FastAPI, client: httpx.AsyncClient
):
    owner, second = await register(client), await register(client)
    slug = (await create_community(client, owner))["slug"]
    await join(client, second, slug)
    response = await client.patch(
        f"/communities/{slug}/members/{second.handle}",
        json={"role": "steward"},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    leave = f"/communities/{slug}/members/me"
    codes = await statuses(
        *(client.delete(leave, headers=who.headers) for who in (owner, second) for _ in range(4))
    )
    # One of the two stewards leaves; the other is the last one and stays (409), repeats 404.
    assert codes[204] == 1 and codes[409] >= 1 and codes[204] + codes[409] + codes[404] == 8
    stewards = await scalar(
        app,
        "SELECT COUNT(*) FROM community_member m JOIN community c ON c.id = m.community_id "
        "WHERE c.slug = :s AND m.role = 'steward'",
        s=slug,
    )
    assert stewards == 1
    assert await members_exact(app, slug) == 1


# --- posts and comments --------------------------------------------------------------------------


async def _community_with_post(client: httpx.AsyncClient) -> tuple[Account, Account, str, str]:
    owner, author = await register(client), await register(client)
    slug = (await create_community(client, owner))["slug"]
    await join(client, author, slug)
    post = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": "question", "title": "How do we test races?", "body": "Ideas welcome."},
        headers=author.headers,
    )
    assert post.status_code == 201, post.text
    return owner, author, slug, post.json()["id"]


async def posts_exact(app: FastAPI, slug: str) -> int:
    stored = await scalar(app, "SELECT post_count FROM community WHERE slug = :s", s=slug)
    counted = await scalar(
        app,
        "SELECT COUNT(*) FROM post p JOIN community c ON c.id = p.community_id "
        "WHERE c.slug = :s AND p.deleted_at IS NULL",
        s=slug,
    )
    assert stored == counted
    return stored


async def comments_exact(app: FastAPI, post_id: str) -> int:
    stored = await scalar(app, f"SELECT comment_count FROM post WHERE id = {_id(app, post_id)}")
    counted = await scalar(
        app,
        f"SELECT COUNT(*) FROM comment WHERE post_id = {_id(app, post_id)} AND deleted_at IS NULL",
    )
    assert stored == counted
    return stored


def _id(app: FastAPI, value: str) -> str:
    """A UUID literal as each database stores it (SQLite: 32 hex digits, no dashes)."""
    if app.state.engine.dialect.name == "sqlite":
        return "'" + value.replace("-", "") + "'"
    return f"'{value}'"


async def test_parallel_post_creates_and_deletes_count_once(
    app: FastAPI, client: httpx.AsyncClient
):
    owner, author, slug, post_id = await _community_with_post(client)
    body = {"kind": "discussion", "title": "Burst", "body": "One of many."}
    codes = await statuses(
        *(
            client.post(f"/communities/{slug}/posts", json=body, headers=who.headers)
            for who in (owner, author)
            for _ in range(4)
        )
    )
    assert codes == {201: 8}
    assert await posts_exact(app, slug) == 9
    deletes = [client.delete(f"/posts/{post_id}", headers=author.headers) for _ in range(6)]
    deletes += [client.delete(f"/posts/{post_id}", headers=owner.headers) for _ in range(6)]
    codes = await statuses(*deletes)
    assert codes == {204: 1, 404: 11}
    assert await posts_exact(app, slug) == 8


async def test_parallel_comment_creates_and_deletes_count_once(
    app: FastAPI, client: httpx.AsyncClient
):
    owner, author, _, post_id = await _community_with_post(client)
    comments = f"/posts/{post_id}/comments"
    codes = await statuses(
        *(
            client.post(comments, json={"body": f"Answer {i}"}, headers=who.headers)
            for i in range(4)
            for who in (owner, author)
        )
    )
    assert codes == {201: 8}
    assert await comments_exact(app, post_id) == 8
    target = (await client.get(comments, headers=owner.headers)).json()["items"][0]["id"]
    report = await client.post(
        f"/comments/{target}/reports", json={"reason": "spam"}, headers=author.headers
    )
    report_id = report.json()["id"]
    resolve = f"/reports/{report_id}/resolve"
    requests = [client.delete(f"/comments/{target}", headers=owner.headers) for _ in range(6)]
    requests += [
        client.post(resolve, json={"action": "remove_content"}, headers=owner.headers)
        for _ in range(4)
    ]
    codes = await statuses(*requests)
    # One delete (or the resolution) removes the comment; one resolution wins.
    assert codes[204] <= 1 and codes[200] == 1 and codes[409] == 3, codes
    assert await comments_exact(app, post_id) == 7


# --- reactions ---------------------------------------------------------------------------------


async def test_parallel_reactions_count_once(app: FastAPI, client: httpx.AsyncClient):
    owner, author, slug, post_id = await _community_with_post(client)
    fans = [await register(client) for _ in range(4)]
    for fan in fans:
        await join(client, fan, slug)
    comment = await client.post(
        f"/posts/{post_id}/comments", json={"body": "An answer"}, headers=owner.headers
    )
    comment_id = comment.json()["id"]
    targets = [("post", f"/posts/{post_id}", author), ("comment", f"/comments/{comment_id}", owner)]
    for table, path, _author in targets:
        reactors = [fan for fan in fans] + ([owner] if table == "post" else [author])
        reaction = f"{path}/reactions/helpful"
        codes = await statuses(
            *(client.put(reaction, headers=who.headers) for who in reactors for _ in range(3))
        )
        assert codes == {204: 3 * len(reactors)}
        assert await reactions_exact(app, table, path.rsplit("/", 1)[1]) == len(reactors)
        codes = await statuses(
            *(
                client.delete(reaction, headers=who.headers)
                for who in reactors[1:]
                for _ in range(3)
            )
        )
        assert codes == {204: 3 * (len(reactors) - 1)}
        assert await reactions_exact(app, table, path.rsplit("/", 1)[1]) == 1


async def reactions_exact(app: FastAPI, table: str, target_id: str) -> int:
    stored = await scalar(
        app, f"SELECT helpful_count FROM {table} WHERE id = {_id(app, target_id)}"
    )
    counted = await scalar(
        app,
        f"SELECT COUNT(*) FROM reaction WHERE target_id = {_id(app, target_id)} "
        "AND kind = 'helpful'",
    )
    assert stored == counted
    return stored


# --- skills: holders and endorsements ------------------------------------------------------------


async def holders_exact(app: FastAPI, slug: str) -> int:
    stored = await scalar(app, "SELECT holder_count FROM skill WHERE slug = :s", s=slug)
    counted = await scalar(
        app,
        "SELECT COUNT(*) FROM user_skill us JOIN skill s ON s.id = us.skill_id WHERE s.slug = :s",
        s=slug,
    )
    assert stored == counted
    return stored


async def endorsements_exact(app: FastAPI, handle: str, slug: str) -> int:
    where = (
        "FROM user_skill us JOIN skill s ON s.id = us.skill_id "
        "JOIN user_account u ON u.id = us.user_id WHERE s.slug = :s AND u.handle = :h"
    )
    stored = await scalar(app, f"SELECT us.endorsement_count {where}", s=slug, h=handle)
    counted = await scalar(
        app,
        "SELECT COUNT(*) FROM endorsement e JOIN skill s ON s.id = e.skill_id "
        "JOIN user_account u ON u.id = e.user_id WHERE s.slug = :s AND u.handle = :h",
        s=slug,
        h=handle,
    )
    assert stored == counted
    return stored


async def skill_counts_exact(app: FastAPI, slug: str) -> tuple[int, int, int]:
    """The stored expert, teacher and learner counts, checked against a fresh count."""
    stored = []
    active = "status = 'active'"
    for column, counted_sql in (
        ("expert_count", "SELECT COUNT(*) FROM user_skill WHERE skill_id = :k AND level >= 4"),
        ("teacher_count", "SELECT COUNT(*) FROM user_skill WHERE skill_id = :k AND wants_to_teach"),
        ("learner_count", f"SELECT COUNT(*) FROM learning_goal WHERE skill_id = :k AND {active}"),
    ):
        skill_id = await scalar_text(app, "SELECT id FROM skill WHERE slug = :s", s=slug)
        value = await scalar(app, f"SELECT {column} FROM skill WHERE slug = :s", s=slug)
        assert value == await scalar(app, counted_sql, k=skill_id), column
        stored.append(value)
    return stored[0], stored[1], stored[2]


async def scalar_text(app: FastAPI, sql: str, **params: Any) -> Any:
    async with app.state.engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar_one()


async def test_parallel_level_and_goal_changes_move_the_stored_counts_once(
    app: FastAPI, client: httpx.AsyncClient
):
    people = [await register(client) for _ in range(4)]
    slug = await new_skill(client, people[0], "Counting")
    mine = f"/me/skills/{slug}"
    for who in people:
        await hold(client, who, slug, 2)
    # the same change raced from several requests of one person counts once
    expert = {"level": 5, "wants_to_teach": True}
    codes = await statuses(
        *(client.put(mine, json=expert, headers=who.headers) for who in people for _ in range(3))
    )
    assert codes == {200: 12}
    assert await skill_counts_exact(app, slug) == (4, 4, 0)
    goals = []
    for who in people:
        created = await client.post(
            "/me/learning-goals", json={"skill": slug, "target_level": 5}, headers=who.headers
        )
        assert created.status_code == 201, created.text
        goals.append((who, f"/me/learning-goals/{created.json()['id']}"))
    codes = await statuses(
        *(
            client.patch(url, json={"status": "dropped"}, headers=who.headers)
            for who, url in goals[:2]
            for _ in range(3)
        ),
        *(client.delete(url, headers=who.headers) for who, url in goals[2:3] for _ in range(3)),
    )
    assert codes[200] == 6 and codes[204] == 1 and codes[404] == 2
    assert await skill_counts_exact(app, slug) == (4, 4, 1)


async def test_parallel_skill_holders_and_endorsements_count_once(
    app: FastAPI, client: httpx.AsyncClient
):
    people = [await register(client) for _ in range(5)]
    slug = await new_skill(client, people[0], "Concurrency")
    mine = f"/me/skills/{slug}"
    body = {"level": 3, "wants_to_teach": False}
    codes = await statuses(
        *(client.put(mine, json=body, headers=who.headers) for who in people for _ in range(3))
    )
    assert codes == {200: 15}
    assert await holders_exact(app, slug) == 5

    expert, endorsers = people[0], people[1:]
    endorsement = f"/users/{expert.handle}/skills/{slug}/endorsement"
    codes = await statuses(
        *(
            client.put(endorsement, json={"note": "Solid"}, headers=who.headers)
            for who in endorsers
            for _ in range(3)
        )
    )
    assert codes[201] == len(endorsers) and codes[200] == 2 * len(endorsers)
    assert await endorsements_exact(app, expert.handle, slug) == len(endorsers)
    codes = await statuses(
        *(
            client.delete(endorsement, headers=who.headers)
            for who in endorsers[:2]
            for _ in range(3)
        )
    )
    assert codes == {204: 2, 404: 4}
    assert await endorsements_exact(app, expert.handle, slug) == len(endorsers) - 2

    codes = await statuses(
        *(client.delete(mine, headers=who.headers) for who in people[2:] for _ in range(3))
    )
    assert codes[204] == 3 and codes[204] + codes[404] == 9
    assert await holders_exact(app, slug) == 2


# --- mentor capacity -----------------------------------------------------------------------------


async def test_parallel_accepts_and_completions_keep_active_mentees_exact(
    app: FastAPI, client: httpx.AsyncClient
):
    admin, mentor = await register(client), await register(client)
    skill = await new_skill(client, admin, "Mentoring")
    await hold(client, mentor, skill, 5)
    await offer(client, mentor, capacity=3)
    asks = [await requested(client, await register(client), mentor, skill) for _ in range(5)]
    codes = await statuses(
        *(act(client, mentor, a["id"], "accept") for a in asks for _ in range(2))
    )
    assert codes[200] == 3 and codes[409] == 7
    assert await mentees_exact(app, mentor) == 3
    active = (
        await client.get("/mentorships?role=mentor&status=active", headers=mentor.headers)
    ).json()["items"]
    codes = await statuses(
        *(act(client, mentor, m["id"], "complete") for m in active for _ in range(3))
    )
    assert codes == {200: 3, 409: 6}
    assert await mentees_exact(app, mentor) == 0


async def mentees_exact(app: FastAPI, mentor: Account) -> int:
    stored = await scalar(
        app,
        "SELECT p.active_mentees FROM mentor_profile p JOIN user_account u ON u.id = p.user_id "
        "WHERE u.handle = :h",
        h=mentor.handle,
    )
    counted = await scalar(
        app,
        "SELECT COUNT(*) FROM mentorship m JOIN user_account u ON u.id = m.mentor_id "
        "WHERE u.handle = :h AND m.status = 'active'",
        h=mentor.handle,
    )
    assert stored == counted
    return stored
