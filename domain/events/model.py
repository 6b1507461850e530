"""Domain events: what happened, recorded in the outbox in the same transaction as the change,
then delivered (at least once) to consumers that are idempotent by event id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.notifications.model import time_ordered_id

if TYPE_CHECKING:
    from domain.clock import Clock
    from domain.ports import UnitOfWork


class EventType(StrEnum):
    post_created = "post.created"
    comment_created = "comment.created"
    answer_accepted = "answer.accepted"
    reaction_added = "reaction.added"
    report_filed = "report.filed"
    membership_requested = "membership.requested"
    membership_approved = "membership.approved"
    invitation_created = "invitation.created"
    nomination_created = "nomination.created"
    steward_term_ending = "steward_term.ending"
    mentorship_requested = "mentorship.requested"
    mentorship_accepted = "mentorship.accepted"
    mentorship_declined = "mentorship.declined"
    endorsement_created = "endorsement.created"
    # A queued e-mail (domain.mail): the outbox carries it to the mail job.
    mail_requested = "mail.requested"
    # A push notification for one device (domain.devices): the outbox carries it to the push
    # task, which sends and retries it.
    push_requested = "push.requested"
    # Someone asked for a password reset link (domain.accounts); the payload is the address.
    password_reset_requested = "password_reset.requested"  # noqa: S105 (an event name)


# Dispatched outbox rows (and the consumers' processed marks) are kept this long.
RETENTION = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """One outbox row. `payload` is JSON whose shape is `payload_version` of `type`: a consumer
    reads the versions it knows, so old rows stay readable when a payload grows."""

    id: UUID
    type: EventType
    occurred_at: datetime
    actor_id: UUID | None
    community_id: UUID | None
    payload: Mapping[str, Any] = field(default_factory=dict)
    payload_version: int = 1
    dispatched_at: datetime | None = None

    def uuid(self, key: str) -> UUID:
        return UUID(str(self.payload[key]))

    def uuid_or_none(self, key: str) -> UUID | None:
        value = self.payload.get(key)
        return None if value is None else UUID(str(value))

    def uuids(self, key: str) -> list[UUID]:
        return [UUID(str(v)) for v in self.payload.get(key, ())]


def new_event(
    type_: EventType,
    occurred_at: datetime,
    *,
    actor_id: UUID | None,
    community_id: UUID | None,
    payload: Mapping[str, Any],
    payload_version: int = 1,
) -> DomainEvent:
    """An event with a time-ordered id (UUID version 7), payload values made JSON-ready."""
    return DomainEvent(
        id=time_ordered_id(occurred_at),
        type=type_,
        occurred_at=occurred_at,
        actor_id=actor_id,
        community_id=community_id,
        payload={k: _json_ready(v) for k, v in payload.items()},
        payload_version=payload_version,
    )


def _json_ready(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


ConsumerFn = Callable[["UnitOfWork", "Clock", DomainEvent], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Consumer:
    """Something done once per event of the given types, in its own transaction. `name` is the
    key of its processed marks: renaming a consumer makes it see every event again."""

    name: str
    types: frozenset[EventType]
    run: ConsumerFn


@dataclass(frozen=True, slots=True)
class FailedJob:
    """An event a consumer still failed on after its last try: administrators list and replay
    these (the dead-letter list)."""

    id: UUID
    event_id: UUID
    event_type: str
    consumer: str | None
    error: str
    attempts: int
    failed_at: datetime


class ConsumerFailed(Exception):
    """A consumer raised: carries its name to the dead-letter list."""

    def __init__(self, consumer: str, cause: BaseException) -> None:
        super().__init__(f"{consumer}: {type(cause).__name__}: {cause}")
        self.consumer = consumer
