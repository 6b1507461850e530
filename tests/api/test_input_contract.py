"""What the server accepts, route by route, as the OpenAPI document says it: text without control
characters, no unknown query parameters, and errors located where the value was sent."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.log import configure_logging
from tests.helpers import Account, assert_problem, register

NUL = "a\x00b"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = document["components"]["schemas"][name]
    return schema


def _is_text(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(document, schema)
    options = schema.get("anyOf", [schema])
    return any(
        _resolve(document, o).get("type") == "string"
        and "format" not in o
        and "enum" not in _resolve(document, o)
        and "const" not in o
        for o in options
    )


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _text_inputs(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(method, path, location, name) for every text parameter and body field."""
    found = []
    for method, path, operation in _operations(document):
        for parameter in operation.get("parameters", ()):
            if parameter["in"] in {"path", "query"} and _is_text(document, parameter["schema"]):
                found.append((method, path, parameter["in"], parameter["name"]))
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            schema = _resolve(document, content["schema"])
            where = "form" if "form" in media else "body"
            for name, field in schema.get("properties", {}).items():
                if _is_text(document, field):
                    found.append((method, path, where, name))
    return found


def _sample_path(path: str, override: tuple[str, str] | None = None) -> str:
    result = path
    for part in path.split("/"):
        if part.startswith("{"):
            name = part[1:-1]
            value = override[1] if override and override[0] == name else "sample"
            result = result.replace(part, quote(value, safe=""), 1)
    return result


async def test_every_text_input_refuses_control_characters(app: FastAPI, client: httpx.AsyncClient):
    """NUL and other C0 characters in any text parameter or field: 422 naming it, never 500."""
    admin = await register(client, "Admin")
    document = app.openapi()
    inputs = _text_inputs(document)
    assert len(inputs) > 60, inputs  # every route's text, not a sample
    checked = 0
    for method, path, where, name in inputs:
        url = "http://testserver" + _sample_path(path, (name, NUL) if where == "path" else None)
        kwargs: dict[str, Any] = {"headers": admin.headers}
        if where == "query":
            kwargs["params"] = {name: NUL}
        elif where == "body":
            kwargs["json"] = {name: NUL}
        elif where == "form":
            kwargs["data"] = {name: NUL}
        response = await client.request(method, url, **kwargs)
        assert response.status_code == 422, (method, path, where, name, response.text)
        locations = [e["loc"] for e in response.json()["errors"]]
        expected = ["body", name] if where == "form" else [where, name]
        assert expected in locations, (method, path, name, locations)
        checked += 1
    assert checked == len(inputs)


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x1f", "\x0b"])
async def test_control_characters_are_refused_and_tab_and_newlines_kept(client, control):
    owner = await register(client, "Owner")
    refused = await client.patch("/me", json={"bio": f"a{control}b"}, headers=owner.headers)
    assert_problem(refused, 422)
    kept = await client.patch("/me", json={"bio": "a\tb\r\nc"}, headers=owner.headers)
    assert kept.status_code == 200 and kept.json()["bio"] == "a\tb\r\nc"


async def test_nul_in_sign_in_and_search_is_a_422(client):
    await register(client, "Owner", email="owner@example.com")
    token = await client.post(
        "/auth/token", data={"username": "a\x00b@example.com", "password": "whatever-it-is"}
    )
    assert assert_problem(token, 422)["errors"][0]["loc"] == ["body", "username"]
    owner = await register(client, "Other")
    for url in ("/users?q=%00", "/search/posts?q=%00", "/communities?q=%00"):
        body = assert_problem(await client.get(url, headers=owner.headers), 422)
        assert body["errors"][0]["loc"] == ["query", "q"], url


