"""The hot reads of posts, in the open: what every request about posts reads first, each one
statement that returns the output shape (a post in its context, a community's page, the feed, a
thread's page).

A page is one statement whatever its size: the posts joined to their authors, each with the
viewer's own reactions as a column, after a head row with what the page belongs to
(`head_then_page`). Sorts read indexed columns that writes keep current (score,
last_activity_at), never values computed in ORDER BY. Each statement is built once per shape
(which filters, after a cursor or not, the page size) and run through the session like any other;
`tests/integration/test_read_plans.py` pins the plans PostgreSQL keeps for them and
`tests/api/test_posts.py` how many statements a request runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any
from uuid import UUID

from pydantic_core import from_json
from sqlalchemy import Select, and_, bindparam, exists, literal, or_, select
from sqlalchemy.engine import Result, Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, Visibility
from domain.pagination import PageRequest, PageResult, Position
from domain.posts.model import (
    Comment,
    CommunityRef,
    FeedSort,
    Link,
    NudgeNote,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Reactions,
)
from domain.posts.ports import CommunityPostsPage, PostContext, PostThreadPage
from domain.uploads.model import Attachment
from domain.users.model import UserRef
from repositories.base import (
    SortKey,
    head_then_page,
    keyset_bound,
    keyset_params,
    keyset_result,
    keyset_shape,
    split_head,
)
from repositories.communities.repository import viewed_community, viewer_select, with_viewer_select
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.people import ref_columns, ref_values
from repositories.posts.tables import CommentRow, PostNudgeRow, PostRow, PostTag, ReactionRow
from repositories.rows import RowLike, comma_joined, fields, prefixed
from repositories.skills.tables import LearningGoalRow, UserSkill
from repositories.users.tables import UserAccount

p = PostRow.__table__  # type: ignore[attr-defined]
pt = PostTag.__table__  # type: ignore[attr-defined]
cm = CommentRow.__table__  # type: ignore[attr-defined]
rx = ReactionRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
mem = CommunityMember.__table__  # type: ignore[attr-defined]
goal = LearningGoalRow.__table__  # type: ignore[attr-defined]
nudge = PostNudgeRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
held = UserSkill.__table__  # type: ignore[attr-defined]

POST_COLUMNS = [col for col in p.c if col.name not in {"body", "deleted_at"}] + [p.c.body]
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


def attachments_of(text: str) -> list[Attachment]:
    return [
        Attachment(
            UUID(item["id"]),
            item["content_type"],
            item["size"],
            item["filename"],
            item["has_thumbnail"],
        )
        for item in _json_list(text)
    ]


def attachments_json(attachments: list[Attachment]) -> str:
    return json.dumps(
        [
            {
                "id": str(a.id),
                "content_type": a.content_type,
                "size": a.size,
                "filename": a.filename,
                "has_thumbnail": a.has_thumbnail,
            }
            for a in attachments
        ]
    )


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
    "attachments",
)
_COMMUNITY_VALUES = itemgetter("community_id", "c_slug", "c_name")
_AUTHOR = ref_values("au")


def post_from_row(row: RowLike, community: CommunityRef | None = None) -> Post:
    """A post of a `post_select` row. `community`: the posts' community when the caller already
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
        attachments,
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
        attachments_of(attachments),
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
    "attachments",
)


