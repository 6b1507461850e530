"""Community health over time: weekly rollups kept by the health job, read by whoever can see
the community; the organisation's overview shows private numbers to administrators only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from domain.clock import SystemClock
from domain.insights.service import RANKED, refresh_health
from repositories.unit_of_work import SqlUnitOfWork
from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register


async def run_health_job(app: FastAPI) -> int:
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        return await refresh_health(uow, SystemClock())


async def ask(client: httpx.AsyncClient, who: Account, slug: str, kind: str = "question") -> str:
    body = {"title": "How do we page?", "body": "Details", "kind": kind}
    response = await client.post(f"/communities/{slug}/posts", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    post_id: str = response.json()["id"]
    return post_id


async def answer_and_accept(
    client: httpx.AsyncClient, asker: Account, helper: Account, post_id: str
) -> None:
    comment = await client.post(
        f"/posts/{post_id}/comments", json={"body": "Like this."}, headers=helper.headers
    )
    assert comment.status_code == 201, comment.text
    accepted = await client.put(
        f"/posts/{post_id}/accepted-answer",
        json={"comment_id": comment.json()["id"]},
        headers=asker.headers,
    )
    assert accepted.status_code == 200, accepted.text


async def world(client: httpx.AsyncClient) -> tuple[Account, Account, Account, Account]:
    admin = await register(client)  # the first account of an instance administers it
    owner, member, outsider = await register(client), await register(client), await register(client)
    await create_community(client, owner, "Open Guild")
    await join(client, member, "open-guild")
    await create_community(client, owner, "Secret Room", visibility="private", join_policy="invite")
    await client.post(
        "/communities/secret-room/invitations",
        json={"handle": member.handle},
        headers=owner.headers,
    )
    await join(client, member, "secret-room")
    question = await ask(client, member, "open-guild")
    await answer_and_accept(client, member, owner, question)
    for _ in range(3):
        hidden = await ask(client, member, "secret-room")
        await answer_and_accept(client, member, owner, hidden)
    return admin, owner, member, outsider


async def test_the_weekly_series_comes_from_the_rollup_and_follows_writes(app, client):
    admin, owner, member, outsider = await world(client)
    before = await client.get("/communities/open-guild/health", headers=outsider.headers)
    assert before.status_code == 200
    assert before.json()["weeks"] == []  # nothing rolled up yet: requests never count rows
    assert await run_health_job(app) >= 1
    health = (await client.get("/communities/open-guild/health", headers=outsider.headers)).json()
    assert health["community"] == {"slug": "open-guild", "name": "Open Guild", "is_private": False}
    this_week = health["weeks"][-1]
    monday = datetime.now(UTC).date().isocalendar()
    assert datetime.fromisoformat(this_week["week_start"]).isocalendar()[:2] == monday[:2]
    assert this_week["members"] == 2
    assert this_week["posts"] == this_week["questions"] == 1
    assert this_week["answered_share"] == 1.0
    assert this_week["median_first_response_minutes"] is not None
    assert this_week["contributors"] == this_week["active_members"] == 2
    # The owner started the community (two acts) and gave the accepted answer.
    assert this_week["leaders"] == 1
    assert this_week["index"] == {
        "share": 0.5,
        "concentration": 1.0,
        "active_members": 2,
        "leaders": 1,
        "acts": 3,
    }
    # A write shows after the next run of the job, not before.
    await ask(client, owner, "open-guild", "discussion")
    unchanged = (await client.get("/communities/open-guild/health", headers=owner.headers)).json()
    assert unchanged["weeks"][-1]["posts"] == 1
    await run_health_job(app)
    after = (await client.get("/communities/open-guild/health", headers=owner.headers)).json()
    assert after["weeks"][-1]["posts"] == 2
    # A community has no weeks before it started; the organisation's past weeks are filled in,
    # a few per run.
    assert len(after["weeks"]) == 1
    overview = (await client.get("/insights/health", headers=admin.headers)).json()
    assert len(overview["weeks"]) > 2
    # Private communities: members see their health, anyone else gets 404.
    secret = await client.get("/communities/secret-room/health", headers=member.headers)
    assert secret.json()["weeks"][-1]["posts"] == 3
    assert_problem(
        await client.get("/communities/secret-room/health", headers=outsider.headers), 404
    )
    # Administrators see the whole organisation.
    assert (await client.get("/communities/secret-room/health", headers=admin.headers)).is_success


async def test_private_numbers_never_reach_the_organisation_totals_of_non_administrators(
    app, client
):
    admin, owner, member, outsider = await world(client)
    await run_health_job(app)
    everything = (await client.get("/insights/health", headers=admin.headers)).json()
    assert everything["scope"] == "all"
    assert everything["weeks"][-1]["posts"] == 4
    assert everything["weeks"][-1]["questions"] == 4
    assert {r["community"]["slug"] for r in everything["by_index"]} == {"open-guild", "secret-room"}
    for viewer in (outsider, member, owner):
        public = await client.get("/insights/health", headers=viewer.headers)
        assert public.status_code == 200
        body = public.json()
        assert body["scope"] == "public"
        week = body["weeks"][-1]
        assert (week["posts"], week["questions"], week["active_members"]) == (1, 1, 2)
        # Members of the private community are not counted as members through it either.
        assert week["members"] == 2
        assert [r["community"]["slug"] for r in body["by_index"]] == ["open-guild"]
        assert "secret-room" not in json.dumps(body)
        assert "Secret Room" not in json.dumps(body)


async def test_refusals_and_constant_reads(app, client, count_statements):
    _, owner, member, _ = await world(client)
    for _ in range(3):
        await run_health_job(app)
    counts = {}
    for weeks in (1, 26, 52):
        count_statements.statements.clear()
        response = await client.get(
            f"/communities/open-guild/health?weeks={weeks}", headers=member.headers
        )
        assert response.status_code == 200
        counts[("community", weeks)] = count_statements.count
        count_statements.statements.clear()
        assert (
            await client.get(f"/insights/health?weeks={weeks}", headers=owner.headers)
        ).status_code == 200
        counts[("organisation", weeks)] = count_statements.count
    assert counts[("community", 1)] == counts[("community", 26)] == counts[("community", 52)] <= 4
    assert counts[("organisation", 1)] == counts[("organisation", 52)] <= 4
    for bad in ("0", "53", "many"):
        assert_problem(
            await client.get(f"/communities/open-guild/health?weeks={bad}", headers=owner.headers),
            422,
        )
        assert_problem(
            await client.get(f"/insights/health?weeks={bad}", headers=owner.headers), 422
        )
    assert_problem(await client.get("/communities/nowhere/health", headers=owner.headers), 404)
    assert_problem(await client.get("/insights/health"), 401)


async def test_rankings_show_the_change_over_four_weeks_and_stay_short(app, client):
    admin, owner, _, _ = await world(client)
    for n in range(RANKED + 2):  # more communities than a ranking shows
        await create_community(client, owner, f"Quiet Circle {n}")
    async with app.state.session_factory() as session:  # all of them started two months ago
        await session.execute(
            text("UPDATE community SET created_at = :at"),
            {"at": datetime.now(UTC) - timedelta(days=60)},
        )
        await session.commit()
    # The current week first, then earlier weeks four at a time (each run), so the week four
    # weeks back is stored after the current one: its change is filled in when it arrives.
    for _ in range(3):
        await run_health_job(app)
    body = (await client.get("/insights/health", headers=admin.headers)).json()
    assert len(body["by_index"]) == RANKED
    assert len(body["by_change"]) == RANKED
    shares = [r["share"] for r in body["by_index"]]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0
    # Four weeks ago nobody had done anything anywhere: each rise is the whole share now.
    changes = [r["change"] for r in body["by_change"]]
    assert changes == sorted(changes, reverse=True)
    assert all(r["change"] == round(r["share"], 4) for r in body["by_change"])
