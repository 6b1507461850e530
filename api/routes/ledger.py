"""The leadership ledger: a person's acts of leadership, by date and by quarter, and the
caller's own record as a file to take to a review."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response
from pydantic import TypeAdapter

from api.deps import CurrentPrincipal, UowDep, paginator_for
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import Text
from api.schemas.ledger import (
    LeadershipActPublic,
    LedgerExportQuery,
    LedgerQuery,
    LedgerSummaryPublic,
    LedgerSummaryQuery,
)
from domain.leadership import service as ledger

router = ApiRouter(tags=["ledger"])

HandlePath = Annotated[Text, Path(min_length=1, max_length=30)]
EXPORT_COLUMNS = ("occurred_at", "kind", "community", "community_slug", "private", "evidence_url")
EXPORT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The caller's whole ledger as a download (Content-Disposition: attachment).",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/LeadershipActPublic"},
                }
            },
        },
    },
}
_acts = TypeAdapter(list[LeadershipActPublic])


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a community named "=HYPERLINK(...)")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


@router.get("/users/{handle}/ledger", responses=problem_responses(400, 401, 403, 404, 422, 429))
async def list_ledger(
    request: Request,
    handle: HandlePath,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[LedgerQuery, Query()],
) -> Page[LeadershipActPublic]:
    """The person's leadership acts, newest first, each with its community and a link to the
    evidence. Acts in a private community are shown only to its members and to the person."""
    since, until = _utc(query.since), _utc(query.until)
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"ledger:{handle.lower()}:{since}:{until}"
    result = await ledger.ledger(uow, principal, handle, since, until, paginator.request(scope))
    return paginator.page(scope, result, LeadershipActPublic.of)


@router.get("/users/{handle}/ledger/summary", responses=problem_responses(401, 403, 404, 422, 429))
async def get_ledger_summary(
    handle: HandlePath,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[LedgerSummaryQuery, Query()],
) -> LedgerSummaryPublic:
    """The person's acts counted by calendar quarter (UTC) and kind, under the same visibility
    rule as the ledger."""
    counts = await ledger.ledger_summary(
        uow, principal, handle, _utc(query.since), _utc(query.until)
    )
    return LedgerSummaryPublic.of(counts)


@router.get(
    "/me/ledger/export",
    response_class=Response,
    responses={**EXPORT_RESPONSE, **problem_responses(401, 403, 422, 429)},
)
async def export_my_ledger(
    uow: UowDep, principal: CurrentPrincipal, query: Annotated[LedgerExportQuery, Query()]
) -> Response:
    """The caller's whole ledger, private communities included, as CSV or JSON to download."""
    acts = [LeadershipActPublic.of(e) for e in await ledger.export_ledger(uow, principal)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    if query.format == "json":
        body = _acts.dump_json(acts)
        media = "application/json"
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        for act in acts:
            writer.writerow(
                (
                    act.occurred_at.isoformat().replace("+00:00", "Z"),
                    act.kind.value,
                    _cell(act.community.name) if act.community else "",
                    act.community.slug if act.community else "",
                    "yes" if act.community and act.community.is_private else "no",
                    act.evidence_url,
                )
            )
        body = out.getvalue().encode()
        media = "text/csv; charset=utf-8"
    disposition = f'attachment; filename="leadership-ledger-{stamp}.{query.format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
