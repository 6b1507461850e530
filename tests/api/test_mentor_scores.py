"""The stored mentor columns behind recommendations: every write that changes an offer, a level or
an expert score keeps `user_skill.mentor_points` and `mentor_score` current; recommendations cost
the same number of statements whatever the number of holders; private communities stay out."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import literal, select

from domain.mentorship.model import MIN_MENTOR_LEVEL, capacity_points
from repositories.mentorship.offers import offer_points
from repositories.mentorship.tables import MentorProfileRow
from repositories.skills.tables import SkillRow, UserSkill
from tests.api.test_mentorship import act, hold, new_skill, offer, requested
from tests.api.test_skills import endorse
from tests.communities_helpers import create_community, join
from tests.helpers import Account, register

user_skills = UserSkill.__table__  # type: ignore[attr-defined]
profiles = MentorProfileRow.__table__  # type: ignore[attr-defined]
skills = SkillRow.__table__  # type: ignore[attr-defined]


async def test_offer_points_in_sql_are_capacity_points(app: FastAPI):
    """The SQL form that writes mentor_points agrees with the rule on every offer."""
    async with app.state.engine.connect() as connection:
        for accepting in (True, False):
            for capacity in range(1, 21):
                actives = range(0, 22)
                row = (
                    await connection.execute(
                        select(
                            *(
                                offer_points(literal(accepting), literal(capacity), literal(a))
                                for a in actives
                            )
                        )
                    )
                ).one()
                expected = [
                    capacity_points(capacity - a) if accepting and a < capacity else None
                    for a in actives
                ]
                assert [None if v is None else float(v) for v in row] == expected, capacity


async def _stored(app: FastAPI, who: Account, slug: str) -> tuple[float | None, float | None]:
    """(mentor_points, mentor_score) of one user skill, after checking every row is current."""
    await _assert_all_current(app)
    async with app.state.engine.connect() as connection:
        row = (
            await connection.execute(
                select(user_skills.c.mentor_points, user_skills.c.mentor_score)
                .join(skills, skills.c.id == user_skills.c.skill_id)
                .where(user_skills.c.user_id == uuid.UUID(who.id), skills.c.slug == slug)
            )
        ).one()
    return row[0], row[1]


async def _assert_all_current(app: FastAPI) -> None:
    """Every user skill holds what its person's offer, level and score say right now."""
    async with app.state.engine.connect() as connection:
        offers = {
            row.user_id: (
                capacity_points(row.capacity - row.active_mentees)
                if row.accepting_mentees and row.active_mentees < row.capacity
                else None
            )
            for row in await connection.execute(select(profiles))
        }
        rows = (await connection.execute(select(user_skills))).all()
    for row in rows:
        points = offers.get(row.user_id)
        assert row.mentor_points == (None if points is None else pytest.approx(points)), row
        if points is None or row.level < MIN_MENTOR_LEVEL:
            assert row.mentor_score is None, row
        else:
            assert row.mentor_score == pytest.approx(row.score + points), row


