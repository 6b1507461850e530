"""`ApiRoute`: FastAPI's APIRoute with two rules every route of the API keeps.

FastAPI solves each route's dependencies and serializes its response model as usual; this class
only wraps the handler FastAPI builds (FastAPI's documented "custom APIRoute class" hook,
`get_route_handler`):

- a route that declares `dependencies=[Idempotent]` honours Idempotency-Key
  (api/idempotency.py), and its document says where a replay comes from;
- a route that takes no query parameters refuses any it is sent (422), as routes that take
  some do through their query model (`extra="forbid"`, api/schemas/common.py): a misspelt or
  unsupported filter must not look as if it had worked;
- every GET that answers a body answers an `ETag` and honours `If-None-Match` (304), and its
  document says so: routes with a `version` compute their own (api/concurrency.py); any other
  GET, list pages included and routes added later, gets a tag of its response's bytes here.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, APIRouter
from starlette.responses import StreamingResponse
from starlette.routing import Match
from starlette.types import Scope

from api.concurrency import CONDITIONAL_GET, tag_of_body, unless_unchanged
from api.idempotency import Idempotent, honour_idempotency_keys, replay_documented
from api.parameters import declared

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ApiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.idempotent:
            # A copy: `responses` dicts are often shared between routes.
            self.responses = replay_documented(self.responses, self.status_code)
        if self.tagged_by_body:
            self.openapi_extra = _with_conditional_get(self.openapi_extra)

    @property
    def tagged_by_body(self) -> bool:
        """A GET with a body whose ETag the route does not compute itself."""
        if not self.methods or "GET" not in self.methods or not self.include_in_schema:
            return False
        if self.openapi_extra is CONDITIONAL_GET:
            return False  # conditional_get (api/concurrency.py): the route tags by version
        streams = isinstance(self.response_class, type) and (
            issubclass(self.response_class, StreamingResponse)
            or "EventSource" in self.response_class.__name__
        )
        return not streams

    @property
    def idempotent(self) -> bool:
        """The route declared `dependencies=[Idempotent]` (the one way to opt in)."""
        return any(dependency is Idempotent for dependency in self.dependencies)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.idempotent:
            handler = honour_idempotency_keys(handler)
        if self.tagged_by_body:
            handler = _tagging_bodies(handler)
        # Outermost: an unknown query parameter is refused before any key is claimed.
        return _refusing_query_when_none_is_read(self, handler)


class ApiRouter(APIRouter):
    """A feature's router: its routes are `ApiRoute`s, and a request none of them can match is
    refused by a substring test before FastAPI offers it to each route in turn.

    FastAPI matches a request against every route of every included router until one matches,
    at a cost of about 2 us a route that does not: a request for a router included late (a
    mentor list, a health probe) paid 100-300 us before its handler ran. Every path a route
    matches contains the text of the route's path before its first parameter (its "literal
    head"; the include prefix only comes before it), so a path that contains none of the
    router's heads cannot match, fully or partially, any of its routes. Any other path is left
    to FastAPI's own `matches`, which alone decides.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", ApiRoute)
        super().__init__(**kwargs)
        self.heads_for: tuple[int, tuple[str, ...] | None] = (-1, None)

    def literal_heads(self) -> tuple[str, ...] | None:
        """The shortest set of heads that every matchable path contains one of; None when a
        route has no plain path (then every request goes to FastAPI). Kept per route count:
        routes are added by decorators at import time."""
        count, heads = self.heads_for
        if count == len(self.routes):
            return heads
        heads = None
        api_routes = [route for route in self.routes if isinstance(route, APIRoute)]
        if len(api_routes) == len(self.routes):
            found = {route.path.split("{", 1)[0] for route in api_routes}
            # A head that contains a shorter head adds nothing: the shorter one is in its paths.
            heads = tuple(sorted(h for h in found if not any(o != h and o in h for o in found)))
        self.heads_for = (len(self.routes), heads or None)
        return heads or None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        heads = self.literal_heads()
        if heads is not None:
            path = scope["path"]
            if not any(head in path for head in heads):
                return Match.NONE, {}
        return super().matches(scope)


def _refusing_query_when_none_is_read(route: APIRoute, handler: Handler) -> Handler:
    takes_query: bool | None = None  # learnt from the route's operation on first need

    async def handle(request: Request) -> Response:
        nonlocal takes_query
        if request.scope.get("query_string"):
            if takes_query is None:
                reads = declared(request.app, route)
                # A route the document leaves out is left to FastAPI.
                takes_query = reads is None or bool(reads.query)
            if not takes_query:
                raise RequestValidationError(
                    [
                        {
                            "type": "extra_forbidden",
                            "loc": ("query", name),
                            "msg": "Extra inputs are not permitted",
                            "input": request.query_params[name],
                        }
                        for name in request.query_params
                    ]
                )
        return await handler(request)

    return handle


def _with_conditional_get(extra: dict[str, Any] | None) -> dict[str, Any]:
    if extra is not None and "304" in extra.get("responses", {}):
        return extra  # declared already (a route included again, e.g. under a prefix)
    merged = dict(extra or {})
    merged["parameters"] = [*merged.get("parameters", []), *CONDITIONAL_GET["parameters"]]
    merged["responses"] = {**merged.get("responses", {}), **CONDITIONAL_GET["responses"]}
    return merged


def _tagging_bodies(handler: Handler) -> Handler:
    async def handle(request: Request) -> Response:
        response = await handler(request)
        body = getattr(response, "body", None)
        if response.status_code != 200 or not isinstance(body, bytes) or "etag" in response.headers:
            return response
        tag = unless_unchanged(request, tag_of_body(body))
        response.headers["ETag"] = tag
        return response

    return handle
