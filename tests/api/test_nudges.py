"""Follow-the-sun nudges, run by the periodic job against a fake clock: a Kubernetes question
asked at 02:00 UTC on a Monday reaches the Singapore expert (11:00 there when it is an hour old),
not the London one; one window later the Kolkata expert is asked; an answer stops it. Also
"not for me", the daily cap, private communities, preferences, time zones and working hours."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from api.jobs import DEFAULT_JOBS
from domain.posts.nudges import nudge_questions
from repositories.posts.tables import PostNudgeRow, PostRow
from repositories.unit_of_work import SqlUnitOfWork
from tests.communities_helpers import create_community, join
from tests.helpers import Account, FakeClock, assert_problem, register

posts = PostRow.__table__  # type: ignore[attr-defined]
nudge_rows = PostNudgeRow.__table__  # type: ignore[attr-defined]

MONDAY_2AM = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # a Monday


async def run_job(app: FastAPI, at: datetime) -> int:
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        return await nudge_questions(uow, FakeClock(at))


async def expert(
    client: httpx.AsyncClient,
    name: str,
    zone: str | None,
    skill: str = "kubernetes",
    level: int = 4,
) -> Account:
    person = await register(client, name)
    if zone is not None:
        r = await client.patch("/me", json={"time_zone": zone}, headers=person.headers)
        assert r.status_code == 200, r.text
    r = await client.put(
        f"/me/skills/{skill}",
        json={"level": level, "wants_to_teach": False},
        headers=person.headers,
    )
    assert r.status_code == 200, r.text
    return person


async def ask(
    app: FastAPI,
    client: httpx.AsyncClient,
    author: Account,
    slug: str,
    at: datetime = MONDAY_2AM,
    title: str = "How do I drain a node without downtime?",
    tags: list[str] | None = None,
) -> str:
    r = await client.post(
        f"/communities/{slug}/posts",
        json={
            "kind": "question",
            "title": title,
            "body": "Pods keep getting evicted at once.",
            "tags": tags or ["Kubernetes"],
        },
        headers=author.headers,
    )
    assert r.status_code == 201, r.text
    post_id: str = r.json()["id"]
    async with app.state.engine.begin() as connection:
        await connection.execute(
            update(posts).where(posts.c.id == uuid.UUID(post_id)).values(created_at=at)
        )
    return post_id


async def nudges_for(client: httpx.AsyncClient, who: Account) -> list[dict[str, Any]]:
    r = await client.get("/me/notifications", headers=who.headers)
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["kind"] == "question_for_you"]


async def nudge_on(client: httpx.AsyncClient, who: Account, post_id: str) -> Any:
    r = await client.get(f"/posts/{post_id}", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()["nudge"]


@dataclass
class World:
    author: Account
    singapore: Account
    london: Account
    kolkata: Account
    slug: str


async def world(client: httpx.AsyncClient) -> World:
    author = await register(client, "Asker")
    community = await create_community(client, author, "Platform Guild")
    # The skill exists once someone tags a post with it; the experts list it afterwards.
    r = await client.post("/skills", json={"name": "Kubernetes"}, headers=author.headers)
    assert r.status_code == 201, r.text
    return World(
        author,
        await expert(client, "Sing Apore", "Asia/Singapore"),
        await expert(client, "Lon Don", "Europe/London"),
        await expert(client, "Kol Kata", "Asia/Kolkata"),
        community["slug"],
    )


async def test_follow_the_sun_singapore_first_then_the_next_time_zone_until_answered(
    app: FastAPI, client: httpx.AsyncClient
):
    w = await world(client)
    question = await ask(app, client, w.author, w.slug)

    assert await run_job(app, MONDAY_2AM + timedelta(minutes=59)) == 0  # not an hour old yet

    # 03:00 UTC: 11:00 in Singapore (at work), 03:00 in London, 08:30 in Kolkata.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 1
    [line] = await nudges_for(client, w.singapore)
    assert line["subject"]["title"] == (
        "You're among the top experts in Kubernetes and it's 11:00 for you: "
        "How do I drain a node without downtime?"
    )
    assert line["reason"] == "expertise" and line["subject"]["url"] == f"/posts/{question}"
    assert await nudges_for(client, w.london) == []
    assert await nudges_for(client, w.kolkata) == []
    assert await nudge_on(client, w.singapore, question) == {
        "reason": "you're among the top experts in Kubernetes and it's 11:00 for you",
        "nudged_at": "2026-12-07T03:00:00Z",
        "dismissed": False,
    }
    assert await nudge_on(client, w.london, question) is None

    # The same window again: nobody new.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1, minutes=30)) == 0

    # One window later, 04:00 UTC: 09:30 in Kolkata, still night in London.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=2)) == 1
    [line] = await nudges_for(client, w.kolkata)
    assert "it's 09:30 for you" in line["subject"]["title"]
    assert await nudges_for(client, w.london) == []
    assert len(await nudges_for(client, w.singapore)) == 1  # never twice for one question

    # The author's own comment is no answer; Singapore's is.
    r = await client.post(
        f"/posts/{question}/comments", json={"body": "Anyone?"}, headers=w.author.headers
    )
    assert r.status_code == 201, r.text
    assert await join(client, w.singapore, w.slug) is not None
    r = await client.post(
        f"/posts/{question}/comments",
        json={"body": "Use a PodDisruptionBudget, then kubectl drain."},
        headers=w.singapore.headers,
    )
    assert r.status_code == 201, r.text
    # 09:00 in London, a Monday: London would be next, but the question has its answer.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=7)) == 0
    assert await nudges_for(client, w.london) == []


async def test_an_unanswered_question_reaches_london_when_its_day_starts(
    app: FastAPI, client: httpx.AsyncClient
):
    w = await world(client)
    question = await ask(app, client, w.author, w.slug)
    for hour in range(1, 8):  # 03:00 ... 09:00 UTC
        await run_job(app, MONDAY_2AM + timedelta(hours=hour))
    [line] = await nudges_for(client, w.london)
    assert "it's 09:00 for you" in line["subject"]["title"]
    async with app.state.engine.connect() as connection:
        windows = dict(
            (
                await connection.execute(
                    select(nudge_rows.c.user_id, nudge_rows.c.window).where(
                        nudge_rows.c.post_id == uuid.UUID(question)
                    )
                )
            ).all()
        )
    assert windows == {
        uuid.UUID(w.singapore.id): 1,
        uuid.UUID(w.kolkata.id): 2,
        uuid.UUID(w.london.id): 7,
    }


async def test_not_for_me_stops_nudges_to_that_person_only(app: FastAPI, client: httpx.AsyncClient):
    w = await world(client)
    question = await ask(app, client, w.author, w.slug)
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 1
    r = await client.post(f"/posts/{question}/nudge/dismiss", headers=w.singapore.headers)
    assert r.status_code == 204, r.text
    assert (await nudge_on(client, w.singapore, question))["dismissed"] is True
    # Twice is fine.
    r = await client.post(f"/posts/{question}/nudge/dismiss", headers=w.singapore.headers)
    assert r.status_code == 204

    # Kolkata says "not for me" before being asked: the next window asks nobody there.
    r = await client.post(f"/posts/{question}/nudge/dismiss", headers=w.kolkata.headers)
    assert r.status_code == 204
    assert await nudge_on(client, w.kolkata, question) is None
    assert await run_job(app, MONDAY_2AM + timedelta(hours=2)) == 0
    assert await nudges_for(client, w.kolkata) == []
    # London is still asked when its day starts.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=7)) == 1
    assert len(await nudges_for(client, w.london)) == 1


async def test_dismiss_needs_a_visible_post_and_a_caller(client: httpx.AsyncClient):
    owner, outsider = await register(client, "Owner"), await register(client, "Outsider")
    await create_community(
        client, owner, "Secret Guild", visibility="private", join_policy="invite"
    )
    r = await client.post(
        "/communities/secret-guild/posts",
        json={"kind": "question", "title": "Hidden question", "body": "Only for members."},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]
    assert_problem(
        await client.post(f"/posts/{post_id}/nudge/dismiss", headers=outsider.headers), 404
    )
    assert_problem(
        await client.post(f"/posts/{uuid.uuid4()}/nudge/dismiss", headers=outsider.headers), 404
    )
    assert_problem(await client.post(f"/posts/{post_id}/nudge/dismiss"), 401)
    assert_problem(await client.post("/posts/not-a-uuid/nudge/dismiss", headers=owner.headers), 422)


async def test_at_most_three_nudges_a_day_in_the_persons_own_day(
    app: FastAPI, client: httpx.AsyncClient
):
    author = await register(client, "Asker")
    community = await create_community(client, author, "Platform Guild")
    r = await client.post("/skills", json={"name": "Kubernetes"}, headers=author.headers)
    assert r.status_code == 201, r.text
    singapore = await expert(client, "Sing Apore", "Asia/Singapore")
    for n in range(4):
        await ask(app, client, author, community["slug"], title=f"Kubernetes question {n}")
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 3
    assert len(await nudges_for(client, singapore)) == 3
    # Later the same Singapore day: still capped.
    assert await run_job(app, MONDAY_2AM + timedelta(hours=5)) == 0
    # The next Singapore morning (Tuesday 09:00 there is 01:00 UTC): the fourth question.
    assert await run_job(app, datetime(2026, 12, 8, 1, 0, tzinfo=UTC)) == 1
    assert len(await nudges_for(client, singapore)) == 4


async def test_a_private_question_only_reaches_members(app: FastAPI, client: httpx.AsyncClient):
    owner = await register(client, "Owner")
    community = await create_community(
        client, owner, "Secret Guild", visibility="private", join_policy="invite"
    )
    r = await client.post("/skills", json={"name": "Kubernetes"}, headers=owner.headers)
    assert r.status_code == 201, r.text
    outsider = await expert(client, "Out Sider", "Asia/Singapore", level=5)
    member = await expert(client, "In Sider", "Asia/Singapore", level=3)
    r = await client.post(
        f"/communities/{community['slug']}/invitations",
        json={"handle": member.handle},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    r = await join(client, member, community["slug"])
    assert r.status_code in (200, 201), r.text
    await ask(app, client, owner, community["slug"])
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 1
    assert len(await nudges_for(client, member)) == 1
    assert await nudges_for(client, outsider) == []


async def test_preferences_off_no_time_zone_or_outside_working_hours_means_no_nudge(
    app: FastAPI, client: httpx.AsyncClient
):
    w = await world(client)
    r = await client.put(
        "/me/notification-preferences",
        json={"preferences": [{"kind": "question_for_you", "in_app": False}]},
        headers=w.singapore.headers,
    )
    assert r.status_code == 200, r.text
    nowhere = await expert(client, "No Where", None, level=5)
    # Tokyo, but working 14:00-22:00 only: 12:00 there at 03:00 UTC.
    late = await expert(client, "Late Shift", "Asia/Tokyo", level=5)
    r = await client.patch(
        "/me",
        json={"working_hours": {"days": [1, 2, 3, 4, 5], "start": "14:00", "end": "22:00"}},
        headers=late.headers,
    )
    assert r.status_code == 200, r.text
    # Seoul, a night shift that crosses midnight (22:00-06:00), Sunday night into Monday: at
    # 03:00 UTC it is 12:00 Monday there, outside the shift.
    night = await expert(client, "Night Owl", "Asia/Seoul", level=5)
    r = await client.patch(
        "/me",
        json={"working_hours": {"days": [7], "start": "22:00", "end": "06:00"}},
        headers=night.headers,
    )
    assert r.status_code == 200, r.text
    await ask(app, client, w.author, w.slug)
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 0
    for person in (w.singapore, nowhere, late, night):
        assert await nudges_for(client, person) == []
    # 20:00 UTC on Sunday is 05:00 Monday in Seoul: inside the shift that began Sunday.
    sunday_question = await ask(
        app, client, w.author, w.slug, at=datetime(2026, 12, 6, 19, 0, tzinfo=UTC), title="Sunday"
    )
    assert await run_job(app, datetime(2026, 12, 6, 20, 0, tzinfo=UTC)) == 1
    [line] = await nudges_for(client, night)
    assert line["post_id"] == sunday_question


async def test_nudges_follow_the_community_setting(app: FastAPI, client: httpx.AsyncClient):
    w = await world(client)
    r = await client.get(f"/communities/{w.slug}", headers=w.author.headers)
    assert r.json()["nudge_after_minutes"] == 60
    r = await client.patch(
        f"/communities/{w.slug}", json={"nudge_after_minutes": 0}, headers=w.author.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["nudge_after_minutes"] == 0
    await ask(app, client, w.author, w.slug)
    assert await run_job(app, MONDAY_2AM + timedelta(hours=1)) == 0

    r = await client.patch(
        f"/communities/{w.slug}", json={"nudge_after_minutes": 30}, headers=w.author.headers
    )
    assert r.status_code == 200, r.text
    assert await run_job(app, MONDAY_2AM + timedelta(minutes=30)) == 1

    for bad in (-1, 10_081, "60", None, 1.5):
        assert_problem(
            await client.patch(
                f"/communities/{w.slug}",
                json={"nudge_after_minutes": bad},
                headers=w.author.headers,
            ),
            422,
        )
    await join(client, w.london, w.slug)
    assert_problem(
        await client.patch(
            f"/communities/{w.slug}", json={"nudge_after_minutes": 5}, headers=w.london.headers
        ),
        403,
    )


async def test_community_stats_report_nudged_questions_and_their_answers(
    app: FastAPI, client: httpx.AsyncClient
):
    w = await world(client)
    now = datetime.now(UTC)
    asked = now - timedelta(hours=3)
    question = await ask(app, client, w.author, w.slug, at=asked)
    other = await ask(app, client, w.author, w.slug, at=asked, title="Another one")
    async with app.state.engine.begin() as connection:
        for post_id in (question, other):
            await connection.execute(
                nudge_rows.insert().values(
                    post_id=uuid.UUID(post_id),
                    user_id=uuid.UUID(w.singapore.id),
                    window=1,
                    reason="test",
                    nudged_at=asked + timedelta(hours=1),
                )
            )
    await join(client, w.singapore, w.slug)
    r = await client.post(
        f"/posts/{question}/comments", json={"body": "Cordon first."}, headers=w.singapore.headers
    )
    assert r.status_code == 201, r.text
    stats = (await client.get(f"/communities/{w.slug}/stats", headers=w.author.headers)).json()
    assert stats["nudged_questions_30d"] == 2
    assert stats["nudged_answered_30d"] == 1
    minutes = stats["median_nudged_first_answer_minutes"]
    assert 179 <= minutes <= 181


def test_the_nudge_job_runs_every_minute():
    [job] = [j for j in DEFAULT_JOBS if j.name == "nudge_questions"]
    assert job.every == timedelta(minutes=1)


async def test_profile_time_zone_and_working_hours(client: httpx.AsyncClient):
    me = await register(client, "Zoned")
    body = (await client.get("/me", headers=me.headers)).json()
    assert body["time_zone"] is None and body["timezone"] is None
    assert body["working_hours"] == {"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"}
    assert body["working_hours_set"] is False

    r = await client.patch(
        "/me",
        json={
            "time_zone": "Asia/Singapore",
            "working_hours": {"days": [5, 1, 2], "start": "22:00", "end": "06:00"},
        },
        headers=me.headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["time_zone"] == body["timezone"] == "Asia/Singapore"
    assert body["working_hours"] == {"days": [1, 2, 5], "start": "22:00", "end": "06:00"}
    assert body["working_hours_set"] is True
    again = (await client.get("/me", headers=me.headers)).json()
    assert again["working_hours"] == body["working_hours"]

    # `timezone`, the contract's name, still works and is the same field.
    r = await client.patch("/me", json={"timezone": "Europe/London"}, headers=me.headers)
    assert r.json()["time_zone"] == "Europe/London"
    r = await client.patch(
        "/me", json={"timezone": "Europe/Paris", "time_zone": "Europe/Paris"}, headers=me.headers
    )
    assert r.status_code == 200 and r.json()["timezone"] == "Europe/Paris"

    bad_bodies: list[dict[str, Any]] = [
        {"time_zone": "Mars/Olympus"},
        {"time_zone": "CET+1"},
        {"time_zone": ""},
        {"timezone": "Europe/Paris", "time_zone": "Europe/Berlin"},
        {"working_hours": {"days": [1], "start": "09:00", "end": "09:00"}},
        {"working_hours": {"days": [0], "start": "09:00", "end": "17:00"}},
        {"working_hours": {"days": [8], "start": "09:00", "end": "17:00"}},
        {"working_hours": {"days": [], "start": "09:00", "end": "17:00"}},
        {"working_hours": {"days": [1, 1], "start": "09:00", "end": "17:00"}},
        {"working_hours": {"days": [1], "start": "9:00", "end": "17:00"}},
        {"working_hours": {"days": [1], "start": "24:00", "end": "17:00"}},
        {"working_hours": {"days": [1], "start": "09:00"}},
        {"working_hours": {"days": [1], "start": "09:00", "end": "17:00", "tz": "x"}},
    ]
    for bad in bad_bodies:
        assert_problem(await client.patch("/me", json=bad, headers=me.headers), 422)

    r = await client.patch("/me", json={"working_hours": None}, headers=me.headers)
    assert r.json()["working_hours_set"] is False
    assert r.json()["working_hours"]["start"] == "09:00"


async def test_the_mentor_profile_time_zone_is_the_persons(client: httpx.AsyncClient):
    mentor = await register(client, "Mentor")
    r = await client.put(
        "/me/mentor-profile",
        json={"accepting_mentees": True, "capacity": 2, "timezone": "Asia/Tokyo"},
        headers=mentor.headers,
    )
    assert r.status_code in (200, 201), r.text
    assert r.json()["timezone"] == "Asia/Tokyo"
    me = (await client.get("/me", headers=mentor.headers)).json()
    assert me["time_zone"] == "Asia/Tokyo"
    r = await client.patch("/me", json={"time_zone": "Europe/Lisbon"}, headers=mentor.headers)
    assert r.status_code == 200
    profile = (await client.get(f"/users/{mentor.handle}", headers=mentor.headers)).json()
    assert profile["mentor_profile"]["timezone"] == "Europe/Lisbon"
    assert profile["timezone"] == "Europe/Lisbon"


async def test_the_job_reads_a_batch_in_a_fixed_number_of_statements(
    app: FastAPI, client: httpx.AsyncClient, count_statements
):
    """Due questions, their candidates, the candidates' recent nudges and the insert, then the
    notifications (who may see each question, who muted nudges, one write): seven statements
    for any number of questions and people."""
    author = await register(client, "Asker")
    community = await create_community(client, author, "Platform Guild")
    r = await client.post("/skills", json={"name": "Kubernetes"}, headers=author.headers)
    assert r.status_code == 201, r.text
    experts = [await expert(client, f"Expert {n}", "Asia/Singapore") for n in range(5)]

    async def statements_for(questions: int, day: int, people: int) -> int:
        asked = MONDAY_2AM + timedelta(days=day)
        for n in range(questions):
            await ask(app, client, author, community["slug"], at=asked, title=f"Q{day}-{n}")
        count_statements.statements.clear()
        assert await run_job(app, asked + timedelta(hours=1)) == people
        return len(
            [
                s
                for s in count_statements.statements
                if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"))
            ]
        )

    # Monday: one question, three of the five experts.
    assert await statements_for(1, 0, people=3) == 4 + 3
    # Wednesday: three new questions and Monday's (two experts left for it): eleven people,
    # four questions, and still the same seven statements.
    assert await statements_for(3, 2, people=2 + 3 * 3) == 4 + 3
    assert len(experts) == 5
