"""Skill insights: where demand for a skill outruns its supply, and which skills hang on too
few people.

Everything here is pure. A scheduled job (domain.skill_insights.service.refresh_skill_insights)
gathers the raw facts per community, computes these figures once per scope (each community, and
the organisation) and stores them as rollups; requests only read the rollups.

Definitions (what the web app and the README say):

- Demand of a skill, in a scope: active learning goals (of the scope's members), questions tagged
  with the skill asked in the last 90 days, the share of those without an accepted answer, and the
  median time from a question to its first answer (a top-level reply by someone other than the
  asker).
- Supply: people at level >= 4 (proficient), people who answered such questions in the window,
  and mentors with an open place (accepting mentees, below capacity, holding the skill at
  level >= 3).
- The gap score is the sum of signed parts, each in points (see `gap_parts`): demand parts are
  positive, supply parts negative. A positive gap means more need than help; below zero, supply
  exceeds demand.
- The bus factor is the smallest number of people who together gave at least half of the
  skill's accepted answers in the last 12 months (`bus_factor`). 1 or 2 is "at risk".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import median
from uuid import UUID

from domain.skills.model import SkillRef
from domain.users.model import UserRef

DEMAND_WINDOW = timedelta(days=90)
BUS_FACTOR_WINDOW = timedelta(days=365)
# A skill whose bus factor is at most this (and at least 1) is at risk.
AT_RISK_BUS_FACTOR = 2
# Suggested mentorship pairs kept per at-risk skill and scope.
MAX_PAIRS = 6

# --- the gap score: points per unit of each input --------------------------------------------
# Demand.
LEARNER_POINTS = 1.0  # per active learning goal
QUESTION_POINTS = 0.5  # per question asked in the window
UNANSWERED_POINTS = 1.0  # per question of the window still without an accepted answer
WAIT_POINTS_PER_DAY = 1.0  # per day of median wait for a first answer...
MAX_WAIT_DAYS = 7.0  # ...counted up to a week (a question never answered adds no more)
# Supply (subtracted).
EXPERT_POINTS = 1.5  # per person at level >= 4
ANSWERER_POINTS = 1.0  # per person who answered in the window
MENTOR_POINTS = 2.0  # per mentor with an open place


class InsightSort(StrEnum):
    gap = "gap"
    risk = "risk"


@dataclass(frozen=True, slots=True)
class Demand:
    learners: int = 0
    questions: int = 0
    unanswered: int = 0
    median_first_answer_minutes: float | None = None

    @property
    def unanswered_share(self) -> float | None:
        """Share of the window's questions without an accepted answer (None: no questions)."""
        return self.unanswered / self.questions if self.questions else None


@dataclass(frozen=True, slots=True)
class Supply:
    experts: int = 0
    answerers: int = 0
    mentors: int = 0


@dataclass(frozen=True, slots=True)
class GapParts:
    """The gap and why: each part is in points (supply parts are negative) and they add up to
    `total`, like the expert score's parts."""

    learners: float
    questions: float
    unanswered: float
    wait: float
    experts: float
    answerers: float
    mentors: float

    @property
    def total(self) -> float:
        return (
            self.learners
            + self.questions
            + self.unanswered
            + self.wait
            + self.experts
            + self.answerers
            + self.mentors
        )


def gap_parts(demand: Demand, supply: Supply) -> GapParts:
    """The gap score of a skill: demand points minus supply points.

    Linear and monotonic in every input: one more learner, question, unanswered question or day
    of waiting never lowers the gap; one more expert, answerer or free mentor never raises it.
    The wait counts up to MAX_WAIT_DAYS, so one forgotten question cannot dominate; no answer
    at all is already counted as unanswered.
    """
    wait_days = (
        0.0
        if demand.median_first_answer_minutes is None
        else min(demand.median_first_answer_minutes / (24 * 60), MAX_WAIT_DAYS)
    )
    return GapParts(
        learners=LEARNER_POINTS * demand.learners,
        questions=QUESTION_POINTS * demand.questions,
        unanswered=UNANSWERED_POINTS * demand.unanswered,
        wait=WAIT_POINTS_PER_DAY * wait_days,
        experts=-EXPERT_POINTS * supply.experts,
        answerers=-ANSWERER_POINTS * supply.answerers,
        mentors=-MENTOR_POINTS * supply.mentors,
    )


def bus_factor(accepted_per_person: Iterable[int]) -> int:
    """The smallest number of people who together gave at least half of the accepted answers.

    Taking the most prolific answerers first gives the smallest such group; ties do not change
    the count. 0 when there are no accepted answers (nobody carries the skill yet).
    """
    counts = sorted((c for c in accepted_per_person if c > 0), reverse=True)
    total = sum(counts)
    covered = 0
    for people, count in enumerate(counts, start=1):
        covered += count
        if 2 * covered >= total:
            return people
    return 0


def is_at_risk(factor: int) -> bool:
    """Half of the answers come from one or two people: lose them and the skill goes quiet."""
    return 1 <= factor <= AT_RISK_BUS_FACTOR


def risk_rank(factor: int) -> int:
    """Stored sort key for sort=risk, highest first: bus factor 1, then 2, then the rest."""
    return AT_RISK_BUS_FACTOR + 1 - factor if is_at_risk(factor) else 0


def median_minutes(waits: Sequence[float]) -> float | None:
    return float(median(waits)) if waits else None


def suggest_pairs(
    experts: Sequence[UUID],
    learners: Sequence[UUID],
    existing: set[tuple[UUID, UUID]],
    limit: int = MAX_PAIRS,
) -> list[tuple[UUID, UUID]]:
    """Mentorship pairs (expert, learner) for an at-risk skill, best first.

    `experts` come best first (free mentors, then by expert score), `learners` in the order
    their goals were set. Each learner gets one expert, the experts taken in turn so the load
    spreads; nobody is paired with themself, and a pair that already has an open request or an
    active mentorship in the skill (`existing`) is skipped.
    """
    pairs: list[tuple[UUID, UUID]] = []
    if not experts:
        return pairs
    turn = 0
    for learner in learners:
        if len(pairs) >= limit:
            break
        for step in range(len(experts)):
            expert = experts[(turn + step) % len(experts)]
            if expert != learner and (expert, learner) not in existing:
                pairs.append((expert, learner))
                turn = (turn + step + 1) % len(experts)
                break
    return pairs


# --- what is stored and shown --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InsightFigures:
    """One skill's rollup in one scope, as the job computes and stores it."""

    skill_id: UUID
    demand: Demand
    supply: Supply
    accepted_answers: int
    bus_factor: int

    @property
    def parts(self) -> GapParts:
        return gap_parts(self.demand, self.supply)


@dataclass(frozen=True, slots=True)
class Pair:
    expert: UserRef
    learner: UserRef


@dataclass(frozen=True, slots=True)
class SkillInsight:
    skill: SkillRef
    demand: Demand
    supply: Supply
    parts: GapParts
    gap: float
    accepted_answers: int
    bus_factor: int
    refreshed_at: datetime
    pairs: list[Pair] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return is_at_risk(self.bus_factor)
