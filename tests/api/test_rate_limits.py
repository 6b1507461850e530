"""Rate limits: headers on every response, 429 with Retry-After, tighter on sign-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import assert_problem, register


@pytest.fixture
async def limited_client(database_url, tmp_path, app) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        database_url,
        tmp_path,
        rate_limit_enabled=True,
        rate_limit_auth="5/minute",
        rate_limit_default="8/minute",
    )
    limited = create_app(settings)
    async with limited.router.lifespan_context(limited):
        transport = httpx.ASGITransport(app=limited)
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
    async with httpx.AsyncClient(transport=limited_client._transport, base_url="http://t") as raw:
        assert (await raw.get("/healthz")).status_code == 200
