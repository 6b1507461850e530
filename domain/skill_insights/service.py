"""Skill insights: the scheduled refresh of the rollups, and who may read which of them."""

from __future__ import annotations

from collections import Counter, defaultdict
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
from domain.skill_insights.ports import (
    ORGANISATION,
    InsightFacts,
    PairCandidates,
    PeopleCounts,
    StoredPair,
)

Key = tuple[UUID, UUID]  # (scope, skill)


def compute_rollups(facts: InsightFacts) -> dict[Key, InsightFigures]:
    """The figures of every (scope, skill) in the facts (people or content): each community
    counts its own questions and answers and its active members' goals, levels and mentoring;
    the organisation counts all. A community's figures therefore never contain another
    community's content. A pair with neither people nor content gets no figures (no row)."""
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

    nobody = PeopleCounts()
    rollups: dict[Key, InsightFigures] = {}
    for key in facts.people.keys() | questions.keys() | answerers.keys() | accepted.keys():
        people = facts.people.get(key, nobody)
        given = accepted.get(key)
        rollups[key] = InsightFigures(
            skill_id=key[1],
            demand=Demand(
                learners=people.learners,
                questions=questions[key],
                unanswered=unanswered[key],
                median_first_answer_minutes=median_minutes(waits.get(key, [])),
            ),
            supply=Supply(
                experts=people.experts,
                answerers=len(answerers.get(key, ())),
                mentors=people.mentors,
            ),
            accepted_answers=sum(given.values()) if given else 0,
            bus_factor=bus_factor(given.values()) if given else 0,
        )
    return rollups


def needs_pairs(figures: InsightFigures) -> bool:
    """An at-risk skill with someone to learn it and someone to teach it."""
    return (
        is_at_risk(figures.bus_factor)
        and figures.demand.learners > 0
        and figures.supply.experts > 0
    )


def compute_pairs(
    candidates: dict[Key, PairCandidates], open_mentorships: set[tuple[UUID, UUID, UUID]]
) -> list[StoredPair]:
    """The suggested pairs of each at-risk (scope, skill): free mentors first, each group in
    expert-score order, never a pair that already has an open request or a mentorship."""
    stored: list[StoredPair] = []
    for (scope, skill_id), c in sorted(candidates.items()):
        # sorted() is stable: experts keep their score order within each group.
        ranked = sorted(c.experts, key=lambda person: person not in c.free_mentors)
        existing = {
            (mentor, mentee) for mentor, mentee, skill in open_mentorships if skill == skill_id
        }
        for position, (expert, learner) in enumerate(suggest_pairs(ranked, c.learners, existing)):
            stored.append(StoredPair(scope, skill_id, position, expert, learner))
    return stored


async def refresh_skill_insights(uow: UnitOfWork, clock: Clock) -> int:
    """The scheduled job, cheap enough for every tick: the database counts the people of every
    (scope, skill) and compares them with the stored rollups, so only the pairs that may have
    changed come here; their figures are computed from the facts of the windows, and only those
    that differ from the stored ones are written or deleted, in one transaction (readers see
    the old set or the new one, never half of each). Returns how many rollups it wrote or
    deleted."""
    now = clock.now()
    facts = await uow.skill_insights.facts(now - DEMAND_WINDOW, now - BUS_FACTOR_WINDOW)
    rollups = compute_rollups(facts)
    at_risk = [key for key, figures in rollups.items() if needs_pairs(figures)]
    candidates, open_mentorships = await uow.skill_insights.pair_candidates(at_risk)
    pairs = compute_pairs(candidates, open_mentorships)
    changed = [(key[0], f) for key, f in rollups.items() if facts.stored.get(key) != f]
    removed = facts.stored.keys() - rollups.keys()
    await uow.skill_insights.apply(changed, removed, pairs, now)
    await uow.commit()
    return len(changed) + len(removed)


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
