"""X-Forwarded-For is believed only from LEADERFUL_TRUSTED_PROXIES; anyone else's is ignored."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from api.main import create_app
from tests.conftest import make_settings

SIGN_IN = {"username": "nobody@example.com", "password": "wrong-password-1"}


@asynccontextmanager
async def _client(
    database_url: str, tmp_path: Any, peer: str, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        database_url, tmp_path, rate_limit_enabled=True, rate_limit_auth="3/minute", **overrides
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, client=(peer, 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            yield http


async def _sign_ins(http: httpx.AsyncClient, forwarded: Callable[[int], str]) -> list[int]:
    statuses = []
    for n in range(5):
        response = await http.post(
            "/auth/token", data=SIGN_IN, headers={"X-Forwarded-For": forwarded(n)}
        )
        statuses.append(response.status_code)
    return statuses


async def test_rotating_forwarded_for_from_an_untrusted_peer_changes_nothing(
    database_url, tmp_path, app
):
    async with _client(database_url, tmp_path, "127.0.0.1") as http:
        statuses = await _sign_ins(http, lambda n: f"198.51.100.{n}")
        assert statuses == [401, 401, 401, 429, 429]


async def test_a_trusted_proxy_names_the_client(database_url, tmp_path, app):
    async with _client(
        database_url, tmp_path, "10.1.2.3", trusted_proxies="10.0.0.0/8, 127.0.0.1"
    ) as http:
        # Each forwarded client has its own sign-in bucket...
        assert await _sign_ins(http, lambda n: f"198.51.100.{n}") == [401] * 5
        # ...and one client cannot escape its own by prepending addresses: the rightmost entry
        # that is not a trusted proxy is the client.
        spoofed = await _sign_ins(http, lambda n: f"203.0.113.{n}, 192.0.2.7, 10.9.9.9")
        assert spoofed == [401, 401, 401, 429, 429]
