"""Skill insights: the scheduled refresh of the rollups, and who may read which of them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Role, Visibility
from domain.errors import Forbidden, NotFound
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.skill_insights.model import (
    BUS_FACTOR_WINDOW,
    DEMAND_WINDOW,
    Demand,
    InsightFigures,
    InsightSort,
    SkillInsight,
    Supply,
    bus_factor,
    is_at_risk,
    median_minutes,
    suggest_pairs,
)
from domain.skill_insights.ports import ORGANISATION, InsightFacts, StoredPair

Key = tuple[UUID, UUID]  # (scope, skill)


def compute_rollups(
    facts: InsightFacts,
) -> tuple[list[tuple[UUID, InsightFigures]], list[StoredPair]]:
    """Every scope's figures from the raw facts: each community counts its own questions and
    answers and its active members' goals, levels and mentoring; the organisation counts all.
    A community's figures therefore never contain another community's content."""
    scopes_of: dict[UUID, list[UUID]] = defaultdict(lambda: [ORGANISATION])
    for community_id, person in facts.memberships:
        scopes_of[person].append(community_id)

    questions: Counter[Key] = Counter()
    unanswered: Counter[Key] = Counter()
    waits: dict[Key, list[float]] = defaultdict(list)
    for q in facts.questions:
        for scope in (ORGANISATION, q.community_id):
            key = (scope, q.skill_id)
            questions[key] += 1
            unanswered[key] += not q.accepted
            if q.first_answer_minutes is not None:
                waits[key].append(q.first_answer_minutes)

    answerers: dict[Key, set[UUID]] = defaultdict(set)
    for community_id, skill_id, person in facts.answerers:
        answerers[(ORGANISATION, skill_id)].add(person)
        answerers[(community_id, skill_id)].add(person)

    accepted: dict[Key, Counter[UUID]] = defaultdict(Counter)
    for community_id, skill_id, person, count in facts.accepted:
        accepted[(ORGANISATION, skill_id)][person] += count
        accepted[(community_id, skill_id)][person] += count

    def by_scope(pairs: Iterable[tuple[UUID, UUID]]) -> dict[Key, list[UUID]]:
        grouped: dict[Key, list[UUID]] = defaultdict(list)
        for skill_id, person in pairs:
            for scope in scopes_of[person]:
                grouped[(scope, skill_id)].append(person)
        return grouped

    learners = by_scope(facts.goals)
    experts = by_scope(facts.experts)
    mentors = by_scope(facts.mentors)

    keys = (set(questions) | set(answerers) | set(accepted) | set(learners) | set(experts)) | set(
        mentors
    )
    rollups: list[tuple[UUID, InsightFigures]] = []
    stored_pairs: list[StoredPair] = []
    for scope, skill_id in sorted(keys):
        key = (scope, skill_id)
        factor = bus_factor(accepted[key].values()) if key in accepted else 0
        figures = InsightFigures(
            skill_id=skill_id,
            demand=Demand(
                learners=len(learners.get(key, ())),
                questions=questions[key],
                unanswered=unanswered[key],
                median_first_answer_minutes=median_minutes(waits.get(key, [])),
            ),
            supply=Supply(
                experts=len(experts.get(key, ())),
                answerers=len(answerers.get(key, ())),
                mentors=len(mentors.get(key, ())),
            ),
            accepted_answers=sum(accepted[key].values()) if key in accepted else 0,
            bus_factor=factor,
        )
        rollups.append((scope, figures))
        if is_at_risk(factor) and key in learners and key in experts:
            free = set(mentors.get(key, ()))
            # Free mentors first, each group in expert-score order (sorted() is stable).
            ranked = sorted(experts[key], key=lambda person: person not in free)
            existing = {
                (mentor, mentee)
                for mentor, mentee, skill in facts.open_mentorships
                if skill == skill_id
            }
            for position, (expert, learner) in enumerate(
                suggest_pairs(ranked, learners[key], existing)
            ):
                stored_pairs.append(StoredPair(scope, skill_id, position, expert, learner))
    return rollups, stored_pairs


async def refresh_skill_insights(uow: UnitOfWork, clock: Clock) -> int:
    """The scheduled job: recompute every scope's rollups from the content and swap them in,
    in one transaction (readers see the old set or the new one, never half of each)."""
    now = clock.now()
    facts = await uow.skill_insights.facts(now - DEMAND_WINDOW, now - BUS_FACTOR_WINDOW)
    rollups, pairs = compute_rollups(facts)
    written = await uow.skill_insights.replace(rollups, pairs, now)
    await uow.commit()
    return written


async def list_skill_insights(
    uow: UnitOfWork,
    actor: Actor,
    sort: InsightSort,
    community: str | None,
    page: PageRequest,
) -> PageResult[SkillInsight]:
    """The organisation's figures (administrators), or one community's: its stewards and
    administrators always; for a public community, everyone who can see it. A private community
    the caller cannot see is a 404; one they belong to without being a steward, a 403.

    Suggested pairs name who is learning what, which is otherwise only the learner's business:
    administrators and the community's stewards see every pair; anyone else sees only the pairs
    in which they are the learner (their own next step)."""
    if community is None:
        if not actor.is_admin:
            raise Forbidden("The organisation's skill insights are for administrators.")
        return await uow.skill_insights.page(
            ORGANISATION, sort, page, listed_only=False, pairs_for=None
        )
    access = await uow.skill_insights.community_access(community, actor)
    if access is None or (
        access.visibility is Visibility.private and access.role is None and not actor.is_admin
    ):
        raise NotFound(f"No community {community!r}.")
    leader = actor.is_admin or access.role is Role.steward
    if access.visibility is Visibility.private and not leader:
        raise Forbidden("A private community's skill insights are for its stewards.")
    return await uow.skill_insights.page(
        access.id,
        sort,
        page,
        # A skill first named in a private community stays unnamed outside it (domain.skills).
        listed_only=access.visibility is Visibility.public and not actor.is_admin,
        pairs_for=None if leader else actor.user_id,
    )
