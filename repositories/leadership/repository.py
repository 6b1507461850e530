"""The leadership ledger in SQL: acts written beside the act itself, read by person with the
visibility of their communities applied in the same statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Integer,
    String,
    Uuid,
    and_,
    cast,
    delete,
    exists,
    extract,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.communities.model import MembershipStatus, Visibility
from domain.leadership.model import (
    ActKind,
    LeadershipAct,
    LedgerCommunity,
    LedgerEntry,
    QuarterCount,
    SubjectType,
)
from domain.notifications.model import time_ordered_id
from domain.pagination import PageRequest, PageResult
from repositories.base import SortKey, keyset_page
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.leadership.tables import LeadershipActRow
from repositories.posts.tables import PostNudgeRow
from repositories.rows import RowLike, fields
from repositories.types import UTCDateTime

act = LeadershipActRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
m = CommunityMember.__table__  # type: ignore[attr-defined]
nudge = PostNudgeRow.__table__  # type: ignore[attr-defined]

KEYS = (SortKey(act.c.occurred_at, descending=True), SortKey(act.c.id, descending=True))


def _visible_to(person_id: UUID, viewer_id: UUID) -> ColumnElement[bool]:
    """Acts outside communities, in public ones, or in private ones the viewer belongs to;
    the person sees all of their own."""
    if person_id == viewer_id:
        return literal(True)
    member = exists().where(
        m.c.community_id == act.c.community_id,
        m.c.user_id == viewer_id,
        m.c.status == MembershipStatus.active.value,
    )
    return or_(act.c.community_id.is_(None), c.c.visibility == Visibility.public.value, member)


def _in_range(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    clauses = []
    if since is not None:
        clauses.append(act.c.occurred_at >= since)
    if until is not None:
        clauses.append(act.c.occurred_at < until)
    return clauses


def _entry(row: RowLike) -> LedgerEntry:
    f = fields(row)
    community = (
        None
        if f["slug"] is None
        else LedgerCommunity(
            slug=f["slug"], name=f["name"], is_private=f["visibility"] != Visibility.public.value
        )
    )
    return LedgerEntry(
        id=f["id"],
        kind=ActKind(f["kind"]),
        occurred_at=f["occurred_at"],
        community=community,
        subject_type=SubjectType(f["subject_type"]),
        subject_id=f["subject_id"],
    )


def _entries() -> Any:
    return select(
        act.c.id,
        act.c.kind,
        act.c.occurred_at,
        act.c.subject_type,
        act.c.subject_id,
        c.c.slug,
        c.c.name,
        c.c.visibility,
    ).select_from(act.outerjoin(c, c.c.id == act.c.community_id))


class SqlLeadershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, acts: Sequence[LeadershipAct]) -> None:
        if not acts:
            return
        await self.session.execute(
            insert(act),
            [
                {
                    "id": a.id,
                    "person_id": a.person_id,
                    "community_id": a.community_id,
                    "kind": a.kind.value,
                    "occurred_at": a.occurred_at,
                    "subject_type": a.subject_type.value,
                    "subject_id": a.subject_id,
                }
                for a in acts
            ],
        )

    async def record_nudged_answer(
        self, person_id: UUID, post_id: UUID, community_id: UUID, at: datetime
    ) -> None:
        kind = ActKind.nudged_question_answered.value
        asked = exists().where(
            nudge.c.post_id == post_id,
            nudge.c.user_id == person_id,
            nudge.c.nudged_at.is_not(None),
        )
        already = exists().where(
            act.c.person_id == person_id, act.c.kind == kind, act.c.subject_id == post_id
        )
        row = select(
            literal(time_ordered_id(at), Uuid()),
            literal(person_id, Uuid()),
            literal(community_id, Uuid()),
            literal(kind, String()),
            literal(at, UTCDateTime()),
            literal(SubjectType.post.value, String()),
            literal(post_id, Uuid()),
        ).where(asked, ~already)
        columns = [
            "id",
            "person_id",
            "community_id",
            "kind",
            "occurred_at",
            "subject_type",
            "subject_id",
        ]
        await self.session.execute(insert(act).from_select(columns, row))

    async def withdraw(self, kind: ActKind, subject_id: UUID) -> None:
        await self.session.execute(
            delete(act).where(act.c.subject_id == subject_id, act.c.kind == kind.value)
        )

    async def ledger(
        self,
        person_id: UUID,
        viewer_id: UUID,
        since: datetime | None,
        until: datetime | None,
        page: PageRequest,
    ) -> PageResult[LedgerEntry]:
        stmt = _entries().where(
            act.c.person_id == person_id,
            _visible_to(person_id, viewer_id),
            *_in_range(since, until),
        )
        return await keyset_page(
            self.session,
            stmt,
            KEYS,
            page,
            _entry,
            lambda row: (fields(row)["occurred_at"], fields(row)["id"]),
        )

    async def quarters(
        self, person_id: UUID, viewer_id: UUID, since: datetime | None, until: datetime | None
    ) -> list[QuarterCount]:
        year = cast(extract("year", act.c.occurred_at), Integer)
        quarter = (cast(extract("month", act.c.occurred_at), Integer) + 2) // 3
        stmt = (
            select(year.label("year"), quarter.label("quarter"), act.c.kind, func.count())
            .select_from(act.outerjoin(c, c.c.id == act.c.community_id))
            .where(
                and_(
                    act.c.person_id == person_id,
                    _visible_to(person_id, viewer_id),
                    *_in_range(since, until),
                )
            )
            .group_by(year, quarter, act.c.kind)
            .order_by(year, quarter, act.c.kind)
        )
        return [
            QuarterCount(quarter=f"{y}-Q{q}", kind=ActKind(kind), count=int(n))
            for y, q, kind, n in (await self.session.execute(stmt)).all()
        ]

    async def export(self, person_id: UUID, limit: int) -> list[LedgerEntry]:
        stmt = (
            _entries()
            .where(act.c.person_id == person_id)
            .order_by(act.c.occurred_at.desc(), act.c.id.desc())
            .limit(limit)
        )
        return [_entry(row) for row in (await self.session.execute(stmt)).all()]
