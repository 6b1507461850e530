"""Use cases of the leadership ledger: what other features record, and what readers see."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.actor import Actor
from domain.errors import NotFound, ValidationFailed
from domain.leadership.model import ActKind, LedgerEntry, QuarterCount, SubjectType, new_act
from domain.leadership.ports import LeadershipRepositories
from domain.pagination import PageRequest, PageResult
from domain.users.ports import UsersRepositories

# An export is one file for a review; nobody has led this many times yet.
EXPORT_LIMIT = 50_000

# Audit-log actions that are moderation decisions (domain.communities.model.AuditAction values,
# named here so this feature does not depend on communities).
MODERATION_ACTIONS = frozenset(
    {
        "member_approved",
        "request_rejected",
        "member_removed",
        "post_pinned",
        "post_locked",
        "content_removed",
        "report_resolved",
    }
)


class LedgerUnit(LeadershipRepositories, UsersRepositories, Protocol):
    """What the ledger's use cases need of the unit of work."""


async def record_audit(
    uow: LeadershipRepositories,
    community_id: UUID,
    actor_id: UUID | None,
    action: str,
    subject_user_id: UUID | None,
    at: datetime,
    audit_id: UUID,
) -> None:
    """The leadership acts an audit-log entry stands for, recorded beside it."""
    acts = []
    if action == "created" and actor_id is not None:
        acts.append(
            new_act(
                actor_id,
                community_id,
                ActKind.community_started,
                at,
                SubjectType.community,
                community_id,
            )
        )
        acts.append(
            new_act(actor_id, community_id, ActKind.steward_term, at, SubjectType.audit, audit_id)
        )
    elif action in MODERATION_ACTIONS and actor_id is not None:
        acts.append(
            new_act(
                actor_id,
                community_id,
                ActKind.moderation_decision,
                at,
                SubjectType.audit,
                audit_id,
            )
        )
    elif action == "term_renewed" and subject_user_id is not None:
        acts.append(
            new_act(
                subject_user_id,
                community_id,
                ActKind.steward_term,
                at,
                SubjectType.audit,
                audit_id,
            )
        )
    if acts:
        await uow.leadership.record(acts)


async def record_act(
    uow: LeadershipRepositories,
    person_id: UUID,
    community_id: UUID | None,
    kind: ActKind,
    at: datetime,
    subject_type: SubjectType,
    subject_id: UUID,
) -> None:
    await uow.leadership.record(
        [new_act(person_id, community_id, kind, at, subject_type, subject_id)]
    )


def check_range(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and since >= until:
        raise ValidationFailed("`from` must be before `to`.", field="from")


async def _person(uow: LedgerUnit, handle: str) -> UUID:
    user = await uow.users.get_by_handle(handle)
    if user is None or not user.is_active:
        raise NotFound("No such person.")
    return user.id


async def ledger(
    uow: LedgerUnit,
    actor: Actor,
    handle: str,
    since: datetime | None,
    until: datetime | None,
    page: PageRequest,
) -> PageResult[LedgerEntry]:
    check_range(since, until)
    person_id = await _person(uow, handle)
    return await uow.leadership.ledger(person_id, actor.user_id, since, until, page)


async def ledger_summary(
    uow: LedgerUnit, actor: Actor, handle: str, since: datetime | None, until: datetime | None
) -> list[QuarterCount]:
    check_range(since, until)
    person_id = await _person(uow, handle)
    return await uow.leadership.quarters(person_id, actor.user_id, since, until)


async def export_ledger(uow: LedgerUnit, actor: Actor) -> list[LedgerEntry]:
    """The caller's whole ledger, private communities included: it is their record."""
    return await uow.leadership.export(actor.user_id, EXPORT_LIMIT)
