"""Health over time: the job that keeps the weekly rollups, and what readers may see of them.

The job (api/jobs.py, every HEALTH_EVERY) recomputes the current week for every community in a
few set-based statements, the previous week once more after it ended, and fills up to
BACKFILL_PER_RUN missing weeks of the last MAX_WEEKS. Requests only read the rollups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from statistics import median
from typing import Protocol
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.service import load_community
from domain.errors import ValidationFailed
from domain.insights.index import LeaderfulIndex, leaderful_index
from domain.insights.model import (
    BACKFILL_PER_RUN,
    INDEX_WEEKS,
    MAX_WEEKS,
    WEEK,
    CommunityHealth,
    CommunityHealthWeek,
    ContentWeek,
    HealthCommunity,
    HealthWeek,
    OrganisationHealth,
    Scope,
    week_start,
)
from domain.ports import UnitOfWork

HEALTH_EVERY = timedelta(minutes=5)
RANKED = 20


class _Clock(Protocol):
    def now(self) -> datetime: ...


def check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationFailed(f"weeks must be 1-{MAX_WEEKS}.", field="weeks")


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(median(values), 1) if values else None


def _share(answered: int, questions: int) -> float | None:
    return round(answered / questions, 3) if questions else None


async def refresh_health(uow: UnitOfWork, clock: Clock) -> int:
    """The job: returns how many weeks it (re)computed."""
    now = clock.now()
    current = week_start(now)
    computed = await uow.health.computed_weeks(current - (MAX_WEEKS - 1) * WEEK)
    due = [current]
    previous = current - WEEK
    if previous in computed and computed[previous] < current:
        due.append(previous)  # it ended after its last run: count its last days
    missing = [w for w in (current - i * WEEK for i in range(1, MAX_WEEKS)) if w not in computed]
    due += [w for w in missing if w not in due][:BACKFILL_PER_RUN]
    for start in due:
        await refresh_week(uow, now, start)
    await uow.commit()
    return len(due)


async def refresh_week(uow: UnitOfWork, now: datetime, start: datetime) -> None:
    """Recompute one week's rollups (communities and organisation) in the caller's
    transaction."""
    end = start + WEEK
    current = end > now
    await uow.health.roll_people(start, end)
    content = await uow.health.content(start, end, current)
    people = {p.community_id: p for p in await uow.health.people(start)}
    window = await uow.health.window_acts(start - (INDEX_WEEKS - 1) * WEEK, start)
    active: dict[UUID, list[UUID]] = defaultdict(list)
    acts: dict[UUID, dict[UUID, int]] = defaultdict(dict)
    public = {c.community_id for c in content if c.is_public}
    org_active: dict[Scope, set[UUID]] = {Scope.all: set(), Scope.public: set()}
    org_acts: dict[Scope, dict[UUID, int]] = {Scope.all: {}, Scope.public: {}}
    for community_id, person_id, n in window:
        active[community_id].append(person_id)
        if n:
            acts[community_id][person_id] = n
        for scope in (Scope.all, Scope.public) if community_id in public else (Scope.all,):
            org_active[scope].add(person_id)
            if n:
                org_acts[scope][person_id] = org_acts[scope].get(person_id, 0) + n
    rows = []
    for c in content:
        p = people.get(c.community_id)
        rows.append(
            CommunityHealthWeek(
                c.community_id,
                HealthWeek(
                    week_start=start,
                    members=c.members,
                    active_members=p.active_members if p else 0,
                    posts=c.posts,
                    questions=c.questions,
                    answered_share=_share(c.answered, c.questions),
                    median_first_response_minutes=_median(c.first_response_minutes),
                    contributors=p.contributors if p else 0,
                    leaders=p.leaders if p else 0,
                    index=leaderful_index(active[c.community_id], acts[c.community_id]),
                    computed_at=now,
                ),
            )
        )
    organisation = {}
    for scope in (Scope.all, Scope.public):
        chosen = [c for c in content if scope is Scope.all or c.is_public]
        members, active_members, contributors, leaders = await uow.health.organisation_people(
            start, scope
        )
        organisation[scope] = _organisation_week(
            start, now, chosen, members, active_members, contributors, leaders,
            leaderful_index(org_active[scope], org_acts[scope]),
        )  # fmt: skip
    await uow.health.store(start, rows, organisation)


def _organisation_week(
    start: datetime,
    now: datetime,
    content: list[ContentWeek],
    members: int,
    active_members: int,
    contributors: int,
    leaders: int,
    index: LeaderfulIndex,
) -> HealthWeek:
    questions = sum(c.questions for c in content)
    return HealthWeek(
        week_start=start,
        members=members,
        active_members=active_members,
        posts=sum(c.posts for c in content),
        questions=questions,
        answered_share=_share(sum(c.answered for c in content), questions),
        median_first_response_minutes=_median(m for c in content for m in c.first_response_minutes),
        contributors=contributors,
        leaders=leaders,
        index=index,
        computed_at=now,
    )


async def community_health(
    uow: UnitOfWork, clock: _Clock, actor: Actor, slug: str, weeks: int
) -> CommunityHealth:
    """Anyone who can see the community sees its health (private ones: members; else 404)."""
    check_weeks(weeks)
    ctx = await load_community(uow, actor, slug)
    community = ctx.community
    since = week_start(clock.now()) - (weeks - 1) * WEEK
    return CommunityHealth(
        HealthCommunity(community.slug, community.name, community.visibility.value == "private"),
        await uow.health.community_weeks(community.id, since),
    )


async def organisation_health(
    uow: UnitOfWork, clock: _Clock, actor: Actor, weeks: int
) -> OrganisationHealth:
    """Administrators see every community; anyone else the public communities only, so that
    no private number reaches them, not even inside a total."""
    check_weeks(weeks)
    scope = Scope.all if actor.is_admin else Scope.public
    current = week_start(clock.now())
    series = await uow.health.organisation_weeks(scope, current - (weeks - 1) * WEEK)
    latest = series[-1].week_start if series else current
    by_index, by_change = await uow.health.ranking(
        latest, public_only=scope is Scope.public, limit=RANKED
    )
    return OrganisationHealth(scope, series, by_index, by_change)
