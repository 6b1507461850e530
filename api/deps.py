"""The composition root's request wiring: unit of work, principal, scopes, pagination params."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.exceptions import HTTPException
from starlette.types import Scope as AsgiScope

from api.pagination import CursorCodec, InvalidCursor, Page
from api.schemas.common import PageQuery
from api.schemas.notifications import StreamQuery
from auth.principal import Principal
from auth.service import AuthService
from domain.clock import Clock
from domain.errors import Forbidden, Unauthenticated
from domain.notifications.model import StreamListener
from domain.notifications.service import redeem_stream_ticket
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.users.model import Scope
from repositories.db import is_disconnect
from repositories.unit_of_work import RequestUnits

E = TypeVar("E")
S = TypeVar("S")

log = logging.getLogger("leaderful.deps")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


UNITS_OF_WORK = "leaderful.units_of_work"  # scope key: the request's open units of work


async def get_uow(request: Request) -> UnitOfWork:
    """The request's unit of work; `close_units_of_work` ends it once the response is out.

    Not a `yield` dependency: FastAPI enters an anyio cancel scope for each of those, which cost
    more than a database statement on the hottest pages.
    """
    units: RequestUnits = request.app.state.units
    # Reads need no transaction (no BEGIN/ROLLBACK round trips); everything else gets exactly one.
    unit = await units.open(read_only=request.method in READ_METHODS)
    request.scope.setdefault(UNITS_OF_WORK, []).append((units, unit))
    return unit


async def close_units_of_work(scope: AsgiScope) -> None:
    """Roll back whatever was not committed and give the connections back to the pool.

    Runs after the response is out, so a failure here must not escape: the server would drop the
    client's keep-alive connection. A rollback on a lost connection fails, and SQLAlchemy then
    invalidates that connection (the pool replaces it) and returns it to the pool.
    """
    for units, unit in scope.pop(UNITS_OF_WORK, ()):
        try:
            # Shielded: a client that hangs up must not leave a connection checked out.
            await asyncio.shield(units.close(unit))
        except Exception as exc:
            if not is_disconnect(exc):
                log.exception("closing a unit of work failed")


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


@asynccontextmanager
async def short_unit(request: Request, *, read_only: bool) -> AsyncIterator[UnitOfWork]:
    """A unit of work for part of a long response (a stream): it gives its connection back at
    the end of the block, not when the response ends."""
    units: RequestUnits = request.app.state.units
    unit = await units.open(read_only=read_only)
    try:
        yield unit
    finally:
        await asyncio.shield(units.close(unit))


# Plain dependencies are `async def`: FastAPI runs sync ones in a worker thread per request.
async def get_auth(request: Request) -> AuthService:
    service: AuthService = request.app.state.auth
    return service


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


AuthDep = Annotated[AuthService, Depends(get_auth)]
ClockDep = Annotated[Clock, Depends(get_clock)]


def bearer_token(request: Request) -> str:
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Sign in: this endpoint needs a bearer token.")
    return token


def needed_scope(request: Request) -> Scope:
    return Scope.read if request.method in READ_METHODS else Scope.write


class BearerPrincipal(OAuth2PasswordBearer):
    """The caller, from `Authorization: Bearer <JWT or lf_pat_...>`, checked against the account.

    The only way a route learns who is calling: the token is verified and its account read (it
    must exist, be active and still accept the token) before any service runs, so services only
    ever see a confirmed actor. One dependency that is also the OpenAPI security scheme.
    """

    async def __call__(self, request: Request, uow: UowDep) -> Principal:  # type: ignore[override]
        auth: AuthService = request.app.state.auth
        token = bearer_token(request)
        principal = await auth.principal_for(uow, token, needed_scope(request))
        request.app.state.account_buckets.remember(token, principal.user_id)
        return principal


get_principal = BearerPrincipal(
    tokenUrl="/api/v1/auth/token",
    scheme_name="OAuth2PasswordBearer",
    auto_error=False,
    description="A JWT access token from /auth/token, or a personal access token (lf_pat_...).",
)
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


# Notification streams read the header themselves (see get_stream_actor); the same scheme.
stream_bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    scheme_name="OAuth2PasswordBearer",
    auto_error=False,
    description="A JWT access token from /auth/token, or a personal access token (lf_pat_...).",
)


async def get_stream_actor(
    request: Request,
    token: Annotated[str | None, Depends(stream_bearer)],
    query: Annotated[StreamQuery, Query()],
) -> StreamListener:
    """Who opens a notification stream: from the Authorization header, or from a single-use
    ticket (`?ticket=`, for EventSource, which cannot send headers; an access token is never
    taken from the URL). Short units of work: a stream must not hold a database connection."""
    clock: Clock = request.app.state.clock
    if token:
        auth: AuthService = request.app.state.auth
        async with short_unit(request, read_only=True) as uow:
            principal = await auth.principal_for(uow, token, Scope.read)
        version = principal.user.token_version if principal.user else 0
        return StreamListener(principal.user_id, token_version=version)
    if query.ticket is not None:
        async with short_unit(request, read_only=False) as uow:
            return await redeem_stream_ticket(uow, clock, query.ticket)
    raise Unauthenticated("Sign in: send a bearer token, or a ticket from stream-ticket.")


StreamActor = Annotated[StreamListener, Depends(get_stream_actor)]


async def get_short_principal(
    request: Request, token: Annotated[str | None, Depends(stream_bearer)]
) -> Principal:
    """The caller of a response that outlives its reads (a file download): confirmed in a short
    unit of work, so no database connection is held while the bytes go out."""
    auth: AuthService = request.app.state.auth
    bearer = bearer_token(request)
    async with short_unit(request, read_only=True) as uow:
        principal = await auth.principal_for(uow, bearer, needed_scope(request))
    request.app.state.account_buckets.remember(bearer, principal.user_id)
    return principal


ShortPrincipal = Annotated[Principal, Depends(get_short_principal)]


async def get_admin(principal: CurrentPrincipal) -> Principal:
    if not principal.allows(Scope.admin):
        raise Forbidden("This needs an administrator with the 'admin' scope.")
    return principal


AdminPrincipal = Annotated[Principal, Depends(get_admin)]


async def get_session_principal(principal: CurrentPrincipal) -> Principal:
    return principal.require_session()


# For routes that manage credentials (personal tokens, the password): a personal token gets 403.
SessionPrincipal = Annotated[Principal, Depends(get_session_principal)]


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    cursor: str | None


# One envelope class for every list, held here: `Page[S]` built in `page()` was a new pydantic
# model class whenever the previous one had been garbage collected, which cost more than a whole
# answer. The route's response model (`Page[ItemPublic]`) still checks and serializes the items.
ANY_PAGE = Page[Any]


class Paginator:
    """Turns query params into a PageRequest and a domain page into Page[T] for one listing."""

    def __init__(self, codec: CursorCodec, params: PageParams) -> None:
        self.codec = codec
        self.params = params

    def request(self, scope: str) -> PageRequest:
        if self.params.cursor is None:
            return PageRequest(limit=self.params.limit)
        try:
            position = self.codec.decode(scope, self.params.cursor)
        except InvalidCursor as exc:
            raise HTTPException(
                400, "The cursor is invalid; start again from the first page."
            ) from exc
        return PageRequest(limit=self.params.limit, after=position)

    def next_cursor(self, scope: str, result: PageResult[E]) -> str | None:
        position = result.next_position
        return self.codec.encode(scope, position) if position else None

    def page(self, scope: str, result: PageResult[E], to_schema: Callable[[E], S]) -> Page[S]:
        items = [to_schema(item) for item in result.items]
        return ANY_PAGE(items=items, next_cursor=self.next_cursor(scope, result))


async def get_paginator(request: Request, page: Annotated[PageQuery, Query()]) -> Paginator:
    """For lists whose only query parameters are their page's."""
    return paginator_for(request, page.limit, page.cursor)


def paginator_for(request: Request, limit: int, cursor: str | None) -> Paginator:
    """For lists with a query model of their own (PageQuery's fields and their filters)."""
    # Reads the codec itself rather than through another dependency (see BearerPrincipal).
    codec: CursorCodec = request.app.state.cursors
    return Paginator(codec, PageParams(limit, cursor))


PaginatorDep = Annotated[Paginator, Depends(get_paginator)]