async def test_stored_mentor_columns_follow_every_write(client: httpx.AsyncClient, app: FastAPI):
    admin = await register(client, "Ada Admin")
    mentor = await register(client, "Mo Mentor")
    mentee = await register(client, "Mia Mentee")
    python = await new_skill(client, admin, "Python")
    sql = await new_skill(client, admin, "SQL")
    await hold(client, mentor, python, 4)
    await hold(client, mentor, sql, 2)
    assert await _stored(app, mentor, python) == (None, None)  # no offer yet

    # A profile PUT: every skill of the person gets the points; only level 3+ gets a score.
    await offer(client, mentor, capacity=3)
    points, score = await _stored(app, mentor, python)
    assert points == pytest.approx(1.5) and score is not None
    points, score = await _stored(app, mentor, sql)
    assert points == pytest.approx(1.5) and score is None
    # Capacity changes: up to four open places count.
    await offer(client, mentor, capacity=6)
    assert (await _stored(app, mentor, python))[0] == pytest.approx(2.0)
    await offer(client, mentor, capacity=1)
    assert (await _stored(app, mentor, python))[0] == pytest.approx(0.5)

    # Accepting takes the last place: no longer a candidate; completing frees it again.
    mentorship = await requested(client, mentee, mentor, python)
    assert (await act(client, mentor, mentorship["id"], "accept")).status_code == 200
    assert await _stored(app, mentor, python) == (None, None)
    assert (await act(client, mentor, mentorship["id"], "complete")).status_code == 200
    assert (await _stored(app, mentor, python))[0] == pytest.approx(0.5)

    # Pausing the offer, then taking mentees again.
    await offer(client, mentor, capacity=2, accepting=False)
    assert await _stored(app, mentor, python) == (None, None)
    await offer(client, mentor, capacity=2)
    assert (await _stored(app, mentor, python))[0] == pytest.approx(1.0)

    # Levels: up to 3 makes the SQL holding a candidate, down to 2 takes Python out of the range.
    await hold(client, mentor, sql, 3)
    assert (await _stored(app, mentor, sql))[1] is not None
    await hold(client, mentor, python, 2)
    points, score = await _stored(app, mentor, python)
    assert points == pytest.approx(1.0) and score is None
    await hold(client, mentor, python, 5)
    _, before = await _stored(app, mentor, python)

    # A skill listed after the offer copies it; an endorsement raises the score and the rank.
    go = await new_skill(client, admin, "Go")
    await hold(client, mentor, go, 5)
    assert (await _stored(app, mentor, go))[0] == pytest.approx(1.0)
    assert (await endorse(client, admin, mentor, python)).status_code in (200, 201)
    _, after = await _stored(app, mentor, python)
    assert before is not None and after is not None and after > before

    # Someone without an offer has no points, whatever their level.
    await hold(client, mentee, sql, 1)
    assert await _stored(app, mentee, sql) == (None, None)


async def _mentors_of(
    client: httpx.AsyncClient, admin: Account, slug: str, count: int
) -> list[Account]:
    people = []
    for n in range(count):
        who = await register(client)
        await hold(client, who, slug, 3 + n % 3)
        await offer(client, who, capacity=1 + n % 5, timezone="Asia/Tokyo")
        people.append(who)
    return people


async def test_recommendations_cost_the_same_whatever_the_number_of_holders(
    client: httpx.AsyncClient, count_statements: Any
):
    admin = await register(client, "Ada Admin")
    mentee = await register(client, "Mia Mentee")
    slug = await new_skill(client, admin, "Python")
    goal = await client.post(
        "/me/learning-goals", json={"skill": slug, "target_level": 4}, headers=mentee.headers
    )
    assert goal.status_code == 201
    counts: dict[tuple[str, int], int] = {}
    for batch in (2, 12):
        mentors = await _mentors_of(client, admin, slug, batch)
        guild = await create_community(client, mentors[0], f"Guild {batch}")
        assert (await join(client, mentee, guild["slug"])).status_code == 201
        for url in (f"/mentors?skill={slug}", "/mentors"):
            count_statements.statements.clear()
            response = await client.get(url, headers=mentee.headers)
            assert response.status_code == 200, response.text
            counts[(url, batch)] = count_statements.count
    holders = (await client.get(f"/mentors?skill={slug}&limit=100", headers=mentee.headers)).json()
    assert len(holders["items"]) == 14
    for url in (f"/mentors?skill={slug}", "/mentors"):
        assert counts[(url, 2)] == counts[(url, 12)], counts


async def test_private_communities_are_no_reason(client: httpx.AsyncClient):
    """A private community the caller is not in neither shows in the reasons nor adds points;
    one they share shows, by name."""
    admin = await register(client, "Ada Admin")
    mentee = await register(client, "Mia Mentee")
    mentor = await register(client, "Mo Mentor")
    slug = await new_skill(client, admin, "Python")
    await hold(client, mentor, slug, 5)
    await offer(client, mentor, capacity=2)
    url = f"/mentors?skill={slug}"

    async def recommendation() -> dict[str, Any]:
        items = (await client.get(url, headers=mentee.headers)).json()["items"]
        assert [i["user"]["handle"] for i in items] == [mentor.handle]
        found: dict[str, Any] = items[0]
        return found

    alone = await recommendation()
    await create_community(
        client, mentor, "Secret Circle", visibility="private", join_policy="invite"
    )
    hidden = await recommendation()
    assert hidden == alone
    assert not any("Secret Circle" in reason for reason in hidden["reasons"])
    shared = await create_community(client, mentor, "Open Circle")
    assert (await join(client, mentee, shared["slug"])).status_code == 201
    both = await recommendation()
    assert "Both in Open Circle" in both["reasons"]
    assert both["score"] == pytest.approx(alone["score"] + 1.0)
