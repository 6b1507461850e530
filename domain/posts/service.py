"""Post use cases: sharing knowledge, answering questions, reacting, moderating, the feed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from uuid import UUID

from domain.actor import Actor, Caller
from domain.clock import Clock
from domain.communities.model import (
    Action,
    AuditAction,
    AuditEntry,
    CommunityStats,
    Role,
    Visibility,
)
from domain.communities.service import (
    COMMUNITY_NOT_FOUND,
    CommunityContext,
    context_of,
    load_community,
    require,
    require_writable,
)
from domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from domain.markdown import mentioned_handles, render_markdown
from domain.notifications.model import Notification, NotificationKind, recipients
from domain.pagination import PageRequest, PageResult
from domain.ports import CommentContext, PostContext, UnitOfWork
from domain.posts.model import (
    Comment,
    CommunityRef,
    FeedSort,
    Link,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Report,
    ReportAction,
    ReportReason,
    ReportStatus,
    TargetType,
    check_body,
    check_links,
    check_tag_count,
    check_title,
)
from domain.search import search_query
from domain.skills.model import (
    Skill,
    SkillName,
    clean_display_name,
    normalize_skill_name,
)
from domain.skills.service import free_slug
from domain.users.model import UserRef
from domain.users.service import confirm_caller

POST_NOT_FOUND = "Post not found."
COMMENT_NOT_FOUND = "Comment not found."
ALREADY_RESOLVED = "This report is already resolved."
STATS_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class PostDraft:
    kind: PostKind
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()


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


# --- loading ----------------------------------------------------------------------------------


async def _post_context(
    uow: UnitOfWork, actor: Actor, post_id: UUID
) -> tuple[PostContext, CommunityContext]:
    return _visible_post(actor, await uow.posts.context(post_id, actor.user_id))


def _visible_post(actor: Actor, found: PostContext | None) -> tuple[PostContext, CommunityContext]:
    """A post the caller may see, or the same 404 as a post that does not exist."""
    if found is None:
        raise NotFound(POST_NOT_FOUND)
    try:
        ctx = context_of(actor, found.community, found.membership, found.invited)
    except NotFound:
        raise NotFound(POST_NOT_FOUND) from None
    return found, ctx


async def _comment_context(
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


async def _notify(
    uow: UnitOfWork,
    clock: Clock,
    user_ids: list[UUID],
    kind: NotificationKind,
    actor_id: UUID,
    subject_type: str,
    subject_id: UUID,
    title: str,
    url: str,
) -> None:
    now = clock.now()
    await uow.notifications.add_many(
        [
            Notification(
                uuid.uuid4(), user_id, kind, actor_id, subject_type, subject_id, title, url, now
            )
            for user_id in recipients(user_ids, actor_id)
        ]
    )


async def _mentioned_ids(uow: UnitOfWork, body: str) -> list[UUID]:
    ids = []
    for handle in mentioned_handles(body)[:20]:
        user = await uow.users.get_by_handle(handle)
        if user is not None and user.is_active:
            ids.append(user.id)
    return ids


def _post_url(post_id: UUID) -> str:
    return f"/posts/{post_id}"


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
    tags = await resolve_tags(uow, clock, list(draft.tags), public=public)
    author = await uow.users.get(actor.user_id)
    assert author is not None
    now = clock.now()
    post = Post(
        id=uuid.uuid4(),
        community=CommunityRef.of(community),
        author=UserRef(
            author.id, author.handle, author.display_name, author.title, author.avatar_url
        ),
        kind=draft.kind,
        title=title,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        tags=[s for _, s in tags],
        links=links,
    )
    mentioned = await _mentioned_ids(uow, body)
    await uow.posts.add(post, [i for i, _ in tags], mentioned)
    if tags:
        await uow.user_skills.refresh_evidence([post.id], people=[actor.user_id])
    watchers = await uow.posts.watcher_ids(community.id)
    await _notify(
        uow,
        clock,
        watchers,
        NotificationKind.new_post,
        actor.user_id,
        "post",
        post.id,
        f"New in {community.name}: {title}",
        _post_url(post.id),
    )
    await _notify(
        uow,
        clock,
        mentioned,
        NotificationKind.mention,
        actor.user_id,
        "post",
        post.id,
        f"{author.display_name} mentioned you: {title}",
        _post_url(post.id),
    )
    await uow.commit()
    return post


async def get_post(uow: UnitOfWork, caller: Caller, post_id: UUID) -> Post:
    read = await uow.posts.read_post(post_id, caller.user_id, with_account=caller.account_needed)
    found, _ = _visible_post(caller.confirm(read.account), read.found)
    return found.post


@dataclass(frozen=True, slots=True)
class PostChanges:
    values: dict[str, object]


CONTENT_FIELDS = frozenset({"title", "body", "kind", "tags", "links"})
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
    found, ctx = await _post_context(uow, actor, post_id)
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
        post.body_html = render_markdown(post.body)
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
    if skill_ids is not None:
        await uow.user_skills.refresh_evidence([post.id], tags_changed=True)
    for action, verb in audit_actions:
        await _audit(uow, ctx, actor, action, post.author.id, f"{verb}: {post.title}", now)
    await uow.commit()
    return post


async def _audit(
    uow: UnitOfWork,
    ctx: CommunityContext,
    actor: Actor,
    action: AuditAction,
    subject: UUID | None,
    note: str,
    at: datetime,
) -> None:
    await uow.communities.add_audit(
        AuditEntry(uuid.uuid4(), ctx.community.id, actor.user_id, action, at, subject, note[:500])
    )


async def delete_post(uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID) -> None:
    found, ctx = await _post_context(uow, actor, post_id)
    post = found.post
    if post.author.id != actor.user_id:
        require(Action.moderate, ctx)
        await _audit(
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
    await uow.user_skills.refresh_evidence([post.id])
    await uow.commit()


async def list_community_posts(
    uow: UnitOfWork,
    caller: Caller,
    slug: str,
    sort: PostSort,
    kind: PostKind | None,
    tag: str | None,
    pinned: bool | None,
    page: PageRequest,
) -> PageResult[Post]:
    actor: Actor | None = None
    skill_id = None
    if tag:  # a tag is looked up first, and only for a confirmed caller
        actor = await confirm_caller(uow, caller)
        owners = await uow.skills.owners_of([normalize_skill_name(tag)])
        if not owners:  # no post carries an unknown tag, but the community may still be a 404
            await load_community(uow, actor, slug)
            return PageResult(items=[], next_position=None)
        skill_id = owners[0].skill_id
    # The caller's account (unless confirmed already), the community and the page: one
    # statement, checked in that order.
    read = await uow.posts.list_for_community(
        slug.lower(),
        caller.user_id,
        sort,
        kind,
        skill_id,
        pinned,
        page,
        with_account=actor is None and caller.account_needed,
    )
    if actor is None:
        actor = caller.confirm(read.account)
    if read.found is None:
        raise NotFound(COMMUNITY_NOT_FOUND)
    found = read.found
    # The page came with its community: it is returned only once the community is visible.
    context_of(actor, found.community, found.membership, found.invited)
    return found.posts


async def feed(
    uow: UnitOfWork, caller: Caller, sort: FeedSort, page: PageRequest
) -> PageResult[Post]:
    """The caller's communities, plus public posts on the skills they are learning."""
    read = await uow.posts.feed(caller.user_id, sort, page, with_account=caller.account_needed)
    caller.confirm(read.account)
    return read.found


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
        found, ctx = await _post_context(uow, actor, target_id)
        author_id, post_id = found.post.author.id, found.post.id
    else:
        comment_found, ctx = await _comment_context(uow, actor, target_id)
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
    await uow.commit()


