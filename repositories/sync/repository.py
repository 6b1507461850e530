"""Reads of delta sync: the change log a caller may see, the head of the log, the refs of a
first snapshot, and the communities and comments that changed, as their GETs show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    bindparam,
    delete,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import Community, Membership, MembershipStatus
from domain.mentorship.model import MentorshipStatus
from domain.posts.model import Comment
from domain.sync.model import (
    SNAPSHOT_COMMUNITIES,
    SNAPSHOT_MENTORSHIPS,
    SNAPSHOT_NOTIFICATIONS,
    SNAPSHOT_POSTS_PER_COMMUNITY,
    START,
    ChangeRef,
    ChangeType,
    LogPage,
    LogPosition,
)
from repositories.communities.repository import viewed_community, viewer_select
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.mentorship.tables import MentorshipRow
from repositories.notifications.repository import visible
from repositories.notifications.tables import NotificationRow
from repositories.posts.queries import comment_from_row, comment_select
from repositories.posts.tables import CommentRow, PostRow
from repositories.rows import fields
from repositories.sync.tables import SyncChangeRow

log = SyncChangeRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
m = CommunityMember.__table__  # type: ignore[attr-defined]
p = PostRow.__table__  # type: ignore[attr-defined]
cm = CommentRow.__table__  # type: ignore[attr-defined]
ms = MentorshipRow.__table__  # type: ignore[attr-defined]
n = NotificationRow.__table__  # type: ignore[attr-defined]

COMMUNITY_KINDS = (ChangeType.community.value, ChangeType.post.value, ChangeType.comment.value)
PERSONAL_KINDS = (
    ChangeType.membership.value,
    ChangeType.mentorship.value,
    ChangeType.notification.value,
    ChangeType.profile.value,
)
_VIEWER = bindparam("viewer_id", type_=m.c.user_id.type)
# Every transaction with a smaller id has finished (committed or rolled back).
_PG_XMIN: ColumnElement[int] = literal_column(
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint", BigInteger()
)


def _my_communities() -> Any:
    return select(m.c.community_id).where(
        m.c.user_id == _VIEWER, m.c.status == MembershipStatus.active.value
    )


def _in_sight() -> ColumnElement[bool]:
    """The log rows the viewer may see: their communities' content, their own rows."""
    return or_(
        and_(log.c.kind.in_(COMMUNITY_KINDS), log.c.community_id.in_(_my_communities())),
        and_(
            log.c.kind.in_(PERSONAL_KINDS),
            or_(log.c.user_id == _VIEWER, log.c.other_user_id == _VIEWER),
        ),
    )


def _after(position: LogPosition) -> ColumnElement[bool]:
    return or_(
        log.c.txid > position.txid, and_(log.c.txid == position.txid, log.c.seq > position.seq)
    )


def _up_to(position: LogPosition) -> ColumnElement[bool]:
    return or_(
        log.c.txid < position.txid, and_(log.c.txid == position.txid, log.c.seq <= position.seq)
    )


class SqlSyncRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _finished(self) -> ColumnElement[bool]:
        if self.session.get_bind().dialect.name == "postgresql":
            finished: ColumnElement[bool] = log.c.txid < _PG_XMIN
            return finished
        return true()  # SQLite: one writer at a time, so commit order is seq order

    async def head(self) -> LogPosition:
        """The last row of the log that no commit still to come can precede."""
        stmt = (
            select(log.c.txid, log.c.seq)
            .where(self._finished())
            .order_by(log.c.txid.desc(), log.c.seq.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        return LogPosition(row[0], row[1]) if row else START

    async def changes(
        self, viewer_id: UUID, after: LogPosition, head: LogPosition, limit: int
    ) -> LogPage:
        """What changed in the viewer's sight in (after, head], oldest first."""
        stmt = (
            select(log.c.txid, log.c.seq, log.c.kind, log.c.entity_id)
            .where(_after(after), _up_to(head), _in_sight())
            .order_by(log.c.txid, log.c.seq)
            .limit(limit + 1)
        )
        rows = (await self.session.execute(stmt, {"viewer_id": viewer_id})).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        refs = [ChangeRef(ChangeType(row.kind), row.entity_id) for row in rows]
        position = LogPosition(rows[-1].txid, rows[-1].seq) if has_more else max(after, head)
        return LogPage(refs, position, has_more)

    async def snapshot(self, viewer_id: UUID) -> list[ChangeRef]:
        """A bounded first copy: the viewer's communities and memberships, each community's
        latest posts, the unread notifications, the open mentorships and the profile."""
        params = {"viewer_id": viewer_id}
        community_ids = list(
            (
                await self.session.execute(
                    select(m.c.community_id)
                    .join(c, c.c.id == m.c.community_id)
                    .where(
                        m.c.user_id == _VIEWER,
                        m.c.status == MembershipStatus.active.value,
                        c.c.archived_at.is_(None),
                    )
                    .order_by(c.c.last_activity_at.desc(), c.c.id)
                    .limit(SNAPSHOT_COMMUNITIES),
                    params,
                )
            ).scalars()
        )
        refs = [ChangeRef(ChangeType.profile, viewer_id)]
        for community_id in community_ids:
            refs.append(ChangeRef(ChangeType.community, community_id))
            refs.append(ChangeRef(ChangeType.membership, community_id))
        # One statement for the rest: each community's latest posts (an index range each), the
        # unread notifications and the open mentorships.
        branches: list[Any] = [
            select(literal_column("'post'").label("kind"), p.c.id)
            .where(p.c.community_id == community_id, p.c.deleted_at.is_(None))
            .order_by(p.c.created_at.desc(), p.c.id.desc())
            .limit(SNAPSHOT_POSTS_PER_COMMUNITY)
            .subquery()
            for community_id in community_ids
        ]
        branches.append(
            select(literal_column("'notification'").label("kind"), n.c.id)
            .where(n.c.user_id == _VIEWER, n.c.read_at.is_(None), visible())
            .order_by(n.c.id.desc())
            .limit(SNAPSHOT_NOTIFICATIONS)
            .subquery()
        )
        branches.append(
            select(literal_column("'mentorship'").label("kind"), ms.c.id)
            .where(
                or_(ms.c.mentor_id == _VIEWER, ms.c.mentee_id == _VIEWER),
                ms.c.status.in_((MentorshipStatus.requested.value, MentorshipStatus.active.value)),
            )
            .order_by(ms.c.created_at.desc())
            .limit(SNAPSHOT_MENTORSHIPS)
            .subquery()
        )
        stmt = union_all(*(select(b.c.kind, b.c.id) for b in branches))
        for row in await self.session.execute(stmt, params):
            refs.append(ChangeRef(ChangeType(row[0]), UUID(str(row[1]))))
        return refs

    async def communities(
        self, viewer_id: UUID, community_ids: list[UUID]
    ) -> dict[UUID, tuple[Community, Membership | None, bool]]:
        """These communities with the viewer's membership and invitation, as GET shows them."""
        if not community_ids:
            return {}
        stmt = viewer_select(_VIEWER).where(c.c.id.in_(community_ids))
        found = {}
        for row in await self.session.execute(stmt, {"viewer_id": viewer_id}):
            view = viewed_community(row, viewer_id)
            if view is not None:
                found[view[0].id] = view
        return found

    async def comments(self, viewer_id: UUID, comment_ids: list[UUID]) -> dict[UUID, Comment]:
        """Live comments of live posts, with the viewer's reactions and the accepted flag."""
        if not comment_ids:
            return {}
        stmt = (
            comment_select()
            .add_columns(p.c.accepted_comment_id.label("post_accepted_id"))
            .join(p, p.c.id == cm.c.post_id)
            .where(cm.c.id.in_(comment_ids), p.c.deleted_at.is_(None))
        )
        rows = await self.session.execute(stmt, {"viewer_id": viewer_id})
        found = {}
        for row in rows:
            comment = comment_from_row(row, fields(row)["post_accepted_id"])
            found[comment.id] = comment
        return found

    async def hidden_notifications(self, viewer_id: UUID, community_ids: list[UUID]) -> list[UUID]:
        """The viewer's notifications about these communities that they can no longer see."""
        if not community_ids:
            return []
        stmt = select(n.c.id).where(
            n.c.user_id == _VIEWER, n.c.community_id.in_(community_ids), ~visible()
        )
        return list((await self.session.execute(stmt, {"viewer_id": viewer_id})).scalars())

    async def prune(self, before: datetime) -> int:
        result: Any = await self.session.execute(delete(log).where(log.c.changed_at < before))
        return int(result.rowcount or 0)
