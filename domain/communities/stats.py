"""Community health: membership from the community, activity from its content (through the
posts repository's port, so this module does not depend on domain.posts)."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import CommunityStats
from domain.communities.service import load_community
from domain.ports import UnitOfWork

STATS_WINDOW = timedelta(days=30)


async def community_stats(uow: UnitOfWork, clock: Clock, actor: Actor, slug: str) -> CommunityStats:
    ctx = await load_community(uow, actor, slug)
    since = clock.now() - STATS_WINDOW
    base = await uow.communities.stats(ctx.community.id, since)
    content = await uow.posts.content_stats(ctx.community.id, since)
    nudged = await uow.nudges.outcome(ctx.community.id, since)
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
        nudged_questions_30d=nudged.nudged_questions,
        nudged_answered_30d=nudged.answered,
        median_nudged_first_answer_minutes=round(median(nudged.first_answer_minutes), 1)
        if nudged.first_answer_minutes
        else None,
    )
