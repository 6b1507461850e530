"""Skills, profile skills, endorsements, expert rankings and learning goals, over HTTP."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from domain.clock import SystemClock
from domain.skills.model import EndorsementSignal, expert_score
from domain.skills.service import load_taxonomy
from domain.skills.taxonomy import STARTER_TAXONOMY
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import BACKEND
from tests.helpers import Account, assert_problem, register


async def new_skill(
    client: httpx.AsyncClient, who: Account, name: str, **extra: Any
) -> dict[str, Any]:
    response = await client.post("/skills", json={"name": name, **extra}, headers=who.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def hold(
    client: httpx.AsyncClient, who: Account, slug: str, level: int, teach: bool = False
) -> dict[str, Any]:
    response = await client.put(
        f"/me/skills/{slug}",
        json={"level": level, "wants_to_teach": teach},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text
    held: dict[str, Any] = response.json()
    return held


async def endorse(
    client: httpx.AsyncClient, who: Account, person: Account, slug: str, note: str | None = None
) -> httpx.Response:
    body = {} if note is None else {"note": note}
    return await client.put(
        f"/users/{person.handle}/skills/{slug}/endorsement", json=body, headers=who.headers
    )


async def get_skill(client: httpx.AsyncClient, who: Account, slug: str) -> dict[str, Any]:
    response = await client.get(f"/skills/{slug}", headers=who.headers)
    assert response.status_code == 200, response.text
    skill: dict[str, Any] = response.json()
    return skill


async def all_pages(client: httpx.AsyncClient, who: Account, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    separator = "&" if "?" in url else "?"
    page = (await client.get(url, headers=who.headers)).json()
    items += page["items"]
    while page["next_cursor"]:
        response = await client.get(
            f"{url}{separator}cursor={page['next_cursor']}", headers=who.headers
        )
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
    return items


# --- access ------------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/skills"),
    ("POST", "/skills"),
    ("GET", "/skills/python"),
    ("PATCH", "/skills/python"),
    ("POST", "/skills/python/merge"),
    ("GET", "/skills/python/experts"),
    ("GET", "/users/someone/skills"),
    ("PUT", "/me/skills/python"),
    ("DELETE", "/me/skills/python"),
    ("PUT", "/users/someone/skills/python/endorsement"),
    ("DELETE", "/users/someone/skills/python/endorsement"),
    ("GET", "/users/someone/skills/python/endorsements"),
    ("GET", "/me/learning-goals"),
    ("POST", "/me/learning-goals"),
    ("GET", f"/me/learning-goals/{uuid.uuid4()}"),
    ("PATCH", f"/me/learning-goals/{uuid.uuid4()}"),
    ("DELETE", f"/me/learning-goals/{uuid.uuid4()}"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_needs_a_token(client, method, path):
    response = await client.request(method, path, json={} if method in {"POST", "PUT"} else None)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_admin_routes_refuse_members(client):
    admin = await register(client, "Ada Admin")  # the first account is the admin
    member = await register(client, "Max Member")
    await new_skill(client, admin, "Python")
    await new_skill(client, admin, "Python 3")
    body = assert_problem(
        await client.patch("/skills/python", json={"description": "x"}, headers=member.headers),
        403,
    )
    assert "admin" in body["detail"].lower()
    assert_problem(
        await client.post(
            "/skills/python-3/merge", json={"into": "python"}, headers=member.headers
        ),
        403,
    )
    assert (await get_skill(client, admin, "python-3"))["name"] == "Python 3"


# --- taxonomy ----------------------------------------------------------------------------------


async def test_create_and_get_a_skill(client):
    account = await register(client)
    response = await client.post(
        "/skills",
        json={
            "name": "  Node.js ",
            "description": "JavaScript on the server",
            "category": "engineering",
            "aliases": ["Node", "node js"],  # "node js" is the name again: dropped
        },
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    skill = response.json()
    assert response.headers["location"] == "/api/v1/skills/node-js"
    assert skill["slug"] == "node-js" and skill["name"] == "Node.js"
    assert skill["aliases"] == ["Node"]
    assert skill["category"] == "engineering"
    assert {k: skill[k] for k in ("expert_count", "teacher_count", "learner_count")} == {
        "expert_count": 0,
        "teacher_count": 0,
        "learner_count": 0,
    }
    assert await get_skill(client, account, "node-js") == skill
    # an alias, or a normalised spelling of the name, finds the skill too
    assert (await get_skill(client, account, "node"))["slug"] == "node-js"
    assert (await get_skill(client, account, "NodeJS"))["slug"] == "node-js"
    assert_problem(await client.get("/skills/no-such-skill", headers=account.headers), 404)


@pytest.mark.parametrize("duplicate", ["nodejs", "node js", "NODE-JS", "Node . JS"])
async def test_duplicate_names_are_409_naming_the_existing_skill(client, duplicate):
    account = await register(client)
    await new_skill(client, account, "Node.js", aliases=["Node"])
    response = await client.post("/skills", json={"name": duplicate}, headers=account.headers)
    body = assert_problem(response, 409)
    assert "Node.js" in body["detail"] and "node-js" in body["detail"]
    assert body["code"] == "skill_exists"


async def test_aliases_clash_with_names_and_other_aliases(client):
    account = await register(client)
    await new_skill(client, account, "Kubernetes", aliases=["K8s"])
    for body in (
        {"name": "k8s"},
        {"name": "Container orchestration", "aliases": ["kubernetes"]},
        {"name": "Container orchestration", "aliases": ["K-8-S"]},
    ):
        problem = assert_problem(
            await client.post("/skills", json=body, headers=account.headers), 409
        )
        assert "Kubernetes" in problem["detail"]
    listing = (await client.get("/skills", headers=account.headers)).json()
    assert [s["name"] for s in listing["items"]] == ["Kubernetes"]


async def test_create_skill_rejects_bad_input(client):
    account = await register(client)
    for body in (
        {},
        {"name": ""},
        {"name": "!!!"},
        {"name": "x" * 81},
        {"name": "Ok", "category": "astrology"},
        {"name": "Ok", "aliases": ["..."]},
        {"name": "Ok", "id": str(uuid.uuid4())},
        {"name": "Ok", "expert_count": 5},
        {"name": "Ok\u0000"},
    ):
        assert_problem(await client.post("/skills", json=body, headers=account.headers), 422)


async def test_create_skill_honours_idempotency_keys(client):
    account = await register(client)
    headers = {**account.headers, "Idempotency-Key": "skill-1"}
    first = await client.post("/skills", json={"name": "Rust"}, headers=headers)
    replay = await client.post("/skills", json={"name": "Rust"}, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json()
    assert replay.headers["idempotent-replayed"] == "true"
    assert_problem(await client.post("/skills", json={"name": "Go"}, headers=headers), 422)


async def test_list_skills_by_q_category_and_sort_with_keyset_pages(client):
    account = await register(client)
    a, b, c = [await register(client) for _ in range(3)]
    await new_skill(client, account, "JavaScript", category="languages", aliases=["JS"])
    await new_skill(client, account, "Java", category="languages")
    await new_skill(client, account, "Jira", category="agile-delivery")
    await new_skill(client, account, "Node.js", category="engineering")
    await new_skill(client, account, "Kanban", category="agile-delivery")

    async def names(query: str) -> list[str]:
        response = await client.get(f"/skills{query}", headers=account.headers)
        assert response.status_code == 200, response.text
        return [s["name"] for s in response.json()["items"]]

    assert await names("") == ["Java", "JavaScript", "Jira", "Kanban", "Node.js"]
    assert await names("?q=ja") == ["Java", "JavaScript"]
    assert await names("?q=js") == ["JavaScript"]  # through the alias
    assert await names("?q=node.j") == ["Node.js"]  # normalised like names
    assert await names("?q=%25") == await names("")  # nothing to match on: no filter
    assert await names("?q=zzz") == []
    assert await names("?category=agile-delivery") == ["Jira", "Kanban"]
    assert await names("?category=agile-delivery&q=k") == ["Kanban"]
    assert_problem(await client.get("/skills?category=nope", headers=account.headers), 422)
    assert_problem(await client.get("/skills?sort=random", headers=account.headers), 422)

    for person in (a, b, c):
        await hold(client, person, "kanban", 3)
    for person in (a, b):
        await hold(client, person, "jira", 2)
    await hold(client, a, "java", 1)
    assert (await names("?sort=popular"))[:3] == ["Kanban", "Jira", "Java"]
    assert await names("?sort=popular") == ["Kanban", "Jira", "Java", "JavaScript", "Node.js"]

    for query in ("?limit=2", "?sort=popular&limit=2", "?q=j&limit=1"):
        paged = [s["name"] for s in await all_pages(client, account, f"/skills{query}")]
        full = await names(query.rsplit("limit", 1)[0].rstrip("?&") or "")
        assert paged == full

    page = (await client.get("/skills?limit=2", headers=account.headers)).json()
    assert_problem(
        await client.get(
            f"/skills?sort=popular&limit=2&cursor={page['next_cursor']}", headers=account.headers
        ),
        400,
    )
    assert_problem(await client.get("/skills?cursor=garbage", headers=account.headers), 400)


async def test_admin_edits_a_skill_and_a_rename_keeps_the_old_name(client):
    admin = await register(client, "Ada Admin")
    await new_skill(client, admin, "Javascript", aliases=["JS"])
    await new_skill(client, admin, "TypeScript", aliases=["TS"])
    response = await client.patch(
        "/skills/javascript",
        json={"name": "ECMAScript", "description": "The web's language", "category": "languages"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    skill = response.json()
    assert skill["slug"] == "javascript"  # links keep working
    assert skill["name"] == "ECMAScript" and skill["category"] == "languages"
    assert skill["aliases"] == ["Javascript", "JS"]
    assert await get_skill(client, admin, "javascript") == skill

    clash = await client.patch(
        "/skills/javascript", json={"aliases": ["ts"]}, headers=admin.headers
    )
    assert "TypeScript" in assert_problem(clash, 409)["detail"]
    replaced = await client.patch(
        "/skills/javascript", json={"aliases": ["ES6"]}, headers=admin.headers
    )
    assert replaced.json()["aliases"] == ["ES6"]
    # freed names can be used again
    await new_skill(client, admin, "JS")
    cleared = await client.patch(
        "/skills/javascript", json={"description": None, "category": None}, headers=admin.headers
    )
    assert cleared.json()["description"] is None and cleared.json()["category"] is None
    for body in ({"name": None}, {"name": ""}, {"slug": "x"}, {"expert_count": 1}):
        assert_problem(
            await client.patch("/skills/javascript", json=body, headers=admin.headers), 422
        )
    assert_problem(
        await client.patch("/skills/nope", json={"description": "x"}, headers=admin.headers), 404
    )


# --- profile skills ----------------------------------------------------------------------------


async def test_profile_skills_upsert_list_and_delete(client):
    me = await register(client, "Kim Park")
    viewer = await register(client)
    await new_skill(client, me, "Python")
    await new_skill(client, me, "Go")
    await new_skill(client, me, "Rust")

    first = await hold(client, me, "python", 3)
    assert first["skill"] == {"slug": "python", "name": "Python", "category": None}
    assert first["level"] == 3 and first["level_name"] == "competent"
    assert first["wants_to_teach"] is False
    assert first["evidence"] == {"posts": 0, "accepted_answers": 0}
    again = await hold(client, me, "python", 5, teach=True)
    assert again["level"] == 5 and again["wants_to_teach"] is True
    await hold(client, me, "go", 2)
    await hold(client, me, "rust", 2)

    listing = await client.get(f"/users/{me.handle}/skills", headers=viewer.headers)
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [(i["skill"]["slug"], i["level"]) for i in items] == [
        ("python", 5),
        ("go", 2),
        ("rust", 2),
    ]
    assert all(i["endorsement_count"] == 0 and i["endorsed_by_me"] is False for i in items)
    paged = await all_pages(client, viewer, f"/users/{me.handle}/skills?limit=1")
    assert paged == items

    profile = (await client.get(f"/users/{me.handle}", headers=viewer.headers)).json()
    assert profile["skills"] == [
        {"slug": "python", "name": "Python", "level": 5, "endorsement_count": 0},
        {"slug": "go", "name": "Go", "level": 2, "endorsement_count": 0},
        {"slug": "rust", "name": "Rust", "level": 2, "endorsement_count": 0},
    ]

    assert (await client.delete("/me/skills/go", headers=me.headers)).status_code == 204
    assert_problem(await client.delete("/me/skills/go", headers=me.headers), 404)
    left = (await client.get(f"/users/{me.handle}/skills", headers=viewer.headers)).json()
    assert [i["skill"]["slug"] for i in left["items"]] == ["python", "rust"]
    assert (await get_skill(client, me, "go"))["holder_count"] == 0


async def test_profile_skill_bad_input(client):
    me = await register(client)
    await new_skill(client, me, "Python")
    for level in (0, 6, -1, "three", None):
        response = await client.put("/me/skills/python", json={"level": level}, headers=me.headers)
        assert_problem(response, 422)
    assert_problem(
        await client.put(
            "/me/skills/python", json={"level": 3, "user_id": me.id}, headers=me.headers
        ),
        422,
    )
    assert_problem(await client.put("/me/skills/cobol", json={"level": 3}, headers=me.headers), 404)
    assert_problem(await client.delete("/me/skills/cobol", headers=me.headers), 404)
    assert_problem(await client.get("/users/nobody-here/skills", headers=me.headers), 404)


# --- endorsements ------------------------------------------------------------------------------


async def test_endorsements_201_then_200_and_the_rules(client):
    person = await register(client, "Pat Person")
    fan = await register(client, "Fay Fan")
    other = await register(client, "Oli Other")
    await new_skill(client, person, "Python")
    await new_skill(client, person, "Go")
    await hold(client, person, "python", 3)

    first = await endorse(client, fan, person, "python", "Great reviewer")
    assert first.status_code == 201, first.text
    assert first.headers["location"].endswith(f"/users/{person.handle}/skills/python/endorsement")
    body = first.json()
    assert body["endorser"]["handle"] == fan.handle and body["note"] == "Great reviewer"
    second = await endorse(client, fan, person, "python", "Great reviewer and teacher")
    assert second.status_code == 200, second.text
    assert second.json()["id"] == body["id"]
    assert second.json()["note"] == "Great reviewer and teacher"

    assert_problem(await endorse(client, person, person, "python"), 403)
    assert_problem(await endorse(client, fan, person, "go"), 404)  # does not list Go
    assert_problem(await endorse(client, fan, person, "cobol"), 404)
    missing = await client.put(
        "/users/nobody-here/skills/python/endorsement", json={}, headers=fan.headers
    )
    assert_problem(missing, 404)
    evidence = await client.put(
        f"/users/{person.handle}/skills/python/endorsement",
        json={"evidence_post_id": str(uuid.uuid4())},
        headers=fan.headers,
    )
    assert "a post you can see" in assert_problem(evidence, 422)["detail"]
    assert_problem(
        await client.put(
            f"/users/{person.handle}/skills/python/endorsement",
            json={"note": "x" * 2001},
            headers=fan.headers,
        ),
        422,
    )

    assert (await endorse(client, other, person, "python")).status_code == 201
    listed = await client.get(
        f"/users/{person.handle}/skills/python/endorsements", headers=other.headers
    )
    assert listed.status_code == 200
    assert [(e["endorser"]["handle"], e["note"]) for e in listed.json()["items"]] == [
        (other.handle, None),
        (fan.handle, "Great reviewer and teacher"),
    ]
    paged = await all_pages(
        client, other, f"/users/{person.handle}/skills/python/endorsements?limit=1"
    )
    assert paged == listed.json()["items"]
    assert_problem(
        await client.get(f"/users/{person.handle}/skills/go/endorsements", headers=fan.headers),
        404,
    )

    skills = (await client.get(f"/users/{person.handle}/skills", headers=fan.headers)).json()
    assert skills["items"][0]["endorsement_count"] == 2
    assert skills["items"][0]["endorsed_by_me"] is True
    own_view = (await client.get(f"/users/{person.handle}/skills", headers=person.headers)).json()
    assert own_view["items"][0]["endorsed_by_me"] is False
    profile = (await client.get(f"/users/{person.handle}", headers=fan.headers)).json()
    assert profile["skills"][0]["endorsement_count"] == 2

    withdraw = f"/users/{person.handle}/skills/python/endorsement"
    assert (await client.delete(withdraw, headers=fan.headers)).status_code == 204
    assert_problem(await client.delete(withdraw, headers=fan.headers), 404)
    skills = (await client.get(f"/users/{person.handle}/skills", headers=fan.headers)).json()
    assert skills["items"][0]["endorsement_count"] == 1
    assert skills["items"][0]["endorsed_by_me"] is False

    # removing the skill from the profile removes its endorsements
    assert (await client.delete("/me/skills/python", headers=person.headers)).status_code == 204
    await hold(client, person, "python", 3)
    relisted = (
        await client.get(f"/users/{person.handle}/skills/python/endorsements", headers=fan.headers)
    ).json()
    assert relisted["items"] == []


# --- counts and experts ------------------------------------------------------------------------


async def test_skill_counts_are_exact(client):
    people = [await register(client) for _ in range(6)]
    await new_skill(client, people[0], "Facilitation")
    await new_skill(client, people[0], "Coaching")
    for person, level, teach in zip(
        people, (5, 4, 3, 4, 1, 2), (True, False, True, False, False, True), strict=True
    ):
        await hold(client, person, "facilitation", level, teach)
    await hold(client, people[0], "coaching", 5, True)
    for person in people[3:]:
        response = await client.post(
            "/me/learning-goals",
            json={"skill": "facilitation", "target_level": 4},
            headers=person.headers,
        )
        assert response.status_code == 201, response.text
    dropped = response.json()["id"]
    await client.patch(
        f"/me/learning-goals/{dropped}", json={"status": "dropped"}, headers=people[5].headers
    )

    skill = await get_skill(client, people[0], "facilitation")
    assert skill["holder_count"] == 6
    assert skill["expert_count"] == 3  # levels 5, 4, 4
    assert skill["teacher_count"] == 3
    assert skill["learner_count"] == 2  # the dropped goal does not count
    listed = (await client.get("/skills", headers=people[0].headers)).json()["items"]
    assert {s["slug"]: (s["expert_count"], s["teacher_count"]) for s in listed} == {
        "coaching": (1, 1),
        "facilitation": (3, 3),
    }

    await hold(client, people[1], "facilitation", 3)  # no longer an expert
    await client.delete("/me/skills/facilitation", headers=people[0].headers)
    skill = await get_skill(client, people[0], "facilitation")
    assert (skill["holder_count"], skill["expert_count"], skill["teacher_count"]) == (5, 1, 2)


async def test_experts_are_ranked_by_score_with_its_parts(client):
    a, b, c, d = [await register(client, name) for name in ("Ann A", "Ben B", "Cat C", "Dev D")]
    await new_skill(client, a, "Kubernetes")
    await hold(client, a, "kubernetes", 5)
    await hold(client, b, "kubernetes", 3)
    await hold(client, c, "kubernetes", 4)
    # b: endorsed by c (level 4), a (level 5) and d (does not list the skill)
    for endorser in (c, a, d):
        assert (await endorse(client, endorser, b, "kubernetes")).status_code == 201
    # c: endorsed by b (level 3)
    assert (await endorse(client, b, c, "kubernetes")).status_code == 201

    expected = {
        a.handle: expert_score(5, []),
        b.handle: expert_score(
            3, [EndorsementSignal(4), EndorsementSignal(5), EndorsementSignal(0)]
        ),
        c.handle: expert_score(4, [EndorsementSignal(3)]),
    }
    response = await client.get("/skills/kubernetes/experts", headers=d.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["user"]["handle"] for i in items] == sorted(
        expected, key=lambda h: expected[h].total, reverse=True
    )
    for item in items:
        parts = expected[item["user"]["handle"]]
        # the SQL score and the pure function agree
        assert item["score"] == pytest.approx(parts.total, abs=1e-3)
        assert item["parts"] == pytest.approx(
            {
                "level": parts.level,
                "endorsements": parts.endorsements,
                "accepted_answers": 0,
                "helpful_reactions": 0,
            },
            abs=1e-3,
        )
    assert {i["user"]["handle"]: i["endorsement_count"] for i in items} == {
        a.handle: 0,
        b.handle: 3,
        c.handle: 1,
    }

    # raising an endorser's level re-weighs the endorsements they gave
    await hold(client, d, "kubernetes", 5)
    expected[b.handle] = expert_score(
        3, [EndorsementSignal(4), EndorsementSignal(5), EndorsementSignal(5)]
    )
    expected[d.handle] = expert_score(5, [])
    items = (await client.get("/skills/kubernetes/experts", headers=d.headers)).json()["items"]
    scores = {i["user"]["handle"]: i["score"] for i in items}
    assert scores == pytest.approx({h: p.total for h, p in expected.items()}, abs=1e-3)
    ranked = [i["user"]["handle"] for i in items]
    assert [scores[h] for h in ranked] == sorted(scores.values(), reverse=True)
    assert items[0]["user"]["handle"] == b.handle  # peers' judgement beats a bare claim

    paged = await all_pages(client, d, "/skills/kubernetes/experts?limit=1")
    assert [i["user"]["handle"] for i in paged] == ranked
    assert_problem(await client.get("/skills/nope/experts", headers=d.headers), 404)

    # and removing the skill from their profile takes that weight back off
    assert (await client.delete("/me/skills/kubernetes", headers=d.headers)).status_code == 204
    expected[b.handle] = expert_score(
        3, [EndorsementSignal(4), EndorsementSignal(5), EndorsementSignal(0)]
    )
    del expected[d.handle]
    items = (await client.get("/skills/kubernetes/experts", headers=a.headers)).json()["items"]
    scores = {i["user"]["handle"]: i["score"] for i in items}
    assert scores == pytest.approx({h: p.total for h, p in expected.items()}, abs=1e-3)


async def test_stored_skill_counts_follow_every_write(client):
    """The list reads stored counts: each write that changes one moves it, and only it."""
    me, other = await register(client), await register(client)
    await new_skill(client, me, "Kanban")

    async def counts() -> tuple[int, int, int, int]:
        listed = (await client.get("/skills?q=kanban", headers=me.headers)).json()["items"]
        (skill,) = listed
        keys = ("holder_count", "expert_count", "teacher_count", "learner_count")
        return (skill[keys[0]], skill[keys[1]], skill[keys[2]], skill[keys[3]])

    assert await counts() == (0, 0, 0, 0)
    await hold(client, me, "kanban", 2)
    assert await counts() == (1, 0, 0, 0)
    await hold(client, me, "kanban", 5, teach=True)  # an update: becomes expert and teacher
    assert await counts() == (1, 1, 1, 0)
    await hold(client, me, "kanban", 5, teach=True)  # the same values again: nothing moves
    assert await counts() == (1, 1, 1, 0)
    await hold(client, other, "kanban", 4)
    assert await counts() == (2, 2, 1, 0)
    await hold(client, me, "kanban", 3, teach=False)
    assert await counts() == (2, 1, 0, 0)

    goal = await client.post(
        "/me/learning-goals", json={"skill": "kanban", "target_level": 5}, headers=me.headers
    )
    assert goal.status_code == 201, goal.text
    url = f"/me/learning-goals/{goal.json()['id']}"
    assert await counts() == (2, 1, 0, 1)
    for status, learners in (("dropped", 0), ("dropped", 0), ("active", 1), ("achieved", 0)):
        response = await client.patch(url, json={"status": status}, headers=me.headers)
        assert response.status_code == 200, response.text
        assert (await counts())[3] == learners, status
    await client.patch(url, json={"status": "active"}, headers=me.headers)
    assert (await client.delete(url, headers=me.headers)).status_code == 204
    assert (await client.delete(url, headers=me.headers)).status_code == 404
    assert await counts() == (2, 1, 0, 0)

    assert (await client.delete("/me/skills/kanban", headers=other.headers)).status_code == 204
    assert (await client.delete("/me/skills/kanban", headers=other.headers)).status_code == 404
    assert await counts() == (1, 0, 0, 0)
    assert (await get_skill(client, me, "kanban"))["holder_count"] == 1


async def test_list_and_expert_queries_are_constant_in_page_size(client, count_statements):
    people = [await register(client) for _ in range(4)]
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        await new_skill(client, people[0], name, aliases=[f"{name} skill"])
    for level, person in enumerate(people, start=1):
        await hold(client, person, "alpha", level)
    await endorse(client, people[1], people[0], "alpha")

    async def statements(url: str) -> int:
        before = count_statements.count
        response = await client.get(url, headers=people[0].headers)
        assert response.status_code == 200, response.text
        return int(count_statements.count - before)

    for url in (
        "/skills?limit={}",
        "/skills?sort=popular&limit={}",
        "/skills/alpha/experts?limit={}",
    ):
        small, large = await statements(url.format(2)), await statements(url.format(50))
        assert small == large, url
    # the caller, the skill, then one statement for the holders with what the caller may see
    assert await statements("/skills/alpha/experts?limit=50") == 3
    # the caller's account, then one statement for the page with its counts and aliases
    assert await statements("/skills?limit=50") == 2
    assert await statements("/skills/alpha") == 2


# --- merge -------------------------------------------------------------------------------------


async def test_merge_moves_everything_without_loss_or_duplicates(client):
    admin = await register(client, "Ada Admin")
    both, only_src, only_tgt, e1, e2 = [
        await register(client, n)
        for n in ("Bo Both", "Sol Source", "Tia Target", "Eve One", "Eli Two")
    ]
    await new_skill(client, admin, "ReactJS", aliases=["React library"])
    await new_skill(client, admin, "React", aliases=["React framework"])
    await new_skill(client, admin, "Vue")

    await hold(client, both, "reactjs", 5, teach=True)
    await hold(client, both, "react", 2)
    await hold(client, only_src, "reactjs", 3)
    await hold(client, only_tgt, "react", 4)
    await hold(client, e1, "reactjs", 4)
    # endorsements of "both": e1 on both skills (duplicate), e2 only on the source
    for endorser, slug in ((e1, "reactjs"), (e1, "react"), (e2, "reactjs")):
        assert (
            await endorse(client, endorser, both, slug, f"{endorser.handle}:{slug}")
        ).status_code == 201
    assert (await endorse(client, e2, only_src, "reactjs", "source only")).status_code == 201
    # goals: "both" has goals on both (the source's is active), e2 only on the source
    goal_src = await client.post(
        "/me/learning-goals", json={"skill": "reactjs", "target_level": 5}, headers=e2.headers
    )
    assert goal_src.status_code == 201
    g_tgt = (
        await client.post(
            "/me/learning-goals", json={"skill": "react", "target_level": 3}, headers=both.headers
        )
    ).json()
    await client.patch(
        f"/me/learning-goals/{g_tgt['id']}", json={"status": "achieved"}, headers=both.headers
    )
    g_src = (
        await client.post(
            "/me/learning-goals",
            json={"skill": "reactjs", "target_level": 5, "note": "go deeper"},
            headers=both.headers,
        )
    ).json()

    response = await client.post(
        "/skills/reactjs/merge", json={"into": "react"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["slug"] == "react" and merged["name"] == "React"
    assert merged["aliases"] == ["React framework", "React library", "ReactJS"]
    assert merged["holder_count"] == 4  # both, only_src, only_tgt, e1
    assert merged["expert_count"] == 3  # both (5 kept), only_tgt (4), e1 (4)
    assert merged["teacher_count"] == 1
    assert merged["learner_count"] == 2

    # the old slug, name and aliases now lead to the target
    assert (await get_skill(client, admin, "reactjs"))["slug"] == "react"
    assert_problem(
        await client.post("/skills", json={"name": "React.js"}, headers=admin.headers), 409
    )
    assert [
        s["slug"]
        for s in (await client.get("/skills?q=react", headers=admin.headers)).json()["items"]
    ] == ["react"]

    profile = (await client.get(f"/users/{both.handle}/skills", headers=admin.headers)).json()
    assert [(i["skill"]["slug"], i["level"], i["wants_to_teach"]) for i in profile["items"]] == [
        ("react", 5, True)
    ]
    assert profile["items"][0]["endorsement_count"] == 2
    notes = (
        await client.get(f"/users/{both.handle}/skills/react/endorsements", headers=admin.headers)
    ).json()["items"]
    assert sorted(e["note"] for e in notes) == sorted(
        [f"{e1.handle}:react", f"{e2.handle}:reactjs"]
    )
    moved = (
        await client.get(
            f"/users/{only_src.handle}/skills/react/endorsements", headers=admin.headers
        )
    ).json()["items"]
    assert [e["note"] for e in moved] == ["source only"]

    goals = (await client.get("/me/learning-goals", headers=both.headers)).json()["items"]
    assert [(g["id"], g["skill"]["slug"], g["status"]) for g in goals] == [
        (g_src["id"], "react", "active")
    ]
    e2_goals = (await client.get("/me/learning-goals", headers=e2.headers)).json()["items"]
    assert [(g["skill"]["slug"], g["target_level"]) for g in e2_goals] == [("react", 5)]

    experts = (await client.get("/skills/react/experts", headers=admin.headers)).json()["items"]
    assert len(experts) == 4 and len({e["user"]["id"] for e in experts}) == 4
    top = next(e for e in experts if e["user"]["handle"] == both.handle)
    assert top["score"] == pytest.approx(
        expert_score(5, [EndorsementSignal(4), EndorsementSignal(0)]).total, abs=1e-3
    )

    assert_problem(
        await client.post("/skills/react/merge", json={"into": "reactjs"}, headers=admin.headers),
        422,
    )
    assert_problem(
        await client.post("/skills/nope/merge", json={"into": "react"}, headers=admin.headers),
        404,
    )
    assert_problem(
        await client.post("/skills/vue/merge", json={"into": "nope"}, headers=admin.headers), 404
    )
    assert_problem(
        await client.post("/skills/vue/merge", json={"into": ""}, headers=admin.headers), 422
    )


# --- learning goals ----------------------------------------------------------------------------


DUE = (date.today() + timedelta(days=90)).isoformat()


async def test_learning_goals_crud(client):
    me = await register(client)
    other = await register(client)
    await new_skill(client, me, "Public speaking")
    await new_skill(client, me, "Negotiation")
    await hold(client, me, "negotiation", 2)

    response = await client.post(
        "/me/learning-goals",
        json={
            "skill": "public-speaking",
            "target_level": 3,
            "note": "Give a talk",
            "due_on": DUE,
        },
        headers=me.headers,
    )
    assert response.status_code == 201, response.text
    goal = response.json()
    assert response.headers["location"] == f"/api/v1/me/learning-goals/{goal['id']}"
    assert goal["skill"]["slug"] == "public-speaking" and goal["status"] == "active"
    assert goal["due_on"] == DUE and goal["current_level"] is None
    second = (
        await client.post(
            "/me/learning-goals",
            json={"skill": "negotiation", "target_level": 4},
            headers=me.headers,
        )
    ).json()
    assert second["current_level"] == 2

    url = f"/me/learning-goals/{goal['id']}"
    assert (await client.get(url, headers=me.headers)).json() == goal
    updated = await client.patch(
        url, json={"status": "achieved", "note": None, "target_level": 4}, headers=me.headers
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["status"], updated.json()["note"], updated.json()["target_level"]) == (
        "achieved",
        None,
        4,
    )
    listing = (await client.get("/me/learning-goals", headers=me.headers)).json()["items"]
    assert [g["skill"]["slug"] for g in listing] == ["negotiation", "public-speaking"]
    active = (await client.get("/me/learning-goals?status=active", headers=me.headers)).json()
    assert [g["id"] for g in active["items"]] == [second["id"]]
    assert await all_pages(client, me, "/me/learning-goals?limit=1") == listing

    # someone else's goal does not exist for you
    assert_problem(await client.get(url, headers=other.headers), 404)
    assert_problem(await client.patch(url, json={"status": "dropped"}, headers=other.headers), 404)
    assert_problem(await client.delete(url, headers=other.headers), 404)
    assert (await client.get("/me/learning-goals", headers=other.headers)).json()["items"] == []

    assert (await client.delete(url, headers=me.headers)).status_code == 204
    assert_problem(await client.get(url, headers=me.headers), 404)
    assert_problem(await client.delete(url, headers=me.headers), 404)


async def test_learning_goal_bad_input(client):
    me = await register(client)
    await new_skill(client, me, "Negotiation")
    for body in (
        {"skill": "negotiation", "target_level": 0},
        {"skill": "negotiation", "target_level": 6},
        {"skill": "negotiation"},
        {"skill": "negotiation", "target_level": 3, "due_on": "soon"},
        {"skill": "negotiation", "target_level": 3, "status": "achieved"},
        {"skill": "no-such-skill", "target_level": 3},
    ):
        response = await client.post("/me/learning-goals", json=body, headers=me.headers)
        assert_problem(response, 422)
    created = await client.post(
        "/me/learning-goals", json={"skill": "negotiation", "target_level": 3}, headers=me.headers
    )
    duplicate = await client.post(
        "/me/learning-goals", json={"skill": "negotiation", "target_level": 5}, headers=me.headers
    )
    assert "Negotiation" in assert_problem(duplicate, 409)["detail"]
    url = f"/me/learning-goals/{created.json()['id']}"
    bad: list[dict[str, Any]] = [
        {"status": "paused"},
        {"status": None},
        {"target_level": 6},
        {"skill": "x"},
    ]
    for body in bad:
        assert_problem(await client.patch(url, json=body, headers=me.headers), 422)
    assert_problem(await client.get("/me/learning-goals/not-a-uuid", headers=me.headers), 422)
    assert_problem(await client.get("/me/learning-goals?status=paused", headers=me.headers), 422)


async def test_a_learning_goal_is_not_due_in_the_past(client):
    me = await register(client)
    await new_skill(client, me, "Negotiation")
    today = datetime.now(UTC).date()
    past = (today - timedelta(days=2)).isoformat()
    refused = await client.post(
        "/me/learning-goals",
        json={"skill": "negotiation", "target_level": 3, "due_on": past},
        headers=me.headers,
    )
    problem = assert_problem(refused, 422)
    assert problem["detail"] == f"due_on {past} is in the past; choose today or a later day."
    assert problem["errors"][0]["loc"] == ["body", "due_on"]
    created = await client.post(
        "/me/learning-goals",
        json={"skill": "negotiation", "target_level": 3, "due_on": today.isoformat()},
        headers=me.headers,
    )
    assert created.status_code == 201, created.text
    url = f"/me/learning-goals/{created.json()['id']}"
    assert_problem(await client.patch(url, json={"due_on": past}, headers=me.headers), 422)
    # Sending back the date the goal has is not a change, whenever it falls.
    kept = await client.patch(
        url, json={"due_on": today.isoformat(), "target_level": 4}, headers=me.headers
    )
    assert kept.status_code == 200, kept.text
    cleared = await client.patch(url, json={"due_on": None}, headers=me.headers)
    assert cleared.status_code == 200 and cleared.json()["due_on"] is None


# --- taxonomy loading --------------------------------------------------------------------------


async def test_the_starter_taxonomy_loads_once(client, app: FastAPI):
    account = await register(client)
    await new_skill(client, account, "K8s")  # someone got there first
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        created = await load_taxonomy(uow, SystemClock(), STARTER_TAXONOMY)
    assert created == len(STARTER_TAXONOMY)  # Kubernetes comes in, without the K8s alias
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        assert await load_taxonomy(uow, SystemClock(), STARTER_TAXONOMY) == 0
    found = (await client.get("/skills?q=k8s", headers=account.headers)).json()["items"]
    assert [s["name"] for s in found] == ["K8s"]
    kubernetes = await get_skill(client, account, "kubernetes")
    assert kubernetes["category"] == "cloud-infrastructure" and "K8s" not in kubernetes["aliases"]
    assert (await get_skill(client, account, "golang"))["name"] == "Go"
    assert (await get_skill(client, account, "c-plus-plus"))["aliases"] == ["cpp"]


# --- concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)
async def test_concurrent_endorsements_and_level_changes_keep_scores_exact(client):
    person = await register(client, "Pat Person")
    fans = [await register(client) for _ in range(8)]
    await new_skill(client, person, "Rust")
    await hold(client, person, "rust", 3)

    async def endorse_and_level(fan: Account, level: int) -> list[int]:
        first = await endorse(client, fan, person, "rust", "n")
        second = await endorse(client, fan, person, "rust", "again")
        third = await client.put("/me/skills/rust", json={"level": level}, headers=fan.headers)
        return [first.status_code, second.status_code, third.status_code]

    results = await asyncio.gather(
        *(endorse_and_level(fan, 1 + i % 5) for i, fan in enumerate(fans))
    )
    assert all(codes == [201, 200, 200] for codes in results), results
    experts = (await client.get("/skills/rust/experts", headers=person.headers)).json()["items"]
    mine = next(e for e in experts if e["user"]["handle"] == person.handle)
    expected = expert_score(3, [EndorsementSignal(1 + i % 5) for i in range(len(fans))])
    assert mine["endorsement_count"] == len(fans)
    assert mine["score"] == pytest.approx(expected.total, abs=1e-3)
    # the stored counts moved by every concurrent level change exactly once
    skill = await get_skill(client, person, "rust")
    levels = [3] + [1 + i % 5 for i in range(len(fans))]
    assert skill["holder_count"] == len(levels)
    assert skill["expert_count"] == sum(level >= 4 for level in levels)

    # the same endorsement raced from two requests is stored once
    racer = await register(client)
    codes = sorted(
        r.status_code
        for r in await asyncio.gather(*(endorse(client, racer, person, "rust") for _ in range(4)))
    )
    assert codes == [200, 200, 200, 201]

    # the same new profile skill raced from four requests counts once
    await asyncio.gather(*(hold(client, racer, "rust", 5, teach=True) for _ in range(4)))
    after = await get_skill(client, person, "rust")
    assert (after["holder_count"], after["expert_count"], after["teacher_count"]) == (
        skill["holder_count"] + 1,
        skill["expert_count"] + 1,
        skill["teacher_count"] + 1,
    )


# --- listing: a tag in a private community never publishes a skill ------------------------------


async def _private_circle(client: httpx.AsyncClient, owner: Account, slug: str) -> None:
    created = await client.post(
        "/communities",
        json={
            "name": slug,
            "slug": slug,
            "purpose": "Work on things we cannot talk about yet.",
            "visibility": "private",
            "join_policy": "invite",
        },
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text


async def _tagged_post(
    client: httpx.AsyncClient, who: Account, community: str, tags: list[str]
) -> dict[str, Any]:
    response = await client.post(
        f"/communities/{community}/posts",
        json={"title": "Notes", "tags": tags},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    return post


async def _names(client: httpx.AsyncClient, who: Account, url: str) -> list[str]:
    response = await client.get(url, headers=who.headers)
    assert response.status_code == 200, response.text
    return [s["slug"] for s in response.json()["items"]]


async def test_a_tag_in_a_private_community_creates_an_unlisted_skill(client):
    admin = await register(client, "Ada Admin")  # the first account is the administrator
    insider = await register(client, "Ivy Insider")
    outsider = await register(client, "Otto Outsider")
    await _private_circle(client, insider, "hush-circle")
    post = await _tagged_post(client, insider, "hush-circle", ["Hushskill", "Python"])
    assert post["tags"] == ["hushskill", "python"]

    # Nobody but an administrator sees it: not its page, not the lists, not name search, and
    # nothing keyed by the skill (experts, profile, goals).
    for who in (outsider, insider):
        assert_problem(await client.get("/skills/hushskill", headers=who.headers), 404)
        assert_problem(await client.get("/skills/hushskill/experts", headers=who.headers), 404)
        assert await _names(client, who, "/skills?q=hush") == []
        assert "hushskill" not in await _names(client, who, "/skills?limit=100")
        assert "hushskill" not in await _names(client, who, "/skills?sort=popular&limit=100")
        assert_problem(
            await client.put(
                "/me/skills/hushskill",
                json={"level": 3, "wants_to_teach": False},
                headers=who.headers,
            ),
            404,
        )
        goal = await client.post(
            "/me/learning-goals",
            json={"skill": "hushskill", "target_level": 3},
            headers=who.headers,
        )
        assert_problem(goal, 422)
        assert_problem(await client.get("/skills?listed=false", headers=who.headers), 403)
    # Naming it on purpose tells only that the name is taken, not the skill's name or slug.
    clash = await client.post("/skills", json={"name": "Hush Skill"}, headers=outsider.headers)
    detail = assert_problem(clash, 409)["detail"]
    assert (
        detail
        == '"Hush Skill" is already in use by a skill waiting for an administrator\'s review.'
    )
    # The python tag of a new skill in a private post stays unlisted too.
    assert_problem(await client.get("/skills/python", headers=outsider.headers), 404)

    # Administrators review them, in name order, and see the flag.
    assert await _names(client, admin, "/skills?listed=false") == ["hushskill", "python"]
    assert (await get_skill(client, admin, "hushskill"))["listed"] is False
    assert "hushskill" not in await _names(client, admin, "/skills?limit=100")

    # A public community's post lists the skills it names.
    public = await client.post(
        "/communities",
        json={"name": "Open Floor", "purpose": "Everything we can share with everyone."},
        headers=outsider.headers,
    )
    assert public.status_code == 201, public.text
    await _tagged_post(client, outsider, "open-floor", ["python"])
    assert (await get_skill(client, outsider, "python"))["listed"] is True
    assert await _names(client, admin, "/skills?listed=false") == ["hushskill"]

    # An administrator lists the other one.
    listed = await client.patch("/skills/hushskill", json={"listed": True}, headers=admin.headers)
    assert listed.status_code == 200, listed.text
    assert (await get_skill(client, outsider, "hushskill"))["listed"] is True
    assert await _names(client, outsider, "/skills?q=hush") == ["hushskill"]
    assert await _names(client, admin, "/skills?listed=false") == []


async def test_skills_of_a_community_made_public_are_listed(client):
    await register(client, "Ada Admin")
    insider = await register(client, "Ivy Insider")
    outsider = await register(client, "Otto Outsider")
    await _private_circle(client, insider, "quiet-lab")
    post = await _tagged_post(client, insider, "quiet-lab", ["Lab Secrets"])
    edited = await client.patch(
        f"/posts/{post['id']}",
        json={"tags": ["Lab Secrets", "Lab Tricks"]},
        headers=insider.headers,
    )
    assert edited.status_code == 200, edited.text
    for slug in ("lab-secrets", "lab-tricks"):
        assert_problem(await client.get(f"/skills/{slug}", headers=outsider.headers), 404)
    opened = await client.patch(
        "/communities/quiet-lab",
        json={"visibility": "public", "join_policy": "open"},
        headers=insider.headers,
    )
    assert opened.status_code == 200, opened.text
    for slug in ("lab-secrets", "lab-tricks"):
        assert (await get_skill(client, outsider, slug))["listed"] is True


async def test_created_skills_are_listed_and_a_merge_keeps_public_names_public(client):
    admin = await register(client, "Ada Admin")
    someone = await register(client)
    created = await new_skill(client, someone, "Kotlin")
    assert created["listed"] is True
    assert await _names(client, admin, "/skills?listed=false") == []
    await _private_circle(client, someone, "jvm-corner")
    await _tagged_post(client, someone, "jvm-corner", ["Kotlin Coroutines"])
    merged = await client.post(
        "/skills/kotlin/merge", json={"into": "kotlin-coroutines"}, headers=admin.headers
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["listed"] is True
    assert (await get_skill(client, someone, "kotlin"))["slug"] == "kotlin-coroutines"
    assert_problem(
        await client.patch("/skills/kotlin", json={"listed": None}, headers=admin.headers), 422
    )


async def test_skill_and_learning_goal_edits_honour_if_match(client):
    """An edit made from a copy someone has changed since is a 412 and changes nothing; the
    answer's ETag is the one the next read answers, so it can be sent back."""
    admin = await register(client, "Ada Admin")
    await new_skill(client, admin, "Pairing")
    skill = "/skills/pairing"
    read = await client.get(skill, headers=admin.headers)
    fresh = {**admin.headers, "If-Match": read.headers["etag"]}
    edited = await client.patch(skill, json={"description": "Two at a keyboard"}, headers=fresh)
    assert edited.status_code == 200, edited.text
    assert (
        edited.headers["etag"] == (await client.get(skill, headers=admin.headers)).headers["etag"]
    )
    stale = await client.patch(skill, json={"description": "Lost"}, headers=fresh)
    assert_problem(stale, 412)
    assert (await get_skill(client, admin, "pairing"))["description"] == "Two at a keyboard"
    again = {**admin.headers, "If-Match": edited.headers["etag"]}
    assert (await client.patch(skill, json={"category": None}, headers=again)).status_code == 200

    goal = await client.post(
        "/me/learning-goals", json={"skill": "pairing", "target_level": 4}, headers=admin.headers
    )
    assert goal.status_code == 201, goal.text
    url = f"/me/learning-goals/{goal.json()['id']}"
    read = await client.get(url, headers=admin.headers)
    fresh = {**admin.headers, "If-Match": read.headers["etag"]}
    achieved = await client.patch(url, json={"status": "achieved"}, headers=fresh)
    assert achieved.status_code == 200, achieved.text
    assert (
        achieved.headers["etag"] == (await client.get(url, headers=admin.headers)).headers["etag"]
    )
    stale = await client.patch(url, json={"status": "dropped"}, headers=fresh)
    assert_problem(stale, 412)
    assert (await client.get(url, headers=admin.headers)).json()["status"] == "achieved"
    # Without If-Match an edit is accepted as before.
    dropped = await client.patch(url, json={"status": "dropped"}, headers=admin.headers)
    assert dropped.status_code == 200 and dropped.json()["status"] == "dropped"


