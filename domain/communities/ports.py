"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.communities.model import (
    AuditEntry,
    AuditView,
    Community,
    CommunitySort,
    CommunityStats,
    CommunityView,
    Invitation,
    InvitationView,
    Membership,
    MembershipStatus,
    MemberView,
    Nomination,
    NominationStatus,
    NominationView,
    PendingInvitationView,
    Role,
)
from domain.pagination import PageRequest, PageResult


class CommunityRepository(Protocol):
    async def add(self, community: Community) -> None: ...

    async def update(self, community: Community) -> None: ...

    async def slug_taken(self, slug: str) -> bool: ...

    async def get_with_viewer(
        self, slug: str, user_id: UUID, *, for_update: bool = False
    ) -> tuple[Community, Membership | None, bool] | None:
        """The community, the caller's membership and whether they hold an open invitation.
        With for_update the community row is locked until commit (serialises leadership
        changes so the last-steward rule holds under concurrency)."""
        ...

    async def list_visible(
        self,
        user_id: UUID,
        is_admin: bool,
        q: str | None,
        member_only: bool,
        sort: CommunitySort,
        page: PageRequest,
    ) -> PageResult[CommunityView]: ...

    async def adjust_member_count(self, community_id: UUID, delta: int) -> None: ...

    async def get_membership(self, community_id: UUID, user_id: UUID) -> Membership | None: ...

    async def add_membership(self, membership: Membership) -> bool:
        """False (and nothing written) when the person already has a membership row."""
        ...

    async def activate_membership(self, community_id: UUID, user_id: UUID, at: datetime) -> bool:
        """Pending -> active; False when the membership was not pending (any more)."""
        ...

    async def update_membership(self, membership: Membership) -> None: ...

    async def delete_membership(self, community_id: UUID, user_id: UUID) -> Membership | None:
        """The membership as it was when deleted, or None when there was none (any more).

        Counters move by what these conditional writes return, never by an earlier read:
        concurrent requests may have read the same state."""
        ...

    async def list_members(
        self,
        community_id: UUID,
        role: Role | None,
        status: MembershipStatus | None,
        page: PageRequest,
    ) -> PageResult[MemberView]: ...

    async def stewards(self, community_id: UUID) -> list[Membership]: ...

    async def leader_ids(self, community_id: UUID, min_role: Role) -> list[UUID]: ...

    async def active_member_ids(self, community_id: UUID) -> list[UUID]: ...

    async def add_invitation(self, invitation: Invitation) -> None: ...

    async def open_invitation(self, community_id: UUID, user_id: UUID) -> Invitation | None: ...

    async def accept_invitation(self, invitation_id: UUID, at: datetime) -> None: ...

    async def invitations_for(
        self, user_id: UUID, page: PageRequest
    ) -> PageResult[InvitationView]: ...

    async def list_invitations(
        self, community_id: UUID, page: PageRequest
    ) -> PageResult[PendingInvitationView]:
        """The community's open invitations, newest first."""
        ...

    async def revoke_invitation(self, community_id: UUID, invitee_id: UUID) -> bool:
        """Withdraw the open invitation; False when there is none."""
        ...

    async def add_nomination(self, nomination: Nomination) -> None: ...

    async def get_nomination(
        self, community_id: UUID, nomination_id: UUID
    ) -> Nomination | None: ...

    async def update_nomination(self, nomination: Nomination) -> None: ...

    async def pending_nomination_exists(
        self, community_id: UUID, nominee_id: UUID, role: Role
    ) -> bool: ...

    async def list_nominations(
        self, community_id: UUID, status: NominationStatus | None, page: PageRequest
    ) -> PageResult[NominationView]: ...

    async def nomination_view(self, nomination_id: UUID) -> NominationView: ...

    async def add_audit(self, entry: AuditEntry) -> None: ...

    async def audit_log(self, community_id: UUID, page: PageRequest) -> PageResult[AuditView]: ...

    async def stats(self, community_id: UUID, since: datetime) -> CommunityStats: ...

    async def with_expired_terms(self, now: datetime, limit: int) -> list[UUID]: ...

    async def lock(self, community_id: UUID) -> Community | None: ...

    async def get_by_id_with_viewer(
        self, community_id: UUID, user_id: UUID
    ) -> tuple[Community, Membership | None, bool] | None: ...


@dataclass(frozen=True, slots=True)
class ContentStats:
    active_members: int
    posts: int
    questions: int
    answered_questions: int
    first_response_minutes: list[float]
    contributors: int


@dataclass(frozen=True, slots=True)
class NudgeOutcome:
    """What follow-the-sun nudges achieved: the questions someone was nudged for, how many of
    them got an answer, and the minutes from asking to the first answer of those."""

    nudged_questions: int
    answered: int
    first_answer_minutes: list[float]


class CommunitiesRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def communities(self) -> CommunityRepository: ...
