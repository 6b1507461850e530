"""Posts, comments, reactions and reports in SQL.

A page is one statement whatever its size: the posts joined to their authors, each with the
viewer's own reactions as a column, after a head row with what the page belongs to. Sorts read
indexed columns that writes keep current (score, last_activity_at), never values computed in
ORDER BY.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any
from uuid import UUID

from pydantic_core import from_json
from sqlalchemy import (
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, NotifyLevel, Visibility
from domain.pagination import PageRequest, PageResult
from domain.ports import (
    CommentContext,
    CommunityPostsPage,
    ContentStats,
    PostContext,
    PostThreadPage,
)
from domain.posts.model import (
    REACTION_WEIGHT,
    Comment,
    CommunityRef,
    FeedSort,
    Link,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Reactions,
    Report,
    ReportAction,
    ReportReason,
    ReportStatus,
    TargetType,
)
from domain.users.model import UserRef
from repositories.base import (
    SortKey,
    head_then_page,
    insert_or_ignore,
    keyset_bound,
    keyset_page,
    keyset_params,
    keyset_result,
    keyset_shape,
    rows_changed,
    split_head,
)
from repositories.communities import (
    viewed_community,
    viewer_select,
    with_viewer_select,
)
from repositories.compiled import CompiledQueries, CompiledQuery
from repositories.people import ref_columns, ref_values
from repositories.rows import RowLike, comma_joined, fields, prefixed
from repositories.tables import (
    CommentRow,
    CommunityMember,
    CommunityRow,
    LearningGoalRow,
    PostMention,
    PostRow,
    PostTag,
    ReactionRow,
    ReportRow,
    UserAccount,
)

p = PostRow.__table__  # type: ignore[attr-defined]
pt = PostTag.__table__  # type: ignore[attr-defined]
mention = PostMention.__table__  # type: ignore[attr-defined]
cm = CommentRow.__table__  # type: ignore[attr-defined]
rx = ReactionRow.__table__  # type: ignore[attr-defined]
rep = ReportRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
mem = CommunityMember.__table__  # type: ignore[attr-defined]
goal = LearningGoalRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]

POST_COLUMNS = [col for col in p.c if col.name not in {"body", "deleted_at"}] + [p.c.body]
COUNTER = {
    ReactionKind.like: "like_count",
    ReactionKind.helpful: "helpful_count",
    ReactionKind.insightful: "insightful_count",
}
POST_SORTS: dict[str, list[SortKey]] = {
    "new": [SortKey(p.c.created_at, True), SortKey(p.c.id, True)],
    "active": [SortKey(p.c.last_activity_at, True), SortKey(p.c.id, True)],
    "top": [SortKey(p.c.score, True), SortKey(p.c.id, True)],
    "unanswered": [SortKey(p.c.created_at, True), SortKey(p.c.id, True)],
}


_POST_KINDS = {kind.value: kind for kind in PostKind}  # a dict lookup costs less than PostKind()


def _json_list(text: str) -> list[Any]:
    # Most posts have no links: skip the parser for the empty list. pydantic-core's parser reads
    # these short lists about five times faster than the standard library's.
    return [] if text == "[]" else from_json(text)


# A post's own columns, read from the row in one C call: a page maps twenty posts, and reading
# them label by label cost more than building the Post.
_POST_VALUES = itemgetter(
    "id",
    "kind",
    "title",
    "body",
    "body_html",
    "created_at",
    "updated_at",
    "last_activity_at",
    "tags",
    "links",
    "like_count",
    "helpful_count",
    "insightful_count",
    "comment_count",
    "accepted_comment_id",
    "is_pinned",
    "is_locked",
    "version",
    "mine",
)
_COMMUNITY_VALUES = itemgetter("community_id", "c_slug", "c_name")
_AUTHOR = ref_values("au")


def post_from_row(row: RowLike, community: CommunityRef | None = None) -> Post:
    """A post of a `_post_select` row. `community`: the posts' community when the caller already
    has it (a community's page)."""
    r = fields(row)
    (
        id_,
        kind,
        title,
        body,
        body_html,
        created_at,
        updated_at,
        last_activity_at,
        tags,
        links,
        like,
        helpful,
        insightful,
        comment_count,
        accepted_comment_id,
        is_pinned,
        is_locked,
        version,
        mine,
    ) = _POST_VALUES(r)
    # In field order, positionally: matching nineteen keywords cost more than the rest of the
    # call. The names are Post's fields (domain/posts/model.py); tests/unit/test_row_mapping.py
    # fails if a value lands in another field.
    return Post(
        id_,
        community or CommunityRef(*_COMMUNITY_VALUES(r)),
        UserRef(*_AUTHOR(r)),
        _POST_KINDS[kind],
        title,
        body,
        body_html,
        created_at,
        updated_at,
        last_activity_at,
        _json_list(tags),
        [Link(link["url"], link.get("title")) for link in _json_list(links)],
        Reactions(like, helpful, insightful),
        _kinds(mine),
        comment_count,
        accepted_comment_id,
        is_pinned,
        is_locked,
        version,
    )


_COMMENT_VALUES = itemgetter(
    "id",
    "post_id",
    "parent_id",
    "body",
    "body_html",
    "created_at",
    "updated_at",
    "like_count",
    "helpful_count",
    "insightful_count",
    "version",
    "mine",
)


def comment_from_row(row: RowLike, accepted_id: UUID | None = None) -> Comment:
    """A comment of a `_comment_select` row, read like a post (see `post_from_row`): a thread
    page maps twenty of them."""
    r = fields(row)
    (
        id_,
        post_id,
        parent_id,
        body,
        body_html,
        created_at,
        updated_at,
        like,
        helpful,
        insightful,
        version,
        mine,
    ) = _COMMENT_VALUES(r)
    return Comment(
        id_,
        post_id,
        parent_id,
        UserRef(*_AUTHOR(r)),
        body,
        body_html,
        created_at,
        updated_at,
        Reactions(like, helpful, insightful),
        _kinds(mine),
        accepted_id is not None and id_ == accepted_id,
        version,
    )


def _post_select(*, with_community: bool = True) -> Any:
    """Posts with their authors, the viewer's reactions (`:viewer_id`) and, unless the statement
    has it already, their community: what `post_from_row` reads."""
    stmt = (
        select(*POST_COLUMNS, *ref_columns(users, "au"))
        .join(users, users.c.id == p.c.author_id)
        .where(p.c.deleted_at.is_(None))
    )
    if with_community:
        stmt = stmt.add_columns(c.c.slug.label("c_slug"), c.c.name.label("c_name")).join(
            c, c.c.id == p.c.community_id
        )
    return stmt.add_columns(_mine(p.c.id))


def _position(keys: list[SortKey]) -> Any:
    return lambda row: tuple(fields(row)[k.column.name] for k in keys)


def _mine(target: Any) -> Any:
    """The viewer's reaction kinds on `target` as one comma-separated column (one statement)."""
    return (
        select(comma_joined(rx.c.kind))
        .where(rx.c.user_id == bindparam("viewer_id", type_=rx.c.user_id.type))
        .where(rx.c.target_id == target)
        .scalar_subquery()
        .label("mine")
    )


def _kinds(mine: str | None) -> list[ReactionKind]:
    """The `_mine` column's reaction kinds, in order."""
    return sorted(ReactionKind(kind) for kind in mine.split(",")) if mine else []


def _community_page(sort: str, kind: bool, pinned: bool, tag: bool, after: bool, limit: int) -> Any:
    """A page of posts of the community whose slug is `:key` (`_community_with_page` puts the
    community itself in front of it, so the rows do not repeat it)."""
    by_slug = c.alias("by_slug")  # its own scope: never correlated with the joined community
    community_id = select(by_slug.c.id).where(
        by_slug.c.slug == bindparam("key", type_=c.c.slug.type)
    )
    stmt = _post_select(with_community=False)
    # A scalar subquery, not a join: PostgreSQL reads it once, then walks the community's
    # (created_at, id) index backwards and stops after `limit` rows.
    stmt = stmt.where(p.c.community_id == community_id.scalar_subquery())
    if sort == PostSort.unanswered.value:
        stmt = stmt.where(p.c.kind == PostKind.question.value, p.c.accepted_comment_id.is_(None))
    if kind:
        stmt = stmt.where(p.c.kind == bindparam("kind", type_=p.c.kind.type))
    if pinned:
        stmt = stmt.where(p.c.is_pinned == bindparam("pinned", type_=p.c.is_pinned.type))
    if tag:
        stmt = stmt.where(
            exists().where(
                pt.c.post_id == p.c.id,
                pt.c.skill_id == bindparam("skill_id", type_=pt.c.skill_id.type),
            )
        )
    return keyset_bound(stmt, POST_SORTS[sort], after=after, limit=limit)


def _community_with_page(
    sort: str, kind: bool, pinned: bool, tag: bool, after: bool, limit: int
) -> Any:
    """The community with the viewer's membership (`cv_` columns), then a page of its posts.

    One statement where there were two: the visibility rule needs the community and membership,
    the page needs the posts, and every request to a community's posts list needs both.
    """
    page = _community_page(sort, kind, pinned, tag, after, limit)
    return head_then_page(with_viewer_select("slug"), "cv_", page, POST_SORTS[sort])


def _feed_page(sort: str, after: bool, limit: int) -> Any:
    viewer = bindparam("viewer_id", type_=mem.c.user_id.type)
    my_communities = select(mem.c.community_id).where(
        mem.c.user_id == viewer, mem.c.status == MembershipStatus.active.value
    )
    learning = select(goal.c.skill_id).where(goal.c.user_id == viewer, goal.c.status == "active")
    # A scalar subquery, not EXISTS: inside the OR, PostgreSQL turned EXISTS into a hash of every
    # post tagged with the learner's skills (11,000 rows at 1M posts, growing with the data);
    # this probes the few tags of each post it walks, newest first.
    on_my_goals = (
        select(literal(1))
        .where(pt.c.post_id == p.c.id, pt.c.skill_id.in_(learning))
        .limit(1)
        .scalar_subquery()
    )
    stmt = _post_select().where(
        c.c.archived_at.is_(None),
        or_(
            p.c.community_id.in_(my_communities),
            and_(c.c.visibility == Visibility.public.value, on_my_goals.is_not(None)),
        ),
    )
    return keyset_bound(stmt, POST_SORTS[sort], after=after, limit=limit)


COMMENT_KEYS = [SortKey(cm.c.created_at), SortKey(cm.c.id)]


def _comment_select() -> Any:
    """Comments with their authors and the viewer's reactions (`:viewer_id`): what
    `comment_from_row` reads."""
    return (
        select(cm, *ref_columns(users, "au"), _mine(cm.c.id))
        .join(users, users.c.id == cm.c.author_id)
        .where(cm.c.deleted_at.is_(None))
    )


def _comments_page(after: bool, limit: int) -> Any:
    """The post in its context (`p_` columns, see `_post_in_context`), then a page of its thread:
    what every thread request needs, in one statement."""
    stmt = _comment_select().where(cm.c.post_id == bindparam("post_id", type_=cm.c.post_id.type))
    page = keyset_bound(stmt, COMMENT_KEYS, after=after, limit=limit)
    return head_then_page(_post_in_context(), "p_", page, COMMENT_KEYS)


def _post_in_context() -> Any:
    """A post with the viewer's reactions, beside its community with the viewer's membership
    (`cv_` columns): what every request about one post needs first, in one statement."""
    post_id = bindparam("post_id", type_=p.c.id.type)
    # The community is named by a scalar subquery rather than by the join alone: PostgreSQL then
    # reads the viewer's membership by its primary key. Joined, its generic plan walked every
    # member of the community (7,000 in the biggest) to find the viewer.
    by_post = p.alias("by_post")
    community_id = select(by_post.c.community_id).where(by_post.c.id == post_id).scalar_subquery()
    viewer = bindparam("viewer_id", type_=mem.c.user_id.type)
    viewed = viewer_select(viewer).where(c.c.id == community_id).subquery("cv")
    return (
        _post_select()
        .add_columns(*(column.label(f"cv_{column.name}") for column in viewed.c))
        .join(viewed, viewed.c.id == p.c.community_id)
        .where(p.c.id == post_id)
    )


# What everyone reads all day: compiled once per shape (see repositories.compiled).
POST_IN_CONTEXT = CompiledQuery(_post_in_context())
COMMUNITY_PAGES = CompiledQueries(_community_with_page)
FEED_PAGES = CompiledQueries(_feed_page)
COMMENT_PAGES = CompiledQueries(_comments_page)


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
                created_at=post.created_at,
                updated_at=post.updated_at,
                last_activity_at=post.last_activity_at,
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
        row = await POST_IN_CONTEXT.first(self.session, post_id=post_id, viewer_id=viewer_id)
        return self._context_of(row, viewer_id) if row else None

    @staticmethod
    def _context_of(row: RowLike, viewer_id: UUID) -> PostContext | None:
        found = viewed_community(prefixed(row, "cv_"), viewer_id)
        return PostContext(post_from_row(row), *found) if found else None

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
        query = COMMUNITY_PAGES(
            sort.value,
            kind is not None,
            pinned is not None,
            skill_id is not None,
            *keyset_shape(page),
        )
        rows = await query.fetch(
            self.session,
            key=slug,
            viewer_id=viewer_id,
            kind=kind.value if kind else None,
            pinned=pinned,
            skill_id=skill_id,
            **keyset_params(page),
        )
        head, posts = split_head(rows, "cv_")
        found = viewed_community(head, viewer_id)
        if found is None:
            return None
        ref = CommunityRef.of(found[0])
        keys = POST_SORTS[sort.value]
        posts_page = keyset_result(
            posts, page, lambda row: post_from_row(row, ref), _position(keys)
        )
        return CommunityPostsPage(*found, posts=posts_page)

    async def feed(self, viewer_id: UUID, sort: FeedSort, page: PageRequest) -> PageResult[Post]:
        query = FEED_PAGES(sort.value, *keyset_shape(page))
        rows: Sequence[RowLike] = await query.fetch(
            self.session, viewer_id=viewer_id, **keyset_params(page)
        )
        keys = POST_SORTS[sort.value]
        return keyset_result(rows, page, post_from_row, _position(keys))

    async def get_many(self, post_ids: list[UUID], viewer_id: UUID) -> list[Post]:
        if not post_ids:
            return []
        # The viewer's own reactions come in the same statement, as on every page of posts.
        stmt = _post_select().where(p.c.id.in_(post_ids))
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
        stmt = _comment_select().where(cm.c.id == comment_id)
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
        query = COMMENT_PAGES(*keyset_shape(page))
        rows = await query.fetch(
            self.session, post_id=post_id, viewer_id=viewer_id, **keyset_params(page)
        )
        head, comments = split_head(rows, "p_")
        context = self._context_of(head, viewer_id) if head is not None else None
        if context is None:  # also when the post is deleted: its comments are then not shown
            return None
        accepted_id = context.post.accepted_comment_id
        thread = keyset_result(
            comments, page, lambda row: comment_from_row(row, accepted_id), _position(COMMENT_KEYS)
        )
        return PostThreadPage(context, thread)

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
        return await keyset_page(self.session, stmt, keys, page, _report, _position(keys))

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
