"""Every route of the API is an ApiRoute, and the routes that honour Idempotency-Key are exactly
the ones whose document says so."""

from __future__ import annotations

from types import ModuleType

import pytest
from fastapi.routing import APIRoute

from api.main import create_app
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
from api.routing import ApiRoute
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
