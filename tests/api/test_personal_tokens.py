"""Personal access tokens as credentials for integrations: they never manage credentials, they
carry administrator powers only when created with `admin`, their creation is capped, and their
last use is recorded to the minute."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from auth import personal_tokens
from auth.principal import Principal
from domain.errors import RateLimited
from domain.users.model import Scope
from repositories.tables import metadata
from repositories.unit_of_work import SqlUnitOfWork
from repositories.users.tables import PersonalAccessToken
from tests.api.test_mentorship import hold, new_skill, offer, requested
from tests.communities_helpers import create_community, join
from tests.conftest import BACKEND
from tests.helpers import Account, assert_problem, register, with_personal_token

pat_table = PersonalAccessToken.__table__  # type: ignore[attr-defined]


async def token_names(client, account: Account) -> list[str]:
    response = await client.get("/me/tokens?limit=100", headers=account.headers)
    assert response.status_code == 200, response.text
    return [t["name"] for t in response.json()["items"]]


# --- a personal token never manages credentials (issue 17, item 1) ----------------------------


async def test_an_admins_read_write_token_cannot_mint_an_admin_token(client):
    admin = await register(client, "Ada Admin")  # first account: administrator
    integration = await with_personal_token(client, admin, ["read", "write"])
    minted = await client.post(
        "/me/tokens",
        json={"name": "x", "scopes": ["admin", "read", "write"]},
        headers=integration.headers,
    )
    problem = assert_problem(minted, 403)
    assert "session" in problem["detail"] and problem["code"] == "session_required"
    assert await token_names(client, admin) == ["integration"]


async def test_a_write_only_token_cannot_mint_a_read_write_token(client):
    await register(client)  # the admin
    member = await register(client)
    writer = await with_personal_token(client, member, ["write"])
    minted = await client.post(
        "/me/tokens", json={"name": "x", "scopes": ["read", "write"]}, headers=writer.headers
    )
    assert_problem(minted, 403)
    assert await token_names(client, member) == ["integration"]


async def test_a_personal_token_cannot_list_revoke_or_change_the_password(client):
    member = await register(client)
    full = await with_personal_token(client, member, ["read", "write"])
    token_id = (await client.get("/me/tokens", headers=member.headers)).json()["items"][0]["id"]
    assert_problem(await client.get("/me/tokens", headers=full.headers), 403)
    assert_problem(await client.delete(f"/me/tokens/{token_id}", headers=full.headers), 403)
    change = await client.post(
        "/me/password",
        json={"current_password": member.password, "new_password": "a-brand-new-secret"},
        headers=full.headers,
    )
    assert_problem(change, 403)
    # Nothing changed: the token still works and the old password still signs in.
    assert (await client.get("/me", headers=full.headers)).status_code == 200
    signed_in = await client.post(
        "/auth/token", data={"username": member.email, "password": member.password}
    )
    assert signed_in.status_code == 200


async def test_a_refreshed_session_manages_tokens(client):
    member = await register(client)
    refreshed = await client.post("/auth/refresh", json={"refresh_token": member.refresh_token})
    assert refreshed.status_code == 200, refreshed.text
    session = replace(member, access_token=refreshed.json()["access_token"])
    await with_personal_token(client, session, ["read"])
    assert await token_names(client, session) == ["integration"]


# --- administrator powers need the `admin` scope too (issue 17, item 2) -----------------------


async def test_an_admins_read_only_token_sees_only_what_an_outsider_sees(client):
    admin = await register(client, "Ada Admin")
    reader = await with_personal_token(client, admin, ["read"])
    steward = await register(client, "Sam Steward")
    hidden = await create_community(
        client, steward, "Hush Guild", visibility="private", join_policy="invite"
    )
    post = await client.post(
        f"/communities/{hidden['slug']}/posts",
        json={"title": "Our secret runbook", "body": "Only for members."},
        headers=steward.headers,
    )
    assert post.status_code == 201, post.text
    mentor, mentee = await register(client, "Mo Mentor"), await register(client, "Mia Mentee")
    skill = await new_skill(client, admin, "Python")
    await hold(client, mentor, skill, 5)
    await offer(client, mentor)
    mentorship = await requested(client, mentee, mentor, skill)

    paths = [
        f"/communities/{hidden['slug']}",
        f"/communities/{hidden['slug']}/posts",
        f"/posts/{post.json()['id']}",
        f"/posts/{post.json()['id']}/comments",
        f"/mentorships/{mentorship['id']}",
    ]
    for path in paths:
        # A session token of the administrator carries `admin`: these are visible to it ...
        assert (await client.get(path, headers=admin.headers)).status_code == 200, path
        # ... but not to the same administrator's token without `admin`.
        assert_problem(await client.get(path, headers=reader.headers), 404)
    search = await client.get("/search/posts?q=runbook", headers=reader.headers)
    assert search.status_code == 200 and search.json()["items"] == []


async def test_an_admins_read_write_token_cannot_change_roles_where_the_admin_is_no_member(
    client,
):
    admin = await register(client, "Ada Admin")
    writer = await with_personal_token(client, admin, ["read", "write"])
    with_admin = await with_personal_token(client, admin, ["read", "write", "admin"])
    steward, member = await register(client, "Sam Steward"), await register(client, "Max Member")
    guild = await create_community(client, steward, "Open Guild")
    assert (await join(client, member, guild["slug"])).status_code == 201
    path = f"/communities/{guild['slug']}/members/{member.handle}"
    assert_problem(await client.patch(path, json={"role": "steward"}, headers=writer.headers), 403)
    skill = await new_skill(client, admin, "Kotlin")
    edit = {"description": "A language for the JVM."}
    assert_problem(await client.patch(f"/skills/{skill}", json=edit, headers=writer.headers), 403)
    # A personal token created with `admin` does carry the powers.
    promoted = await client.patch(path, json={"role": "moderator"}, headers=with_admin.headers)
    assert promoted.status_code == 200, promoted.text
    edited = await client.patch(f"/skills/{skill}", json=edit, headers=with_admin.headers)
    assert edited.status_code == 200, edited.text


# --- creation caps (issue 17, item 6: 20 per hour, 100 active) --------------------------------


async def test_at_most_twenty_tokens_are_created_per_hour(client):
    member = await register(client)
    for n in range(personal_tokens.CREATED_PER_WINDOW):
        created = await client.post(
            "/me/tokens", json={"name": f"t{n}", "scopes": ["read"]}, headers=member.headers
        )
        assert created.status_code == 201, created.text
        if n % 2:  # revoked tokens count too: creating and revoking is no way around the cap
            revoked = await client.delete(
                f"/me/tokens/{created.json()['id']}", headers=member.headers
            )
            assert revoked.status_code == 204
    refused = await client.post(
        "/me/tokens", json={"name": "one more", "scopes": ["read"]}, headers=member.headers
    )
    assert_problem(refused, 429)
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    # Another account has its own allowance.
    other = await register(client)
    await with_personal_token(client, other, ["read"])


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


async def test_the_hourly_window_slides(app: FastAPI, client):
    member = await register(client)
    actor = Principal(user_id=uuid.UUID(member.id), scopes=frozenset({Scope.read}))
    start = datetime.now(UTC) - timedelta(days=1)

    async def create(at: datetime) -> None:
        async with SqlUnitOfWork(app.state.session_factory) as uow:
            await personal_tokens.create_personal_token(
                uow, FakeClock(at), actor, "t", frozenset({Scope.read}), None
            )

    for n in range(personal_tokens.CREATED_PER_WINDOW):
        await create(start + timedelta(minutes=n))
    with pytest.raises(RateLimited) as refused:
        await create(start + timedelta(minutes=30))
    # The first one leaves the window at start + 1 h: 30 minutes after the refused attempt.
    assert refused.value.retry_after == 30 * 60
    await create(start + timedelta(hours=1, seconds=1))


async def test_at_most_one_hundred_active_tokens(app: FastAPI, client):
    member = await register(client)
    actor = Principal(user_id=uuid.UUID(member.id), scopes=frozenset({Scope.read}))
    start = datetime.now(UTC) - timedelta(days=30)
    async with SqlUnitOfWork(app.state.session_factory) as uow:
        # Spread over days so the hourly cap is never what stops them.
        for n in range(personal_tokens.MAX_ACTIVE_TOKENS + 1):
            expires = 1 if n == 0 else None  # the first has expired by now: not active
            clock = FakeClock(start + timedelta(hours=n))
            await personal_tokens.create_personal_token(
                uow, clock, actor, f"t{n}", frozenset({Scope.read}), expires
            )
    refused = await client.post(
        "/me/tokens", json={"name": "one more", "scopes": ["read"]}, headers=member.headers
    )
    assert assert_problem(refused, 422)["code"] == "too_many_tokens"
    oldest_live = (await client.get("/me/tokens?limit=100", headers=member.headers)).json()
    revoked = await client.delete(
        f"/me/tokens/{oldest_live['items'][-1]['id']}", headers=member.headers
    )
    assert revoked.status_code == 204
    await with_personal_token(client, member, ["read"])


@pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)
async def test_parallel_creations_never_pass_the_hourly_cap(client):
    member = await register(client)
    attempts = personal_tokens.CREATED_PER_WINDOW + 10
    answers = await asyncio.gather(
        *(
            client.post(
                "/me/tokens", json={"name": f"p{n}", "scopes": ["read"]}, headers=member.headers
            )
            for n in range(attempts)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * personal_tokens.CREATED_PER_WINDOW + [429] * 10
    assert len(await token_names(client, member)) == personal_tokens.CREATED_PER_WINDOW


# --- last_used_at (issue 17, bugs) ------------------------------------------------------------


async def last_used(client, account: Account) -> str | None:
    items = (await client.get("/me/tokens", headers=account.headers)).json()["items"]
    value: str | None = items[0]["last_used_at"]
    return value


async def test_last_used_at_is_recorded_once_a_minute(app: FastAPI, client, count_statements):
    member = await register(client)
    reader = await with_personal_token(client, member, ["read", "write"])
    assert await last_used(client, member) is None

    assert (await client.get("/me", headers=reader.headers)).status_code == 200
    first = await last_used(client, member)
    assert first is not None

    count_statements.statements.clear()
    assert (await client.get("/me", headers=reader.headers)).status_code == 200
    edited = await client.patch("/me", json={"title": "Bot"}, headers=reader.headers)
    assert edited.status_code == 200
    # Within the minute: neither a read nor a write request writes it again.
    writes = [s for s in count_statements.statements if "personal_access_token SET" in s]
    assert writes == []
    assert await last_used(client, member) == first

    # A minute later it moves, on a write request as on a read.
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    async with app.state.engine.begin() as connection:
        await connection.execute(update(pat_table).values(last_used_at=an_hour_ago))
    edited = await client.patch("/me", json={"title": "Robot"}, headers=reader.headers)
    assert edited.status_code == 200
    later = await last_used(client, member)
    assert later is not None and datetime.fromisoformat(later) > an_hour_ago + timedelta(minutes=30)


async def test_a_concurrent_first_use_writes_last_used_at_once(app: FastAPI, client):
    member = await register(client)
    reader = await with_personal_token(client, member, ["read"])
    answers = await asyncio.gather(*(client.get("/me", headers=reader.headers) for _ in range(5)))
    assert {a.status_code for a in answers} == {200}
    async with app.state.engine.connect() as connection:
        stored = (await connection.execute(select(pat_table.c.last_used_at))).scalar_one()
    assert stored is not None


async def test_a_retried_create_answers_the_same_token_which_is_never_stored_in_clear(
    app: FastAPI, client
):
    account = await register(client)
    headers = {**account.headers, "Idempotency-Key": "ci-token-1"}
    body = {"name": "CI", "scopes": ["read"]}
    first = await client.post("/me/tokens", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/me/tokens", json=body, headers=headers)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert await token_names(client, account) == ["CI"]
    # The replayed token works, and the idempotency table keeps no readable copy of it.
    token = first.json()["token"]
    me = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["handle"] == account.handle
    keys = metadata.tables["idempotency_key"]
    async with app.state.engine.connect() as connection:
        [stored] = (
            await connection.execute(select(keys.c.body).where(keys.c.key == "ci-token-1"))
        ).all()
    assert token.encode() not in bytes(stored[0]) and b'"CI"' not in bytes(stored[0])
