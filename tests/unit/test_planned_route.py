"""PlannedRoute answers exactly as FastAPI's own route does, for the routes it plans."""

# No `from __future__ import annotations`: FastAPI must resolve the local dependencies of the
# routes built inside `build`.

from typing import Annotated

import fastapi.routing
import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request, Response
from fastapi.routing import APIRoute

from api.routes import posts
from api.routing import PlannedRoute, plan_route


def build(route_class: type[APIRoute]) -> tuple[FastAPI, list[str]]:
    """A small app whose routes use the kinds of dependencies the API's routes use; `calls`
    records each dependency call, in order."""
    calls: list[str] = []

    async def session(request: Request) -> str:
        calls.append("session")
        return f"session of {request.url.path}"

    async def clock() -> int:
        calls.append("clock")
        return 42

    class Caller:
        async def __call__(self, request: Request, session: Annotated[str, Depends(session)]):
            calls.append("caller")
            if request.headers.get("authorization") != "Bearer ok":
                raise HTTPException(401, "Sign in.")
            return {"session": session}

    caller = Caller()
    router = APIRouter(route_class=route_class)

    @router.get("/things/{number}")
    async def get_thing(
        number: Annotated[int, Path(ge=1, le=9)],
        request: Request,
        session: Annotated[str, Depends(session)],
        who: Annotated[dict[str, str], Depends(caller)],
        now: Annotated[int, Depends(clock)],
    ) -> Response:
        body = f"{number} {session} {who['session']} {now} {request.method}"
        return Response(body, media_type="text/plain")

    @router.get("/counted")
    async def counted(limit: int = 3) -> Response:  # a query parameter: not planned
        return Response(str(limit))

    app = FastAPI()

    async def audited() -> None:
        calls.append("audited")

    app.include_router(router, prefix="/v1", dependencies=[Depends(audited)])
    app.state.clock = clock
    return app, calls


REQUESTS = [
    ("/v1/things/3", {"authorization": "Bearer ok"}),
    ("/v1/things/30", {"authorization": "Bearer ok"}),  # out of range
    ("/v1/things/three", {"authorization": "Bearer ok"}),  # not a number
    ("/v1/things/three", {}),  # no token and a bad path: the token is refused first
    ("/v1/things/3", {"authorization": "Bearer no"}),
    ("/v1/counted?limit=5", {}),
]


async def answers(app: FastAPI, calls: list[str]) -> list[tuple[int, str, list[str]]]:
    results = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path, headers in REQUESTS:
            calls.clear()
            response = await client.get(path, headers=headers)
            results.append((response.status_code, response.text, list(calls)))
    return results


async def test_planned_routes_answer_as_fastapi_does() -> None:
    planned, planned_calls = build(PlannedRoute)
    standard, standard_calls = build(APIRoute)
    got = await answers(planned, planned_calls)
    assert got == await answers(standard, standard_calls)
    # What both did, spelled out: each dependency once, the including router's first.
    assert got[0] == (
        200,
        "3 session of /v1/things/3 session of /v1/things/3 42 GET",
        ["audited", "session", "caller", "clock"],
    )
    assert got[1][0] == got[2][0] == 422
    assert '"loc":["path","number"]' in got[1][1]
    assert got[3][0] == got[4][0] == 401
    assert got[5][:2] == (200, "5")


async def test_planned_routes_do_not_walk_fastapis_solver(monkeypatch) -> None:
    async def refuse(**_kwargs: object) -> None:
        raise AssertionError("FastAPI's solver was used")

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", refuse)
    app, _ = build(PlannedRoute)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/v1/things/3", headers={"authorization": "Bearer ok"})
        assert response.status_code == 200
        with pytest.raises(AssertionError, match="solver"):
            await client.get("/v1/counted")  # not planned: FastAPI's handler


async def test_dependency_overrides_are_honoured() -> None:
    app, _ = build(PlannedRoute)

    async def frozen_clock() -> int:
        return 7

    app.dependency_overrides[app.state.clock] = frozen_clock
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/v1/things/3", headers={"authorization": "Bearer ok"})
    assert response.status_code == 200
    assert response.text.split()[-2] == "7"


def test_the_busiest_reads_are_planned_and_writes_with_bodies_are_not() -> None:
    by_route = {
        (method, route.path): plan_route(route.dependant, route.endpoint)
        for route in posts.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    for read in ["/communities/{slug}/posts", "/feed", "/posts/{post_id}", "/search/posts"]:
        assert by_route["GET", read] is not None, read
    assert by_route["GET", "/posts/{post_id}/comments"] is not None
    # A body to validate: FastAPI's own handler.
    assert by_route["POST", "/communities/{slug}/posts"] is None
    assert by_route["PATCH", "/posts/{post_id}"] is None


def test_routes_are_documented_alike() -> None:
    planned, _ = build(PlannedRoute)
    standard, _ = build(APIRoute)
    assert planned.openapi() == standard.openapi()
