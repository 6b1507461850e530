"""Leadership invariants that need the real database: terms with a fake clock, and the
last-steward rule under truly concurrent requests (PostgreSQL row locks)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI

from domain.communities.service import expire_steward_terms
from repositories.unit_of_work import SqlUnitOfWork
from tests.communities_helpers import create_community, join, make_role
from tests.conftest import BACKEND
from tests.helpers import register


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


async def _stewards(client, slug, viewer):
    page = (
        await client.get(f"/communities/{slug}/members?role=steward", headers=viewer.headers)
    ).json()
    return {m["user"]["handle"]: m for m in page["items"]}


async def test_terms_expire_except_for_the_last_steward(app: FastAPI, client):
    first = await register(client, "First Steward")
    second = await register(client, "Second Steward")
    member = await register(client, "Plain Member")
    await create_community(client, first, "Terms", steward_term_days=30)
    await join(client, second, "terms")
    await join(client, member, "terms")
    await make_role(client, first, "terms", second, "steward")
    stewards = await _stewards(client, "terms", member)
    first_end = datetime.fromisoformat(stewards[first.handle]["term_ends_at"])
    second_end = datetime.fromisoformat(stewards[second.handle]["term_ends_at"])
    assert second_end > first_end
    between = first_end + (second_end - first_end) / 2

    async def listed_term_end() -> datetime | None:
        # What a member sees on the community (and on its card in lists): the first term end.
        for path in ("/communities/terms", "/communities?member=me"):
            r = await client.get(path, headers=member.headers)
            assert r.status_code == 200, r.text
            body = r.json()
            community = body if "slug" in body else body["items"][0]
            value = community["steward_term_ends_at"]
        return datetime.fromisoformat(value) if value else None

    assert await listed_term_end() == first_end

    async def run_job(at: datetime) -> int:
        async with SqlUnitOfWork(app.state.session_factory) as uow:
            return await expire_steward_terms(uow, FakeClock(at))

    assert await run_job(datetime.now(UTC)) == 0  # nothing has expired yet
    # Between the two ends: the first steward returns to member, the second remains.
    assert await run_job(between) == 1
    assert set(await _stewards(client, "terms", member)) == {second.handle}
    assert await listed_term_end() == second_end
    # After the last end: the last steward stays, with a renewed term, and members are told.
    assert await run_job(second_end + timedelta(seconds=1)) == 1
    remaining = await _stewards(client, "terms", member)
    assert set(remaining) == {second.handle}
    renewed = datetime.fromisoformat(remaining[second.handle]["term_ends_at"])
    assert renewed > second_end
    assert await listed_term_end() == renewed
    log = (await client.get("/communities/terms/audit-log", headers=member.headers)).json()["items"]
    assert [e["action"] for e in log[:2]] == ["term_renewed", "term_ended"]
    await app.state.events.drain()  # the members are told by the event's consumer
    async with app.state.engine.connect() as connection:
        kinds = (
            await connection.exec_driver_sql(
                "SELECT kind FROM notification WHERE kind = 'nominations_open'"
            )
        ).all()
    assert len(kinds) == 3  # every active member, the stewards included


async def test_a_community_without_terms_has_no_term_end(client):
    owner = await register(client, "Open Owner")
    steward = await register(client, "Second Steward")
    await create_community(client, owner, "No Terms")
    await join(client, steward, "no-terms")
    await make_role(client, owner, "no-terms", steward, "steward")
    community = (await client.get("/communities/no-terms", headers=owner.headers)).json()
    assert community["steward_term_ends_at"] is None


async def test_a_leaving_steward_takes_their_term_end_along(client):
    first = await register(client, "First Steward")
    second = await register(client, "Second Steward")
    await create_community(client, first, "Leaving", steward_term_days=30)
    await join(client, second, "leaving")
    await make_role(client, first, "leaving", second, "steward")
    stewards = await _stewards(client, "leaving", second)
    first_end = stewards[first.handle]["term_ends_at"]
    second_end = stewards[second.handle]["term_ends_at"]
    community = (await client.get("/communities/leaving", headers=second.headers)).json()
    assert community["steward_term_ends_at"] == first_end
    left = await client.delete("/communities/leaving/members/me", headers=first.headers)
    assert left.status_code == 204, left.text
    community = (await client.get("/communities/leaving", headers=second.headers)).json()
    assert community["steward_term_ends_at"] == second_end


@pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)
async def test_two_last_but_one_stewards_leaving_at_once_keep_one(app: FastAPI, client):
    for round_ in range(5):
        a = await register(client)
        b = await register(client)
        slug = f"race-{round_}"
        await create_community(client, a, f"Race {round_}")
        await join(client, b, slug)
        await make_role(client, a, slug, b, "steward")
        results = await asyncio.gather(
            client.delete(f"/communities/{slug}/members/me", headers=a.headers),
            client.delete(f"/communities/{slug}/members/me", headers=b.headers),
        )
        assert sorted(r.status_code for r in results) == [204, 409]
        viewer = await register(client)
        assert len(await _stewards(client, slug, viewer)) == 1
