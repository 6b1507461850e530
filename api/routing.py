"""`ScopedRouter`: a router that steps aside, in one regex search, for paths it cannot serve, and
whose routes solve plain dependencies by a plan made once (`PlannedRoute`)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import fastapi.routing
from fastapi import APIRouter, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_typed_return_annotation, request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from api.idempotency import declares_idempotency, honour_idempotency_keys, replay_documented
from api.parameters import declared

_REQUEST = -1  # an argument that is the request itself, not an earlier step's value
Arguments = tuple[tuple[str, int], ...]  # parameter name -> step index (or _REQUEST)


@dataclass(frozen=True, slots=True)
class _Step:
    call: Callable[..., Awaitable[Any]]
    arguments: Arguments


@dataclass(frozen=True, slots=True)
class _Plan:
    """A route's dependencies in the order FastAPI solves them, each once per request."""

    steps: tuple[_Step, ...]
    arguments: Arguments  # the endpoint's, besides its path parameters
    path_params: Sequence[Any]  # FastAPI's ModelFields of the endpoint's path parameters


class PlannedRoute(APIRoute):
    """An APIRoute that, where it can, solves its dependencies by a plan made at start-up.

    FastAPI (0.165) walks a route's dependency tree on every request: cache keys, scope checks,
    override lookups and, per dependency, a search of each parameter list. On a posts page that
    was about 300,000 CPU instructions (tests/perf/instructions.py), 7 % of the request, for three
    dependencies and a path parameter. When a route is plain, the walk has the same outcome every
    time, so it is made once:

    - the endpoint is a coroutine that returns a Response (so FastAPI would not serialize it);
    - each dependency is an `async def` (or an object with one as `__call__`) whose parameters
      are the Request and other dependencies, cached per request (FastAPI's default);
    - the endpoint itself may also take path parameters, validated by FastAPI's own function.

    The request then calls each dependency once, in FastAPI's order, and raises the same
    RequestValidationError for an invalid path parameter, after the dependencies (as FastAPI
    does: a request without a token is refused before its path is validated). Any other route,
    and every route while the app has dependency overrides, is handled by FastAPI as usual.

    A route that declares `dependencies=[Idempotent]` is also wrapped so that it honours
    Idempotency-Key (api/idempotency.py), planned or not.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if declares_idempotency(self.dependant):
            # The document says where a replay can come from (a copy: `responses` dicts are
            # often shared between routes).
            self.responses = replay_documented(self.responses, self.status_code)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = self._solving_handler()
        if declares_idempotency(_effective_dependant(self) or self.dependant):
            handler = honour_idempotency_keys(handler)
        # Outermost: an unknown query parameter is refused before any key is claimed.
        return _refusing_unknown_query(self, handler)

    def _solving_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        standard = super().get_route_handler()
        dependant = _effective_dependant(self)
        plan = plan_route(dependant, self.endpoint) if dependant is not None else None
        if plan is None:
            return standard
        endpoint = self.endpoint

        async def handle(request: Request) -> Response:
            if request.app.dependency_overrides:
                return await standard(request)
            values: list[Any] = []
            for step in plan.steps:
                values.append(await step.call(**_kwargs(step.arguments, request, values)))
            kwargs = _kwargs(plan.arguments, request, values)
            if plan.path_params:
                path_values, errors = request_params_to_args(plan.path_params, request.path_params)
                if errors:
                    raise RequestValidationError(errors)
                kwargs.update(path_values)
            response: Response = await endpoint(**kwargs)
            return response

        return handle


def _refusing_unknown_query(
    route: APIRoute, handler: Callable[[Request], Coroutine[Any, Any, Response]]
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """A query parameter the route does not read is refused (422), as an unknown body field is:
    a misspelt or unsupported filter must not look as if it had worked."""
    known = declared(route).query

    async def handle(request: Request) -> Response:
        if request.scope.get("query_string"):
            unknown = [name for name in request.query_params if name not in known]
            if unknown:
                raise RequestValidationError(
                    [
                        {
                            "type": "extra_forbidden",
                            "loc": ("query", name),
                            "msg": "Unknown query parameter",
                            "input": request.query_params[name],
                        }
                        for name in unknown
                    ]
                )
        return await handler(request)

    return handle


def _kwargs(arguments: Arguments, request: Request, values: list[Any]) -> dict[str, Any]:
    return {name: request if index == _REQUEST else values[index] for name, index in arguments}


def _effective_dependant(route: APIRoute) -> Dependant | None:
    """The dependant FastAPI uses for this route where it is included: an including router's own
    dependencies are added to it (FastAPI passes that context to `get_route_handler` this way).
    None if this FastAPI no longer has that context: the route is then not planned, rather than
    planned without an including router's dependencies."""
    context_var = getattr(fastapi.routing, "_effective_route_context_var", None)
    if context_var is None:
        return None
    context = context_var.get()
    if context is not None and getattr(context, "original_route", None) is route:
        dependant: Dependant = context.dependant
        return dependant
    return route.dependant


