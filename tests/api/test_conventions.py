"""Cross-cutting behaviour every endpoint shares: problem+json, limits, headers, health."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.helpers import assert_problem, register


async def test_malformed_json_is_400_problem(client):
    account = await register(client)
    response = await client.patch(
        "/me",
        content=b'{"title": ',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert_problem(response, 400)


async def test_unknown_field_is_422_with_location(client):
    account = await register(client)
    response = await client.patch("/me", json={"role": "admin"}, headers=account.headers)
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "role"]
    assert (await client.get("/me", headers=account.headers)).json()[
        "role"
    ] == "admin"  # first user
    other = await register(client)
    await client.patch("/me", json={"role": "admin"}, headers=other.headers)
    assert (await client.get("/me", headers=other.headers)).json()["role"] == "member"


async def test_oversized_body_is_413_before_reading_it(client):
    account = await register(client)
    big = b'{"bio": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = await client.patch(
        "/me", content=big, headers={**account.headers, "Content-Type": "application/json"}
    )
    assert_problem(response, 413)


async def test_oversized_chunked_body_is_413(client):
    account = await register(client)

    async def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = await client.patch(
        "/me", content=chunks(), headers={**account.headers, "Content-Type": "application/json"}
    )
    assert_problem(response, 413)


async def test_wrong_content_type_is_415(client):
    account = await register(client)
    response = await client.patch(
        "/me", content=b"title=x", headers={**account.headers, "Content-Type": "text/plain"}
    )
    assert_problem(response, 415)
    response = await client.post("/auth/token", json={"username": "a", "password": "b"})
    assert_problem(response, 415)


async def test_bad_cursor_is_400_and_limits_are_checked(client):
    account = await register(client)
    assert_problem(await client.get("/users?cursor=not-a-cursor", headers=account.headers), 400)
    for limit in (0, 101, -1):
        assert_problem(await client.get(f"/users?limit={limit}", headers=account.headers), 422)


async def test_a_cursor_from_another_listing_is_rejected(client):
    account = await register(client)
    await register(client)
    page = (await client.get("/users?limit=1", headers=account.headers)).json()
    assert page["next_cursor"]
    response = await client.get(f"/me/tokens?cursor={page['next_cursor']}", headers=account.headers)
    assert_problem(response, 400)


async def test_unknown_route_and_wrong_method_are_problems(client):
    account = await register(client)
    assert_problem(await client.get("/does-not-exist", headers=account.headers), 404)
    response = await client.delete("/me", headers=account.headers)
    assert_problem(response, 405)
    assert set(response.headers["allow"].split(", ")) == {"GET", "PATCH"}


async def test_unexpected_errors_are_500_without_details(app: FastAPI, client):
    async def explode() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/v1/__explode", explode, include_in_schema=False)
    try:
        response = await client.get("/__explode")
    finally:
        app.router.routes.pop()
    body = assert_problem(response, 500)
    assert "secret" not in response.text and "RuntimeError" not in response.text
    assert body["detail"] == "Something went wrong on our side."


async def test_request_id_is_echoed_or_generated(client):
    response = await client.get("/users", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/users", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
    assert len(generated.headers["x-request-id"]) == 32


async def test_health_and_readiness(app: FastAPI):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        assert (await http.get("/readyz")).json() == {"status": "ok"}


async def test_readyz_is_503_when_the_database_is_gone(app: FastAPI):
    original = app.state.database_ping

    async def broken() -> None:
        raise ConnectionError("database unreachable")

    app.state.database_ping = broken
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert_problem(await http.get("/readyz"), 503)
    finally:
        app.state.database_ping = original


async def test_cors_preflight_allows_configured_origin_only(client):
    allowed = await client.options(
        "/me",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "PATCH"},
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    denied = await client.options(
        "/me", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PATCH"}
    )
    assert "access-control-allow-origin" not in denied.headers


async def test_security_headers_are_set(client):
    response = await client.get("/users")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/communities/abc", "/settings"])
async def test_non_api_paths_fall_back_to_the_app_page(app: FastAPI, path: str):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Leaderful" in response.text


async def test_api_paths_never_fall_back_to_the_app_page(client):
    response = await client.get("/nothing/here")
    assert_problem(response, 404)


async def test_docs_are_served(app: FastAPI):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        docs = await http.get("/api/docs")
        spec = await http.get("/api/v1/openapi.json")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert spec.json()["openapi"].startswith("3.1")


# The contract's conditional requests and idempotency, read from the document every client is
# generated from. Routes added later fail here until they declare what the contract says.
_STREAMS = {"text/event-stream", "application/octet-stream"}
# Updates that do not take If-Match yet, and creating POSTs without Idempotency-Key yet: known
# gaps, listed so that the list can only shrink (a route that gains it must leave the list, and
# a new route is never on it).
_NO_IF_MATCH_YET: set[tuple[str, str]] = set()
# Updates that take no If-Match by design: a reaction has no content, only presence, so PUT
# (which only ever sets it) cannot overwrite anything a client read; there is nothing to lose.
_NO_IF_MATCH_BY_DESIGN = {
    ("put", "/api/v1/posts/{post_id}/reactions/{kind}"),
    ("put", "/api/v1/comments/{comment_id}/reactions/{kind}"),
}
_NO_IDEMPOTENCY_KEY_YET: set[str] = set()
# Creating POSTs that take no Idempotency-Key by design (the reasons are with NOT_IDEMPOTENT in
# tests/api/test_idempotency.py): not gaps, and a new route is never among them.
_NO_IDEMPOTENCY_KEY_BY_DESIGN = {
    "/api/v1/auth/register",
    "/api/v1/me/notifications/stream-ticket",
    "/api/v1/notifications/stream-ticket",
    "/api/v1/uploads",
}


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    ]


def _headers_in(operation: dict[str, Any]) -> set[str]:
    return {p["name"].lower() for p in operation.get("parameters", []) if p.get("in") == "header"}


def test_every_get_with_a_body_declares_etag_and_304(app: FastAPI):
    missing = []
    for method, path, operation in _operations(app):
        if method != "get":
            continue
        ok = operation["responses"].get("200", {})
        if set(ok.get("content", {})) & _STREAMS:
            continue  # a stream or a file's bytes: no representation to tag
        if not (
            "ETag" in ok.get("headers", {})
            and "304" in operation["responses"]
            and "if-none-match" in _headers_in(operation)
        ):
            missing.append(path)
    assert missing == []


def test_every_update_declares_if_match_and_412(app: FastAPI):
    missing = set()
    for method, path, operation in _operations(app):
        if method in {"patch", "put"} and not (
            "if-match" in _headers_in(operation) and "412" in operation["responses"]
        ):
            missing.add((method, path))
    assert missing == _NO_IF_MATCH_YET | _NO_IF_MATCH_BY_DESIGN


def test_every_creating_post_declares_idempotency_key(app: FastAPI):
    missing = {
        path
        for method, path, operation in _operations(app)
        if method == "post"
        and "201" in operation["responses"]
        and "idempotency-key" not in _headers_in(operation)
    }
    assert missing == _NO_IDEMPOTENCY_KEY_YET | _NO_IDEMPOTENCY_KEY_BY_DESIGN


async def test_list_pages_answer_an_etag_and_304_while_unchanged(client):
    account = await register(client)
    first = await client.get("/communities", headers=account.headers)
    tag = first.headers["etag"]
    cached = await client.get("/communities", headers={**account.headers, "If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == tag
    await client.post(
        "/communities",
        json={"name": "Tag Guild", "purpose": "Learning how caches stay honest."},
        headers=account.headers,
    )
    changed = await client.get("/communities", headers={**account.headers, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
