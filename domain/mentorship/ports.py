"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.mentorship.model import (
    Feedback,
    LearningNeed,
    MentorCandidate,
    MentorProfile,
    Mentorship,
    MentorshipRole,
    MentorshipSession,
    MentorshipStatus,
)
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    SkillRef,
)


@dataclass(frozen=True, slots=True)
class MenteeContext:
    """What recommendations need to know about the mentee, read in one statement."""

    timezone: str | None
    needs: list[LearningNeed]


class MentorshipRepository(Protocol):
    async def get_profile(self, user_id: UUID) -> MentorProfile | None: ...

    async def put_profile(self, profile: MentorProfile) -> None:
        """Insert or update the offer; `active_mentees` and `created_at` are never overwritten."""
        ...

    async def mentor_summary(self, user_id: UUID) -> tuple[MentorProfile | None, int]:
        """The profile (if any) and how many different people they have mentored."""
        ...

    async def take_slot(self, mentor_id: UUID) -> bool:
        """Atomically count one more active mentee, only while below capacity (a guarded
        UPDATE, so concurrent accepts never exceed it); False when full or no profile."""
        ...

    async def release_slot(self, mentor_id: UUID) -> None: ...

    async def add(self, mentorship: Mentorship) -> bool:
        """False when the pair already has an open request or an active mentorship for the
        skill (a partial unique index decides, not a prior read)."""
        ...

    async def get(self, mentorship_id: UUID, *, for_update: bool = False) -> Mentorship | None:
        """With for_update the row stays locked until commit (serialises transitions)."""
        ...

    async def get_many(self, mentorship_ids: list[UUID]) -> list[Mentorship]: ...

    async def change_status(self, mentorship: Mentorship, previous: MentorshipStatus) -> bool:
        """Store the new status and its timestamps only if the row is still `previous`."""
        ...

    async def list_for_user(
        self,
        user_id: UUID,
        role: MentorshipRole | None,
        status: MentorshipStatus | None,
        page: PageRequest,
    ) -> PageResult[Mentorship]: ...

    async def nth_recent_request(self, mentee_id: UUID, since: datetime, n: int) -> datetime | None:
        """Creation time of the mentee's n-th most recent request made after `since`."""
        ...

    async def expire_requests(self, created_before: datetime, limit: int) -> int:
        """Close up to `limit` requests still unanswered since before `created_before`."""
        ...

    async def add_session(self, session: MentorshipSession) -> None: ...

    async def list_sessions(
        self, mentorship_id: UUID, page: PageRequest
    ) -> PageResult[MentorshipSession]: ...

    async def add_feedback(self, feedback: Feedback) -> bool:
        """False when this participant already gave feedback (a unique index decides)."""
        ...

    async def mentee_context(
        self, user_id: UUID, skill: SkillRef | None, max_goals: int
    ) -> MenteeContext:
        """The mentee's time zone and needs: for `skill`, or for their active learning goals."""
        ...

    async def candidates(
        self, mentee_id: UUID, skills: list[SkillRef], limit: int
    ) -> list[MentorCandidate]:
        """One statement: per skill, up to `limit` holders at MIN_MENTOR_LEVEL+ whose profile
        takes requests, best stored mentor score first (expert score + capacity_points of their
        open places, kept on write), without the mentee and anyone they already have an open
        request or active mentorship with for that skill."""
        ...

    async def shared_communities(self, user_id: UUID, others: list[UUID]) -> dict[UUID, list[str]]:
        """Names of the active communities each of `others` shares with `user_id`."""
        ...

    async def holding(self, user_id: UUID, skill_id: UUID) -> tuple[int, bool] | None:
        """(level, wants_to_teach) when the person lists the skill."""
        ...

    async def achieve_goal(self, user_id: UUID, skill_id: UUID, level: int, at: datetime) -> bool:
        """Mark the person's active goal for the skill achieved when `level` reaches its target."""
        ...


class MentorshipRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def mentorship(self) -> MentorshipRepository: ...
