"""Who hears of posts, comments, accepted answers and reports: the notifications derived from
their events, with the rules the requests applied before (watchers, mentions, the community's
notify_level, the post's author, its moderators). Each runs off the request path, once per event."""

from __future__ import annotations

from uuid import UUID

from domain.clock import Clock
from domain.communities.model import Role
from domain.events.model import Consumer, DomainEvent, EventType
from domain.notifications.model import NotificationKind, Reason
from domain.notifications.service import notify
from domain.ports import UnitOfWork
from domain.posts.context import post_url
from domain.posts.model import PostKind


async def on_post_created(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    p = event.payload
    post_id = event.uuid("post_id")
    # Members whose notify_level is `all`, read in one statement whatever their number.
    watchers = await uow.posts.watcher_ids(event.community_id) if event.community_id else []
    await notify(
        uow,
        clock,
        watchers,
        NotificationKind.new_post,
        event.actor_id,
        "post",
        post_id,
        f"New in {p['community_name']}: {p['title']}",
        post_url(post_id),
        community_id=event.community_id,
    )
    await notify(
        uow,
        clock,
        event.uuids("mentioned"),
        NotificationKind.mention,
        event.actor_id,
        "post",
        post_id,
        f"{p['author_name']} mentioned you: {p['title']}",
        post_url(post_id),
        community_id=event.community_id,
    )


async def on_comment_created(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    """The parent's author (a reply), then the mentioned, then the post's author, then the
    other watchers: each person once, by the first reason that applies."""
    p = event.payload
    post_id = event.uuid("post_id")
    comment_id = event.uuid("comment_id")
    name, title = p["author_name"], p["post_title"]
    url = post_url(post_id)
    told: set[UUID] = set() if event.actor_id is None else {event.actor_id}
    parent_author = event.uuid_or_none("parent_author_id")
    if parent_author is not None:
        await notify(
            uow,
            clock,
            [parent_author],
            NotificationKind.reply_to_comment,
            event.actor_id,
            "post",
            post_id,
            f"{name} replied to you on {title}",
            url,
            community_id=event.community_id,
            anchor_id=comment_id,
        )
        told.add(parent_author)
    mentioned = [i for i in event.uuids("mentioned") if i not in told]
    await notify(
        uow,
        clock,
        mentioned,
        NotificationKind.mention,
        event.actor_id,
        "post",
        post_id,
        f"{name} mentioned you on {title}",
        url,
        community_id=event.community_id,
        anchor_id=comment_id,
    )
    told.update(mentioned)
    watchers = await uow.watches.watcher_ids(post_id)
    post_author = event.uuid("post_author_id")
    if post_author in watchers:
        question = p["post_kind"] == PostKind.question.value
        await notify(
            uow,
            clock,
            [post_author],
            NotificationKind.comment_on_post,
            event.actor_id,
            "post",
            post_id,
            f"{name} answered: {title}",
            url,
            reason=Reason.asked if question else Reason.authored,
            community_id=event.community_id,
            anchor_id=comment_id,
        )
        told.add(post_author)
    await notify(
        uow,
        clock,
        [w for w in watchers if w not in told],
        NotificationKind.comment_on_post,
        event.actor_id,
        "post",
        post_id,
        f"{name} commented on {title}",
        url,
        reason=Reason.watching,
        community_id=event.community_id,
        anchor_id=comment_id,
    )


async def on_answer_accepted(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    post_id = event.uuid("post_id")
    await notify(
        uow,
        clock,
        [event.uuid("answer_author_id")],
        NotificationKind.answer_accepted,
        event.actor_id,
        "post",
        post_id,
        f"Your answer was accepted: {event.payload['post_title']}",
        post_url(post_id),
        community_id=event.community_id,
        anchor_id=event.uuid("comment_id"),
    )


async def on_report_filed(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> None:
    if event.community_id is None:
        return
    p = event.payload
    moderators = await uow.communities.leader_ids(event.community_id, Role.moderator)
    await notify(
        uow,
        clock,
        moderators,
        NotificationKind.report_filed,
        event.actor_id,
        "community",
        event.community_id,
        f"New report in {p['community_name']}",
        f"/communities/{p['community_slug']}?tab=moderation",
        community_id=event.community_id,
    )


CONSUMERS: tuple[Consumer, ...] = (
    Consumer("notify.post_created", frozenset({EventType.post_created}), on_post_created),
    Consumer("notify.comment_created", frozenset({EventType.comment_created}), on_comment_created),
    Consumer("notify.answer_accepted", frozenset({EventType.answer_accepted}), on_answer_accepted),
    Consumer("notify.report_filed", frozenset({EventType.report_filed}), on_report_filed),
)
