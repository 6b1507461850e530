"""Ports of skill insights: the facts the refresh job reads, the rollups it writes, and the
reads of a page of them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.actor import Actor
from domain.communities.model import Role, Visibility
from domain.pagination import PageRequest, PageResult
from domain.skill_insights.model import InsightFigures, InsightSort, SkillInsight

# The organisation's rollups are stored under this scope id; a community's under its own id.
ORGANISATION = UUID(int=0)


@dataclass(frozen=True, slots=True)
class QuestionFact:
    community_id: UUID
    skill_id: UUID
    accepted: bool
    first_answer_minutes: float | None  # None: nobody but the asker has replied


@dataclass(frozen=True, slots=True)
class PeopleCounts:
    """A scope's people for a skill: learners with an active goal, holders at level >= 4 and
    mentors with an open place (in a community: its active members only)."""

    learners: int = 0
    experts: int = 0
    mentors: int = 0


@dataclass(slots=True)
class InsightFacts:
    """What the refresh reads. Content comes as one fact per question (and per answerer or
    accepted answer) of the windows; people come already counted per scope and skill by the
    database, since a person counts in every community they belong to (a quarter of a million
    pairs at 20,000 people and 10,000 communities), and only for the pairs whose figures may
    have changed since the last refresh, with what is stored for them."""

    questions: list[QuestionFact] = field(default_factory=list)
    # (community, skill, person): people who answered a question of the window.
    answerers: list[tuple[UUID, UUID, UUID]] = field(default_factory=list)
    # (community, skill, person, accepted answers) over the bus-factor window.
    accepted: list[tuple[UUID, UUID, UUID, int]] = field(default_factory=list)
    # (scope, skill) -> counts, of the pairs that may have changed (all of them on the first
    # refresh), and their figures as stored; pairs in neither keep their stored figures.
    people: dict[tuple[UUID, UUID], PeopleCounts] = field(default_factory=dict)
    stored: dict[tuple[UUID, UUID], InsightFigures] = field(default_factory=dict)


@dataclass(slots=True)
class PairCandidates:
    """Who could be paired for one at-risk skill in one scope, in the order suggestions prefer
    them: experts by expert score, learners by when their goal was set."""

    experts: list[UUID] = field(default_factory=list)
    free_mentors: set[UUID] = field(default_factory=set)
    learners: list[UUID] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoredPair:
    scope_id: UUID
    skill_id: UUID
    position: int
    expert_id: UUID
    learner_id: UUID


@dataclass(frozen=True, slots=True)
class CommunityAccess:
    """A community as the insights read needs it, with the viewer's active role in it."""

    id: UUID
    visibility: Visibility
    role: Role | None


class SkillInsightRepository(Protocol):
    async def facts(self, questions_since: datetime, accepted_since: datetime) -> InsightFacts: ...

    async def pair_candidates(
        self, keys: Collection[tuple[UUID, UUID]]
    ) -> tuple[dict[tuple[UUID, UUID], PairCandidates], set[tuple[UUID, UUID, UUID]]]:
        """For these (scope, skill) pairs: their candidates, and every (mentor, mentee, skill)
        with an open request or an active mentorship in their skills."""
        ...

    async def apply(
        self,
        changed: Sequence[tuple[UUID, InsightFigures]],
        removed: Collection[tuple[UUID, UUID]],
        pairs: Sequence[StoredPair],
        at: datetime,
    ) -> None:
        """Write the rollups that changed, delete those that no longer have any figure, replace
        the pairs and record `at` as the time of this refresh."""
        ...

    async def community_access(self, slug: str, viewer: Actor) -> CommunityAccess | None: ...

    async def page(
        self,
        scope_id: UUID,
        sort: InsightSort,
        page: PageRequest,
        *,
        listed_only: bool,
        pairs_for: UUID | None,
    ) -> PageResult[SkillInsight]:
        """A page of rollups with the suggested pairs of its at-risk skills: all of them, or
        only those whose learner is `pairs_for` when it is given."""
        ...


class SkillInsightsRepositories(Protocol):
    @property
    def skill_insights(self) -> SkillInsightRepository: ...