# --- display names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "\u202eadmin",  # right-to-left override
        "ad\u2066min",  # isolate
        "\u200f",
        "\u200b\u200b",  # only zero-width spaces
        "\u3000 \u00a0",  # only spaces
        "\ufeff\u2060",
        "",
    ],
)
async def test_display_names_refuse_bidi_controls_and_invisible_names(client, name):
    response = await client.post(
        "/auth/register",
        json={"email": "x@example.com", "password": "correct-horse-battery", "display_name": name},
    )
    assert assert_problem(response, 422)["errors"][0]["loc"] == ["body", "display_name"]
    owner = await register(client, "Owner")
    patched = await client.patch("/me", json={"display_name": name}, headers=owner.headers)
    assert_problem(patched, 422)


async def test_display_names_are_stored_composed(client):
    owner = await register(client, "Rene\u0301 O\u0308")  # decomposed accents
    me = (await client.get("/me", headers=owner.headers)).json()
    assert me["display_name"] == "Ren\u00e9 \u00d6"
    patched = await client.patch(
        "/me", json={"display_name": "Zo\u0308e \u200dx"}, headers=owner.headers
    )
    assert patched.status_code == 200 and patched.json()["display_name"] == "Z\u00f6e \u200dx"


# --- unknown query parameters -----------------------------------------------------------------


async def test_every_get_route_refuses_unknown_query_parameters(app: FastAPI, client):
    owner = await register(client, "Owner")
    paths = [p for m, p, _ in _operations(app.openapi()) if m == "GET"]
    assert len(paths) > 30
    for path in paths:
        url = "http://testserver" + _sample_path(path)
        response = await client.get(url, params={"updated_since": "2026"}, headers=owner.headers)
        body = assert_problem(response, 422)
        # Named beside any other invalid value of the request (FastAPI reports them together).
        assert {
            "loc": ["query", "updated_since"],
            "msg": "Unknown query parameter",
            "type": "extra_forbidden",
        } in body["errors"], path


async def test_writes_refuse_unknown_query_parameters_too(client):
    owner = await register(client, "Owner")
    unknown = {
        "loc": ["query", "draft"],
        "msg": "Unknown query parameter",
        "type": "extra_forbidden",
    }
    # A route that reads a query model (use_cookie), and one that reads no query parameter.
    refreshed = await client.post("/auth/refresh?use_cookie=false&draft=1", json={})
    assert unknown in assert_problem(refreshed, 422)["errors"]
    body = {"name": "Guild", "purpose": "Learning together, every week."}
    created = await client.post("/communities?draft=1", json=body, headers=owner.headers)
    assert assert_problem(created, 422)["errors"] == [unknown]


async def test_declared_query_parameters_still_work(client):
    owner = await register(client, "Owner")
    response = await client.get("/users?q=own&limit=5", headers=owner.headers)
    assert response.status_code == 200, response.text


# --- error locations --------------------------------------------------------------------------


async def test_domain_errors_name_the_query_parameter(client):
    owner = await register(client, "Owner")
    # Only a zero-width space: well-formed, but nothing is left to search for.
    body = assert_problem(await client.get("/search/posts?q=%E2%80%8B", headers=owner.headers), 422)
    assert body["errors"][0]["loc"] == ["query", "q"]


async def test_a_reused_idempotency_key_is_located_in_the_header(client):
    owner = await register(client, "Owner")
    headers = {**owner.headers, "Idempotency-Key": "key-1"}
    body = {"name": "Guild", "purpose": "Learning together, every week."}
    first = await client.post("/communities", json=body, headers=headers)
    assert first.status_code == 201, first.text
    reused = await client.post(
        "/communities", json={**body, "name": "Other guild"}, headers=headers
    )
    errors = assert_problem(reused, 422)["errors"]
    assert errors[0]["loc"] == ["header", "idempotency-key"]


# --- SQL parameters never reach the log -------------------------------------------------------