# --- comments ----------------------------------------------------------------------------------


async def list_comments(
    uow: UnitOfWork, caller: Caller, post_id: UUID, page: PageRequest
) -> PageResult[Comment]:
    read = await uow.posts.list_comments(
        post_id, caller.user_id, page, with_account=caller.account_needed
    )
    actor = caller.confirm(read.account)
    if read.found is None:
        raise NotFound(POST_NOT_FOUND)
    # The page came with its post: it is returned only once the post is visible.
    _visible_post(actor, read.found.post)
    return read.found.comments


async def create_comment(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    post_id: UUID,
    body: str,
    parent_id: UUID | None,
) -> Comment:
    found, ctx = await _post_context(uow, actor, post_id)
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
    author = await uow.users.get(actor.user_id)
    assert author is not None
    now = clock.now()
    comment = Comment(
        id=uuid.uuid4(),
        post_id=post_id,
        parent_id=parent_id,
        author=UserRef(
            author.id, author.handle, author.display_name, author.title, author.avatar_url
        ),
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        updated_at=now,
    )
    await uow.posts.add_comment(comment)
    url = _post_url(post_id)
    await _notify(
        uow,
        clock,
        [post.author.id],
        NotificationKind.comment_on_post,
        actor.user_id,
        "post",
        post_id,
        f"{author.display_name} answered: {post.title}",
        url,
    )
    if parent_author is not None:
        await _notify(
            uow,
            clock,
            [parent_author],
            NotificationKind.reply_to_comment,
            actor.user_id,
            "post",
            post_id,
            f"{author.display_name} replied to you on {post.title}",
            url,
        )
    mentioned = await _mentioned_ids(uow, body)
    await _notify(
        uow,
        clock,
        mentioned,
        NotificationKind.mention,
        actor.user_id,
        "post",
        post_id,
        f"{author.display_name} mentioned you on {post.title}",
        url,
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
) -> Comment:
    found, ctx = await _comment_context(uow, actor, comment_id)
    comment = found.comment
    require_writable(ctx.community)
    if comment.author.id != actor.user_id:
        raise Forbidden("Only the author can edit a comment.")
    if if_match is not None and if_match != comment.version:
        raise PreconditionFailed("The comment changed since you read it; reload and retry.")
    comment.body = check_body(body)
    comment.body_html = render_markdown(comment.body)
    comment.updated_at = clock.now()
    comment.version += 1
    comment.is_accepted = found.post.post.accepted_comment_id == comment.id
    await uow.posts.update_comment(comment)
    await uow.commit()
    return comment