def comment_from_row(row: RowLike, accepted_id: UUID | None = None) -> Comment:
    """A comment of a `comment_select` row, read like a post (see `post_from_row`): a thread
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
        attachments,
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
        attachments_of(attachments),
    )


def post_select(*, with_community: bool = True) -> Any:
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


def position_of(keys: list[SortKey]) -> Callable[[RowLike], Position]:
    names = [k.column.name for k in keys]
    return lambda row: tuple(fields(row)[name] for name in names)


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
    stmt = post_select(with_community=False)
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


@lru_cache(maxsize=256)
def _community_with_page(
    sort: str, kind: bool, pinned: bool, tag: bool, after: bool, limit: int
) -> Any:
    """The community with the viewer's membership (`cv_` columns), then a page of its posts.

    One statement where there were two: the visibility rule needs the community and membership,
    the page needs the posts, and every request to a community's posts list needs both.
    """
    page = _community_page(sort, kind, pinned, tag, after, limit)
    return head_then_page(with_viewer_select("slug"), "cv_", page, POST_SORTS[sort])


@lru_cache(maxsize=64)
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
    stmt = post_select().where(
        c.c.archived_at.is_(None),
        or_(
            p.c.community_id.in_(my_communities),
            and_(c.c.visibility == Visibility.public.value, on_my_goals.is_not(None)),
        ),
    )
    return keyset_bound(stmt, POST_SORTS[sort], after=after, limit=limit)


@lru_cache(maxsize=16)
def _unanswered_page(after: bool, limit: int) -> Any:
    """Questions since `:since` nobody has answered, on a skill the viewer holds (not merely
    proposed to them), in a public community or one they belong to, not their own. It walks the
    questions still without an accepted answer newest first (ix_post_question_due), within the
    window, and probes each one's few tags."""
    viewer = bindparam("viewer_id", type_=mem.c.user_id.type)
    my_communities = select(mem.c.community_id).where(
        mem.c.user_id == viewer, mem.c.status == MembershipStatus.active.value
    )
    my_skills = select(held.c.skill_id).where(held.c.user_id == viewer, held.c.proposed.is_(False))
    on_my_skills = (
        select(literal(1))
        .where(pt.c.post_id == p.c.id, pt.c.skill_id.in_(my_skills))
        .limit(1)
        .scalar_subquery()
    )
    stmt = post_select().where(
        p.c.kind == PostKind.question.value,
        p.c.accepted_comment_id.is_(None),
        p.c.comment_count == 0,
        p.c.created_at >= bindparam("since", type_=p.c.created_at.type),
        p.c.author_id != viewer,
        c.c.archived_at.is_(None),
        or_(c.c.visibility == Visibility.public.value, p.c.community_id.in_(my_communities)),
        on_my_skills.is_not(None),
    )
    return keyset_bound(stmt, POST_SORTS["new"], after=after, limit=limit)


@lru_cache(maxsize=16)
def _popular_page(after: bool, limit: int) -> Any:
    """Public communities' posts since `:since`, best-scored first (ix_post_best)."""
    stmt = post_select().where(
        p.c.created_at >= bindparam("since", type_=p.c.created_at.type),
        c.c.archived_at.is_(None),
        c.c.visibility == Visibility.public.value,
    )
    return keyset_bound(stmt, POST_SORTS["top"], after=after, limit=limit)


COMMENT_KEYS = [SortKey(cm.c.created_at), SortKey(cm.c.id)]


def comment_select() -> Any:
    """Comments with their authors and the viewer's reactions (`:viewer_id`): what
    `comment_from_row` reads."""
    return (
        select(cm, *ref_columns(users, "au"), _mine(cm.c.id))
        .join(users, users.c.id == cm.c.author_id)
        .where(cm.c.deleted_at.is_(None))
    )


@lru_cache(maxsize=64)
def _comments_page(after: bool, limit: int) -> Any:
    """The post in its context (`p_` columns, see `_post_in_context`), then a page of its thread:
    what every thread request needs, in one statement."""
    stmt = comment_select().where(cm.c.post_id == bindparam("post_id", type_=cm.c.post_id.type))
    page = keyset_bound(stmt, COMMENT_KEYS, after=after, limit=limit)
    return head_then_page(_post_in_context(), "p_", page, COMMENT_KEYS)


@lru_cache(maxsize=1)
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
        post_select()
        .add_columns(*(column.label(f"cv_{column.name}") for column in viewed.c))
        .add_columns(
            nudge.c.reason.label("nudge_reason"),
            nudge.c.nudged_at.label("nudge_nudged_at"),
            nudge.c.dismissed_at.label("nudge_dismissed_at"),
        )
        .join(viewed, viewed.c.id == p.c.community_id)
        # Whether the viewer was nudged to answer it: one row by its primary key, or none.
        .outerjoin(nudge, and_(nudge.c.post_id == p.c.id, nudge.c.user_id == viewer))
        .where(p.c.id == post_id)
    )


async def _rows(
    session: AsyncSession, stmt: Select[Any], params: dict[str, Any]
) -> Sequence[Row[Any]]:
    result: Result[Any] = await session.execute(stmt, params)
    return result.all()