async def test_a_skill_on_my_profile_changes_only_as_i_last_saw_it_with_if_match(client):
    """PUT answers the ETag of the skill on the profile; If-Match with it refuses (412) a save
    made from a copy changed since (another device), and refuses to bring back a skill removed
    since."""
    admin = await register(client, "Ada Admin")
    me = await register(client)
    await new_skill(client, admin, "Facilitation")
    url = "/me/skills/facilitation"
    absent = {**me.headers, "If-Match": "*"}
    assert_problem(await client.put(url, json={"level": 2}, headers=absent), 412)
    first = await client.put(url, json={"level": 2}, headers=me.headers)
    assert first.status_code == 200, first.text
    mine = {**me.headers, "If-Match": first.headers["etag"]}
    second = await client.put(url, json={"level": 3}, headers=mine)
    assert second.status_code == 200 and second.json()["level"] == 3
    assert_problem(await client.put(url, json={"level": 1}, headers=mine), 412)
    assert (await client.delete(url, headers=me.headers)).status_code == 204
    gone = {**me.headers, "If-Match": second.headers["etag"]}
    assert_problem(await client.put(url, json={"level": 4}, headers=gone), 412)
    skills = (await client.get(f"/users/{me.handle}/skills", headers=me.headers)).json()
    assert skills["items"] == []


async def test_an_endorsement_is_replaced_only_as_last_seen_with_if_match(client):
    admin, expert, fan = (
        await register(client, "Ada Admin"),
        await register(client),
        await register(client),
    )
    await new_skill(client, admin, "Mediation")
    await hold(client, expert, "mediation", 4)
    url = f"/users/{expert.handle}/skills/mediation/endorsement"
    assert_problem(
        await client.put(url, json={"note": "Calm"}, headers={**fan.headers, "If-Match": "*"}), 412
    )
    first = await client.put(url, json={"note": "Calm"}, headers=fan.headers)
    assert first.status_code == 201, first.text
    mine = {**fan.headers, "If-Match": first.headers["etag"]}
    second = await client.put(url, json={"note": "Calm and fair"}, headers=mine)
    assert second.status_code == 200 and second.json()["note"] == "Calm and fair"
    # The first copy is stale now: saving from it would lose the second note.
    assert_problem(await client.put(url, json={"note": "Lost"}, headers=mine), 412)
    latest = {**fan.headers, "If-Match": second.headers["etag"]}
    assert (await client.delete(url, headers=fan.headers)).status_code == 204
    assert_problem(await client.put(url, json={"note": "Back"}, headers=latest), 412)
