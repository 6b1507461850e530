"""`ApiRoute`: FastAPI's APIRoute with two rules every route of the API keeps.

FastAPI solves each route's dependencies and serializes its response model as usual; this class
only wraps the handler FastAPI builds (FastAPI's documented "custom APIRoute class" hook,
`get_route_handler`):

- a route that declares `dependencies=[Idempotent]` honours Idempotency-Key
  (api/idempotency.py), and its document says where a replay comes from;
- a route that takes no query parameters refuses any it is sent (422), as routes that take
  some do through their query model (`extra="forbid"`, api/schemas/common.py): a misspelt or
  unsupported filter must not look as if it had worked.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from api.idempotency import Idempotent, honour_idempotency_keys, replay_documented
from api.parameters import declared

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ApiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.idempotent:
            # A copy: `responses` dicts are often shared between routes.
            self.responses = replay_documented(self.responses, self.status_code)

    @property
    def idempotent(self) -> bool:
        """The route declared `dependencies=[Idempotent]` (the one way to opt in)."""
        return any(dependency is Idempotent for dependency in self.dependencies)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if self.idempotent:
            handler = honour_idempotency_keys(handler)
        # Outermost: an unknown query parameter is refused before any key is claimed.
        return _refusing_query_when_none_is_read(self, handler)


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