def _nudge_of(row: RowLike) -> NudgeNote | None:
    m = fields(row)
    if m["nudge_nudged_at"] is None:
        return None
    return NudgeNote(
        m["nudge_reason"] or "", m["nudge_nudged_at"], m["nudge_dismissed_at"] is not None
    )


def _context_of(row: RowLike, viewer_id: UUID) -> PostContext | None:
    found = viewed_community(prefixed(row, "cv_"), viewer_id)
    if not found:
        return None
    post = post_from_row(row)
    post.nudge = _nudge_of(row)
    return PostContext(post, *found)


async def post_in_context(
    session: AsyncSession, post_id: UUID, viewer_id: UUID
) -> PostContext | None:
    """A live post with the viewer's reactions, its community and what the viewer is to it."""
    rows = await _rows(session, _post_in_context(), {"post_id": post_id, "viewer_id": viewer_id})
    return _context_of(rows[0], viewer_id) if rows else None


async def community_posts(
    session: AsyncSession,
    slug: str,
    viewer_id: UUID,
    sort: PostSort,
    kind: PostKind | None,
    skill_id: UUID | None,
    pinned: bool | None,
    page: PageRequest,
) -> CommunityPostsPage | None:
    """A page of a community's posts, with the community and the viewer's membership; None when
    no community has this slug."""
    stmt = _community_with_page(
        sort.value, kind is not None, pinned is not None, skill_id is not None, *keyset_shape(page)
    )
    params: dict[str, Any] = {"key": slug, "viewer_id": viewer_id, **keyset_params(page)}
    if kind is not None:
        params["kind"] = kind.value
    if pinned is not None:
        params["pinned"] = pinned
    if skill_id is not None:
        params["skill_id"] = skill_id
    head, posts = split_head(await _rows(session, stmt, params), "cv_")
    found = viewed_community(head, viewer_id)
    if found is None:
        return None
    ref = CommunityRef.of(found[0])
    keys = POST_SORTS[sort.value]
    return CommunityPostsPage(
        *found,
        posts=keyset_result(posts, page, lambda row: post_from_row(row, ref), position_of(keys)),
    )


async def feed(
    session: AsyncSession, viewer_id: UUID, sort: FeedSort, page: PageRequest
) -> PageResult[Post]:
    """The viewer's communities' posts, plus public posts on the skills they are learning."""
    stmt = _feed_page(sort.value, *keyset_shape(page))
    rows = await _rows(session, stmt, {"viewer_id": viewer_id, **keyset_params(page)})
    return keyset_result(rows, page, post_from_row, position_of(POST_SORTS[sort.value]))


async def unanswered_on_skills(
    session: AsyncSession, viewer_id: UUID, since: datetime, page: PageRequest
) -> PageResult[Post]:
    stmt = _unanswered_page(*keyset_shape(page))
    params = {"viewer_id": viewer_id, "since": since, **keyset_params(page)}
    rows = await _rows(session, stmt, params)
    return keyset_result(rows, page, post_from_row, position_of(POST_SORTS["new"]))


async def popular(
    session: AsyncSession, viewer_id: UUID, since: datetime, page: PageRequest
) -> PageResult[Post]:
    stmt = _popular_page(*keyset_shape(page))
    params = {"viewer_id": viewer_id, "since": since, **keyset_params(page)}
    rows = await _rows(session, stmt, params)
    return keyset_result(rows, page, post_from_row, position_of(POST_SORTS["top"]))


async def thread(
    session: AsyncSession, post_id: UUID, viewer_id: UUID, page: PageRequest
) -> PostThreadPage | None:
    """A page of a post's comments with the post in its context; None when there is no such
    post (or it is deleted: its comments are then not shown)."""
    stmt = _comments_page(*keyset_shape(page))
    params = {"post_id": post_id, "viewer_id": viewer_id, **keyset_params(page)}
    head, comments = split_head(await _rows(session, stmt, params), "p_")
    context = _context_of(head, viewer_id) if head is not None else None
    if context is None:
        return None
    accepted_id = context.post.accepted_comment_id
    page_of = keyset_result(
        comments, page, lambda row: comment_from_row(row, accepted_id), position_of(COMMENT_KEYS)
    )
    return PostThreadPage(context, page_of)
