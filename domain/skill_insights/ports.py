"""Ports of skill insights: the facts the refresh job reads, the rollups it writes, and the
reads of a page of them."""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(slots=True)
class InsightFacts:
    """What the refresh reads, in one pass per kind of fact. Lists of people come in the
    order suggestions prefer them (experts by expert score, learners by when the goal was set)."""

    questions: list[QuestionFact] = field(default_factory=list)
    # (community, skill, person): people who answered a question of the window.
    answerers: list[tuple[UUID, UUID, UUID]] = field(default_factory=list)
    # (community, skill, person, accepted answers) over the bus-factor window.
    accepted: list[tuple[UUID, UUID, UUID, int]] = field(default_factory=list)
    goals: list[tuple[UUID, UUID]] = field(default_factory=list)  # (skill, learner)
    experts: list[tuple[UUID, UUID]] = field(default_factory=list)  # (skill, person)
    mentors: list[tuple[UUID, UUID]] = field(default_factory=list)  # (skill, free mentor)
    memberships: list[tuple[UUID, UUID]] = field(default_factory=list)  # (community, person)
    # (mentor, mentee, skill) with an open request or an active mentorship.
    open_mentorships: set[tuple[UUID, UUID, UUID]] = field(default_factory=set)


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

    async def replace(
        self,
        rollups: Sequence[tuple[UUID, InsightFigures]],
        pairs: Sequence[StoredPair],
        at: datetime,
    ) -> int:
        """Swap every stored rollup and pair for these; returns the rollups written."""
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
