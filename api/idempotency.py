"""Idempotency-Key for POST creates: a replay returns the first response, never a second create."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from starlette.responses import Response

from api.deps import ClockDep, CurrentPrincipal, UowDep
from api.schemas.common import Text
from domain.clock import Clock
from domain.errors import Conflict, ValidationFailed
from domain.ports import UnitOfWork

Created = tuple[BaseModel, str | None]  # (response model, Location)


class Idempotency:
    def __init__(
        self, request: Request, uow: UnitOfWork, clock: Clock, owner: str, key: str | None
    ) -> None:
        self.request = request
        self.uow = uow
        self.clock = clock
        self.owner = owner
        self.key = key

    async def _fingerprint(self) -> str:
        body = await self.request.body()
        digest = hashlib.sha256()
        digest.update(f"{self.request.method} {self.request.url.path}\n".encode())
        digest.update(body)
        return digest.hexdigest()

    async def run(
        self, create: Callable[[], Awaitable[Created]], status_code: int = 201
    ) -> Response:
        if self.key is None:
            return _response(*await create(), status_code=status_code)
        fingerprint = await self._fingerprint()
        stored = await self.uow.idempotency.claim(
            self.owner, self.key, fingerprint, self.clock.now()
        )
        if stored is not None:
            if stored.request_hash != fingerprint:
                raise ValidationFailed(
                    "This Idempotency-Key was used with a different request.",
                    field="Idempotency-Key",
                    code="idempotency_key_reused",
                )
            if stored.status_code is None or stored.body is None:
                raise Conflict("A request with this Idempotency-Key is still being processed.")
            replay = Response(
                stored.body, status_code=stored.status_code, media_type="application/json"
            )
            if stored.location:
                replay.headers["Location"] = stored.location
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        await self.uow.commit()  # the claim is visible to concurrent retries from now on
        try:
            model, location = await create()
        except BaseException:
            await self.uow.rollback()
            await self.uow.idempotency.release(self.owner, self.key)
            await self.uow.commit()
            raise
        response = _response(model, location, status_code=status_code)
        await self.uow.idempotency.complete(
            self.owner, self.key, status_code, bytes(response.body), location
        )
        await self.uow.commit()
        return response


def _response(model: BaseModel, location: str | None, *, status_code: int) -> Response:
    response = Response(
        model.model_dump_json().encode(), status_code=status_code, media_type="application/json"
    )
    if location:
        response.headers["Location"] = location
    return response


async def get_idempotency(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        Text | None,
        Header(
            max_length=255,
            description="Retry-safe creates: a replay with the same key and body "
            "returns the first response.",
        ),
    ] = None,
) -> Idempotency:
    return Idempotency(request, uow, clock, f"user:{principal.user_id}", idempotency_key)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]
