"""Mentorship invariants that need the real database: expiry with a fake clock (and the periodic
jobs that run it), and capacity and uniqueness under truly concurrent requests (PostgreSQL
row locks)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from api.jobs import DEFAULT_JOBS, Job, run_jobs_once
from domain.mentorship.service import expire_requests
from repositories.unit_of_work import SqlUnitOfWork
from tests.api.test_mentorship import act, ask, hold, new_skill, offer, requested
from tests.conftest import BACKEND
from tests.helpers import register

POSTGRES_ONLY = pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


async def _setup(client, capacity: int = 5):
    admin = await register(client, "Ada Admin")
    mentor = await register(client, "Mo Mentor")
    skill = await new_skill(client, admin, "Python")
    await hold(client, mentor, skill, 5)
    await offer(client, mentor, capacity=capacity)
    return admin, mentor, skill


async def test_unanswered_requests_expire_after_fourteen_days(app: FastAPI, client):
    _, mentor, skill = await _setup(client)
    mentees = [await register(client) for _ in range(3)]
    waiting = await requested(client, mentees[0], mentor, skill)
    answered = await requested(client, mentees[1], mentor, skill)
    withdrawn = await requested(client, mentees[2], mentor, skill)
    await act(client, mentor, answered["id"], "accept")
    await act(client, mentees[2], withdrawn["id"], "cancel")
    created = datetime.fromisoformat(waiting["created_at"])

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(app.state.session_factory)

    async def run(at: datetime) -> int:
        async with uow() as unit:
            return await expire_requests(unit, FakeClock(at))

    assert await run(created + timedelta(days=13, hours=23)) == 0
    assert await run(created + timedelta(days=14, seconds=1)) == 1
    assert await run(created + timedelta(days=30)) == 0  # nothing left to expire

    async def status(mentorship_id: str):
        response = await client.get(f"/mentorships/{mentorship_id}", headers=mentor.headers)
        return response.json()

    expired = await status(waiting["id"])
    assert expired["status"] == "cancelled" and expired["decline_reason"] == "expired"
    assert expired["responded_at"] is None
    assert (await status(answered["id"]))["status"] == "active"
    assert (await status(withdrawn["id"]))["decline_reason"] is None
    late = await act(client, mentor, waiting["id"], "accept")
    assert late.status_code == 409
    # The pair may ask again once the old request expired.
    assert (await ask(client, mentees[0], mentor, skill)).status_code == 201

    # The periodic jobs run the same service (and the others) with their clock.
    later = created + timedelta(days=40)
    counts = await run_jobs_once(uow, FakeClock(later), DEFAULT_JOBS)
    assert counts.pop("prune_events") > 0  # this test's events, dispatched 40 days before
    assert counts.pop("refresh_health") >= 1  # the health rollups' current week, at least
    assert counts.pop("prune_sync_changes") > 0  # the change log of this test's writes
    counts.pop("refresh_skill_insights")  # rollups of whatever the test wrote
    assert counts == {
        "expire_mentorship_requests": 1,
        "expire_steward_terms": 0,
        "prune_notifications": 0,
        "nudge_questions": 0,
    }


async def test_expiry_works_in_batches(app: FastAPI, client):
    _, mentor, skill = await _setup(client)
    for _ in range(5):
        await requested(client, await register(client), mentor, skill)
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        later = FakeClock(datetime.now(UTC) + timedelta(days=15))
        assert await expire_requests(uow, later, batch=2) == 5


async def test_a_failing_job_is_logged_and_the_others_still_run(app: FastAPI, caplog):
    calls: list[str] = []

    async def fine(uow, clock) -> int:
        calls.append("fine")
        return 2

    async def broken(uow, clock) -> int:
        calls.append("broken")
        raise RuntimeError("boom")

    every = timedelta(minutes=1)
    jobs = [Job("broken", broken, every=every), Job("fine", fine, every=every)]
    logger = logging.getLogger("leaderful")  # does not propagate: listen to it directly
    logger.addHandler(caplog.handler)
    try:
        results = await run_jobs_once(
            lambda: SqlUnitOfWork(app.state.session_factory), FakeClock(datetime.now(UTC)), jobs
        )
    finally:
        logger.removeHandler(caplog.handler)
    assert results == {"broken": -1, "fine": 2}
    assert calls == ["broken", "fine"]
    assert any(r.message == "periodic job failed" and r.exc_info for r in caplog.records)


@POSTGRES_ONLY
async def test_two_accepts_for_the_last_place_give_one_mentorship(client):
    _, mentor, skill = await _setup(client, capacity=1)
    for _ in range(5):
        mentees = [await register(client), await register(client)]
        asks = [await requested(client, m, mentor, skill) for m in mentees]
        results = await asyncio.gather(*(act(client, mentor, a["id"], "accept") for a in asks))
        assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
        profile = (await client.get("/me/mentor-profile", headers=mentor.headers)).json()
        assert profile["active_mentees"] == 1 and profile["open_slots"] == 0
        active = (
            await client.get("/mentorships?role=mentor&status=active", headers=mentor.headers)
        ).json()["items"]
        assert len(active) == 1
        # Free the place for the next round.
        assert (await act(client, mentor, active[0]["id"], "complete")).status_code == 200
        for a in asks:
            await act(client, mentor, a["id"], "decline")


@POSTGRES_ONLY
async def test_the_same_request_accepted_twice_at_once_counts_once(client):
    _, mentor, skill = await _setup(client, capacity=3)
    mentee = await register(client)
    ask_once = await requested(client, mentee, mentor, skill)
    results = await asyncio.gather(
        act(client, mentor, ask_once["id"], "accept"),
        act(client, mentor, ask_once["id"], "accept"),
        act(client, mentee, ask_once["id"], "cancel"),
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409, 409], [r.text for r in results]
    profile = (await client.get("/me/mentor-profile", headers=mentor.headers)).json()
    final = (await client.get(f"/mentorships/{ask_once['id']}", headers=mentor.headers)).json()
    assert profile["active_mentees"] == (1 if final["status"] == "active" else 0)


@POSTGRES_ONLY
async def test_concurrent_duplicate_requests_create_one(client):
    _, mentor, skill = await _setup(client)
    mentee = await register(client)
    results = await asyncio.gather(*(ask(client, mentee, mentor, skill) for _ in range(4)))
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
