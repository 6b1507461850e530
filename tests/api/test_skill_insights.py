"""GET /insights/skills: demand, supply, gap and bus factor per skill, read from rollups that
the scheduled job refreshes. Who sees which scope, that a private community's questions never
reach figures a non-administrator sees, the suggested pairs and who may see them, paging,
bad input, and a constant number of statements per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from api.jobs import DEFAULT_JOBS
from domain.skill_insights.service import refresh_skill_insights
from repositories.unit_of_work import SqlUnitOfWork
from tests.api.test_skills import hold, new_skill
from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register

OPEN = "open-guild"
INNER = "inner-circle"


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def refresh(app: FastAPI) -> int:
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        return await refresh_skill_insights(uow, Clock())


@dataclass
class World:
    admin: Account
    steward: Account  # steward of both communities
    expert: Account  # Rust expert, member of the public community
    learner: Account  # wants to learn Rust, member of the public community
    bystander: Account  # member of the public community
    insider: Account  # member of the private community only
    outsider: Account  # member of nothing


async def _post(client: httpx.AsyncClient, who: Account, community: str, tags: list[str]) -> str:
    response = await client.post(
        f"/communities/{community}/posts",
        json={"kind": "question", "title": "How do lifetimes work?", "body": "?", "tags": tags},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _answer(
    client: httpx.AsyncClient, who: Account, question: str, asker: Account | None = None
) -> None:
    response = await client.post(
        f"/posts/{question}/comments", json={"body": "Like this."}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    if asker is not None:
        accepted = await client.put(
            f"/posts/{question}/accepted-answer",
            json={"comment_id": response.json()["id"]},
            headers=asker.headers,
        )
        assert accepted.status_code == 200, accepted.text


async def _world(client: httpx.AsyncClient) -> World:
    admin = await register(client, "Ada Admin")
    steward, expert, learner, bystander, insider, outsider = [
        await register(client, name)
        for name in ("Sam Steward", "Eva Expert", "Lee Learner", "Bo By", "Ian In", "Oz Out")
    ]
    await create_community(client, steward, "Open Guild")
    await create_community(
        client, steward, "Inner Circle", visibility="private", join_policy="invite"
    )
    for person in (expert, learner, bystander):
        assert (await join(client, person, OPEN)).status_code == 201
    invited = await client.post(
        f"/communities/{INNER}/invitations",
        json={"handle": insider.handle},
        headers=steward.headers,
    )
    assert invited.status_code == 201, invited.text
    assert (await join(client, insider, INNER)).status_code == 201
    await new_skill(client, admin, "Rust")
    await new_skill(client, admin, "Go")
    await hold(client, expert, "rust", 5)
    goal = await client.post(
        "/me/learning-goals", json={"skill": "rust", "target_level": 3}, headers=learner.headers
    )
    assert goal.status_code == 201, goal.text
    # Public: one question answered and accepted (the expert), one left open.
    question = await _post(client, learner, OPEN, ["rust"])
    await _answer(client, expert, question, asker=learner)
    await _post(client, bystander, OPEN, ["rust"])
    # Private: three Rust questions, all answered by the insider's steward, none accepted.
    for _ in range(3):
        private = await _post(client, insider, INNER, ["rust"])
        await _answer(client, steward, private)
    return World(admin, steward, expert, learner, bystander, insider, outsider)


async def _insights(
    client: httpx.AsyncClient, who: Account, **params: Any
) -> dict[str, dict[str, Any]]:
    response = await client.get("/insights/skills", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return {item["skill"]["slug"]: item for item in response.json()["items"]}


async def test_a_public_communitys_figures_hold_only_its_own_content(client, app):
    w = await _world(client)
    assert await refresh(app) > 0
    rust = (await _insights(client, w.bystander, community=OPEN))["rust"]
    # The private community's three questions and its steward's answers are not here.
    assert rust["demand"] == {
        "learners": 1,
        "questions": 2,
        "unanswered": 1,
        "unanswered_share": 0.5,
        "median_first_answer_minutes": rust["demand"]["median_first_answer_minutes"],
    }
    assert rust["demand"]["median_first_answer_minutes"] is not None
    assert rust["supply"] == {"experts": 1, "answerers": 1, "mentors": 0}
    assert (rust["accepted_answers"], rust["bus_factor"], rust["at_risk"]) == (1, 1, True)
    # The parts are shown and add up to the gap, like the expert score's.
    assert rust["parts"]["learners"] == 1.0 and rust["parts"]["experts"] == -1.5
    assert abs(sum(rust["parts"].values()) - rust["gap"]) < 1e-3
    # The same for a member and for anyone who can see the public community.
    assert (await _insights(client, w.outsider, community=OPEN))["rust"]["demand"]["questions"] == 2
    # The private community's own figures, for its steward.
    inner = (await _insights(client, w.steward, community=INNER))["rust"]
    assert (inner["demand"]["questions"], inner["demand"]["unanswered"]) == (3, 3)
    assert (inner["supply"]["answerers"], inner["bus_factor"]) == (1, 0)
    # The organisation, for administrators: everything.
    org = (await _insights(client, w.admin))["rust"]
    assert (org["demand"]["questions"], org["demand"]["unanswered"]) == (5, 4)
    assert org["supply"]["answerers"] == 2


async def test_who_may_read_which_scope(client, app):
    w = await _world(client)
    await refresh(app)
    for person in (w.steward, w.expert, w.outsider):
        assert_problem(await client.get("/insights/skills", headers=person.headers), 403)
    assert_problem(await client.get("/insights/skills"), 401)
    # A private community: invisible to outsiders (404, like a missing one), closed to members
    # who are not stewards (403), open to its stewards and administrators.
    missing = await client.get(
        "/insights/skills", params={"community": "no-such-place"}, headers=w.outsider.headers
    )
    hidden = await client.get(
        "/insights/skills", params={"community": INNER}, headers=w.outsider.headers
    )
    assert_problem(missing, 404)
    assert_problem(hidden, 404)
    assert hidden.json()["detail"].replace(INNER, "x") == missing.json()["detail"].replace(
        "no-such-place", "x"
    )
    assert_problem(
        await client.get(
            "/insights/skills", params={"community": INNER}, headers=w.insider.headers
        ),
        403,
    )
    for person in (w.steward, w.admin):
        assert "rust" in await _insights(client, person, community=INNER)


async def test_suggested_pairs_go_to_leaders_and_to_the_learner_only(client, app):
    w = await _world(client)
    await refresh(app)
    pair = {"expert": w.expert.handle, "learner": w.learner.handle}

    def pairs_of(items: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {"expert": p["expert"]["handle"], "learner": p["learner"]["handle"]}
            for p in items["rust"]["pairs"]
        ]

    assert pairs_of(await _insights(client, w.steward, community=OPEN)) == [pair]
    assert pairs_of(await _insights(client, w.admin)) == [pair]
    assert pairs_of(await _insights(client, w.learner, community=OPEN)) == [pair]
    # Someone else's learning goal is theirs: a bystander sees no pairs.
    assert pairs_of(await _insights(client, w.bystander, community=OPEN)) == []
    # Once the learner has asked the expert, the pair is no longer suggested.
    profile = await client.put(
        "/me/mentor-profile",
        json={"accepting_mentees": True, "capacity": 2, "timezone": "Europe/Berlin"},
        headers=w.expert.headers,
    )
    assert profile.status_code == 200, profile.text
    await refresh(app)
    assert (await _insights(client, w.steward, community=OPEN))["rust"]["supply"]["mentors"] == 1
    asked = await client.post(
        "/mentorships",
        json={"mentor": w.expert.handle, "skill": "rust", "goal": "Reach competent."},
        headers=w.learner.headers,
    )
    assert asked.status_code == 201, asked.text
    await refresh(app)
    assert pairs_of(await _insights(client, w.steward, community=OPEN)) == []


async def test_sorts_and_keyset_pages(client, app):
    w = await _world(client)
    # Go: demand only (two learners), no answers: a larger gap than Rust, no risk.
    for person in (w.bystander, w.steward):
        goal = await client.post(
            "/me/learning-goals", json={"skill": "go", "target_level": 2}, headers=person.headers
        )
        assert goal.status_code == 201
    for _ in range(4):
        await _post(client, w.bystander, OPEN, ["go"])
    await refresh(app)
    by_gap = await client.get("/insights/skills", params={"limit": 1}, headers=w.admin.headers)
    first = by_gap.json()
    assert [i["skill"]["slug"] for i in first["items"]] == ["go"]
    second = await client.get(
        "/insights/skills",
        params={"limit": 1, "cursor": first["next_cursor"]},
        headers=w.admin.headers,
    )
    assert [i["skill"]["slug"] for i in second.json()["items"]] == ["rust"]
    assert second.json()["next_cursor"] is None
    by_risk = await _insights(client, w.admin, sort="risk")
    assert list(by_risk) == ["rust", "go"]
    assert by_risk["rust"]["at_risk"] and not by_risk["go"]["at_risk"]
    # A cursor belongs to its sort and scope.
    assert_problem(
        await client.get(
            "/insights/skills",
            params={"sort": "risk", "limit": 1, "cursor": first["next_cursor"]},
            headers=w.admin.headers,
        ),
        400,
    )


async def test_bad_input_is_a_problem_never_a_crash(client):
    admin = await register(client, "Ada Admin")
    for params, status in (
        ({"sort": "loudest"}, 422),
        ({"limit": 0}, 422),
        ({"limit": 101}, 422),
        ({"community": "../etc"}, 422),
        ({"community": "x" * 61}, 422),
        ({"cursor": "not-a-cursor"}, 400),
    ):
        assert_problem(
            await client.get("/insights/skills", params=params, headers=admin.headers), status
        )
    # Before the first refresh there is nothing to show: an empty page.
    empty = await client.get("/insights/skills", headers=admin.headers)
    assert empty.json() == {"items": [], "next_cursor": None}


async def test_reads_take_the_same_statements_whatever_the_page_holds(
    client, app, count_statements
):
    w = await _world(client)
    await refresh(app)

    async def statements(who: Account, **params: Any) -> int:
        before = count_statements.count
        response = await client.get("/insights/skills", params=params, headers=who.headers)
        assert response.status_code == 200
        return int(count_statements.count - before)

    small = await statements(w.admin, limit=1)
    for name in ("Zig", "Elm", "Nim", "Odin"):
        await new_skill(client, w.admin, name)
        await hold(client, w.expert, name.lower(), 4)
        await _post(client, w.learner, OPEN, [name.lower()])
    await refresh(app)
    assert await statements(w.admin, limit=50) == small
    assert await statements(w.steward, community=OPEN, limit=50) == small + 1  # the community


def test_the_refresh_is_a_scheduled_job():
    assert "refresh_skill_insights" in {job.name for job in DEFAULT_JOBS}


async def _rows(app: FastAPI) -> int:
    async with app.state.session_factory() as session:
        return int((await session.execute(text("SELECT count(*) FROM skill_insight"))).scalar_one())


async def test_a_write_shows_after_one_refresh_and_empty_pairs_store_no_row(client, app):
    w = await _world(client)
    assert await refresh(app) > 0
    stored = await _rows(app)
    # Rust in the public community, the private one and the organisation; nothing for Go,
    # which nobody holds, learns or asks about: an empty (scope, skill) has no row.
    assert stored == 3
    assert "go" not in await _insights(client, w.admin)
    # Nothing changed: the next refresh writes nothing, and the page still reads the same.
    assert await refresh(app) == 0
    assert (await _insights(client, w.admin))["rust"]["demand"]["questions"] == 5
    # A learning goal and a question: each shows after one refresh, in the community and the
    # organisation.
    goal = await client.post(
        "/me/learning-goals", json={"skill": "go", "target_level": 2}, headers=w.bystander.headers
    )
    assert goal.status_code == 201, goal.text
    await _post(client, w.learner, OPEN, ["rust"])
    assert await refresh(app) == 4  # Go and Rust, each in the public community and overall
    go = (await _insights(client, w.bystander, community=OPEN))["go"]
    assert (go["demand"]["learners"], go["demand"]["questions"]) == (1, 0)
    assert (await _insights(client, w.admin))["rust"]["demand"]["questions"] == 6
    assert (await _insights(client, w.bystander, community=OPEN))["rust"]["demand"][
        "questions"
    ] == 3
    # A new expert joining the public community counts there at once (one refresh).
    newcomer = await register(client, "Nia New")
    await hold(client, newcomer, "rust", 5)
    assert (await join(client, newcomer, OPEN)).status_code == 201
    await refresh(app)
    assert (await _insights(client, w.outsider, community=OPEN))["rust"]["supply"]["experts"] == 2
    # The goal given up: Go is empty again, and its rows are deleted.
    dropped = await client.delete(
        f"/me/learning-goals/{goal.json()['id']}", headers=w.bystander.headers
    )
    assert dropped.status_code == 204, dropped.text
    assert await refresh(app) == 2
    assert "go" not in await _insights(client, w.admin)
    assert "go" not in await _insights(client, w.bystander, community=OPEN)
    assert await _rows(app) == stored
