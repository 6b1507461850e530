"""Idempotency-Key on every write that creates something: a retry answers the first response (same
status, body and Location, `Idempotent-Replayed: true`) and creates nothing more; the same key on
another request is a 422; and the OpenAPI document declares the header exactly where it is
honoured."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text, update

from repositories.tables import metadata
from tests.api.test_mentorship import act, hold, new_skill, offer, requested
from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register
from tests.push_helpers import BrowserSubscription


@dataclass
class Case:
    """One create: what to send, who sends it, the table it adds to, and another request."""

    method: str
    path: str
    who: Account
    table: str
    body: dict[str, Any] | None = None
    other_path: str | None = None
    other_body: dict[str, Any] | None = field(default=None)


async def _community(client: httpx.AsyncClient) -> tuple[Account, Account, str]:
    owner, member = await register(client), await register(client)
    slug = (await create_community(client, owner))["slug"]
    await join(client, member, slug)
    return owner, member, slug


async def _post(client: httpx.AsyncClient, who: Account, slug: str) -> str:
    response = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": "discussion", "title": "Retries", "body": "Are they safe?"},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    post_id: str = response.json()["id"]
    return post_id


async def _comment(client: httpx.AsyncClient, who: Account, post_id: str) -> str:
    response = await client.post(
        f"/posts/{post_id}/comments", json={"body": "They are now."}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def community_case(client: httpx.AsyncClient) -> Case:
    owner = await register(client)
    body = {"name": "Retry Club", "purpose": "Make every retry of every request safe for all."}
    return Case("POST", "/communities", owner, "community", body, other_body={**body, "name": "X"})


async def post_case(client: httpx.AsyncClient) -> Case:
    _, member, slug = await _community(client)
    body = {"kind": "discussion", "title": "Once", "body": "Only once."}
    return Case(
        "POST",
        f"/communities/{slug}/posts",
        member,
        "post",
        body,
        other_body={**body, "title": "2"},
    )


async def comment_case(client: httpx.AsyncClient) -> Case:
    owner, member, slug = await _community(client)
    post_id = await _post(client, owner, slug)
    return Case(
        "POST",
        f"/posts/{post_id}/comments",
        member,
        "comment",
        {"body": "Once"},
        other_body={"body": "Twice"},
    )


async def post_report_case(client: httpx.AsyncClient) -> Case:
    owner, member, slug = await _community(client)
    post_id = await _post(client, owner, slug)
    return Case(
        "POST",
        f"/posts/{post_id}/reports",
        member,
        "report",
        {"reason": "spam"},
        other_body={"reason": "abuse"},
    )


async def comment_report_case(client: httpx.AsyncClient) -> Case:
    owner, member, slug = await _community(client)
    comment_id = await _comment(client, owner, await _post(client, owner, slug))
    return Case(
        "POST",
        f"/comments/{comment_id}/reports",
        member,
        "report",
        {"reason": "spam"},
        other_body={"reason": "other"},
    )


async def join_case(client: httpx.AsyncClient) -> Case:
    owner, joiner = await register(client), await register(client)
    slug = (await create_community(client, owner, "Joiners"))["slug"]
    other = (await create_community(client, owner, "Others"))["slug"]
    return Case(
        "POST",
        f"/communities/{slug}/members",
        joiner,
        "community_member",
        other_path=f"/communities/{other}/members",
    )


async def invitation_case(client: httpx.AsyncClient) -> Case:
    owner, guest, other = await register(client), await register(client), await register(client)
    slug = (await create_community(client, owner, visibility="private", join_policy="invite"))[
        "slug"
    ]
    return Case(
        "POST",
        f"/communities/{slug}/invitations",
        owner,
        "community_invitation",
        {"handle": guest.handle},
        other_body={"handle": other.handle},
    )


async def nomination_case(client: httpx.AsyncClient) -> Case:
    _, member, slug = await _community(client)
    peer = await register(client)
    await join(client, peer, slug)
    return Case(
        "POST",
        f"/communities/{slug}/nominations",
        member,
        "community_nomination",
        {"handle": peer.handle, "role": "moderator", "reason": "Always helps"},
        other_body={"handle": peer.handle, "role": "steward"},
    )


async def reaction_case(client: httpx.AsyncClient) -> Case:
    owner, member, slug = await _community(client)
    post_id = await _post(client, owner, slug)
    return Case(
        "PUT",
        f"/posts/{post_id}/reactions/like",
        member,
        "reaction",
        other_path=f"/posts/{post_id}/reactions/helpful",
    )


async def comment_reaction_case(client: httpx.AsyncClient) -> Case:
    owner, member, slug = await _community(client)
    comment_id = await _comment(client, owner, await _post(client, owner, slug))
    return Case(
        "PUT",
        f"/comments/{comment_id}/reactions/insightful",
        member,
        "reaction",
        other_path=f"/comments/{comment_id}/reactions/like",
    )


async def skill_case(client: httpx.AsyncClient) -> Case:
    who = await register(client)
    return Case("POST", "/skills", who, "skill", {"name": "Retrying"}, other_body={"name": "Other"})


async def endorsement_case(client: httpx.AsyncClient) -> Case:
    expert, fan = await register(client), await register(client)
    skill = await new_skill(client, expert, "Backoff")
    await hold(client, expert, skill, 4)
    return Case(
        "PUT",
        f"/users/{expert.handle}/skills/{skill}/endorsement",
        fan,
        "endorsement",
        {"note": "Knows it"},
        other_body={"note": "Changed my mind"},
    )


async def goal_case(client: httpx.AsyncClient) -> Case:
    who = await register(client)
    skill = await new_skill(client, who, "Jitter")
    return Case(
        "POST",
        "/me/learning-goals",
        who,
        "learning_goal",
        {"skill": skill, "target_level": 3},
        other_body={"skill": skill, "target_level": 4},
    )


async def _mentorship(client: httpx.AsyncClient) -> tuple[Account, Account, str]:
    admin, mentor, mentee = await register(client), await register(client), await register(client)
    skill = await new_skill(client, admin, "Timeouts")
    await hold(client, mentor, skill, 5)
    await offer(client, mentor, capacity=3)
    return mentor, mentee, skill


async def mentorship_case(client: httpx.AsyncClient) -> Case:
    mentor, mentee, skill = await _mentorship(client)
    body = {"mentor": mentor.handle, "skill": skill, "goal": "Retry well"}
    return Case(
        "POST", "/mentorships", mentee, "mentorship", body, other_body={**body, "goal": "Other"}
    )


async def session_case(client: httpx.AsyncClient) -> Case:
    mentor, mentee, skill = await _mentorship(client)
    asked = await requested(client, mentee, mentor, skill)
    assert (await act(client, mentor, asked["id"], "accept")).status_code == 200
    body = {"held_on": date.today().isoformat(), "minutes": 30}
    return Case(
        "POST",
        f"/mentorships/{asked['id']}/sessions",
        mentee,
        "mentorship_session",
        body,
        other_body={**body, "minutes": 45},
    )


async def feedback_case(client: httpx.AsyncClient) -> Case:
    mentor, mentee, skill = await _mentorship(client)
    asked = await requested(client, mentee, mentor, skill)
    assert (await act(client, mentor, asked["id"], "accept")).status_code == 200
    assert (await act(client, mentor, asked["id"], "complete")).status_code == 200
    return Case(
        "POST",
        f"/mentorships/{asked['id']}/feedback",
        mentee,
        "mentorship_feedback",
        {"rating": 5},
        other_body={"rating": 4},
    )


async def device_case(client: httpx.AsyncClient) -> Case:
    who = await register(client)
    subscription = BrowserSubscription.new("https://push.example.com/send/retry").json()
    return Case(
        "POST",
        "/me/devices",
        who,
        "push_device",
        {"platform": "webpush", "subscription": subscription},
        other_body={"platform": "fcm", "token": "f" * 40},
    )


CASES: dict[str, Callable[[httpx.AsyncClient], Awaitable[Case]]] = {
    "community": community_case,
    "post": post_case,
    "comment": comment_case,
    "post report": post_report_case,
    "comment report": comment_report_case,
    "join": join_case,
    "invitation": invitation_case,
    "nomination": nomination_case,
    "post reaction": reaction_case,
    "comment reaction": comment_reaction_case,
    "skill": skill_case,
    "endorsement": endorsement_case,
    "learning goal": goal_case,
    "mentorship request": mentorship_case,
    "mentorship session": session_case,
    "mentorship feedback": feedback_case,
    "device": device_case,
}


async def rows(app: FastAPI, table: str) -> int:
    async with app.state.engine.connect() as connection:
        return int((await connection.execute(text(f'SELECT COUNT(*) FROM "{table}"'))).scalar_one())


@pytest.mark.parametrize("name", list(CASES))
async def test_a_retry_with_the_same_key_replays_the_first_response(
    app: FastAPI, client: httpx.AsyncClient, name: str
):
    case = await CASES[name](client)
    headers = {**case.who.headers, "Idempotency-Key": f"retry-{name}"}
    before = await rows(app, case.table)
    first = await client.request(case.method, case.path, json=case.body, headers=headers)
    assert 200 <= first.status_code < 300, first.text
    assert "idempotent-replayed" not in first.headers
    again = await client.request(case.method, case.path, json=case.body, headers=headers)
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers.get("location") == first.headers.get("location")
    assert await rows(app, case.table) == before + 1

    # The same key on another request is refused, and changes nothing.
    other = await client.request(
        case.method,
        case.other_path or case.path,
        json=case.other_body if case.other_body is not None else case.body,
        headers=headers,
    )
    problem = assert_problem(other, 422)
    assert problem["errors"] == [
        {
            "loc": ["header", "idempotency-key"],
            "msg": "This Idempotency-Key was used with a different request.",
            "type": "idempotency_key_reused",
        }
    ]
    assert await rows(app, case.table) == before + 1


async def test_a_failed_create_frees_its_key_and_keys_belong_to_one_account(client):
    owner, member, slug = await _community(client)
    post_id = await _post(client, owner, slug)
    comments = f"/posts/{post_id}/comments"
    headers = {**member.headers, "Idempotency-Key": "comment-1"}
    bad_parent = {"body": "Reply", "parent_id": "00000000-0000-4000-8000-000000000000"}
    assert_problem(await client.post(comments, json=bad_parent, headers=headers), 422)
    fixed = await client.post(comments, json={"body": "Reply"}, headers=headers)
    assert fixed.status_code == 201 and "idempotent-replayed" not in fixed.headers
    # Another account's identical key is its own.
    mine = await client.post(
        comments, json={"body": "Reply"}, headers={**owner.headers, "Idempotency-Key": "comment-1"}
    )
    assert mine.status_code == 201 and "idempotent-replayed" not in mine.headers
    assert mine.json()["id"] != fixed.json()["id"]


def _declares_key(operation: dict[str, Any]) -> bool:
    return any(
        p["in"] == "header" and p["name"].lower() == "idempotency-key"
        for p in operation.get("parameters", [])
    )


# Creates that deliberately do not take a key. Sign-up has no account to own the key yet, its
# retry is safe without one (the second is a 409 for the taken address; signing in then gets the
# account), and replaying it would hand out the same session tokens twice. A stream ticket is a
# single-use credential valid for a minute and creates nothing lasting: a replay would answer a
# ticket that may be used already, while a plain retry just gets a fresh one.
NOT_IDEMPOTENT = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/me/notifications/stream-ticket"),
    ("post", "/api/v1/notifications/stream-ticket"),
    # A repeated upload leaves only an unattached copy, which only its uploader sees and which
    # is removed after a day; replaying a multipart body's answer buys nothing.
    ("post", "/api/v1/uploads"),
}


async def test_the_document_declares_the_header_on_every_create(app: FastAPI):
    document = app.openapi()
    declared = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if _declares_key(operation):
                declared.add((method, path))
                for code, response in operation["responses"].items():
                    if code.startswith("2"):
                        assert "Idempotent-Replayed" in response["headers"], (method, path, code)
            elif method == "post" and "201" in operation["responses"]:
                assert (method, path) in NOT_IDEMPOTENT, f"{method} {path} ignores the key"
    assert declared >= HONOURED


# The routes the replay test above covers (a case per route).
HONOURED = {
    ("post", "/api/v1/me/devices"),
    ("post", "/api/v1/communities"),
    ("post", "/api/v1/communities/{slug}/posts"),
    ("post", "/api/v1/posts/{post_id}/comments"),
    ("post", "/api/v1/posts/{post_id}/reports"),
    ("post", "/api/v1/comments/{comment_id}/reports"),
    ("post", "/api/v1/communities/{slug}/members"),
    ("post", "/api/v1/communities/{slug}/invitations"),
    ("post", "/api/v1/communities/{slug}/nominations"),
    ("put", "/api/v1/posts/{post_id}/reactions/{kind}"),
    ("put", "/api/v1/comments/{comment_id}/reactions/{kind}"),
    ("post", "/api/v1/skills"),
    ("put", "/api/v1/users/{handle}/skills/{slug}/endorsement"),
    ("post", "/api/v1/me/learning-goals"),
    ("post", "/api/v1/mentorships"),
    ("post", "/api/v1/mentorships/{mentorship_id}/sessions"),
    ("post", "/api/v1/mentorships/{mentorship_id}/feedback"),
}


async def test_a_claim_left_without_an_answer_is_taken_over_after_a_while(app: FastAPI, client):
    """A create that lost the database after claiming its key (the process died, or its 503 could
    not free the key) must not answer "still being processed" to every retry for ever."""
    owner, member, slug = await _community(client)
    post_id = await _post(client, owner, slug)
    comments = f"/posts/{post_id}/comments"
    headers = {**member.headers, "Idempotency-Key": "lost-1"}
    first = await client.post(comments, json={"body": "Reply"}, headers=headers)
    assert first.status_code == 201

    async def leave_pending(age: timedelta) -> None:
        keys = metadata.tables["idempotency_key"]
        async with app.state.engine.begin() as connection:
            await connection.execute(
                update(keys)
                .where(keys.c.key == "lost-1")
                .values(
                    status_code=None,
                    body=None,
                    location=None,
                    created_at=datetime.now(UTC) - age,
                )
            )

    # Recently claimed and unanswered: the first request may still be running.
    await leave_pending(timedelta(seconds=5))
    busy = await client.post(comments, json={"body": "Reply"}, headers=headers)
    assert_problem(busy, 409)
    # Long unanswered: the retry takes the key over and gets an answer, which is then replayed.
    await leave_pending(timedelta(minutes=10))
    retried = await client.post(comments, json={"body": "Reply"}, headers=headers)
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers
    replayed = await client.post(comments, json={"body": "Reply"}, headers=headers)
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json()["id"] == retried.json()["id"]
