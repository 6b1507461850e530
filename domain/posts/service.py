"""Post use cases: sharing knowledge, asking questions, tags, reactions, the feed.

Comments and answers (`comments`), reports (`moderation`) and search (`search`) live beside it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Action, AuditAction, Visibility
from domain.communities.service import (
    COMMUNITY_NOT_FOUND,
    context_of,
    load_community,
    require,
    require_writable,
)
from domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from domain.events.model import EventType
from domain.events.service import record
from domain.leadership.model import ActKind, SubjectType
from domain.leadership.service import record_act
from domain.notifications.model import WatchState
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.posts.attachments import attach, claim_attachments
from domain.posts.context import (
    POST_NOT_FOUND,
    audit,
    comment_context,
    post_context,
    render_body,
)
from domain.posts.model import (
    POPULAR_WINDOW,
    UNANSWERED_WINDOW,
    CommunityRef,
    FeedSort,
    Link,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    TargetType,
    check_body,
    check_links,
    check_tag_count,
    check_title,
)
from domain.skills.model import Skill, SkillName, clean_display_name, normalize_skill_name
from domain.skills.service import free_slug
from domain.users.model import UserRef


@dataclass(frozen=True, slots=True)
class PostDraft:
    kind: PostKind
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    attachment_ids: tuple[UUID, ...] = ()


# --- tags are skills -------------------------------------------------------------------------


async def resolve_tags(
    uow: UnitOfWork, clock: Clock, tags: list[str], *, public: bool
) -> list[tuple[UUID, str]]:
    """Each tag names a skill by slug, name or alias (case, space and punctuation do not
    matter); an unknown tag creates the skill. Returns (skill id, slug) in the given order.

    `public`: the post is in a public community, which lists the skills it names; a skill first
    named in a private community stays unlisted (domain.skills.model, listing)."""
    check_tag_count(tags)
    names = [clean_display_name(t, "tags") for t in tags]
    keys = list(dict.fromkeys(normalize_skill_name(n) for n in names))
    found = await uow.skills.owners_of(keys)
    owners = {o.key: (o.skill_id, o.skill_slug) for o in found}
    if public:
        unlisted = list(dict.fromkeys(o.skill_id for o in found if not o.skill_listed))
        if unlisted:
            await uow.skills.mark_listed(unlisted)
    resolved: list[tuple[UUID, str]] = []
    now = clock.now()
    for name in names:
        key = normalize_skill_name(name)
        if key not in owners:
            skill = Skill(
                id=uuid.uuid4(),
                slug=await free_slug(uow, name),
                name=name,
                description=None,
                category=None,
                created_at=now,
                updated_at=now,
                aliases=[],
                listed=public,
            )
            await uow.skills.add(skill, [SkillName(name=name, key=key, primary=True)])
            owners[key] = (skill.id, skill.slug)
        if owners[key] not in resolved:
            resolved.append(owners[key])
    return resolved


# --- posts --------------------------------------------------------------------------------------


async def create_post(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, draft: PostDraft
) -> Post:
    ctx = await load_community(uow, actor, slug)
    community = ctx.community
    require(Action.post, ctx)
    require_writable(community)
    title = check_title(draft.title)
    body = check_body(draft.body)
    links = check_links(list(draft.links))
    public = community.visibility is Visibility.public
    attachments = await claim_attachments(uow, actor, draft.attachment_ids, ())
    tags = await resolve_tags(uow, clock, list(draft.tags), public=public)
    author = await uow.users.get(actor.user_id)
    assert author is not None
    now = clock.now()
    body_html, mentioned = await render_body(uow, body)
    post = Post(
        id=uuid.uuid4(),
        community=CommunityRef.of(community),
        author=UserRef(
            author.id, author.handle, author.display_name, author.title, author.avatar_url
        ),
        kind=draft.kind,
        title=title,
        body=body,
        body_html=body_html,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        tags=[s for _, s in tags],
        links=links,
        attachments=attachments,
    )
    await uow.posts.add(post, [i for i, _ in tags], mentioned)
    await attach(uow, attachments, (), post_id=post.id)
    if tags:
        await uow.user_skills.refresh_evidence([post.id], people=[actor.user_id])
    if post.kind is PostKind.best_practice:
        await record_act(
            uow,
            actor.user_id,
            community.id,
            ActKind.best_practice_published,
            now,
            SubjectType.post,
            post.id,
        )
    # Authors watch their posts: answers and comments reach them.
    await uow.watches.watch(post.id, actor.user_id, now, explicit=False)
    # Watchers, mentions and the community's notify_level are told by the event's consumer.
    await record(
        uow,
        clock,
        EventType.post_created,
        actor_id=actor.user_id,
        community_id=community.id,
        payload={
            "post_id": post.id,
            "kind": post.kind,
            "title": title,
            "community_name": community.name,
            "author_name": author.display_name,
            "mentioned": mentioned,
        },
    )
    await uow.commit()
    return post


async def get_post(uow: UnitOfWork, actor: Actor, post_id: UUID) -> Post:
    found, _ = await post_context(uow, actor, post_id)
    return found.post


@dataclass(frozen=True, slots=True)
class PostChanges:
    values: dict[str, object]


CONTENT_FIELDS = frozenset({"title", "body", "kind", "tags", "links", "attachment_ids"})


MODERATION_FIELDS = frozenset({"is_pinned", "is_locked"})


async def update_post(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    post_id: UUID,
    changes: PostChanges,
    if_match: int | None,
) -> Post:
    """Authors edit content; moderators and stewards pin and lock."""
    found, ctx = await post_context(uow, actor, post_id)
    post = found.post
    require_writable(ctx.community)
    values = changes.values
    if set(values) & CONTENT_FIELDS and post.author.id != actor.user_id:
        raise Forbidden("Only the author can edit a post's content.")
    if set(values) & MODERATION_FIELDS:
        require(Action.moderate, ctx)
    if if_match is not None and if_match != post.version:
        raise PreconditionFailed("The post changed since you read it; reload and retry.")
    skill_ids: list[UUID] | None = None
    if "title" in values:
        post.title = check_title(str(values["title"]))
    if "body" in values:
        post.body = check_body(str(values["body"] or ""))
        post.body_html, _ = await render_body(uow, post.body)
    if "kind" in values:
        kind = PostKind(str(values["kind"]))
        if kind is not PostKind.question and post.accepted_comment_id is not None:
            raise Conflict("Unaccept the answer before turning the question into another kind.")
        post.kind = kind
    if "links" in values:
        raw = values["links"]
        post.links = check_links(list(raw) if isinstance(raw, list) else [])
    if "tags" in values:
        raw_tags = values["tags"]
        resolved = await resolve_tags(
            uow,
            clock,
            [str(t) for t in raw_tags] if isinstance(raw_tags, list) else [],
            public=ctx.community.visibility is Visibility.public,
        )
        skill_ids = [i for i, _ in resolved]
        post.tags = [s for _, s in resolved]
    before = list(post.attachments)
    if "attachment_ids" in values:
        raw_ids = values["attachment_ids"]
        post.attachments = await claim_attachments(
            uow, actor, list(raw_ids) if isinstance(raw_ids, list) else [], before
        )
    audit_actions = []
    if "is_pinned" in values and bool(values["is_pinned"]) != post.is_pinned:
        post.is_pinned = bool(values["is_pinned"])
        audit_actions.append((AuditAction.post_pinned, "pinned" if post.is_pinned else "unpinned"))
    if "is_locked" in values and bool(values["is_locked"]) != post.is_locked:
        post.is_locked = bool(values["is_locked"])
        audit_actions.append((AuditAction.post_locked, "locked" if post.is_locked else "unlocked"))
    now = clock.now()
    post.updated_at = now
    post.version += 1
    await uow.posts.update(post, skill_ids)
    if "attachment_ids" in values:
        await attach(uow, post.attachments, before, post_id=post.id)
    if skill_ids is not None:
        await uow.user_skills.refresh_evidence([post.id], tags_changed=True)
    for action, verb in audit_actions:
        await audit(uow, ctx, actor, action, post.author.id, f"{verb}: {post.title}", now)
    await uow.commit()
    return post


async def delete_post(uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID) -> None:
    found, ctx = await post_context(uow, actor, post_id)
    post = found.post
    if post.author.id != actor.user_id:
        require(Action.moderate, ctx)
        await audit(
            uow,
            ctx,
            actor,
            AuditAction.content_removed,
            post.author.id,
            f"post removed: {post.title}",
            clock.now(),
        )
    if not await uow.posts.soft_delete(post.id, clock.now()):
        raise NotFound(POST_NOT_FOUND)  # a concurrent delete came first
    # A deleted post is evidence of nothing any more.
    await uow.leadership.withdraw(ActKind.best_practice_published, post.id)
    await uow.leadership.withdraw(ActKind.answer_accepted, post.id)
    await uow.user_skills.refresh_evidence([post.id])
    await uow.commit()


async def list_community_posts(
    uow: UnitOfWork,
    actor: Actor,
    slug: str,
    sort: PostSort,
    kind: PostKind | None,
    tag: str | None,
    pinned: bool | None,
    page: PageRequest,
) -> PageResult[Post]:
    skill_id = None
    if tag:
        owners = await uow.skills.owners_of([normalize_skill_name(tag)])
        if not owners:  # no post carries an unknown tag, but the community may still be a 404
            await load_community(uow, actor, slug)
            return PageResult(items=[], next_position=None)
        skill_id = owners[0].skill_id
    # The community with the caller's membership and the page: one statement.
    found = await uow.posts.list_for_community(
        slug.lower(), actor.user_id, sort, kind, skill_id, pinned, page
    )
    if found is None:
        raise NotFound(COMMUNITY_NOT_FOUND)
    # The page came with its community: it is returned only once the community is visible.
    context_of(actor, found.community, found.membership, found.invited)
    return found.posts


async def feed(
    uow: UnitOfWork, actor: Actor, sort: FeedSort, page: PageRequest
) -> PageResult[Post]:
    """The caller's communities, plus public posts on the skills they are learning."""
    return await uow.posts.feed(actor.user_id, sort, page)


