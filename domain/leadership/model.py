"""The leadership ledger: acts of leadership a person performed, each with its date, its
community (none for acts outside communities, such as mentoring) and what proves it.

Acts are written by the services that perform them, in the same transaction (see
`domain.leadership.service.record_acts`), so the ledger is never behind what happened. Whether an
act is private is not stored: it follows the community's visibility at the time it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from domain.notifications.model import time_ordered_id


class ActKind(StrEnum):
    community_started = "community_started"
    steward_term = "steward_term"  # a steward term begun (by creation, role change or renewal)
    moderation_decision = "moderation_decision"
    nomination_given = "nomination_given"
    nomination_received = "nomination_received"
    nomination_accepted = "nomination_accepted"  # the nominee's nomination was accepted
    answer_accepted = "answer_accepted"  # an answer the person gave was accepted
    best_practice_published = "best_practice_published"
    endorsement_with_evidence = "endorsement_with_evidence"
    mentorship_completed = "mentorship_completed"  # as the mentor
    mentoring_session_held = "mentoring_session_held"  # as the mentor
    nudged_question_answered = "nudged_question_answered"


class SubjectType(StrEnum):
    """What the evidence link points at."""

    community = "community"
    audit = "audit"  # an entry of the community's audit log
    nomination = "nomination"
    post = "post"
    mentorship = "mentorship"


@dataclass(frozen=True, slots=True)
class LeadershipAct:
    id: UUID
    person_id: UUID
    community_id: UUID | None
    kind: ActKind
    occurred_at: datetime
    subject_type: SubjectType
    subject_id: UUID


def new_act(
    person_id: UUID,
    community_id: UUID | None,
    kind: ActKind,
    at: datetime,
    subject_type: SubjectType,
    subject_id: UUID,
) -> LeadershipAct:
    """An act with a time-ordered id, so (occurred_at, id) is a total order for keyset pages."""
    return LeadershipAct(
        time_ordered_id(at), person_id, community_id, kind, at, subject_type, subject_id
    )


@dataclass(frozen=True, slots=True)
class LedgerCommunity:
    slug: str
    name: str
    is_private: bool


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One act as a reader of the ledger sees it."""

    id: UUID
    kind: ActKind
    occurred_at: datetime
    community: LedgerCommunity | None
    subject_type: SubjectType
    subject_id: UUID

    @property
    def evidence_url(self) -> str:
        """Where the act can be checked (in the web app's and the API's path space)."""
        match self.subject_type:
            case SubjectType.post:
                return f"/posts/{self.subject_id}"
            case SubjectType.mentorship:
                return f"/mentorships/{self.subject_id}"
            case SubjectType.audit if self.community is not None:
                return f"/communities/{self.community.slug}/audit-log"
            case _ if self.community is not None:
                return f"/communities/{self.community.slug}"
        return "/"


@dataclass(frozen=True, slots=True)
class QuarterCount:
    """How many acts of one kind a person performed in one calendar quarter."""

    quarter: str  # "2026-Q4"
    kind: ActKind
    count: int


def quarter_of(at: datetime) -> str:
    return f"{at.year}-Q{(at.month - 1) // 3 + 1}"


def quarter_start(quarter: str) -> datetime:
    year, q = quarter.split("-Q")
    return datetime(int(year), (int(q) - 1) * 3 + 1, 1, tzinfo=UTC)
