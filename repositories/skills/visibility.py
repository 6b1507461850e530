"""Which communities' evidence a viewer may see, as SQL predicates on the communities table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from domain.actor import Actor
from domain.communities.model import MembershipStatus, Visibility
from repositories.skills.rows import communities, members, posts

CommunityRule = Any  # (community table) -> ColumnElement[bool]


def public_rule(community: Any) -> ColumnElement[bool]:
    return community.c.visibility == Visibility.public.value  # type: ignore[no-any-return]


def _memberships(viewer: Actor) -> Select[Any]:
    return select(members.c.community_id).where(
        members.c.user_id == viewer.user_id,
        members.c.status == MembershipStatus.active.value,
    )


def visible_to(viewer: Actor) -> CommunityRule:
    """Content the viewer can read: public communities, their own, or any for an admin."""

    def rule(community: Any) -> ColumnElement[bool]:
        if viewer.is_admin:
            return true()
        return or_(public_rule(community), community.c.id.in_(_memberships(viewer)))

    return rule


def evidence_readable(post_id: Any, rule: CommunityRule) -> ColumnElement[bool]:
    """The evidence post is live and readable under `rule`."""
    p, c = posts, communities
    return exists(
        select(literal(1))
        .select_from(p.join(c, c.c.id == p.c.community_id))
        .where(p.c.id == post_id, p.c.deleted_at.is_(None), rule(c))
    )
