"""Ports of the leadership ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.leadership.model import ActKind, LeadershipAct, LedgerEntry, QuarterCount
from domain.pagination import PageRequest, PageResult


class LeadershipRepository(Protocol):
    async def record(self, acts: Sequence[LeadershipAct]) -> None:
        """Store the acts in the caller's transaction."""
        ...

    async def record_nudged_answer(
        self, person_id: UUID, post_id: UUID, community_id: UUID, at: datetime
    ) -> None:
        """A `nudged_question_answered` act, only when the person was asked to answer the
        question (follow the sun) and it is not in their ledger yet. One statement."""
        ...

    async def withdraw(self, kind: ActKind, subject_id: UUID) -> None:
        """Forget the acts of `kind` about `subject_id` (an accepted answer un-accepted)."""
        ...

    async def ledger(
        self,
        person_id: UUID,
        viewer_id: UUID,
        since: datetime | None,
        until: datetime | None,
        page: PageRequest,
    ) -> PageResult[LedgerEntry]:
        """The person's acts, newest first, leaving out acts in private communities the viewer
        is not an active member of (unless the viewer is the person)."""
        ...

    async def quarters(
        self, person_id: UUID, viewer_id: UUID, since: datetime | None, until: datetime | None
    ) -> list[QuarterCount]:
        """Acts per quarter and kind, under the same visibility rule as `ledger`."""
        ...

    async def export(self, person_id: UUID, limit: int) -> list[LedgerEntry]:
        """Every act of the person (private communities included), newest first."""
        ...


class LeadershipRepositories(Protocol):
    @property
    def leadership(self) -> LeadershipRepository: ...
