"""Rate limits: headers on every response, 429 with Retry-After, tighter on sign-in; one bucket
per account whatever token it uses, and credentials that do not verify pay from the IP's."""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import assert_problem, register

REDIS_URL = os.environ.get("LEADERFUL_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def _fresh_ip() -> str:
    # Buckets live in Redis for a minute: a new address per client keeps runs apart.
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@pytest.fixture(params=["memory", "redis"])
async def limited_client(request, database_url, tmp_path, app) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        database_url,
        tmp_path,
        rate_limit_enabled=True,
        rate_limit_auth="5/minute",
        rate_limit_default="8/minute",
        redis_url=REDIS_URL if request.param == "redis" else None,
    )
    limited = create_app(settings)
    async with limited.router.lifespan_context(limited):
        transport = httpx.ASGITransport(app=limited, client=(_fresh_ip(), 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            yield http


async def test_repeated_bad_logins_reach_429_with_retry_after(limited_client):
    statuses = []
    for _ in range(7):
        response = await limited_client.post(
            "/auth/token", data={"username": "x@example.com", "password": "wrong-password-1"}
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-remaining"] == "0"


async def test_authenticated_requests_are_limited_per_principal(limited_client):
    account = await register(limited_client)
    first = await limited_client.get("/me", headers=account.headers)
    assert first.headers["ratelimit-limit"] == "8"
    assert int(first.headers["ratelimit-remaining"]) == 7
    for _ in range(7):
        await limited_client.get("/me", headers=account.headers)
    blocked = await limited_client.get("/me", headers=account.headers)
    assert_problem(blocked, 429)
    # health checks are never limited
    assert (await limited_client.get("http://t/healthz")).status_code == 200


async def test_made_up_personal_tokens_pay_from_the_ip_bucket(limited_client):
    statuses = []
    for _ in range(10):
        fake = {"Authorization": f"Bearer lf_pat_{secrets.token_urlsafe(32)}"}
        statuses.append((await limited_client.get("/me", headers=fake)).status_code)
    # 8 per minute per IP: a fresh made-up token is no fresh bucket.
    assert statuses == [401] * 8 + [429] * 2
    # and so is a forged access token
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}
    assert_problem(await limited_client.get("/me", headers=forged), 429)


async def _personal_token(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> str:
    created = await client.post(
        "/me/tokens", json={"name": name, "scopes": ["read"]}, headers=headers
    )
    assert created.status_code == 201, created.text
    token: str = created.json()["token"]
    return token


async def test_all_tokens_of_an_account_share_one_bucket(limited_client):
    account = await register(limited_client)
    first = {
        "Authorization": f"Bearer {await _personal_token(limited_client, account.headers, 'a')}"
    }
    second = {
        "Authorization": f"Bearer {await _personal_token(limited_client, account.headers, 'b')}"
    }
    # Creating the two tokens took 2 of the account's 8 (session token). The first use of a
    # personal token is charged to the IP, until it has verified once.
    for headers in (first, second):
        assert (await limited_client.get("/me", headers=headers)).status_code == 200
    remaining = []
    statuses = []
    for headers in [first, second, account.headers] * 3:
        response = await limited_client.get("/me", headers=headers)
        statuses.append(response.status_code)
        remaining.append(response.headers.get("ratelimit-remaining"))
    assert statuses == [200] * 6 + [429] * 3
    assert remaining[:6] == ["5", "4", "3", "2", "1", "0"]


async def test_registration_and_password_reset_are_limited_per_ip(limited_client):
    statuses = []
    for n in range(6):
        response = await limited_client.post(
            "/auth/register",
            json={
                "email": f"burst{n}-{secrets.token_hex(4)}@example.com",
                "password": "correct-horse-battery",
                "display_name": f"Burst {n}",
            },
        )
        statuses.append(response.status_code)
    assert statuses == [201] * 5 + [429]
    assert_problem(response, 429)
    # The mailed-link flows share the sign-in bucket of the address.
    reset = await limited_client.post("/auth/password-reset", json={"email": "a@example.com"})
    assert_problem(reset, 429)
