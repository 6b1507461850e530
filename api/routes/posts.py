"""Posts and comments: sharing knowledge, questions and accepted answers, reactions, reports."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Request, Response, status

from api.concurrency import (
    CONDITIONAL_GET,
    CONDITIONAL_WRITE,
    conditional_get,
    etag,
    if_match_version,
)
from api.deps import ClockDep, CurrentPrincipal, UowDep, paginator_for
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageQuery, Text
from api.schemas.posts import (
    AcceptedAnswer,
    CommentCreate,
    CommentPublic,
    CommentUpdate,
    CommunityPostsQuery,
    FeedQuery,
    MarkdownPreview,
    MarkdownPreviewPublic,
    PostCreate,
    PostPublic,
    PostSearchHit,
    PostUpdate,
    ReportCreate,
    ReportCreated,
    ReportPublic,
    ReportResolve,
    ReportsQuery,
    SearchQuery,
)
from domain.posts import comments, moderation, nudges, search
from domain.posts import service as posts
from domain.posts.model import (
    Link,
    PostKind,
    ReactionKind,
    Report,
    ReportAction,
    ReportReason,
    TargetType,
)

router = ApiRouter(tags=["posts"])
# The busiest reads come first: FastAPI tries a router's routes in order, and a route that
# cannot match still costs a regular-expression test.

Slug = Annotated[Text, Path(min_length=1, max_length=60)]
PostId = Annotated[UUID, Path()]
CommentId = Annotated[UUID, Path()]
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.get(
    "/communities/{slug}/posts",
    response_model=Page[PostPublic],
    responses=problem_responses(400, 404),
)
async def list_community_posts(
    slug: Slug,
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[CommunityPostsQuery, Query()],
) -> Page[PostPublic]:
    """`unanswered` lists questions without an accepted answer."""
    sort, kind, tag, pinned = query.sort, query.kind, query.tag, query.pinned
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"posts:{slug}:{sort.value}:{kind or ''}:{tag or ''}:{pinned}"
    result = await posts.list_community_posts(
        uow, principal, slug, sort, kind, tag, pinned, paginator.request(scope)
    )
    return paginator.page(scope, result, PostPublic.of)


@router.get("/feed", response_model=Page[PostPublic], responses=problem_responses(400))
async def get_feed(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[FeedQuery, Query()],
) -> Page[PostPublic]:
    """Your communities' posts, plus public posts on the skills you are learning."""
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"feed:{query.sort.value}"
    result = await posts.feed(uow, principal, query.sort, paginator.request(scope))
    return paginator.page(scope, result, PostPublic.of)


@router.get(
    "/me/unanswered-questions", response_model=Page[PostPublic], responses=problem_responses(400)
)
async def list_unanswered_questions(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[PageQuery, Query()],
) -> Page[PostPublic]:
    """Questions of the last 30 days that nobody has answered yet, tagged with a skill you hold,
    in communities you can read (not your own), newest first."""
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = "unanswered-on-my-skills"
    result = await posts.unanswered_on_my_skills(uow, clock, principal, paginator.request(scope))
    return paginator.page(scope, result, PostPublic.of)


@router.get("/feed/popular", response_model=Page[PostPublic], responses=problem_responses(400))
async def list_popular_posts(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[PageQuery, Query()],
) -> Page[PostPublic]:
    """Public communities' best-scored posts of the last 30 days: what a new person sees while
    their own feed is empty."""
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = "popular"
    result = await posts.popular_posts(uow, clock, principal, paginator.request(scope))
    return paginator.page(scope, result, PostPublic.of)


@router.get(
    "/posts/{post_id}",
    response_model=PostPublic,
    responses=problem_responses(404),
    openapi_extra=CONDITIONAL_GET,
)
async def get_post(
    post_id: PostId, request: Request, uow: UowDep, principal: CurrentPrincipal
) -> Response:
    post = await posts.get_post(uow, principal, post_id)
    return conditional_get(request, post.version, PostPublic.of(post))


@router.get(
    "/posts/{post_id}/comments",
    response_model=Page[CommentPublic],
    responses=problem_responses(400, 404),
)
async def list_comments(
    post_id: PostId,
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[PageQuery, Query()],
) -> Page[CommentPublic]:
    """Oldest first; replies carry parent_id; the accepted answer has is_accepted."""
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"comments:{post_id}"
    result = await comments.list_comments(uow, principal, post_id, paginator.request(scope))
    return paginator.page(scope, result, CommentPublic.of)


