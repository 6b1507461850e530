"""Posts, comments, reactions and reports in SQL: the PostRepository port. The hot reads live in
`repositories.posts.queries`; this module writes, and reads what only writes and rarer reads need.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Select,
    and_,
    delete,
    func,
    insert,
    literal_column,
    select,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, NotifyLevel, Visibility
from domain.communities.ports import ContentStats
from domain.pagination import PageRequest, PageResult
from domain.posts.model import (
    REACTION_WEIGHT,
    Comment,
    FeedSort,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Report,
    ReportAction,
    ReportReason,
    ReportStatus,
    TargetType,
)
from domain.posts.ports import CommentContext, CommunityPostsPage, PostContext, PostThreadPage
from repositories.base import SortKey, insert_or_ignore, keyset_page, rows_changed
from repositories.posts import queries
from repositories.posts.queries import (
    attachments_json,
    c,
    cm,
    comment_from_row,
    comment_select,
    mem,
    p,
    position_of,
    post_from_row,
    post_select,
    pt,
    rx,
)
from repositories.posts.tables import PostMention, ReportRow
from repositories.rows import fields

mention = PostMention.__table__  # type: ignore[attr-defined]
rep = ReportRow.__table__  # type: ignore[attr-defined]

COUNTER = {
    ReactionKind.like: "like_count",
    ReactionKind.helpful: "helpful_count",
    ReactionKind.insightful: "insightful_count",
}


class SqlPostRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        bind = self.session.bind
        return bind.dialect.name if bind is not None else "sqlite"

    # --- posts ---

    async def add(self, post: Post, skill_ids: list[UUID], mentioned: list[UUID]) -> None:
        await self.session.execute(
            insert(p).values(
                id=post.id,
                community_id=post.community.id,
                author_id=post.author.id,
                kind=post.kind.value,
                title=post.title,
                body=post.body,
                body_html=post.body_html,
                links=json.dumps([{"url": lk.url, "title": lk.title} for lk in post.links]),
                tags=json.dumps(post.tags),
                attachments=attachments_json(post.attachments),
                created_at=post.created_at,
                updated_at=post.updated_at,
                last_activity_at=post.last_activity_at,
                listed=select(
                    and_(c.c.visibility == Visibility.public.value, c.c.archived_at.is_(None))
                )
                .where(c.c.id == post.community.id)
                .scalar_subquery(),
            )
        )
        if skill_ids:
            await self.session.execute(
                insert(pt), [{"post_id": post.id, "skill_id": s} for s in skill_ids]
            )
        if mentioned:
            await self.session.execute(
                insert(mention), [{"post_id": post.id, "user_id": u} for u in mentioned]
            )
        await self.session.execute(
            update(c)
            .where(c.c.id == post.community.id)
            .values(post_count=c.c.post_count + 1, last_activity_at=post.created_at)
        )

    async def update(self, post: Post, skill_ids: list[UUID] | None) -> None:
        await self.session.execute(
            update(p)
            .where(p.c.id == post.id)
            .values(
                kind=post.kind.value,
                title=post.title,
                body=post.body,
                body_html=post.body_html,
                links=json.dumps([{"url": lk.url, "title": lk.title} for lk in post.links]),
                tags=json.dumps(post.tags),
                attachments=attachments_json(post.attachments),
                is_pinned=post.is_pinned,
                is_locked=post.is_locked,
                updated_at=post.updated_at,
                version=post.version,
            )
        )
        if skill_ids is not None:
            await self.session.execute(delete(pt).where(pt.c.post_id == post.id))
            if skill_ids:
                await self.session.execute(
                    insert(pt), [{"post_id": post.id, "skill_id": s} for s in skill_ids]
                )

    async def soft_delete(self, post_id: UUID, at: datetime) -> bool:
        """Only a live post is deleted and counted out: of concurrent deletes one wins."""
        result = await self.session.execute(
            update(p)
            .where(p.c.id == post_id, p.c.deleted_at.is_(None))
            .values(deleted_at=at, version=p.c.version + 1)
            .returning(p.c.community_id)
        )
        community_id = result.scalar_one_or_none()
        if community_id is None:
            return False
        await self.session.execute(
            update(c).where(c.c.id == community_id).values(post_count=c.c.post_count - 1)
        )
        return True

    async def context(self, post_id: UUID, viewer_id: UUID) -> PostContext | None:
        return await queries.post_in_context(self.session, post_id, viewer_id)

    async def list_for_community(
        self,
        slug: str,
        viewer_id: UUID,
        sort: PostSort,
        kind: PostKind | None,
        skill_id: UUID | None,
        pinned: bool | None,
        page: PageRequest,
    ) -> CommunityPostsPage | None:
        return await queries.community_posts(
            self.session, slug, viewer_id, sort, kind, skill_id, pinned, page
        )

    async def feed(self, viewer_id: UUID, sort: FeedSort, page: PageRequest) -> PageResult[Post]:
        return await queries.feed(self.session, viewer_id, sort, page)

    async def unanswered_on_skills(
        self, viewer_id: UUID, since: datetime, page: PageRequest
    ) -> PageResult[Post]:
        return await queries.unanswered_on_skills(self.session, viewer_id, since, page)

    async def popular(
        self, viewer_id: UUID, since: datetime, page: PageRequest
    ) -> PageResult[Post]:
        return await queries.popular(self.session, viewer_id, since, page)

    async def get_many(self, post_ids: list[UUID], viewer_id: UUID) -> list[Post]:
        if not post_ids:
            return []
        # The viewer's own reactions come in the same statement, as on every page of posts.
        stmt = post_select().where(p.c.id.in_(post_ids))
        rows = await self.session.execute(stmt, {"viewer_id": viewer_id})
        by_id = {post.id: post for post in map(post_from_row, rows)}
        return [by_id[i] for i in post_ids if i in by_id]

    async def watcher_ids(self, community_id: UUID) -> list[UUID]:
        rows = await self.session.execute(
            select(mem.c.user_id).where(
                mem.c.community_id == community_id,
                mem.c.status == MembershipStatus.active.value,
                mem.c.notify_level == NotifyLevel.all.value,
            )
        )
        return [row[0] for row in rows]

    # --- comments ---

    async def add_comment(self, comment: Comment) -> None:
        await self.session.execute(
            insert(cm).values(
                id=comment.id,
                post_id=comment.post_id,
                parent_id=comment.parent_id,
                author_id=comment.author.id,
                body=comment.body,
                body_html=comment.body_html,
                attachments=attachments_json(comment.attachments),
                created_at=comment.created_at,
                updated_at=comment.updated_at,
            )
        )
        await self.session.execute(
            update(p)
            .where(p.c.id == comment.post_id)
            .values(comment_count=p.c.comment_count + 1, last_activity_at=comment.created_at)
        )

    async def update_comment(self, comment: Comment) -> None:
        await self.session.execute(
            update(cm)
            .where(cm.c.id == comment.id)
            .values(
                body=comment.body,
                body_html=comment.body_html,
                attachments=attachments_json(comment.attachments),
                updated_at=comment.updated_at,
                version=comment.version,
            )
        )

    async def soft_delete_comment(self, comment_id: UUID, at: datetime) -> bool:
        """Only a live comment is deleted and counted out: of concurrent deletes one wins."""
        post_id = (
            await self.session.execute(
                update(cm)
                .where(cm.c.id == comment_id, cm.c.deleted_at.is_(None))
                .values(deleted_at=at)
                .returning(cm.c.post_id)
            )
        ).scalar_one_or_none()
        if post_id is None:
            return False
        await self.session.execute(
            update(p).where(p.c.id == post_id).values(comment_count=p.c.comment_count - 1)
        )
        return True

    async def comment_context(self, comment_id: UUID, viewer_id: UUID) -> CommentContext | None:
        # The viewer's own reactions come with the comment, as on a thread page.
        stmt = comment_select().where(cm.c.id == comment_id)
        row = (await self.session.execute(stmt, {"viewer_id": viewer_id})).first()
        if row is None:
            return None
        post = await self.context(fields(row)["post_id"], viewer_id)
        if post is None:
            return None
        return CommentContext(comment_from_row(row, post.post.accepted_comment_id), post)

    async def list_comments(
        self, post_id: UUID, viewer_id: UUID, page: PageRequest
    ) -> PostThreadPage | None:
        return await queries.thread(self.session, post_id, viewer_id, page)

    # --- reactions ---

    async def react(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind, at: datetime
    ) -> bool:
        values = {
            "user_id": user_id,
            "target_id": target_id,
            "kind": kind.value,
            "target_type": target.value,
            "created_at": at,
        }
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        result = await self.session.execute(
            dialect_insert(rx).values(**values).on_conflict_do_nothing()
        )
        created = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if created:
            await self._count(target, target_id, kind, 1)
        return created

    async def unreact(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind
    ) -> bool:
        result = await self.session.execute(
            delete(rx).where(
                rx.c.user_id == user_id, rx.c.target_id == target_id, rx.c.kind == kind.value
            )
        )
        removed = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if removed:
            await self._count(target, target_id, kind, -1)
        return removed

    async def _count(
        self, target: TargetType, target_id: UUID, kind: ReactionKind, delta: int
    ) -> None:
        table = p if target is TargetType.post else cm
        column = COUNTER[kind]
        # Relative updates: concurrent reactions never lose a count.
        await self.session.execute(
            update(table)
            .where(table.c.id == target_id)
            .values(
                {
                    column: table.c[column] + delta,
                    "score": table.c.score + delta * REACTION_WEIGHT[kind],
                }
            )
        )

    async def set_accepted(self, post_id: UUID, comment_id: UUID | None, at: datetime) -> None:
        await self.session.execute(
            update(p)
            .where(p.c.id == post_id)
            .values(accepted_comment_id=comment_id, last_activity_at=at, version=p.c.version + 1)
        )

    # --- reports ---

    async def add_report(self, report: Report) -> bool:
        """False when the reporter already has an open report on the target (the partial
        unique index decides, so concurrent duplicates end as one report)."""
        result = await self.session.execute(
            insert_or_ignore(
                self.session,
                rep,
                ["reporter_id", "target_type", "target_id"],
                where=OPEN_REPORT,
            ).values(
                id=report.id,
                community_id=report.community_id,
                target_type=report.target_type.value,
                target_id=report.target_id,
                reporter_id=report.reporter_id,
                reason=report.reason.value,
                detail=report.detail,
                status=report.status.value,
                created_at=report.created_at,
            )
        )
        return rows_changed(result) == 1

    async def get_report(self, report_id: UUID) -> Report | None:
        row = (await self.session.execute(_report_select().where(rep.c.id == report_id))).first()
        return _report(row) if row else None

    async def open_report(
        self, reporter_id: UUID, target: TargetType, target_id: UUID
    ) -> Report | None:
        row = (
            await self.session.execute(
                _report_select().where(
                    rep.c.reporter_id == reporter_id,
                    rep.c.target_type == target.value,
                    rep.c.target_id == target_id,
                    OPEN_REPORT,
                )
            )
        ).first()
        return _report(row) if row else None

    async def list_reports(
        self, community_id: UUID, status: ReportStatus | None, page: PageRequest
    ) -> PageResult[Report]:
        stmt = _report_select().where(rep.c.community_id == community_id)
        if status is not None:
            stmt = stmt.where(rep.c.status == status.value)
        keys = [SortKey(rep.c.created_at, True), SortKey(rep.c.id, True)]
        return await keyset_page(self.session, stmt, keys, page, _report, position_of(keys))

    async def resolve_report(self, report: Report) -> bool:
        """Only an open report is resolved: of concurrent resolutions one wins."""
        result = await self.session.execute(
            update(rep)
            .where(rep.c.id == report.id, OPEN_REPORT)
            .values(
                status=report.status.value,
                resolved_by=report.resolved_by,
                resolved_at=report.resolved_at,
                action=report.action.value if report.action else None,
                note=report.note,
            )
        )
        return rows_changed(result) == 1

    # --- health ---

    async def content_stats(self, community_id: UUID, since: datetime) -> ContentStats:
        recent = and_(
            p.c.community_id == community_id, p.c.deleted_at.is_(None), p.c.created_at >= since
        )
        counts = (
            await self.session.execute(
                select(
                    func.count(),
                    func.count().filter(p.c.kind == PostKind.question.value),
                    func.count().filter(
                        and_(
                            p.c.kind == PostKind.question.value,
                            p.c.accepted_comment_id.is_not(None),
                        )
                    ),
                ).where(recent)
            )
        ).one()
        first_reply = (
            select(func.min(cm.c.created_at))
            .where(
                cm.c.post_id == p.c.id, cm.c.author_id != p.c.author_id, cm.c.deleted_at.is_(None)
            )
            .scalar_subquery()
        )
        responses = await self.session.execute(
            select(p.c.created_at, first_reply).where(recent, p.c.kind == PostKind.question.value)
        )
        minutes = [
            (answered_at - asked_at).total_seconds() / 60
            for asked_at, answered_at in responses
            if answered_at is not None
        ]
        # first_reply comes back untyped from a scalar subquery on SQLite: normalise in Python
        authors = union(
            select(p.c.author_id.label("uid")).where(recent),
            select(cm.c.author_id.label("uid"))
            .join(p, p.c.id == cm.c.post_id)
            .where(
                p.c.community_id == community_id,
                cm.c.created_at >= since,
                cm.c.deleted_at.is_(None),
            ),
        ).subquery()
        active = union(
            select(authors.c.uid),
            select(rx.c.user_id.label("uid"))
            .join(p, p.c.id == rx.c.target_id)
            .where(p.c.community_id == community_id, rx.c.created_at >= since),
        ).subquery()
        members = select(mem.c.user_id).where(
            mem.c.community_id == community_id, mem.c.status == MembershipStatus.active.value
        )
        people = (
            await self.session.execute(
                select(
                    select(func.count()).select_from(authors).scalar_subquery(),
                    select(func.count())
                    .select_from(active)
                    .where(active.c.uid.in_(members))
                    .scalar_subquery(),
                )
            )
        ).one()
        return ContentStats(
            active_members=int(people[1]),
            posts=int(counts[0]),
            questions=int(counts[1]),
            answered_questions=int(counts[2]),
            first_response_minutes=minutes,
            contributors=int(people[0]),
        )


# Inline, not a bound parameter: PostgreSQL matches ON CONFLICT ... WHERE to the partial unique
# index only by the predicate's text, which a parameter hides from generic plans.
OPEN_REPORT = rep.c.status == literal_column(f"'{ReportStatus.open.value}'")


def _report_select() -> Select[Any]:
    """Reports with the excerpt moderators judge them by: the post's title or the comment's
    start. One definition for the queue, a single report and the resolution's answer."""
    excerpt = func.coalesce(
        select(p.c.title).where(p.c.id == rep.c.target_id).scalar_subquery(),
        select(func.substr(cm.c.body, 1, 200)).where(cm.c.id == rep.c.target_id).scalar_subquery(),
        "",
    ).label("excerpt")
    return select(rep, excerpt)


def _report(row: Row[Any]) -> Report:
    r = fields(row)
    return Report(
        id=r["id"],
        community_id=r["community_id"],
        target_type=TargetType(r["target_type"]),
        target_id=r["target_id"],
        reporter_id=r["reporter_id"],
        reason=ReportReason(r["reason"]),
        detail=r["detail"],
        status=ReportStatus(r["status"]),
        created_at=r["created_at"],
        excerpt=r.get("excerpt") or "",
        resolved_by=r["resolved_by"],
        resolved_at=r["resolved_at"],
        action=ReportAction(r["action"]) if r["action"] else None,
        note=r["note"],
    )
