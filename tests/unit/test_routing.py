"""Every route of the API is an ApiRoute, and the routes that honour Idempotency-Key are exactly
the ones whose document says so."""

from __future__ import annotations

import re
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Match

from api.main import API_PREFIX, create_app
from api.parameters import operation_id
from api.routes import (
    auth,
    communities,
    devices,
    health,
    mentorship,
    posts,
    skills,
    users,
    webhooks,
)
from api.routing import ApiRoute, ApiRouter
from api.settings import Settings

MODULES = [health, auth, users, skills, communities, posts, mentorship, webhooks, devices]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_route_keeps_the_api_rules(module: ModuleType) -> None:
    routes = [route for route in module.router.routes if isinstance(route, APIRoute)]
    assert routes
    for route in routes:
        assert isinstance(route, ApiRoute), route.path


def test_the_routes_that_honour_keys_are_the_ones_documented(tmp_path) -> None:
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/unused.db"))
    document = app.openapi()
    documented = {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if any(
            parameter["in"] == "header" and parameter["name"].lower() == "idempotency-key"
            for parameter in operation.get("parameters", ())
        )
    }
    honoured = {
        operation_id(route)
        for module in MODULES
        for route in module.router.routes
        if isinstance(route, ApiRoute) and route.idempotent
    }
    # A key documented on a route that does not store answers would never be replayed.
    assert documented == honoured
    assert len(honoured) >= 15


def _sample_path(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "0b8a3c0e-4b8e-4d5e-9a53-0a2b3c4d5e6f", template)


def _routers(app: FastAPI) -> list[ApiRouter]:
    included = (getattr(route, "original_router", None) for route in app.router.routes)
    return [router for router in included if isinstance(router, ApiRouter)]


def _first_match(app: FastAPI, scope: dict[str, object]) -> tuple[int, Match]:
    """What the app's router picks: the first route to match fully, else the first partial."""
    partial: tuple[int, Match] | None = None
    for index, route in enumerate(app.router.routes):
        match, _ = route.matches(dict(scope))
        if match == Match.FULL:
            return index, match
        if match == Match.PARTIAL and partial is None:
            partial = (index, match)
    return partial or (-1, Match.NONE)


def test_a_routers_quick_refusal_never_changes_which_route_serves_a_request(tmp_path) -> None:
    """ApiRouter refuses a path that contains none of its routes' literal heads before FastAPI
    offers it to each route. For every path of the API (with and without the prefix, a trailing
    slash, each method) the app picks the same route, fully or partially matched, as it does
    with the refusal switched off."""
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/unused.db"))
    routers = _routers(app)
    assert len(routers) >= 15
    templates = {
        route.path for router in routers for route in router.routes if isinstance(route, APIRoute)
    }
    paths = {_sample_path(template) for template in templates}
    paths |= {API_PREFIX + path for path in paths}
    paths |= {path + "/" for path in paths} | {"/", API_PREFIX, "/nowhere", "/api/v1/nowhere"}
    scopes = [
        {"type": "http", "method": method, "path": path, "root_path": ""}
        for path in sorted(paths)
        for method in ("GET", "POST", "PUT", "DELETE")
    ]
    ours = [_first_match(app, scope) for scope in scopes]
    refused = sum(
        1
        for scope in scopes
        for router in routers
        if not any(head in str(scope["path"]) for head in router.literal_heads() or ("",))
    )
    assert refused > len(scopes) * len(routers) // 2  # the refusal does run, for most
    for router in routers:
        router.heads_for = (len(router.routes), None)  # FastAPI's own matching alone
    fastapi_own = [_first_match(app, scope) for scope in scopes]
    assert ours == fastapi_own
    assert sum(match == Match.FULL for _, match in ours) >= len(templates)