@router.get(
    "/search/posts",
    tags=["search"],
    response_model=Page[PostSearchHit],
    responses=problem_responses(400, 404),
)
async def search_posts(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[SearchQuery, Query()],
) -> Page[PostSearchHit]:
    """Ranked full-text search (title above body) with highlighted snippets; never returns a
    post the caller cannot see."""
    q, community, kind, tag = query.q, query.community, query.kind, query.tag
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"search:{q}:{community or ''}:{kind or ''}:{tag or ''}"  # a cursor fits one query
    result = await search.search_posts(
        uow, principal, q, community, kind, tag, paginator.request(scope)
    )
    return paginator.page(scope, result, PostSearchHit.of_found)


@router.post(
    "/communities/{slug}/posts",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409),
    dependencies=[Idempotent],
)
async def create_post(
    slug: Slug,
    body: PostCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> PostPublic:
    """Members share a discussion, a question, a best practice or a resource."""
    post = await posts.create_post(
        uow,
        clock,
        principal,
        slug,
        posts.PostDraft(
            kind=PostKind(body.kind),
            title=body.title,
            body=body.body,
            tags=tuple(body.tags),
            links=tuple(Link(str(link.url), link.title) for link in body.links),
            attachment_ids=tuple(body.attachment_ids),
        ),
    )
    response.headers["Location"] = f"/api/v1/posts/{post.id}"
    return PostPublic.of(post)


@router.patch(
    "/posts/{post_id}",
    responses=problem_responses(404, 409, 412),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_post(
    post_id: PostId,
    body: PostUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> PostPublic:
    """Authors edit content; moderators pin and lock. Send If-Match to avoid lost updates."""
    values: dict[str, object] = body.model_dump(exclude_unset=True)
    if "links" in values and body.links is not None:
        values["links"] = [Link(str(link.url), link.title) for link in body.links]
    post = await posts.update_post(
        uow, clock, principal, post_id, posts.PostChanges(values), if_match_version(request)
    )
    public = PostPublic.of(post)
    response.headers["ETag"] = etag(post.version, public)
    return public


@router.delete("/posts/{post_id}", status_code=NO_CONTENT, responses=problem_responses(404))
async def delete_post(
    post_id: PostId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    await posts.delete_post(uow, clock, principal, post_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/posts/{post_id}/nudge/dismiss",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 404, 429),
)
async def dismiss_nudge(
    post_id: PostId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """ "Not for me": you are not nudged about this question again (asked yet or not)."""
    await nudges.dismiss_nudge(uow, clock, principal, post_id)
    return Response(status_code=NO_CONTENT)


@router.put(
    "/posts/{post_id}/reactions/{kind}",
    status_code=NO_CONTENT,
    responses=problem_responses(404),
    dependencies=[Idempotent],
)
async def add_post_reaction(
    post_id: PostId, kind: ReactionKind, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Idempotent. Never on your own post (403)."""
    await posts.react(uow, clock, principal, TargetType.post, post_id, kind, on=True)
    return Response(status_code=NO_CONTENT)


@router.delete(
    "/posts/{post_id}/reactions/{kind}", status_code=NO_CONTENT, responses=problem_responses(404)
)
async def remove_post_reaction(
    post_id: PostId, kind: ReactionKind, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    await posts.react(uow, clock, principal, TargetType.post, post_id, kind, on=False)
    return Response(status_code=NO_CONTENT)


@router.post("/markdown/preview", responses=problem_responses(422))
async def preview_markdown(
    body: MarkdownPreview, uow: UowDep, principal: CurrentPrincipal
) -> MarkdownPreviewPublic:
    """A post's or comment's body rendered exactly as it will be once saved (sanitized, with
    mentions of existing people linked); nothing is stored."""
    return MarkdownPreviewPublic(html=await posts.preview_body(uow, principal, body.body))


@router.post(
    "/posts/{post_id}/comments",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409),
    dependencies=[Idempotent],
)
async def create_comment(
    post_id: PostId,
    body: CommentCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> CommentPublic:
    """Answer or discuss; one level of replies (parent_id is a top-level comment)."""
    comment = await comments.create_comment(
        uow, clock, principal, post_id, body.body, body.parent_id, body.attachment_ids
    )
    response.headers["Location"] = f"/api/v1/comments/{comment.id}"
    return CommentPublic.of(comment)


@router.patch(
    "/comments/{comment_id}",
    responses=problem_responses(404, 409, 412),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_comment(
    comment_id: CommentId,
    body: CommentUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> CommentPublic:
    comment = await comments.update_comment(
        uow,
        clock,
        principal,
        comment_id,
        body.body,
        if_match_version(request),
        body.attachment_ids if "attachment_ids" in body.model_fields_set else None,
    )
    public = CommentPublic.of(comment)
    response.headers["ETag"] = etag(comment.version, public)
    return public


@router.delete("/comments/{comment_id}", status_code=NO_CONTENT, responses=problem_responses(404))
async def delete_comment(
    comment_id: CommentId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    await comments.delete_comment(uow, clock, principal, comment_id)
    return Response(status_code=NO_CONTENT)


@router.put(
    "/comments/{comment_id}/reactions/{kind}",
    status_code=NO_CONTENT,
    responses=problem_responses(404),
    dependencies=[Idempotent],
)
async def add_comment_reaction(
    comment_id: CommentId,
    kind: ReactionKind,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> Response:
    await posts.react(uow, clock, principal, TargetType.comment, comment_id, kind, on=True)
    return Response(status_code=NO_CONTENT)


@router.delete(
    "/comments/{comment_id}/reactions/{kind}",
    status_code=NO_CONTENT,
    responses=problem_responses(404),
)
async def remove_comment_reaction(
    comment_id: CommentId,
    kind: ReactionKind,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> Response:
    await posts.react(uow, clock, principal, TargetType.comment, comment_id, kind, on=False)
    return Response(status_code=NO_CONTENT)


@router.put(
    "/posts/{post_id}/accepted-answer",
    responses=problem_responses(404, 409, 412),
    openapi_extra=CONDITIONAL_WRITE,
)
async def accept_answer(
    post_id: PostId,
    body: AcceptedAnswer,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> PostPublic:
    """The question's author (or a moderator) marks the answer that solved it. If-Match takes
    the post's ETag (412 when the post changed since)."""
    await comments.accept_answer(
        uow, clock, principal, post_id, body.comment_id, if_match_version(request)
    )
    post = await posts.get_post(uow, principal, post_id)
    public = PostPublic.of(post)
    response.headers["ETag"] = etag(post.version, public)
    return public


@router.delete("/posts/{post_id}/accepted-answer", responses=problem_responses(404, 409))
async def unaccept_answer(
    post_id: PostId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> PostPublic:
    await comments.accept_answer(uow, clock, principal, post_id, None)
    return PostPublic.of(await posts.get_post(uow, principal, post_id))


REPORTED = {
    status.HTTP_200_OK: {
        "model": ReportCreated,
        "description": "You already have an open report on this content: that report.",
    },
    **problem_responses(404),
}


def _reported(item: Report, created: bool, response: Response) -> ReportCreated:
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReportCreated(id=item.id, status=item.status.value, created_at=item.created_at)


@router.post(
    "/posts/{post_id}/reports",
    status_code=status.HTTP_201_CREATED,
    responses=REPORTED,
    dependencies=[Idempotent],
)
async def report_post(
    post_id: PostId,
    body: ReportCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> ReportCreated:
    """Flag a post for the community's moderators: one open report per person and post (a
    repeat answers 200 with it and notifies nobody)."""
    item, created = await moderation.report(
        uow, clock, principal, TargetType.post, post_id, ReportReason(body.reason), body.detail
    )
    return _reported(item, created, response)


@router.post(
    "/comments/{comment_id}/reports",
    status_code=status.HTTP_201_CREATED,
    responses=REPORTED,
    dependencies=[Idempotent],
)
async def report_comment(
    comment_id: CommentId,
    body: ReportCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> ReportCreated:
    """Flag a comment: one open report per person and comment, as for posts."""
    item, created = await moderation.report(
        uow,
        clock,
        principal,
        TargetType.comment,
        comment_id,
        ReportReason(body.reason),
        body.detail,
    )
    return _reported(item, created, response)


@router.get("/communities/{slug}/reports", responses=problem_responses(400, 404))
async def list_reports(
    slug: Slug,
    uow: UowDep,
    principal: CurrentPrincipal,
    request: Request,
    query: Annotated[ReportsQuery, Query()],
) -> Page[ReportPublic]:
    """The moderators' queue (reporters are never shown)."""
    status_ = query.status
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"reports:{slug}:{status_ or ''}"
    result = await moderation.list_reports(uow, principal, slug, status_, paginator.request(scope))
    return paginator.page(scope, result, ReportPublic.of)


@router.post("/reports/{report_id}/resolve", responses=problem_responses(404, 409))
async def resolve_report(
    report_id: Annotated[UUID, Path()],
    body: ReportResolve,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> ReportPublic:
    """Dismiss, or remove the content; either way the audit log records it."""
    item = await moderation.resolve_report(
        uow, clock, principal, report_id, ReportAction(body.action), body.note
    )
    return ReportPublic.of(item)
