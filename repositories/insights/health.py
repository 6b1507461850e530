"""The health rollups in SQL: set-based over all communities for one week at a time (the job),
and plain reads of the stored rows (requests)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, Visibility
from domain.insights.index import LeaderfulIndex
from domain.insights.model import (
    CHANGE_WEEKS,
    WEEK,
    CommunityHealthWeek,
    ContentWeek,
    HealthCommunity,
    HealthWeek,
    PeopleWeek,
    RankedCommunity,
    Scope,
)
from domain.posts.model import PostKind
from repositories.base import inline
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.insights.tables import (
    CommunityHealthWeekRow,
    CommunityWeekPersonRow,
    OrganisationHealthWeekRow,
)
from repositories.leadership.tables import LeadershipActRow
from repositories.posts.tables import CommentRow, PostRow, ReactionRow
from repositories.rows import RowLike, fields
from repositories.types import UTCDateTime

cwp = CommunityWeekPersonRow.__table__  # type: ignore[attr-defined]
chw = CommunityHealthWeekRow.__table__  # type: ignore[attr-defined]
ohw = OrganisationHealthWeekRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
m = CommunityMember.__table__  # type: ignore[attr-defined]
p = PostRow.__table__  # type: ignore[attr-defined]
cm = CommentRow.__table__  # type: ignore[attr-defined]
rx = ReactionRow.__table__  # type: ignore[attr-defined]
act = LeadershipActRow.__table__  # type: ignore[attr-defined]

FIGURES = (
    "members",
    "active_members",
    "posts",
    "questions",
    "answered_share",
    "median_first_response_minutes",
    "contributors",
    "leaders",
    "index_active",
    "index_leaders",
    "index_acts",
    "index_share",
    "index_concentration",
)


def _values(week: HealthWeek) -> dict[str, Any]:
    return {
        "week_start": week.week_start,
        "members": week.members,
        "active_members": week.active_members,
        "posts": week.posts,
        "questions": week.questions,
        "answered_share": week.answered_share,
        "median_first_response_minutes": week.median_first_response_minutes,
        "contributors": week.contributors,
        "leaders": week.leaders,
        "index_active": week.index.active_members,
        "index_leaders": week.index.leaders,
        "index_acts": week.index.acts,
        "index_share": week.index.share,
        "index_concentration": week.index.concentration,
        "computed_at": week.computed_at,
    }


def _week(row: RowLike) -> HealthWeek:
    f = fields(row)
    return HealthWeek(
        week_start=f["week_start"],
        members=f["members"],
        active_members=f["active_members"],
        posts=f["posts"],
        questions=f["questions"],
        answered_share=f["answered_share"],
        median_first_response_minutes=f["median_first_response_minutes"],
        contributors=f["contributors"],
        leaders=f["leaders"],
        index=LeaderfulIndex(
            active_members=f["index_active"],
            leaders=f["index_leaders"],
            acts=f["index_acts"],
            share=f["index_share"],
            concentration=f["index_concentration"],
        ),
        computed_at=f["computed_at"],
    )


def _change(share: float, earlier: float | None) -> float | None:
    return None if earlier is None else share - earlier


def _members_before(end: datetime) -> Any:
    return and_(m.c.status == MembershipStatus.active.value, m.c.joined_at < end)


class SqlHealthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def computed_weeks(self, since: datetime) -> dict[datetime, datetime]:
        rows = await self.session.execute(
            select(ohw.c.week_start, ohw.c.computed_at).where(
                ohw.c.scope == Scope.all.value, ohw.c.week_start >= since
            )
        )
        return {start: at for start, at in rows.all()}

    async def roll_people(self, start: datetime, end: datetime) -> None:
        one, zero = literal(1, Integer()), literal(0, Integer())
        posts = select(p.c.community_id, p.c.author_id.label("person_id"), one, zero).where(
            p.c.created_at >= start, p.c.created_at < end, p.c.deleted_at.is_(None)
        )
        comments = (
            select(p.c.community_id, cm.c.author_id, one, zero)
            .select_from(cm.join(p, p.c.id == cm.c.post_id))
            .where(cm.c.created_at >= start, cm.c.created_at < end, cm.c.deleted_at.is_(None))
        )
        on_posts = (
            select(p.c.community_id, rx.c.user_id, zero, zero)
            .select_from(rx.join(p, p.c.id == rx.c.target_id))
            .where(rx.c.target_type == "post", rx.c.created_at >= start, rx.c.created_at < end)
        )
        on_comments = (
            select(p.c.community_id, rx.c.user_id, zero, zero)
            .select_from(rx.join(cm, cm.c.id == rx.c.target_id).join(p, p.c.id == cm.c.post_id))
            .where(rx.c.target_type == "comment", rx.c.created_at >= start, rx.c.created_at < end)
        )
        acts = select(act.c.community_id, act.c.person_id, zero, one).where(
            act.c.community_id.is_not(None), act.c.occurred_at >= start, act.c.occurred_at < end
        )
        every = union_all(posts, comments, on_posts, on_comments, acts).subquery("every")
        community, person, contributed, led = every.c
        rolled = select(
            literal(start, UTCDateTime()),
            community,
            person,
            func.max(contributed),
            func.sum(led),
        ).group_by(community, person)
        await self.session.execute(delete(cwp).where(cwp.c.week_start == start))
        await self.session.execute(
            insert(cwp).from_select(
                ["week_start", "community_id", "person_id", "contributed", "acts"], rolled
            )
        )

    async def content(self, start: datetime, end: datetime, current: bool) -> list[ContentWeek]:
        question = p.c.kind == PostKind.question.value
        members = (
            c.c.member_count
            if current
            else select(func.count())
            .select_from(m)
            .where(m.c.community_id == c.c.id, _members_before(end))
            .scalar_subquery()
        )
        counts = (
            select(p.c.community_id, func.count().label("posts"))
            .add_columns(
                func.count().filter(question).label("questions"),
                func.count()
                .filter(and_(question, p.c.accepted_comment_id.is_not(None)))
                .label("answered"),
            )
            .where(p.c.created_at >= start, p.c.created_at < end, p.c.deleted_at.is_(None))
            .group_by(p.c.community_id)
            .subquery("counts")
        )
        rows = await self.session.execute(
            select(
                c.c.id,
                c.c.visibility,
                members.label("members"),
                func.coalesce(counts.c.posts, 0),
                func.coalesce(counts.c.questions, 0),
                func.coalesce(counts.c.answered, 0),
            )
            .select_from(c.outerjoin(counts, counts.c.community_id == c.c.id))
            .where(c.c.archived_at.is_(None), c.c.created_at < end)
        )
        first_reply = (
            select(func.min(cm.c.created_at))
            .where(
                cm.c.post_id == p.c.id, cm.c.author_id != p.c.author_id, cm.c.deleted_at.is_(None)
            )
            .scalar_subquery()
        )
        minutes: dict[UUID, list[float]] = defaultdict(list)
        replies = await self.session.execute(
            select(p.c.community_id, p.c.created_at, type_coerce(first_reply, UTCDateTime())).where(
                p.c.created_at >= start,
                p.c.created_at < end,
                p.c.deleted_at.is_(None),
                question,
            )
        )
        for community_id, asked, answered in replies.all():
            if answered is not None:
                minutes[community_id].append((answered - asked).total_seconds() / 60)
        return [
            ContentWeek(
                community_id=cid,
                is_public=visibility == Visibility.public.value,
                members=int(n_members),
                posts=int(posts),
                questions=int(questions),
                answered=int(answered),
                first_response_minutes=tuple(minutes[cid]),
            )
            for cid, visibility, n_members, posts, questions, answered in rows.all()
        ]

    async def people(self, start: datetime) -> list[PeopleWeek]:
        rows = await self.session.execute(
            select(
                cwp.c.community_id,
                func.count(),
                func.coalesce(func.sum(cwp.c.contributed), 0),
                func.count().filter(cwp.c.acts > 0),
            )
            .where(cwp.c.week_start == start)
            .group_by(cwp.c.community_id)
        )
        return [PeopleWeek(cid, int(a), int(b), int(d)) for cid, a, b, d in rows.all()]

    async def window_acts(
        self, first_week: datetime, last_week: datetime
    ) -> list[tuple[UUID, UUID, int]]:
        rows = await self.session.execute(
            select(cwp.c.community_id, cwp.c.person_id, func.sum(cwp.c.acts))
            .where(cwp.c.week_start >= first_week, cwp.c.week_start <= last_week)
            .group_by(cwp.c.community_id, cwp.c.person_id)
        )
        return [(cid, pid, int(n)) for cid, pid, n in rows.all()]

    async def organisation_people(self, start: datetime, scope: Scope) -> tuple[int, int, int, int]:
        def in_scope(community_id: Any) -> Any:
            live = select(c.c.id).where(c.c.archived_at.is_(None))
            if scope is Scope.public:
                live = live.where(c.c.visibility == Visibility.public.value)
            return community_id.in_(live)

        end = start + WEEK
        week = and_(cwp.c.week_start == start, in_scope(cwp.c.community_id))
        row = (
            await self.session.execute(
                select(
                    select(func.count(distinct(m.c.user_id)))
                    .where(_members_before(end), in_scope(m.c.community_id))
                    .scalar_subquery(),
                    select(func.count(distinct(cwp.c.person_id))).where(week).scalar_subquery(),
                    select(func.count(distinct(cwp.c.person_id)))
                    .where(week, cwp.c.contributed > 0)
                    .scalar_subquery(),
                    select(func.count(distinct(cwp.c.person_id)))
                    .where(week, cwp.c.acts > 0)
                    .scalar_subquery(),
                )
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])

    async def store(
        self,
        start: datetime,
        communities: Sequence[CommunityHealthWeek],
        organisation: dict[Scope, HealthWeek],
    ) -> None:
        # The change of the index share over CHANGE_WEEKS is kept beside each week for the
        # ranking: this week's rows get it as they are written, and the week CHANGE_WEEKS
        # later (stored first when weeks are filled in backwards) is updated against them.
        earlier = start - CHANGE_WEEKS * WEEK
        shares: dict[UUID, float] = dict(
            (
                await self.session.execute(
                    select(chw.c.community_id, chw.c.index_share).where(chw.c.week_start == earlier)
                )
            ).all()
        )
        await self.session.execute(delete(chw).where(chw.c.week_start == start))
        if communities:
            await self.session.execute(
                insert(chw),
                [
                    {
                        "community_id": r.community_id,
                        **_values(r.week),
                        "index_change": _change(r.week.index.share, shares.get(r.community_id)),
                    }
                    for r in communities
                ],
            )
        later = start + CHANGE_WEEKS * WEEK
        before = chw.alias("before")
        this_week = (
            select(before.c.index_share)
            .where(before.c.community_id == chw.c.community_id, before.c.week_start == start)
            .scalar_subquery()
        )
        await self.session.execute(
            update(chw)
            .where(chw.c.week_start == later)
            .values(index_change=chw.c.index_share - this_week)
        )
        await self.session.execute(delete(ohw).where(ohw.c.week_start == start))
        await self.session.execute(
            insert(ohw),
            [{"scope": scope.value, **_values(week)} for scope, week in organisation.items()],
        )

    async def community_weeks(self, community_id: UUID, since: datetime) -> list[HealthWeek]:
        rows = await self.session.execute(
            select(chw)
            .where(chw.c.community_id == community_id, chw.c.week_start >= since)
            .order_by(chw.c.week_start)
        )
        return [_week(r) for r in rows.all()]

    async def organisation_weeks(self, scope: Scope, since: datetime) -> list[HealthWeek]:
        rows = await self.session.execute(
            select(ohw)
            .where(ohw.c.scope == scope.value, ohw.c.week_start >= since)
            .order_by(ohw.c.week_start)
        )
        return [_week(r) for r in rows.all()]

    async def ranking(
        self, week: datetime, public_only: bool, limit: int
    ) -> tuple[list[RankedCommunity], list[RankedCommunity]]:
        values = {"week": week}
        by_index = await self.session.execute(_ranking_statement(public_only, False, limit), values)
        by_change = await self.session.execute(_ranking_statement(public_only, True, limit), values)
        return [_ranked(r) for r in by_index.all()], [_ranked(r) for r in by_change.all()]


@cache
def _ranking_statement(public_only: bool, by_change: bool, limit: int) -> Select[Any]:
    """One week's communities in one ranking order, built once per shape. Both orders start
    with a column of the week's index (`ix_community_health_week_share`, `..._change`), so the
    database reads the week's best rows first instead of sorting every community."""
    stmt = (
        select(
            c.c.slug,
            c.c.name,
            c.c.visibility,
            chw.c.index_share,
            chw.c.index_concentration,
            chw.c.index_active,
            chw.c.index_leaders,
            chw.c.index_change,
        )
        .select_from(chw.join(c, c.c.id == chw.c.community_id))
        .where(
            chw.c.week_start == bindparam("week", type_=UTCDateTime()), c.c.archived_at.is_(None)
        )
    )
    if public_only:
        stmt = stmt.where(c.c.visibility == Visibility.public.value)
    if by_change:
        stmt = stmt.where(chw.c.index_change.is_not(None)).order_by(
            chw.c.index_change.desc(), chw.c.community_id
        )
    else:
        stmt = stmt.order_by(
            chw.c.index_share.desc(),
            func.coalesce(chw.c.index_concentration, literal_column("1.0")),
            chw.c.community_id,
        )
    return stmt.limit(inline(limit, Integer()))


def _ranked(row: RowLike) -> RankedCommunity:
    f = fields(row)
    change = f["index_change"]
    return RankedCommunity(
        community=HealthCommunity(f["slug"], f["name"], f["visibility"] != Visibility.public.value),
        share=f["index_share"],
        concentration=f["index_concentration"],
        active_members=f["index_active"],
        leaders=f["index_leaders"],
        change=None if change is None else round(change, 4),
    )
