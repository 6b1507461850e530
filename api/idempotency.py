"""Idempotency-Key for writes that create something: a replay returns the first response, never a
second create.

A route opts in with one declaration, `dependencies=[Idempotent]`. The dependency claims the key
(after the caller is known) and commits the claim, so a concurrent retry sees it; the route class
(api/routing.py ApiRoute) sees that declaration and wraps the route's handler with
`honour_idempotency_keys`, which stores the response the route produced, or frees the key when
the route failed. A replay answers the stored status, body
and Location with `Idempotent-Replayed: true`; the same key with another method, path or body is
a 422; a retry while the first request still runs is a 409.

Stored answers are sealed (Fernet, under a key derived from the instance's secret key for this
use only) before they reach the database: some carry a secret shown once (a webhook's signing
secret, a personal access token), and a copy of the database must not reveal it. A replay opens
the stored answer; one no known key opens (the instance key changed without keeping the old one
in LEADERFUL_JWT_PREVIOUS_KEYS) is a 409 rather than a second create.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from cryptography.fernet import InvalidToken
from fastapi import Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from api.deps import ClockDep, CurrentPrincipal, UowDep
from api.schemas.common import Text
from auth.webhook_secrets import FernetSecretBox
from domain.errors import Conflict
from domain.ports import StoredResponse, UnitOfWork

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# How long a claim may wait for its answer before a retry may take the key over: far longer than
# any request runs (bodies must arrive within seconds, statements are short).
ABANDONED_AFTER = timedelta(minutes=2)
_CLAIM = "leaderful.idempotency"  # request scope key: the claim this request holds
_WRAPPED = "leaderful.idempotency.wrapped"  # set by the wrapper that completes claims

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


@dataclass(frozen=True, slots=True)
class _Claim:
    uow: UnitOfWork
    box: FernetSecretBox
    owner: str
    key: str

    async def complete(self, response: Response) -> None:
        await self.uow.idempotency.complete(
            self.owner,
            self.key,
            response.status_code,
            self.box.seal_bytes(bytes(response.body)),
            response.headers.get("location"),
        )
        await self.uow.commit()

    async def release(self) -> None:
        await self.uow.rollback()
        await self.uow.idempotency.release(self.owner, self.key)
        await self.uow.commit()


class _Replay(Exception):
    """Raised by the dependency to answer with the stored response instead of the route."""

    def __init__(self, stored: StoredResponse, body: bytes) -> None:
        super().__init__("idempotent replay")
        self.stored = stored
        self.body = body

    def response(self) -> Response:
        body = self.body
        replay = Response(
            body,
            status_code=self.stored.status_code or 200,
            media_type="application/json" if body else None,
        )
        if self.stored.location:
            replay.headers["Location"] = self.stored.location
        replay.headers[REPLAYED] = "true"
        return replay


async def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.url.path}\n".encode())
    digest.update(await request.body())
    return digest.hexdigest()


async def claim_idempotency_key(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        Text | None,
        Header(
            min_length=1,
            max_length=255,
            description="Retry-safe create: a retry with the same key and body gets the first "
            f"response again (with `{REPLAYED}: true`) instead of a second create; the same "
            "key with a different request is a 422. Keys are per account.",
        ),
    ] = None,
) -> None:
    if idempotency_key is None:
        return
    if not request.scope.get(_WRAPPED):
        # A claim nobody completes would hold its key as "still being processed" forever.
        # Declared elsewhere than in the route's own `dependencies` (which ApiRoute reads).
        raise RuntimeError("Declare dependencies=[Idempotent] on a route of class ApiRoute.")
    box: FernetSecretBox = request.app.state.replay_box
    owner = f"user:{principal.user_id}"
    fingerprint = await _fingerprint(request)
    stored = await uow.idempotency.claim(owner, idempotency_key, fingerprint, clock.now())
    if stored is not None:
        if stored.request_hash != fingerprint:
            # A header error, located as FastAPI locates its own header errors.
            raise RequestValidationError(
                [
                    {
                        "loc": ("header", HEADER.lower()),
                        "msg": "This Idempotency-Key was used with a different request.",
                        "type": "idempotency_key_reused",
                    }
                ]
            )
        if stored.status_code is not None and stored.body is not None:
            raise _Replay(stored, _opened(box, stored.body))
        # A claim left without an answer (its request lost the database mid-way, or the process
        # died) would otherwise hold the key for ever; after a while a retry takes it over.
        now = clock.now()
        if (
            stored.claimed_at is None
            or stored.claimed_at > now - ABANDONED_AFTER
            or not await uow.idempotency.take_over(owner, idempotency_key, stored.claimed_at, now)
        ):
            raise Conflict("A request with this Idempotency-Key is still being processed.")
    await uow.commit()  # the claim is visible to concurrent retries from now on
    request.scope[_CLAIM] = _Claim(uow, box, owner, idempotency_key)


def _opened(box: FernetSecretBox, sealed: bytes) -> bytes:
    if not sealed:
        return b""
    try:
        return box.open_bytes(sealed)
    except InvalidToken:
        raise Conflict(
            "The answer stored for this Idempotency-Key can no longer be read; use a new key."
        ) from None


Idempotent = Depends(claim_idempotency_key)
"""`dependencies=[Idempotent]` on a route honours Idempotency-Key there."""


def honour_idempotency_keys(handler: Handler) -> Handler:
    """Wrap a route handler: answer replays, store a 2xx response under the claimed key, free
    the key when the route failed (so a corrected retry may use it)."""

    async def handle(request: Request) -> Response:
        request.scope[_WRAPPED] = True
        try:
            response = await handler(request)
        except _Replay as replay:
            return replay.response()
        except BaseException:
            claim = request.scope.pop(_CLAIM, None)
            if claim is not None:
                await claim.release()
            raise
        claim = request.scope.pop(_CLAIM, None)
        if claim is not None:
            if 200 <= response.status_code < 300:
                await claim.complete(response)
            else:
                await claim.release()
        return response

    return handle


def replay_documented(
    responses: dict[int | str, dict[str, Any]], status_code: int | None
) -> dict[int | str, dict[str, Any]]:
    """The route's extra OpenAPI responses, with the replay header on each success response."""
    header = {
        REPLAYED: {
            "description": "`true` when this is the stored answer to an earlier request "
            "with the same Idempotency-Key.",
            "schema": {"type": "string", "enum": ["true"]},
        }
    }
    documented = dict(responses)
    successes = {status_code or 200, *(c for c in responses if str(c).startswith("2"))}
    for code in successes:
        success = dict(documented.get(code, {}))
        success["headers"] = {**success.get("headers", {}), **header}
        documented[code] = success
    return documented
