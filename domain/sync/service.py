"""Delta sync use cases: a page of changes since a token, a first snapshot, pruning."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Community, CommunityView, Membership, Viewer
from domain.errors import Gone
from domain.mentorship.model import Mentorship
from domain.ports import UnitOfWork
from domain.sync.model import (
    PRUNE_AFTER,
    Change,
    ChangeRef,
    ChangeType,
    SyncPage,
    SyncToken,
)

RESYNC = (
    "This sync token is older than the 30 days of changes kept; resync: "
    "call /sync without a token and replace your copy with the snapshot."
)


async def sync(
    uow: UnitOfWork, clock: Clock, actor: Actor, token: SyncToken | None, limit: int
) -> SyncPage:
    now = clock.now()
    if token is None:
        # The head first: whatever commits while the snapshot is read comes again after it
        # (applying a change twice is harmless; missing one is not).
        head = await uow.sync.head()
        refs = await uow.sync.snapshot(actor.user_id)
        return SyncPage(await _hydrated(uow, actor, refs), SyncToken(head, now), False)
    if token.expired(now):
        raise Gone(RESYNC, code="resync")
    head = await uow.sync.head()
    page = await uow.sync.changes(actor.user_id, token.position, head, limit)
    changes = await _hydrated(uow, actor, page.refs)
    complete_at = token.complete_at if page.has_more else now
    return SyncPage(changes, SyncToken(page.position, complete_at), page.has_more)


async def prune(uow: UnitOfWork, clock: Clock) -> int:
    removed = await uow.sync.prune(clock.now() - PRUNE_AFTER)
    await uow.commit()
    return removed


def _in_copy(community: Community, membership: Membership | None) -> bool:
    """A community is in a caller's copy while they are an active member and it is open."""
    return community.archived_at is None and membership is not None and membership.is_active


def _in_copy_found(found: tuple[Community, Membership | None, bool] | None) -> bool:
    return found is not None and _in_copy(found[0], found[1])


async def _hydrated(uow: UnitOfWork, actor: Actor, refs: list[ChangeRef]) -> list[Change]:
    """Each changed thing once, as its GET shows it now, or a tombstone when it is gone or out of
    the caller's sight. One statement per type at most, whatever the page holds."""
    unique = list(dict.fromkeys(refs))
    ids: dict[ChangeType, list[UUID]] = defaultdict(list)
    for ref in unique:
        ids[ref.type].append(ref.id)
    me = actor.user_id
    community_ids = list(dict.fromkeys(ids[ChangeType.community] + ids[ChangeType.membership]))
    communities = await uow.sync.communities(me, community_ids)
    posts = {post.id: post for post in await uow.posts.get_many(ids[ChangeType.post], me)}
    comments = await uow.sync.comments(me, ids[ChangeType.comment])
    mentorships: dict[UUID, Mentorship] = {
        m.id: m
        for m in await uow.mentorship.get_many(ids[ChangeType.mentorship])
        if me in (m.mentor.id, m.mentee.id)
    }
    notifications = await uow.notifications.lines(ids[ChangeType.notification])
    profile = await uow.users.get(me) if ids[ChangeType.profile] else None
    # Out of a private community, its notifications leave the inbox too.
    left = [i for i in ids[ChangeType.membership] if not _in_copy_found(communities.get(i))]
    hidden = await uow.sync.hidden_notifications(me, left)

    changes: list[Change] = []
    for ref in unique:
        entity: object | None = None
        match ref.type:
            case ChangeType.community | ChangeType.membership:
                found = communities.get(ref.id)
                if found is not None and _in_copy_found(found):
                    community, membership, invited = found
                    viewer = Viewer(me, actor.is_admin, membership, invited)
                    entity = (
                        membership
                        if ref.type is ChangeType.membership
                        else CommunityView(community, viewer)
                    )
                elif ref.type is ChangeType.membership:
                    # Out of the community: the whole community leaves the copy with its posts
                    # and comments (a community tombstone says so), then the membership.
                    changes.append(Change(ChangeType.community, ref.id, None))
                    changes.extend(Change(ChangeType.notification, i, None) for i in hidden)
                    hidden = []
            case ChangeType.post:
                entity = posts.get(ref.id)
            case ChangeType.comment:
                entity = comments.get(ref.id)
            case ChangeType.mentorship:
                entity = mentorships.get(ref.id)
            case ChangeType.notification:
                entity = notifications.get(ref.id)
            case ChangeType.profile:
                entity = profile if ref.id == me else None
        changes.append(Change(ref.type, ref.id, entity))
    return changes
