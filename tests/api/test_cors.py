"""CORS: allowed origins read the headers clients need; a refused preflight is a problem."""

from __future__ import annotations

from tests.helpers import assert_problem

ALLOWED = "http://localhost:5173"


async def test_refused_preflight_is_a_403_problem(client):
    denied = await client.options(
        "/me", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PATCH"}
    )
    body = assert_problem(denied, 403)
    assert "origin" in body["detail"]
    assert "access-control-allow-origin" not in denied.headers


async def test_allowed_preflight_still_passes(client):
    allowed = await client.options(
        "/me",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, idempotency-key, if-match",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"]


async def test_allowed_origin_may_read_the_contract_headers(client):
    response = await client.get("/users", headers={"Origin": ALLOWED})
    assert response.headers["access-control-allow-origin"] == ALLOWED
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {
        "idempotent-replayed",
        "etag",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "retry-after",
        "location",
        "x-request-id",
        "personal-tokens-revoked",
    } <= exposed


async def test_other_origins_get_no_cors_headers_on_simple_requests(client):
    response = await client.get("/users", headers={"Origin": "https://evil.example"})
    assert response.status_code in (200, 401)
    assert "access-control-allow-origin" not in response.headers
