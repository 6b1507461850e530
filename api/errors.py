"""Every error becomes problem+json here, in one place: domain errors, HTTP errors, validation."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from api.parameters import declared
from api.problems import problem
from domain import errors as domain

log = logging.getLogger("leaderful.errors")
ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]

DOMAIN_STATUS: list[tuple[type[domain.DomainError], int, str]] = [
    (domain.Unauthenticated, 401, "unauthenticated"),
    (domain.NotFound, 404, "not-found"),
    (domain.Forbidden, 403, "forbidden"),
    (domain.InvalidState, 409, "invalid-state"),
    (domain.Conflict, 409, "conflict"),
    (domain.PreconditionFailed, 412, "precondition-failed"),
    (domain.Gone, 410, "gone"),
    (domain.ValidationFailed, 422, "validation"),
    (domain.LinkRefused, 422, "link-refused"),
    (domain.TooLarge, 413, "too-large"),
    (domain.UnsupportedMedia, 415, "unsupported-media-type"),
    (domain.RateLimited, 429, "rate-limited"),
    (domain.Overloaded, 503, "overloaded"),
]

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, domain.DomainError)
    for cls, status, slug in DOMAIN_STATUS:
        if isinstance(exc, cls):
            headers: dict[str, str] | None = None
            errors: list[dict[str, Any]] | None = None
            if status == 401:
                headers = BEARER_CHALLENGE
            if isinstance(exc, domain.ValidationFailed):
                loc: list[str | int] = list(_location(request, exc.field))
                errors = [{"loc": loc, "msg": exc.detail, "type": exc.code or "value_error"}]
            if isinstance(exc, domain.RateLimited | domain.Overloaded):
                headers = {"Retry-After": str(exc.retry_after)}
            return problem(
                status, exc.detail, slug=slug, code=exc.code, errors=errors, headers=headers
            )
    return problem(500, "Something went wrong on our side.")


def _location(request: Request, field: str | None) -> tuple[str, ...]:
    """Where the request carried `field`: the domain names a value, the route knows whether it
    came in the body, the query string, a header or the path."""
    if field is None:
        return ("body",)
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        reads = declared(request.app, route)
        if reads is not None:
            return reads.location_of(field)
    return ("body", field)


def _message(error: dict[str, Any]) -> str:
    # A query model refuses parameters it does not declare (extra="forbid"), as does a route
    # that reads none (api/routing.py); pydantic's words for that are about model inputs.
    loc = error.get("loc", ())
    if error.get("type") == "extra_forbidden" and loc and loc[0] == "query":
        return "Unknown query parameter"
    return str(error.get("msg", ""))


def _is_malformed(error: dict[str, Any]) -> bool:
    return error.get("type") == "json_invalid"


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    if any(_is_malformed(e) for e in raw):
        return problem(400, "The request body is not valid JSON.", slug="malformed")
    errors = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
            "msg": _message(e),
            "type": str(e.get("type", "")),
        }
        for e in raw
    ]
    return problem(422, "The request has invalid values.", slug="validation", errors=errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if status == 404 and detail == "Not Found":
        spa = getattr(request.app.state, "spa", None)
        if spa is not None and spa.handles(request.method, request.url.path):
            response: Response = spa.serve(request.url.path)
            return response
        detail = "There is nothing at this address."
    if status == 405:
        detail = f"{request.method} is not allowed here."
        exc.headers = {"Allow": _allowed_methods(request)}
    if status < 400:
        return Response(status_code=status, headers=exc.headers)
    headers = dict(exc.headers or {})
    if status == 401:
        headers.update(BEARER_CHALLENGE)
    return problem(status, detail, headers=headers or None)


CANDIDATE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> str:
    """Starlette's Allow names only the first route on the path; ask the router per method."""
    allowed = [
        method
        for method in CANDIDATE_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
    return ", ".join(allowed)


async def _integrity_error(request: Request, exc: Exception) -> Response:
    # Unique constraints are the last line of defence against races the services can't see.
    log.info("integrity conflict", extra={"error": str(exc.__class__.__name__)})
    return problem(409, "This conflicts with data that was just written.", slug="conflict")


DATABASE_RETRY_AFTER = "2"  # seconds; a restarted PostgreSQL accepts connections within a few
# What a lost database raises: driver errors, SQLAlchemy's name for a lost connection, a pool
# that found no free connection in time, and a refused or reset connect (OSError).
DATABASE_ERRORS = (DBAPIError, DisconnectionError, PoolTimeout, OSError)


def _database_error(unavailable: Callable[[BaseException], bool]) -> ExceptionHandler:
    async def handle(request: Request, exc: Exception) -> Response:
        """The database is out of reach (restart, failover, network, pool exhausted): 503, so
        clients retry. Any other error of these kinds is a bug and stays a 500. A commit cut off
        this way answers 503 too: its outcome is unknown, so it is never acknowledged."""
        if not unavailable(exc):
            return await _unexpected(request, exc)
        log.warning("database unavailable", extra={"error": exc.__class__.__name__})
        return problem(
            503,
            "The service is briefly unavailable; retry shortly.",
            slug="unavailable",
            headers={"Retry-After": DATABASE_RETRY_AFTER},
        )

    return handle


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "Something went wrong on our side.")


def install_error_handlers(
    app: FastAPI, *, database_unavailable: Callable[[BaseException], bool]
) -> None:
    """`database_unavailable` tells a lost database from a failing statement (the storage layer
    knows its driver's errors)."""
    app.add_exception_handler(domain.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    on_database_error = _database_error(database_unavailable)
    for database_error in DATABASE_ERRORS:
        app.add_exception_handler(database_error, on_database_error)
    app.add_exception_handler(Exception, _unexpected)