def plan_route(dependant: Dependant, endpoint: Callable[..., Any]) -> _Plan | None:
    """The plan of a plain route (see PlannedRoute), or None."""
    if not inspect.iscoroutinefunction(endpoint):
        return None
    returns = get_typed_return_annotation(endpoint)  # as FastAPI reads it
    if not (isinstance(returns, type) and issubclass(returns, Response)):
        return None
    steps: list[_Step] = []
    step_of: dict[int, int] = {}  # id(call) -> index of its step

    def arguments_of(node: Dependant, *, top: bool) -> Arguments | None:
        if not _plain(node, allow_path=top):
            return None
        arguments: list[tuple[str, int]] = []
        if node.request_param_name is not None:
            arguments.append((node.request_param_name, _REQUEST))
        for sub in node.dependencies:
            call = sub.call
            if call is None or not sub.use_cache or not _is_async(call):
                return None
            if id(call) not in step_of:
                sub_arguments = arguments_of(sub, top=False)
                if sub_arguments is None:
                    return None
                step_of[id(call)] = len(steps)
                steps.append(_Step(call, sub_arguments))
            if sub.name is not None:
                arguments.append((sub.name, step_of[id(call)]))
        return tuple(arguments)

    arguments = arguments_of(dependant, top=True)
    if arguments is None:
        return None
    return _Plan(tuple(steps), arguments, list(dependant.path_params))


def _plain(node: Dependant, *, allow_path: bool) -> bool:
    return (
        (allow_path or not node.path_params)
        and not node.query_params
        and not node.header_params
        and not node.cookie_params
        and not node.body_params
        and node.websocket_param_name is None
        and node.http_connection_param_name is None
        and node.response_param_name is None
        and node.background_tasks_param_name is None
        and node.security_scopes_param_name is None
        and not node.own_oauth_scopes
        and node.concurrency is None
    )


def _is_async(call: Callable[..., Any]) -> bool:
    """An `async def`, or an object whose `__call__` is one (not a generator: FastAPI gives those
    an exit stack)."""
    if inspect.isfunction(call) or inspect.ismethod(call):
        return inspect.iscoroutinefunction(call)
    return inspect.iscoroutinefunction(getattr(call, "__call__", None))  # noqa: B004


_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")


class ScopedRouter(APIRouter):
    """An APIRouter that says "no match" at once when none of its routes can match the path.

    FastAPI (0.165) offers a request to every route of every included router in turn, with
    scope bookkeeping around each route's regex: about 17,000 CPU instructions per route, counted
    with tests/perf/instructions.py. A posts page, reached after five routers, spent about a
    million instructions per request (12 % of it) before its own code ran. An included router
    asks the router it wraps whether it `matches`. This one first searches the path for the end
    of any of its routes' paths, one compiled alternation, and answers NONE when there is none.
    A search rather than a match: the prefix the router is included under (`/api/v1`) is not
    known here, so the test accepts any prefix. It lets through a superset of its routes' paths,
    and FastAPI's own matching still decides.
    """

    _path_filter: re.Pattern[str] | None = None
    _path_filter_routes = -1  # how many routes the filter was built from

    def __init__(self, *args: Any, route_class: type[APIRoute] = PlannedRoute, **kwargs: Any):
        super().__init__(*args, route_class=route_class, **kwargs)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path_filter = self._current_path_filter()
        if path_filter is not None and path_filter.search(scope.get("path", "")) is None:
            return Match.NONE, {}
        return super().matches(scope)

    def _current_path_filter(self) -> re.Pattern[str] | None:
        # Rebuilt if routes were added after the first request (tests add some).
        if self._path_filter_routes != len(self.routes):
            self._path_filter = path_filter(self)
            self._path_filter_routes = len(self.routes)
        return self._path_filter


def path_filter(router: APIRouter) -> re.Pattern[str] | None:
    """One pattern that finds, at the end of a path, the path of any of `router`'s routes; None
    (no filtering) when a route has no path pattern (a mount, an included router)."""
    patterns = []
    for route in router.routes:
        regex: re.Pattern[str] | None = getattr(route, "path_regex", None)
        if regex is None:
            return None
        # Starlette's route patterns are "^/path/(?P<param>...)$": unanchored at the start, and
        # with unnamed groups (the same parameter name may appear in several routes).
        patterns.append(_NAMED_GROUP.sub("(?:", regex.pattern.removeprefix("^")))
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")") if patterns else None