async def test_database_errors_log_no_parameters(app: FastAPI, client, caplog):
    """A failing statement's message names no parameter: hashes, emails and tokens stay out."""
    owner: Account = await register(client, "Owner", email="secret.person@example.com")
    engine = app.state.engine
    configure_logging("DEBUG")  # as verbose as a deployment can make it
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(DBAPIError) as raised:
            async with engine.begin() as connection:
                await connection.execute(
                    text("INSERT INTO no_such_table (a, b) VALUES (:hash, :email)"),
                    {"hash": "$argon2id$v=19$m=65536$secret-hash", "email": owner.email},
                )
    finally:
        configure_logging("WARNING")
    message = str(raised.value) + caplog.text
    for secret in ("argon2id", "secret.person@example.com", owner.access_token):
        assert secret not in message
    assert "hidden due to hide_parameters" in str(raised.value)


# --- strict types -----------------------------------------------------------------------------

WRONG_TYPES: dict[str, list[Any]] = {
    "integer": [True, "7", 7.0],
    "number": [True, "7"],
    "boolean": [1, "true"],
}


def _scalar_type(document: dict[str, Any], schema: dict[str, Any]) -> str | None:
    schema = _resolve(document, schema)
    for option in schema.get("anyOf", [schema]):
        kind = _resolve(document, option).get("type")
        if kind in WRONG_TYPES:
            return str(kind)
    return None


async def test_every_body_field_refuses_values_of_another_json_type(app: FastAPI, client):
    """Booleans are not integers, strings are not numbers, numbers are not booleans."""
    admin = await register(client, "Admin")
    document = app.openapi()
    checked = 0
    for method, path, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = _resolve(document, content["application/json"]["schema"])
        for name, field in schema.get("properties", {}).items():
            kind = _scalar_type(document, field)
            for wrong in WRONG_TYPES.get(kind or "", ()):
                url = "http://testserver" + _sample_path(path)
                response = await client.request(
                    method, url, json={name: wrong}, headers=admin.headers
                )
                assert response.status_code == 422, (method, path, name, wrong, response.text)
                assert ["body", name] in [e["loc"] for e in response.json()["errors"]]
                checked += 1
    assert checked > 20


async def test_token_expiry_takes_a_json_integer_only(client):
    owner = await register(client, "Owner")
    for wrong in (True, "7", 7.0):
        body = {"name": "ci", "scopes": ["read"], "expires_in_days": wrong}
        response = await client.post("/me/tokens", json=body, headers=owner.headers)
        assert_problem(response, 422)
    body = {"name": "ci", "scopes": ["read"], "expires_in_days": 7}
    assert (await client.post("/me/tokens", json=body, headers=owner.headers)).status_code == 201