async def delete_comment(uow: UnitOfWork, clock: Clock, actor: Actor, comment_id: UUID) -> None:
    found, ctx = await _comment_context(uow, actor, comment_id)
    comment = found.comment
    now = clock.now()
    if comment.author.id != actor.user_id:
        require(Action.moderate, ctx)
        await _audit(
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
    await uow.user_skills.refresh_evidence([comment.post_id], people=[comment.author.id])
    await uow.commit()


async def accept_answer(
    uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID, comment_id: UUID | None
) -> Post:
    """The question's author (or a moderator) marks the answer that solved it."""
    found, ctx = await _post_context(uow, actor, post_id)
    post = found.post
    if post.author.id != actor.user_id:
        require(Action.moderate, ctx)
    require_writable(ctx.community)
    if post.kind is not PostKind.question:
        raise Conflict("Only questions have accepted answers.", code="not_a_question")
    now = clock.now()
    if comment_id is not None:
        comment = await uow.posts.comment_context(comment_id, actor.user_id)
        if comment is None or comment.comment.post_id != post_id:
            raise ValidationFailed("That comment does not belong to this post.", field="comment_id")
        if comment.comment.author.id != actor.user_id:
            await _notify(
                uow,
                clock,
                [comment.comment.author.id],
                NotificationKind.answer_accepted,
                actor.user_id,
                "post",
                post_id,
                f"Your answer was accepted: {post.title}",
                _post_url(post_id),
            )
    await uow.posts.set_accepted(post_id, comment_id, now)
    await uow.user_skills.refresh_evidence([post_id])
    post.accepted_comment_id = comment_id
    post.version += 1
    await uow.commit()
    return post


# --- reports -----------------------------------------------------------------------------------


async def report(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    target: TargetType,
    target_id: UUID,
    reason: ReportReason,
    detail: str | None,
) -> tuple[Report, bool]:
    """File a report; True when it is new. One open report per reporter and target: a repeat
    answers with the open one and notifies nobody again."""
    if target is TargetType.post:
        found, ctx = await _post_context(uow, actor, target_id)
        excerpt = found.post.title
    else:
        comment_found, ctx = await _comment_context(uow, actor, target_id)
        excerpt = comment_found.comment.body[:200]
    require(Action.post, ctx)
    existing = await uow.posts.open_report(actor.user_id, target, target_id)
    if existing is not None:
        return existing, False
    item = Report(
        id=uuid.uuid4(),
        community_id=ctx.community.id,
        target_type=target,
        target_id=target_id,
        reporter_id=actor.user_id,
        reason=reason,
        detail=detail,
        status=ReportStatus.open,
        created_at=clock.now(),
        excerpt=excerpt,
    )
    if not await uow.posts.add_report(item):
        # A concurrent duplicate won the unique index; answer with its report.
        existing = await uow.posts.open_report(actor.user_id, target, target_id)
        if existing is None:  # and a moderator resolved it meanwhile
            raise Conflict("Your report was filed and resolved meanwhile; report again if needed.")
        return existing, False
    moderators = await uow.communities.leader_ids(ctx.community.id, Role.moderator)
    await _notify(
        uow,
        clock,
        moderators,
        NotificationKind.report_filed,
        actor.user_id,
        "community",
        ctx.community.id,
        f"New report in {ctx.community.name}",
        f"/communities/{ctx.community.slug}?tab=moderation",
    )
    await uow.commit()
    return item, True


async def list_reports(
    uow: UnitOfWork, actor: Actor, slug: str, status: ReportStatus | None, page: PageRequest
) -> PageResult[Report]:
    ctx = await load_community(uow, actor, slug)
    require(Action.moderate, ctx)
    return await uow.posts.list_reports(ctx.community.id, status, page)


async def resolve_report(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    report_id: UUID,
    action: ReportAction,
    note: str | None,
) -> Report:
    item = await uow.posts.get_report(report_id)
    if item is None:
        raise NotFound("Report not found.")
    found = await uow.communities.get_by_id_with_viewer(item.community_id, actor.user_id)
    if found is None:
        raise NotFound("Report not found.")
    try:
        ctx = context_of(actor, *found)
    except NotFound:
        raise NotFound("Report not found.") from None
    require(Action.moderate, ctx)
    if item.status is ReportStatus.resolved:
        raise Conflict(ALREADY_RESOLVED)
    now = clock.now()
    item.status = ReportStatus.resolved
    item.resolved_by = actor.user_id
    item.resolved_at = now
    item.action = action
    item.note = note
    # Resolved first, by a conditional write: of concurrent resolutions one acts.
    if not await uow.posts.resolve_report(item):
        raise Conflict(ALREADY_RESOLVED)
    if action is ReportAction.remove_content:
        if item.target_type is TargetType.post:
            await uow.posts.soft_delete(item.target_id, now)
            await uow.user_skills.refresh_evidence([item.target_id])
        else:
            comment = await uow.posts.comment_context(item.target_id, actor.user_id)
            if comment is not None and await uow.posts.soft_delete_comment(item.target_id, now):
                await uow.user_skills.refresh_evidence(
                    [comment.comment.post_id], people=[comment.comment.author.id]
                )
    # The log names the moderator and the decision, never the reporter.
    await _audit(
        uow,
        ctx,
        actor,
        AuditAction.report_resolved,
        None,
        f"{item.target_type.value} report ({item.reason.value}): {action.value}"
        + (f" - {note}" if note else ""),
        now,
    )
    await uow.commit()
    return item


# --- community health from content ---------------------------------------------------------------


async def community_stats(uow: UnitOfWork, clock: Clock, actor: Actor, slug: str) -> CommunityStats:
    ctx = await load_community(uow, actor, slug)
    since = clock.now() - STATS_WINDOW
    base = await uow.communities.stats(ctx.community.id, since)
    content = await uow.posts.content_stats(ctx.community.id, since)
    return CommunityStats(
        members=base.members,
        active_members_30d=content.active_members,
        posts_30d=content.posts,
        questions_30d=content.questions,
        answered_ratio=round(content.answered_questions / content.questions, 3)
        if content.questions
        else 0.0,
        median_first_response_minutes=round(median(content.first_response_minutes), 1)
        if content.first_response_minutes
        else None,
        contributors_30d=content.contributors,
        leaders_30d=base.leaders_30d,
    )


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoundPost:
    post: Post
    snippet: str  # safe HTML: escaped text, only <mark> tags
    rank: float


async def search_posts(
    uow: UnitOfWork,
    actor: Actor,
    q: str,
    community: str | None,
    kind: PostKind | None,
    tag: str | None,
    page: PageRequest,
) -> PageResult[FoundPost]:
    """Full text, title above body; visibility is enforced inside the search query itself."""
    query = search_query(q)
    community_id = (await load_community(uow, actor, community)).community.id if community else None
    skill_id = None
    if tag:
        owners = await uow.skills.owners_of([normalize_skill_name(tag)])
        if not owners:
            return PageResult(items=[], next_position=None)
        skill_id = owners[0].skill_id
    hits = await uow.search.search_posts(
        actor.user_id,
        actor.is_admin,
        query,
        community_id,
        kind.value if kind else None,
        skill_id,
        page,
    )
    found = {
        post.id: post
        for post in await uow.posts.get_many([h.post_id for h in hits.items], actor.user_id)
    }
    items = [
        FoundPost(found[h.post_id], h.snippet, h.rank) for h in hits.items if h.post_id in found
    ]
    return PageResult(items=items, next_position=hits.next_position)
