"""Comment use cases: answering, replying, editing, removing, and accepting an answer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Action, AuditAction
from domain.communities.service import require, require_writable
from domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from domain.events.model import EventType
from domain.events.service import record
from domain.leadership.model import ActKind, SubjectType
from domain.leadership.service import record_act
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.posts.attachments import attach, claim_attachments
from domain.posts.context import (
    COMMENT_NOT_FOUND,
    POST_NOT_FOUND,
    audit,
    comment_context,
    post_context,
    render_body,
    visible_post,
)
from domain.posts.model import Comment, Post, PostKind, check_body
from domain.users.model import UserRef


async def list_comments(
    uow: UnitOfWork, actor: Actor, post_id: UUID, page: PageRequest
) -> PageResult[Comment]:
    found = await uow.posts.list_comments(post_id, actor.user_id, page)
    if found is None:
        raise NotFound(POST_NOT_FOUND)
    # The page came with its post: it is returned only once the post is visible.
    visible_post(actor, found.post)
    return found.comments


async def create_comment(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    post_id: UUID,
    body: str,
    parent_id: UUID | None,
    attachment_ids: Sequence[UUID] = (),
) -> Comment:
    found, ctx = await post_context(uow, actor, post_id)
    post = found.post
    require(Action.post, ctx)
    require_writable(ctx.community)
    if post.is_locked:
        raise Conflict("This post is locked: no new comments.", code="locked")
    body = check_body(body)
    if not body.strip():
        raise ValidationFailed("A comment needs a body.", field="body")
    parent_author: UUID | None = None
    if parent_id is not None:
        parent = await uow.posts.comment_context(parent_id, actor.user_id)
        if (
            parent is None
            or parent.comment.post_id != post_id
            or parent.comment.parent_id is not None
        ):
            raise ValidationFailed(
                "parent_id must be a top-level comment of this post.", field="parent_id"
            )
        parent_author = parent.comment.author.id
    attachments = await claim_attachments(uow, actor, attachment_ids, ())
    author = await uow.users.get(actor.user_id)
    assert author is not None
    now = clock.now()
    body_html, mentioned = await render_body(uow, body)
    comment = Comment(
        id=uuid.uuid4(),
        post_id=post_id,
        parent_id=parent_id,
        author=UserRef(
            author.id, author.handle, author.display_name, author.title, author.avatar_url
        ),
        body=body,
        body_html=body_html,
        created_at=now,
        updated_at=now,
        attachments=attachments,
    )
    await uow.posts.add_comment(comment)
    if post.kind is PostKind.question and parent_id is None and post.author.id != actor.user_id:
        # Answering a question one was asked about (follow the sun) is an act of leadership.
        await uow.leadership.record_nudged_answer(actor.user_id, post_id, ctx.community.id, now)
    await attach(uow, attachments, (), post_id=post_id, comment_id=comment.id)
    # Commenting watches the post (unless the commenter unwatched it before).
    await uow.watches.watch(post_id, actor.user_id, now, explicit=False)
    # The parent's author, the mentioned, the post's author and its watchers are told by the
    # event's consumer.
    await record(
        uow,
        clock,
        EventType.comment_created,
        actor_id=actor.user_id,
        community_id=ctx.community.id,
        payload={
            "post_id": post_id,
            "comment_id": comment.id,
            "post_title": post.title,
            "post_kind": post.kind,
            "post_author_id": post.author.id,
            "parent_author_id": parent_author,
            "author_name": author.display_name,
            "mentioned": mentioned,
        },
    )
    await uow.commit()
    return comment


async def update_comment(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    comment_id: UUID,
    body: str,
    if_match: int | None,
    attachment_ids: Sequence[UUID] | None = None,
) -> Comment:
    found, ctx = await comment_context(uow, actor, comment_id)
    comment = found.comment
    require_writable(ctx.community)
    if comment.author.id != actor.user_id:
        raise Forbidden("Only the author can edit a comment.")
    if if_match is not None and if_match != comment.version:
        raise PreconditionFailed("The comment changed since you read it; reload and retry.")
    comment.body = check_body(body)
    comment.body_html, _ = await render_body(uow, comment.body)
    before = list(comment.attachments)
    if attachment_ids is not None:
        comment.attachments = await claim_attachments(uow, actor, attachment_ids, before)
    comment.updated_at = clock.now()
    comment.version += 1
    comment.is_accepted = found.post.post.accepted_comment_id == comment.id
    await uow.posts.update_comment(comment)
    if attachment_ids is not None:
        await attach(
            uow, comment.attachments, before, post_id=comment.post_id, comment_id=comment.id
        )
    await uow.commit()
    return comment


async def delete_comment(uow: UnitOfWork, clock: Clock, actor: Actor, comment_id: UUID) -> None:
    found, ctx = await comment_context(uow, actor, comment_id)
    comment = found.comment
    now = clock.now()
    if comment.author.id != actor.user_id:
        require(Action.moderate, ctx)
        await audit(
            uow,
            ctx,
            actor,
            AuditAction.content_removed,
            comment.author.id,
            f"comment removed on: {found.post.post.title}",
            now,
        )
    if not await uow.posts.soft_delete_comment(comment.id, now):
        raise NotFound(COMMENT_NOT_FOUND)  # a concurrent delete came first
    if found.post.post.accepted_comment_id == comment.id:
        await uow.posts.set_accepted(comment.post_id, None, now)
        await uow.leadership.withdraw(ActKind.answer_accepted, comment.post_id)
    await uow.user_skills.refresh_evidence([comment.post_id], people=[comment.author.id])
    await uow.commit()


async def accept_answer(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    post_id: UUID,
    comment_id: UUID | None,
    if_match: int | None = None,
) -> Post:
    """The question's author (or a moderator) marks the answer that solved it; `if_match`, the
    post's version the caller read (412 when it changed since)."""
    found, ctx = await post_context(uow, actor, post_id)
    post = found.post
    if post.author.id != actor.user_id:
        require(Action.moderate, ctx)
    require_writable(ctx.community)
    if if_match is not None and if_match != post.version:
        raise PreconditionFailed("The post changed since you read it; reload and retry.")
    if post.kind is not PostKind.question:
        raise Conflict("Only questions have accepted answers.", code="not_a_question")
    now = clock.now()
    # The ledger credits the author of the answer accepted now, and only them.
    await uow.leadership.withdraw(ActKind.answer_accepted, post_id)
    if comment_id is not None:
        comment = await uow.posts.comment_context(comment_id, actor.user_id)
        if comment is None or comment.comment.post_id != post_id:
            raise ValidationFailed("That comment does not belong to this post.", field="comment_id")
        if comment.comment.author.id != post.author.id:
            await record_act(
                uow,
                comment.comment.author.id,
                ctx.community.id,
                ActKind.answer_accepted,
                now,
                SubjectType.post,
                post_id,
            )
        await record(
            uow,
            clock,
            EventType.answer_accepted,
            actor_id=actor.user_id,
            community_id=ctx.community.id,
            payload={
                "post_id": post_id,
                "comment_id": comment_id,
                "answer_author_id": comment.comment.author.id,
                "post_title": post.title,
            },
        )
        # The answer is evidence of the question's skills even where its author never listed
        # them: they are proposed to the author, and the recount below scores them.
        if comment.comment.author.id != post.author.id:
            await uow.user_skills.propose_tags(comment.comment.author.id, post_id, now)
    await uow.posts.set_accepted(post_id, comment_id, now)
    await uow.user_skills.refresh_evidence([post_id])
    post.accepted_comment_id = comment_id
    post.version += 1
    await uow.commit()
    return post
