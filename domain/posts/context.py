"""What every post use case starts from: the post or comment the actor may see, with its
community context; and the audit entries they leave."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.communities.model import AuditAction, AuditEntry
from domain.communities.service import CommunityContext, context_of
from domain.errors import NotFound
from domain.leadership.service import record_audit
from domain.markdown import mentioned_handles, render_markdown
from domain.ports import UnitOfWork
from domain.posts.ports import CommentContext, PostContext

POST_NOT_FOUND = "Post not found."


COMMENT_NOT_FOUND = "Comment not found."


async def post_context(
    uow: UnitOfWork, actor: Actor, post_id: UUID
) -> tuple[PostContext, CommunityContext]:
    return visible_post(actor, await uow.posts.context(post_id, actor.user_id))


def visible_post(actor: Actor, found: PostContext | None) -> tuple[PostContext, CommunityContext]:
    """A post the caller may see, or the same 404 as a post that does not exist."""
    if found is None:
        raise NotFound(POST_NOT_FOUND)
    try:
        ctx = context_of(actor, found.community, found.membership, found.invited)
    except NotFound:
        raise NotFound(POST_NOT_FOUND) from None
    return found, ctx


async def comment_context(
    uow: UnitOfWork, actor: Actor, comment_id: UUID
) -> tuple[CommentContext, CommunityContext]:
    found = await uow.posts.comment_context(comment_id, actor.user_id)
    if found is None:
        raise NotFound(COMMENT_NOT_FOUND)
    post = found.post
    try:
        ctx = context_of(actor, post.community, post.membership, post.invited)
    except NotFound:
        raise NotFound(COMMENT_NOT_FOUND) from None
    return found, ctx


async def mentioned_people(uow: UnitOfWork, body: str) -> dict[str, UUID]:
    """The active people a body @mentions (the first 20 handles), by handle."""
    people: dict[str, UUID] = {}
    for handle in mentioned_handles(body)[:20]:
        user = await uow.users.get_by_handle(handle)
        if user is not None and user.is_active:
            people[user.handle] = user.id
    return people


async def render_body(uow: UnitOfWork, body: str) -> tuple[str, list[UUID]]:
    """A body's HTML, its mentions of existing people linked to them, and those people's ids."""
    people = await mentioned_people(uow, body)
    return render_markdown(body, frozenset(people)), list(people.values())


def post_url(post_id: UUID) -> str:
    return f"/posts/{post_id}"


async def audit(
    uow: UnitOfWork,
    ctx: CommunityContext,
    actor: Actor,
    action: AuditAction,
    subject: UUID | None,
    note: str,
    at: datetime,
) -> None:
    entry = AuditEntry(
        uuid.uuid4(), ctx.community.id, actor.user_id, action, at, subject, note[:500]
    )
    await uow.communities.add_audit(entry)
    await record_audit(uow, ctx.community.id, actor.user_id, action.value, subject, at, entry.id)
