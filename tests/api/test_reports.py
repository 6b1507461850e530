"""Reports: one open report per reporter and target (a repeat answers the open one and
notifies nobody again, also when the repeats race), and the resolution answers the excerpt the
queue shows."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from tests.api.test_posts import _post, _setup
from tests.communities_helpers import join, make_role
from tests.helpers import register


async def report_notifications(app: FastAPI) -> int:
    async with app.state.engine.connect() as connection:
        result = await connection.execute(
            # Reports in one community group into one line per leader: count the events.
            text(
                "SELECT COALESCE(SUM(group_count), 0) FROM notification WHERE kind = 'report_filed'"
            )
        )
        return int(result.scalar_one())


async def open_reports(app: FastAPI) -> int:
    async with app.state.engine.connect() as connection:
        result = await connection.execute(text("SELECT COUNT(*) FROM report WHERE status = 'open'"))
        return int(result.scalar_one())


async def test_a_repeated_report_answers_the_open_one(app: FastAPI, client: httpx.AsyncClient):
    owner, member = await _setup(client)
    moderator = await register(client)
    await join(client, moderator, "python-guild")
    await make_role(client, owner, "python-guild", moderator, "moderator")
    post = await _post(client, owner)
    reports = f"/posts/{post['id']}/reports"
    first = await client.post(reports, json={"reason": "spam"}, headers=member.headers)
    assert first.status_code == 201, first.text
    assert await report_notifications(app) == 2  # the steward and the moderator
    for body in ({"reason": "spam"}, {"reason": "abuse", "detail": "and rude"}):
        again = await client.post(reports, json=body, headers=member.headers)
        assert again.status_code == 200, again.text
        assert again.json() == first.json()
    assert await report_notifications(app) == 2
    assert await open_reports(app) == 1
    # Someone else may report the same post; the same person may report another target.
    other = await client.post(reports, json={"reason": "spam"}, headers=moderator.headers)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    comment = await client.post(
        f"/posts/{post['id']}/comments", json={"body": "Spam below"}, headers=owner.headers
    )
    on_comment = await client.post(
        f"/comments/{comment.json()['id']}/reports", json={"reason": "spam"}, headers=member.headers
    )
    assert on_comment.status_code == 201
    assert await open_reports(app) == 3
    # Once resolved, a new report on the same post is a new report.
    resolved = await client.post(
        f"/reports/{first.json()['id']}/resolve", json={"action": "dismiss"}, headers=owner.headers
    )
    assert resolved.status_code == 200, resolved.text
    anew = await client.post(reports, json={"reason": "spam"}, headers=member.headers)
    assert anew.status_code == 201 and anew.json()["id"] != first.json()["id"]


async def test_racing_duplicate_reports_end_as_one(app: FastAPI, client: httpx.AsyncClient):
    owner, member = await _setup(client)
    post = await _post(client, owner)
    comment = await client.post(
        f"/posts/{post['id']}/comments", json={"body": "Hmm"}, headers=owner.headers
    )
    for target in (f"/posts/{post['id']}", f"/comments/{comment.json()['id']}"):
        responses = await asyncio.gather(
            *(
                client.post(f"{target}/reports", json={"reason": "spam"}, headers=member.headers)
                for _ in range(10)
            )
        )
        assert Counter(r.status_code for r in responses) == {201: 1, 200: 9}, [
            r.text for r in responses if r.status_code >= 300
        ]
        assert len({r.json()["id"] for r in responses}) == 1
    assert await open_reports(app) == 2
    assert await report_notifications(app) == 2  # one per target for the single steward


async def test_the_resolution_answers_the_excerpt_the_queue_shows(client: httpx.AsyncClient):
    owner, member = await _setup(client)
    post = await _post(client, owner, title="Buy cheap watches")
    long_body = "Visit my shop " * 30
    comment = await client.post(
        f"/posts/{post['id']}/comments", json={"body": long_body}, headers=owner.headers
    )
    await client.post(
        f"/posts/{post['id']}/reports", json={"reason": "spam"}, headers=member.headers
    )
    await client.post(
        f"/comments/{comment.json()['id']}/reports", json={"reason": "spam"}, headers=member.headers
    )
    queue = (await client.get("/communities/python-guild/reports", headers=owner.headers)).json()
    excerpts = {item["target_type"]: item["excerpt"] for item in queue["items"]}
    assert excerpts == {"post": "Buy cheap watches", "comment": long_body[:200]}
    for item in queue["items"]:
        resolved = await client.post(
            f"/reports/{item['id']}/resolve",
            json={"action": "remove_content"},
            headers=owner.headers,
        )
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["excerpt"] == item["excerpt"] != ""