async def test_ids_dates_and_enum_values_are_read_from_json_strings(client):
    admin = await register(client, "Admin")
    created = await client.post(
        "/skills", json={"name": "Kotlin", "category": "languages"}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    goal = await client.post(
        "/me/learning-goals",
        json={"skill": created.json()["slug"], "target_level": 3, "due_on": "2099-01-01"},
        headers=admin.headers,
    )
    assert goal.status_code == 201, goal.text
    as_number = await client.post(
        "/me/learning-goals",
        json={"skill": created.json()["slug"], "target_level": 3, "due_on": 1893456000},
        headers=admin.headers,
    )
    assert_problem(as_number, 422)


# --- null where the document says so, and only there ------------------------------------------


def _nullable(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(document, schema)
    return any(_resolve(document, o).get("type") == "null" for o in schema.get("anyOf", ()))


async def test_null_is_accepted_exactly_where_the_document_allows_it(app: FastAPI, client):
    """A field documented as nullable takes null (it clears the value, or means "not given");
    any other field refuses it with a 422 located at that field. Absent always means unchanged."""
    admin = await register(client, "Admin")
    document = app.openapi()
    checked = 0
    for method, path, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = _resolve(document, content["application/json"]["schema"])
        required = set(schema.get("required", ()))
        for name, field in schema.get("properties", {}).items():
            url = "http://testserver" + _sample_path(path)
            response = await client.request(method, url, json={name: None}, headers=admin.headers)
            if response.status_code != 422:
                locations: list[list[Any]] = []
            else:
                locations = [e["loc"] for e in response.json()["errors"]]
            if _nullable(document, field):
                missing = [["body", other] for other in required]
                stray = [loc for loc in locations if loc[0] == "body" and loc not in missing]
                assert not stray, (method, path, name, response.text)
            else:
                assert ["body", name] in locations, (method, path, name, response.text)
            checked += 1
    assert checked > 80


async def test_patch_fields_that_cannot_be_cleared_are_documented_without_null(app: FastAPI):
    schemas = app.openapi()["components"]["schemas"]
    for model, field in [
        ("CommunityUpdate", "name"),
        ("CommunityUpdate", "visibility"),
        ("PostUpdate", "title"),
        ("PostUpdate", "is_pinned"),
        ("LearningGoalUpdate", "status"),
        ("SkillUpdate", "name"),
        ("MeUpdate", "display_name"),
    ]:
        prop = schemas[model]["properties"][field]
        assert "anyOf" not in prop and "default" not in prop, (model, field, prop)
    assert {"type": "null"} in schemas["MeUpdate"]["properties"]["bio"]["anyOf"]


# --- conditional requests are documented where they are honoured -------------------------------

CONDITIONAL = {
    ("get", "/api/v1/me"): "If-None-Match",
    ("get", "/api/v1/communities/{slug}"): "If-None-Match",
    ("get", "/api/v1/posts/{post_id}"): "If-None-Match",
    ("patch", "/api/v1/me"): "If-Match",
    ("patch", "/api/v1/communities/{slug}"): "If-Match",
    ("patch", "/api/v1/posts/{post_id}"): "If-Match",
    ("patch", "/api/v1/comments/{comment_id}"): "If-Match",
    ("patch", "/api/v1/webhooks/{webhook_id}"): "If-Match",
    ("patch", "/api/v1/communities/{slug}/webhooks/{webhook_id}"): "If-Match",
    ("put", "/api/v1/me/email"): "If-Match",
    ("put", "/api/v1/posts/{post_id}/accepted-answer"): "If-Match",
    # Resources without a version: If-Match names the ETag of their current representation.
    ("put", "/api/v1/me/mentor-profile"): "If-Match",
    ("put", "/api/v1/me/notification-preferences"): "If-Match",
    ("put", "/api/v1/me/notification-settings"): "If-Match",
    ("put", "/api/v1/posts/{post_id}/watch"): "If-Match",
    ("patch", "/api/v1/skills/{slug}"): "If-Match",
    ("patch", "/api/v1/me/learning-goals/{goal_id}"): "If-Match",
    ("patch", "/api/v1/communities/{slug}/members/me"): "If-Match",
    ("put", "/api/v1/me/skills/{slug}"): "If-Match",
    ("put", "/api/v1/users/{handle}/skills/{slug}/endorsement"): "If-Match",
    ("patch", "/api/v1/communities/{slug}/members/{handle}"): "If-Match",
}


async def test_conditional_requests_are_in_the_document(app: FastAPI):
    paths = app.openapi()["paths"]
    for (method, path), header in CONDITIONAL.items():
        operation = paths[path][method]
        assert header in [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        success = "204" if "204" in operation["responses"] else "200"
        assert "ETag" in operation["responses"][success]["headers"], (method, path)
        assert ("304" if header == "If-None-Match" else "412") in operation["responses"]
    declared = {
        (method, path)
        for path, item in paths.items()
        for method, operation in item.items()
        for p in operation.get("parameters", ())
        if p["name"] in {"If-Match", "If-None-Match"}
    }
    # Every other GET with a body declares If-None-Match too (tagged by its bytes, see
    # api/routing.py; test_conventions checks them all); every update taking If-Match is above.
    assert set(CONDITIONAL) <= declared
    # Any other update that takes If-Match answers 412 and the new ETag as the ones above do.
    for method, path in declared - set(CONDITIONAL):
        operation = paths[path][method]
        if method == "get":
            assert "304" in operation["responses"], path
        else:
            assert method in {"patch", "put"}, (method, path)
            assert "412" in operation["responses"], (method, path)


async def test_documented_conditional_headers_are_honoured(client):
    owner = await register(client, "Owner")
    me = await client.get("/me", headers=owner.headers)
    tag = me.headers["ETag"]
    unchanged = await client.get("/me", headers={**owner.headers, "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.headers["ETag"] == tag
    stale = await client.patch(
        "/me", json={"bio": "x"}, headers={**owner.headers, "If-Match": '"v999"'}
    )
    assert_problem(stale, 412)
    malformed = await client.patch(
        "/me", json={"bio": "x"}, headers={**owner.headers, "If-Match": '"v\xb9"'.encode("latin-1")}
    )
    assert_problem(malformed, 412)


# --- documented limits are the enforced ones --------------------------------------------------


def _boundary_strings(schema: dict[str, Any]) -> tuple[str | None, str | None]:
    """A value at the documented length limit, and one just past it, that fit the pattern."""
    pattern = schema.get("pattern")
    if "format" in schema:  # a URL or an email: its own grammar, not a run of one letter
        return None, None
    for char in "a0A":
        if "maxLength" in schema:
            at, past = char * schema["maxLength"], char * (schema["maxLength"] + 1)
        elif schema.get("minLength", 0) > 1:
            at, past = char * schema["minLength"], char * (schema["minLength"] - 1)
        else:
            return None, None
        if pattern is None or (re.fullmatch(pattern, at) and re.fullmatch(pattern, past)):
            return at, past
    return None, None


async def test_every_documented_limit_is_the_enforced_one(app: FastAPI, client):
    """At each documented length or range limit the value is accepted; just past it, refused."""
    admin = await register(client, "Admin")
    document = app.openapi()
    checked = 0
    for method, path, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = _resolve(document, content["application/json"]["schema"])
        for name, field in schema.get("properties", {}).items():
            field = _resolve(document, field)
            options = [_resolve(document, o) for o in field.get("anyOf", [field])]
            for option in options:
                at: str | int | None
                past: str | int | None
                if option.get("type") == "string":
                    at, past = _boundary_strings(option)
                elif option.get("type") == "integer" and "maximum" in option:
                    at, past = int(option["maximum"]), int(option["maximum"]) + 1
                else:
                    continue
                if at is None:
                    continue
                url = "http://testserver" + _sample_path(path)
                for value, refused in ((at, False), (past, True)):
                    response = await client.request(
                        method, url, json={name: value}, headers=admin.headers
                    )
                    locations = (
                        [e["loc"][:2] for e in response.json().get("errors", [])]
                        if response.status_code == 422
                        else []
                    )
                    assert (["body", name] in locations) is refused, (method, path, name, value)
                checked += 1
    assert checked > 40


async def test_passwords_are_documented_with_the_length_the_server_wants(app: FastAPI, client):
    schemas = app.openapi()["components"]["schemas"]
    for model, field in [("RegisterRequest", "password"), ("PasswordChange", "new_password")]:
        documented = schemas[model]["properties"][field]
        assert (documented["minLength"], documented["maxLength"]) == (10, 256)
    short = await client.post(
        "/auth/register",
        json={"email": "a@example.com", "password": "x7#kQ2!pz", "display_name": "A"},
    )
    assert assert_problem(short, 422)["errors"][0]["loc"] == ["body", "password"]
    at_limit = await client.post(
        "/auth/register",
        json={"email": "a@example.com", "password": "x7#kQ2!pzM", "display_name": "A"},
    )
    assert at_limit.status_code == 201, at_limit.text
