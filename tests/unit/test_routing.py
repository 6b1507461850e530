"""ScopedRouter skips the routers that cannot serve a path, and never one that can."""

from __future__ import annotations

import re
import uuid
from types import ModuleType

import httpx
import pytest
from fastapi import FastAPI

from api.routes import auth, communities, health, mentorship, posts, skills, users
from api.routing import ScopedRouter, path_filter

MODULES = [health, auth, users, skills, communities, posts, mentorship]
PREFIX = "/api/v1"


def concrete(template: str) -> str:
    """A path a route template matches: every parameter filled with a UUID's text."""
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), template)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_route_of_a_router_gets_past_its_filter(module: ModuleType) -> None:
    path_filter_ = path_filter(module.router)
    assert path_filter_ is not None
    for route in module.router.routes:
        path = PREFIX + concrete(route.path)
        assert path_filter_.search(path), f"{module.__name__} would skip {path}"


def test_routers_turn_away_the_paths_of_the_others() -> None:
    turned_away = kept = 0
    for module in MODULES:
        path_filter_ = path_filter(module.router)
        assert path_filter_ is not None
        own = [route.path_regex for route in module.router.routes]
        for other in MODULES:
            if other is module:
                continue
            for route in other.router.routes:
                path = concrete(route.path)
                if any(regex.match(path) for regex in own):
                    continue  # the same shape in two routers: both must look
                if path_filter_.search(PREFIX + path):
                    kept += 1
                else:
                    turned_away += 1
    # A foreign path gets through only when it ends like one of the router's own paths
    # (`/communities/{slug}/members/me` ends like the users router's `/me`): rare, and harmless.
    assert turned_away > 400
    assert kept <= turned_away // 50


def test_the_community_posts_page_is_not_offered_to_the_routers_before_it() -> None:
    path = f"{PREFIX}/communities/python-exchange/posts"
    for module in (health, auth, users, skills, communities):
        path_filter_ = path_filter(module.router)
        assert path_filter_ is not None and path_filter_.search(path) is None, module.__name__
    posts_filter = path_filter(posts.router)
    assert posts_filter is not None and posts_filter.search(path)


async def test_routes_added_after_the_first_request_are_served() -> None:
    router = ScopedRouter()

    @router.get("/first")
    async def first() -> dict[str, str]:
        return {"route": "first"}

    app = FastAPI()
    app.include_router(router, prefix="/api")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/api/first")).json() == {"route": "first"}
        assert (await client.get("/api/second")).status_code == 404
        assert (await client.post("/api/first")).status_code == 405

        @router.get("/second/{name}")
        async def second(name: str) -> dict[str, str]:
            return {"route": "second", "name": name}

        assert (await client.get("/api/second/x")).json() == {"route": "second", "name": "x"}
        assert (await client.get("/api/first")).json() == {"route": "first"}