async def unanswered_on_my_skills(
    uow: UnitOfWork, clock: Clock, actor: Actor, page: PageRequest
) -> PageResult[Post]:
    """Recent questions nobody has answered yet, on the skills the caller holds."""
    since = clock.now() - UNANSWERED_WINDOW
    return await uow.posts.unanswered_on_skills(actor.user_id, since, page)


async def popular_posts(
    uow: UnitOfWork, clock: Clock, actor: Actor, page: PageRequest
) -> PageResult[Post]:
    """The best-scored recent posts of public communities: what a new person's empty feed
    shows instead of nothing."""
    since = clock.now() - POPULAR_WINDOW
    return await uow.posts.popular(actor.user_id, since, page)


# --- reactions ---------------------------------------------------------------------------------


async def react(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    target: TargetType,
    target_id: UUID,
    kind: ReactionKind,
    on: bool,
) -> None:
    if target is TargetType.post:
        found, ctx = await post_context(uow, actor, target_id)
        author_id, post_id = found.post.author.id, found.post.id
    else:
        comment_found, ctx = await comment_context(uow, actor, target_id)
        author_id, post_id = comment_found.comment.author.id, comment_found.comment.post_id
    require(Action.post, ctx)
    if author_id == actor.user_id:
        raise Forbidden("You cannot react to your own contribution.")
    if on:
        changed = await uow.posts.react(actor.user_id, target, target_id, kind, clock.now())
    else:
        changed = await uow.posts.unreact(actor.user_id, target, target_id, kind)
    if changed and kind is ReactionKind.helpful:
        await uow.user_skills.refresh_evidence([post_id], people=[author_id])
    if changed and on:
        await record(
            uow,
            clock,
            EventType.reaction_added,
            actor_id=actor.user_id,
            community_id=ctx.community.id,
            payload={
                "target_type": target,
                "target_id": target_id,
                "post_id": post_id,
                "author_id": author_id,
                "kind": kind,
            },
        )
    await uow.commit()


async def watch_post(uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID) -> None:
    """Be told of every new comment on a post you can see."""
    await post_context(uow, actor, post_id)
    await uow.watches.watch(post_id, actor.user_id, clock.now(), explicit=True)
    await uow.commit()


async def watch_state(uow: UnitOfWork, actor: Actor, post_id: UUID) -> WatchState:
    """Whether the caller is told of a post's new comments (a post they can see), and why."""
    found, _ = await post_context(uow, actor, post_id)
    stored, commented = await uow.watches.choice(post_id, actor.user_id)
    return WatchState.of(
        stored, is_author=found.post.author.id == actor.user_id, commented=commented
    )


async def unwatch_post(uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID) -> None:
    """Stop being told of new comments; commenting again does not watch the post again."""
    await post_context(uow, actor, post_id)
    await uow.watches.unwatch(post_id, actor.user_id, clock.now())
    await uow.commit()


async def preview_body(uow: UnitOfWork, actor: Actor, body: str) -> str:
    """A post's or comment's body as it will read once saved: the same rendering, sanitising and
    mention links, so the composer's preview never differs from the result."""
    del actor  # any signed-in person may preview; nothing is stored or shown to others
    html, _ = await render_body(uow, check_body(body))
    return html
