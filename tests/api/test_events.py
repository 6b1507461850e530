"""The event backbone: events are recorded with the change (never without it), consumers derive
notifications once per event, failures are retried then dead-lettered for administrators to
replay, the relay runs on its own after a commit, and the outbox is pruned."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from api.events import CONSUMERS
from api.main import create_app
from domain.actor import Actor
from domain.clock import Clock
from domain.events.model import Consumer, DomainEvent, EventType
from domain.events.service import dead_letter, handle, prune_events, record
from domain.ports import UnitOfWork
from domain.posts.model import PostKind
from domain.posts.service import PostDraft, create_post
from repositories.unit_of_work import SqlUnitOfWork
from tests.communities_helpers import create_community, join
from tests.conftest import draining, make_settings
from tests.helpers import Account, FakeClock, assert_problem, register, with_personal_token

METRICS_TOKEN = "scrape-token-events-0123456789abcdef012345"


async def _events(app: FastAPI) -> list[Any]:
    async with app.state.engine.connect() as connection:
        return list(
            (
                await connection.execute(
                    text(
                        "SELECT id, type, actor_id, community_id, payload, payload_version,"
                        " dispatched_at FROM domain_event ORDER BY id"
                    )
                )
            ).all()
        )


async def _count(app: FastAPI, sql: str) -> int:
    async with app.state.engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


async def _post(client: httpx.AsyncClient, who: Account, slug: str, body: str = "?") -> str:
    response = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": "question", "title": "How do we roll back?", "body": body},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    post_id: str = response.json()["id"]
    return post_id


async def _inbox(client: httpx.AsyncClient, who: Account) -> list[dict[str, Any]]:
    response = await client.get("/me/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


# --- recorded with the change ----------------------------------------------------------------


async def test_a_committed_post_leaves_one_dispatched_event_with_its_payload(app, client):
    author = await register(client, "Author")
    community = await create_community(client, author, "Guild")
    post_id = await _post(client, author, "guild", body="Thanks @nobody")
    rows = [r for r in await _events(app) if r.type == "post.created"]
    assert len(rows) == 1
    row = rows[0]
    assert str(row.actor_id).replace("-", "") == author.id.replace("-", "")
    assert str(row.community_id).replace("-", "") == community["id"].replace("-", "")
    payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
    assert payload["post_id"] == post_id
    assert payload["title"] == "How do we roll back?"
    assert row.payload_version == 1
    assert row.dispatched_at is not None  # relayed (the test client drains)
    # Ids are time-ordered (UUID version 7).
    assert uuid.UUID(str(row.id)).version == 7


async def test_each_kind_of_change_records_its_event(app, client):
    owner = await register(client, "Owner")
    member = await register(client, "Member")
    await create_community(client, owner, "Closed", join_policy="approval")
    assert (await join(client, member, "closed")).status_code == 202
    approved = await client.patch(
        f"/communities/closed/members/{member.handle}",
        json={"status": "active"},
        headers=owner.headers,
    )
    assert approved.status_code == 200, approved.text
    post_id = await _post(client, owner, "closed")
    comment = await client.post(
        f"/posts/{post_id}/comments", json={"body": "This."}, headers=member.headers
    )
    assert comment.status_code == 201, comment.text
    reacted = await client.put(f"/posts/{post_id}/reactions/like", headers=member.headers)
    assert reacted.status_code in (200, 204), reacted.text
    accepted = await client.put(
        f"/posts/{post_id}/accepted-answer",
        json={"comment_id": comment.json()["id"]},
        headers=owner.headers,
    )
    assert accepted.status_code == 200, accepted.text
    reported = await client.post(
        f"/posts/{post_id}/reports", json={"reason": "spam"}, headers=member.headers
    )
    assert reported.status_code == 201, reported.text
    types = {r.type for r in await _events(app)}
    assert {
        "membership.requested",
        "membership.approved",
        "post.created",
        "comment.created",
        "reaction.added",
        "answer.accepted",
        "report.filed",
    } <= types


async def test_a_unit_of_work_that_raises_leaves_no_event(app, client):
    clock = FakeClock(datetime.now(UTC))
    with pytest.raises(RuntimeError):
        async with SqlUnitOfWork(app.state.session_factory) as uow:
            await record(
                uow,
                clock,
                EventType.post_created,
                actor_id=None,
                community_id=None,
                payload={"post_id": str(uuid.uuid4())},
            )
            raise RuntimeError("the change failed after the event was written")
    assert await _events(app) == []


class CommitFails(SqlUnitOfWork):
    async def commit(self) -> None:
        raise ConnectionError("the database went away at commit")


async def test_a_use_case_whose_commit_fails_leaves_neither_the_change_nor_its_event(app, client):
    owner = await register(client, "Owner")
    await create_community(client, owner, "Guild")
    before = await _events(app)
    actor = Actor(uuid.UUID(owner.id))
    with pytest.raises(ConnectionError):
        async with CommitFails(app.state.session_factory) as uow:
            await create_post(
                uow, app.state.clock, actor, "guild", PostDraft(PostKind.question, "Lost?")
            )
    assert await _events(app) == before
    assert await _count(app, "SELECT count(*) FROM post") == 0


async def test_a_refused_request_records_no_event(app, client):
    admin = await register(client, "Ada Admin")
    mentor = await register(client, "Mentor")
    mentee = await register(client, "Mentee")
    created = await client.post("/skills", json={"name": "Python"}, headers=admin.headers)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    held = await client.put(
        f"/me/skills/{slug}", json={"level": 5, "wants_to_teach": True}, headers=mentor.headers
    )
    assert held.status_code == 200, held.text
    offered = await client.put(
        "/me/mentor-profile",
        json={"accepting_mentees": True, "capacity": 3, "timezone": "Europe/Berlin"},
        headers=mentor.headers,
    )
    assert offered.status_code == 200, offered.text
    body = {"mentor": mentor.handle, "skill": slug, "goal": "Learn typing."}
    first = await client.post("/mentorships", json=body, headers=mentee.headers)
    assert first.status_code == 201, first.text
    again = await client.post("/mentorships", json=body, headers=mentee.headers)
    assert_problem(again, 409)
    requested = [r for r in await _events(app) if r.type == "mentorship.requested"]
    assert len(requested) == 1
    inbox = await _inbox(client, mentor)
    assert [n["kind"] for n in inbox] == ["mentorship_requested"]


# --- consumers ----------------------------------------------------------------------------------


async def test_a_second_delivery_of_an_event_notifies_nobody_again(app, client):
    owner = await register(client, "Owner")
    member = await register(client, "Member")
    await create_community(client, owner, "Guild")
    await join(client, member, "guild")
    level = await client.patch(
        "/communities/guild/members/me", json={"notify_level": "all"}, headers=member.headers
    )
    assert level.status_code == 200, level.text
    await _post(client, owner, "guild")
    (event,) = [r for r in await _events(app) if r.type == "post.created"]
    before = await _count(app, "SELECT count(*) FROM notification")
    ran = await handle(
        lambda: SqlUnitOfWork(app.state.session_factory),
        app.state.clock,
        CONSUMERS,
        uuid.UUID(str(event.id)),
    )
    assert ran == 0
    assert await _count(app, "SELECT count(*) FROM notification") == before


# --- failures -----------------------------------------------------------------------------------


class Flaky:
    """A consumer of post.created that fails until told to work."""

    def __init__(self) -> None:
        self.broken = True
        self.calls = 0

    async def __call__(self, uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
        self.calls += 1
        if self.broken:
            raise ValueError("the downstream service is down")


@pytest.fixture
async def flaky_app(
    database_url: str, tmp_path, app: FastAPI
) -> AsyncIterator[tuple[FastAPI, Flaky, httpx.AsyncClient]]:
    flaky = Flaky()
    consumers = (*CONSUMERS, Consumer("test.flaky", frozenset({EventType.post_created}), flaky))
    settings = make_settings(
        database_url, tmp_path, events_retry_attempts=3, metrics_token=METRICS_TOKEN
    )
    application = create_app(settings, consumers=consumers)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t/api/v1", event_hooks=draining(application)
        ) as http:
            yield application, flaky, http


async def _metric(http: httpx.AsyncClient, outcome: str) -> float:
    scraped = await http.get(
        "http://t/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert scraped.status_code == 200
    for line in scraped.text.splitlines():
        if line.startswith(f'leaderful_events_total{{outcome="{outcome}"}}'):
            return float(line.split()[-1])
    raise AssertionError(f"no {outcome} count")


async def test_a_failing_consumer_is_retried_then_dead_lettered_then_replayed(flaky_app):
    _, flaky, http = flaky_app
    admin = await register(http, "Ada Admin")  # the first account of an instance is an admin
    member = await register(http, "Member")
    await create_community(http, admin, "Guild")
    await join(http, member, "guild")
    await _post(http, member, "guild")
    assert flaky.calls == 3  # tried three times in all
    assert await _metric(http, "retried") == 2
    assert await _metric(http, "dead") == 1
    assert await _metric(http, "published") >= 1
    listed = await http.get("/admin/jobs/failed", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    (job,) = listed.json()["items"]
    assert job["event_type"] == "post.created"
    assert job["consumer"] == "test.flaky"
    assert job["attempts"] == 3
    assert "downstream service is down" in job["error"]
    # The other consumers were not held up: the post's notifications exist once.
    handled = await _metric(http, "handled")

    flaky.broken = False
    replayed = await http.post(f"/admin/jobs/failed/{job['id']}/retry", headers=admin.headers)
    assert replayed.status_code == 202, replayed.text
    assert replayed.json() == {"id": job["id"], "event_id": job["event_id"], "status": "queued"}
    assert flaky.calls == 4
    assert await _metric(http, "handled") == handled + 1
    assert (await http.get("/admin/jobs/failed", headers=admin.headers)).json()["items"] == []
    # Replaying what is no longer there: 404.
    again = await http.post(f"/admin/jobs/failed/{job['id']}/retry", headers=admin.headers)
    assert_problem(again, 404)
    assert_problem(
        await http.post(f"/admin/jobs/failed/{uuid.uuid4()}/retry", headers=admin.headers), 404
    )


async def test_failed_jobs_page_by_keyset(app, client):
    admin = await register(client, "Ada Admin")
    clock = FakeClock(datetime.now(UTC))
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        for i in range(5):
            clock.at += timedelta(seconds=1)
            await dead_letter(uow, clock, uuid.uuid4(), "post.created", "x", f"boom {i}", 5)
    seen: list[str] = []
    cursor = None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = (await client.get(f"/admin/jobs/failed{query}", headers=admin.headers)).json()
        seen += [item["error"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"boom {i}" for i in reversed(range(5))]


async def test_failed_jobs_are_for_administrators_only(app, client):
    admin = await register(client, "Ada Admin")
    member = await register(client, "Member")
    some_id = uuid.uuid4()
    assert_problem(await client.get("/admin/jobs/failed"), 401)
    assert_problem(await client.get("/admin/jobs/failed", headers=member.headers), 403)
    assert_problem(
        await client.post(f"/admin/jobs/failed/{some_id}/retry", headers=member.headers), 403
    )
    assert_problem(await client.post(f"/admin/jobs/failed/{some_id}/retry"), 401)
    # An administrator's token without the admin scope is refused too.
    reader = await with_personal_token(client, admin, ["read", "write"])
    assert_problem(await client.get("/admin/jobs/failed", headers=reader.headers), 403)
    assert (await client.get("/admin/jobs/failed", headers=admin.headers)).status_code == 200
    assert_problem(
        await client.post("/admin/jobs/failed/not-an-id/retry", headers=admin.headers), 422
    )


# --- the relay on its own -----------------------------------------------------------------------


async def test_the_relay_delivers_right_after_the_commit_without_anyone_draining(
    database_url, tmp_path, app
):
    settings = make_settings(database_url, tmp_path, events_relay=True, relay_interval_seconds=30)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            owner = await register(http, "Owner")
            member = await register(http, "Member")
            await create_community(http, owner, "Guild")
            await join(http, member, "guild")
            post_id = await _post(http, owner, "guild")
            comment = await http.post(
                f"/posts/{post_id}/comments", json={"body": "Me too"}, headers=member.headers
            )
            assert comment.status_code == 201
            # No drain, and the sweep is 30 s away: the nudge after the commit delivers it.
            for _ in range(100):
                inbox = await _inbox(http, owner)
                if inbox:
                    break
                await asyncio.sleep(0.05)
            assert [n["kind"] for n in inbox] == ["comment_on_post"]


async def test_readyz_reports_an_unreachable_broker(database_url, tmp_path, app):
    settings = make_settings(
        database_url, tmp_path, broker_url="redis://127.0.0.1:1/0", broker_queue="unreachable"
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/readyz")
            assert_problem(response, 503)
            assert "broker" in response.json()["detail"]


# --- retention ----------------------------------------------------------------------------------


async def test_dispatched_events_older_than_a_week_are_pruned(app, client):
    owner = await register(client, "Owner")
    await create_community(client, owner, "Guild")
    await _post(client, owner, "guild")
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        await record(
            uow,
            app.state.clock,
            EventType.post_created,
            actor_id=None,
            community_id=None,
            payload={},
        )
        await uow.commit()  # not relayed (no nudge here): stays undispatched
    events = await _events(app)
    dispatched = [e for e in events if e.dispatched_at is not None]
    assert dispatched and len(events) == len(dispatched) + 1
    marks = await _count(app, "SELECT count(*) FROM processed_event")
    assert marks > 0
    in_six_days = FakeClock(datetime.now(UTC) + timedelta(days=6))
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        assert await prune_events(uow, in_six_days) == 0
    in_eight_days = FakeClock(datetime.now(UTC) + timedelta(days=8))
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        assert await prune_events(uow, in_eight_days) == len(dispatched) + marks
    remaining = await _events(app)
    assert len(remaining) == 1 and remaining[0].dispatched_at is None  # never lose one


async def test_invitations_nominations_endorsements_and_mentorships_record_events(app, client):
    admin = await register(client, "Ada Admin")
    mentor = await register(client, "Mentor")
    mentee = await register(client, "Mentee")
    await create_community(client, admin, "Guild")
    invited = await client.post(
        "/communities/guild/invitations", json={"handle": mentor.handle}, headers=admin.headers
    )
    assert invited.status_code == 201, invited.text
    await join(client, mentee, "guild")
    nominated = await client.post(
        "/communities/guild/nominations",
        json={"handle": mentee.handle, "role": "moderator"},
        headers=admin.headers,
    )
    assert nominated.status_code == 201, nominated.text
    skill = (await client.post("/skills", json={"name": "Go"}, headers=admin.headers)).json()
    held = await client.put(
        f"/me/skills/{skill['slug']}",
        json={"level": 5, "wants_to_teach": True},
        headers=mentor.headers,
    )
    assert held.status_code == 200, held.text
    endorsed = await client.put(
        f"/users/{mentor.handle}/skills/{skill['slug']}/endorsement",
        json={},
        headers=mentee.headers,
    )
    assert endorsed.status_code == 201, endorsed.text
    offered = await client.put(
        "/me/mentor-profile",
        json={"accepting_mentees": True, "capacity": 3, "timezone": "Europe/Berlin"},
        headers=mentor.headers,
    )
    assert offered.status_code == 200, offered.text
    asked = await client.post(
        "/mentorships",
        json={"mentor": mentor.handle, "skill": skill["slug"], "goal": "Concurrency."},
        headers=mentee.headers,
    )
    assert asked.status_code == 201, asked.text
    accepted = await client.post(
        f"/mentorships/{asked.json()['id']}/accept", headers=mentor.headers
    )
    assert accepted.status_code == 200, accepted.text
    types = [r.type for r in await _events(app)]
    for expected in (
        "invitation.created",
        "nomination.created",
        "endorsement.created",
        "mentorship.requested",
        "mentorship.accepted",
    ):
        assert types.count(expected) == 1, (expected, types)
    # The consumers told the same people the requests used to tell, and the endorsed person.
    assert {n["kind"] for n in await _inbox(client, mentor)} == {
        "invitation",
        "endorsement_received",
        "mentorship_requested",
    }
    assert {n["kind"] for n in await _inbox(client, mentee)} == {
        "nomination",
        "mentorship_accepted",
    }
