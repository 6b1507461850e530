"""Delta sync for mobile clients: `GET /sync`, everything that changed in the caller's sight
since their last token, page by page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request
from starlette.exceptions import HTTPException

from api.deps import ClockDep, CurrentPrincipal, UowDep
from api.pagination import CursorCodec, InvalidCursor
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.sync import SyncPagePublic, SyncQuery, change_of
from domain.sync import service as sync_service
from domain.sync.model import LogPosition, SyncToken

router = ApiRouter(tags=["sync"])


def _scope(principal: CurrentPrincipal) -> str:
    # A token is bound to its account: someone else's token is no token.
    return f"sync:{principal.user_id}"


def _token(codec: CursorCodec, scope: str, text: str) -> SyncToken:
    try:
        match codec.decode(scope, text):
            case (int() as txid, int() as seq, datetime() as complete_at):
                return SyncToken(LogPosition(txid, seq), complete_at)
        raise InvalidCursor("not a sync token")
    except InvalidCursor as exc:
        raise HTTPException(
            400, "The sync token is invalid; call /sync without one to start again."
        ) from exc


@router.get(
    "/sync",
    response_model=SyncPagePublic,
    responses=problem_responses(400, 410),
)
async def sync(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[SyncQuery, Query()],
) -> SyncPagePublic:
    """What changed that you can see since `since`: upserts (`data` is the resource as its GET
    shows it) and tombstones (`deleted: true`), oldest first; then `next`, and `has_more` while
    more changes wait. Without `since`: a bounded first snapshot (your communities with your
    membership, their latest posts, your unread notifications, open mentorships and your
    profile). A token older than 30 days answers 410: resync from a snapshot."""
    codec: CursorCodec = request.app.state.cursors
    scope = _scope(principal)
    token = _token(codec, scope, query.since) if query.since is not None else None
    page = await sync_service.sync(uow, clock, principal, token, query.limit)
    position = page.token.position
    return SyncPagePublic(
        changes=[change_of(change) for change in page.changes],
        next=codec.encode(scope, (position.txid, position.seq, page.token.complete_at)),
        has_more=page.has_more,
    )
