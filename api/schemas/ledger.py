"""Wire models of the leadership ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import OutputModel, PageCursor, PageLimit, QueryModel
from domain.leadership.model import ActKind, LedgerEntry, QuarterCount, SubjectType


class LedgerCommunityPublic(OutputModel):
    slug: str
    name: str
    is_private: bool


class LeadershipActPublic(OutputModel):
    id: UUID
    kind: ActKind
    occurred_at: datetime
    community: LedgerCommunityPublic | None
    subject_type: SubjectType
    subject_id: UUID
    evidence_url: str = Field(description="Where the act can be checked (a path in the app).")

    @classmethod
    def of(cls, entry: LedgerEntry) -> LeadershipActPublic:
        c = entry.community
        return cls(
            id=entry.id,
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            community=None
            if c is None
            else LedgerCommunityPublic(slug=c.slug, name=c.name, is_private=c.is_private),
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            evidence_url=entry.evidence_url,
        )


class LedgerQuarterPublic(OutputModel):
    quarter: str = Field(description='Calendar quarter, e.g. "2026-Q4".')
    total: int
    by_kind: dict[ActKind, int]


class LedgerSummaryPublic(OutputModel):
    quarters: list[LedgerQuarterPublic] = Field(description="Oldest first; empty quarters omitted.")
    totals: dict[ActKind, int]

    @classmethod
    def of(cls, counts: list[QuarterCount]) -> LedgerSummaryPublic:
        quarters: dict[str, dict[ActKind, int]] = {}
        totals: dict[ActKind, int] = {}
        for row in counts:
            quarters.setdefault(row.quarter, {})[row.kind] = row.count
            totals[row.kind] = totals.get(row.kind, 0) + row.count
        return cls(
            quarters=[
                LedgerQuarterPublic(quarter=q, total=sum(kinds.values()), by_kind=kinds)
                for q, kinds in sorted(quarters.items())
            ],
            totals=totals,
        )


RangeFrom = Annotated[
    datetime | None,
    Field(alias="from", description="Acts at or after this time (RFC 3339; naive means UTC)."),
]
RangeTo = Annotated[
    datetime | None, Field(alias="to", description="Acts before this time (RFC 3339).")
]


class LedgerQuery(QueryModel):
    since: RangeFrom = None
    until: RangeTo = None
    limit: PageLimit = 20
    cursor: PageCursor = None


class LedgerSummaryQuery(QueryModel):
    since: RangeFrom = None
    until: RangeTo = None


class LedgerExportQuery(QueryModel):
    format: Literal["csv", "json"] = "csv"
