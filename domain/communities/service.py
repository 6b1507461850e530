"""Community use cases: creating and running communities of practice with shared leadership."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import (
    MAX_NUDGE_AFTER_MINUTES,
    Action,
    AuditAction,
    AuditEntry,
    AuditView,
    Community,
    CommunitySort,
    CommunityView,
    Invitation,
    InvitationView,
    JoinOutcome,
    JoinPolicy,
    Membership,
    MembershipStatus,
    MemberView,
    Nomination,
    NominationStatus,
    NominationView,
    NotifyLevel,
    PendingInvitationView,
    Role,
    Viewer,
    Visibility,
    can,
    can_read,
    can_remove,
    check_nominee,
    check_purpose,
    check_settings,
    decide_expired_terms,
    is_visible,
    normalize_tags,
    slugify,
    term_end,
    validate_slug,
)
from domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from domain.events.model import EventType
from domain.events.service import record
from domain.leadership import service as leadership
from domain.leadership.model import ActKind, SubjectType, new_act
from domain.markdown import render_markdown
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.users.model import User, UserRef

COMMUNITY_NOT_FOUND = "Community not found."
NOT_A_MEMBER = "You are not a member of this community."


@dataclass(frozen=True, slots=True)
class CommunityDraft:
    name: str
    purpose: str
    description: str = ""
    slug: str | None = None
    visibility: Visibility = Visibility.public
    join_policy: JoinPolicy = JoinPolicy.open
    tags: tuple[str, ...] = ()
    steward_term_days: int | None = None


def _ref(user: User) -> UserRef:
    return UserRef(user.id, user.handle, user.display_name, user.title, user.avatar_url)


# --- loading and guarding -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommunityContext:
    """A community and what the caller is to it, already checked to be visible."""

    community: Community
    viewer: Viewer


async def load_community(
    uow: UnitOfWork, actor: Actor, slug: str, *, lock: bool = False, outline: bool = False
) -> CommunityContext:
    """The community as the caller may see it; invisible is indistinguishable from missing.
    `outline`: see `context_of`."""
    found = await uow.communities.get_with_viewer(slug.lower(), actor.user_id, for_update=lock)
    if found is None:
        raise NotFound(COMMUNITY_NOT_FOUND)
    return context_of(actor, *found, outline=outline)


def context_of(
    actor: Actor,
    community: Community,
    membership: Membership | None,
    invited: bool,
    *,
    outline: bool = False,
) -> CommunityContext:
    """Visibility check for a community and what was fetched with it (404 when invisible).

    Everything inside a community needs `can_read`; only the community itself and joining it
    (`outline`) are open to an invitee as well, so an invitation never shows its content."""
    viewer = Viewer(actor.user_id, actor.is_admin, membership, invited)
    if not (is_visible(community, viewer) if outline else can_read(community, viewer)):
        raise NotFound(COMMUNITY_NOT_FOUND)
    return CommunityContext(community, viewer)


def require(action: Action, ctx: CommunityContext) -> None:
    if not can(action, ctx.community, ctx.viewer):
        raise Forbidden(f"Your role in this community does not allow this ({action.value}).")


def require_writable(community: Community) -> None:
    if community.is_archived:
        raise Conflict("This community is archived and read-only.", code="archived")


async def _member_by_handle(
    uow: UnitOfWork, community: Community, handle: str
) -> tuple[User, Membership]:
    user = await uow.users.get_by_handle(handle.lower())
    membership = (
        await uow.communities.get_membership(community.id, user.id) if user is not None else None
    )
    if user is None or membership is None:
        raise NotFound("That person is not a member of this community.")
    return user, membership


async def _audit(
    uow: UnitOfWork,
    clock: Clock,
    community: Community,
    actor_id: UUID | None,
    action: AuditAction,
    subject: UUID | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        id=uuid.uuid4(),
        community_id=community.id,
        actor_id=actor_id,
        action=action,
        created_at=clock.now(),
        subject_user_id=subject,
        note=note,
    )
    await uow.communities.add_audit(entry)
    await leadership.record_audit(
        uow, community.id, actor_id, action.value, subject, entry.created_at, entry.id
    )
    return entry


async def _record(
    uow: UnitOfWork,
    clock: Clock,
    type_: EventType,
    actor_id: UUID | None,
    community: Community,
    payload: dict[str, object],
) -> None:
    await record(
        uow,
        clock,
        type_,
        actor_id=actor_id,
        community_id=community.id,
        payload={"community_name": community.name, "community_slug": community.slug, **payload},
    )


LAST_STEWARD = "A community always keeps at least one steward: name another steward first."


async def _ensure_not_last_steward(
    uow: UnitOfWork, community: Community, target: Membership
) -> None:
    """Callers hold the community lock, so concurrent leavers are serialised here."""
    if target.role is not Role.steward or not target.is_active:
        return
    stewards = await uow.communities.stewards(community.id)
    if len(stewards) <= 1:
        raise Conflict(LAST_STEWARD, code="last_steward")


async def _delete_membership(uow: UnitOfWork, community: Community, user_id: UUID) -> Membership:
    """Delete a membership and count it out, by what the DELETE itself removed: of concurrent
    leaves (or removals) exactly one finds the row, the others get 404. A steward's removal is
    checked after the delete, against the stewards that really remain (rolled back if none)."""
    removed = await uow.communities.delete_membership(community.id, user_id)
    if removed is None:
        raise NotFound("That person is not a member of this community.")
    was_steward = removed.role is Role.steward and removed.is_active
    if was_steward and not await uow.communities.stewards(community.id):
        raise Conflict(LAST_STEWARD, code="last_steward")
    if removed.is_active:
        await uow.communities.adjust_member_count(community.id, -1)
    return removed


# --- communities --------------------------------------------------------------------------------


async def create_community(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: CommunityDraft
) -> CommunityView:
    """Anyone may start a community of practice; its creator becomes the first steward."""
    check_settings(draft.visibility, draft.join_policy)
    purpose = check_purpose(draft.purpose)
    name = draft.name.strip()
    if not name:
        raise ValidationFailed("The name must not be blank.", field="name")
    slug = validate_slug(draft.slug) if draft.slug else slugify(name)
    if await uow.communities.slug_taken(slug):
        raise Conflict(
            f"The address /communities/{slug} is taken; choose another slug.", code="slug_taken"
        )
    now = clock.now()
    community = Community(
        id=uuid.uuid4(),
        slug=slug,
        name=name,
        purpose=purpose,
        description=draft.description,
        description_html=render_markdown(draft.description),
        visibility=draft.visibility,
        join_policy=draft.join_policy,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        tags=normalize_tags(list(draft.tags)),
        steward_term_days=draft.steward_term_days,
        member_count=1,
    )
    membership = Membership(
        community_id=community.id,
        user_id=actor.user_id,
        role=Role.steward,
        status=MembershipStatus.active,
        joined_at=now,
        notify_level=NotifyLevel.all,
        term_ends_at=term_end(now, draft.steward_term_days),
    )
    await uow.communities.add(community)
    await uow.communities.add_membership(membership)
    await _audit(uow, clock, community, actor.user_id, AuditAction.created, actor.user_id)
    await uow.commit()
    return CommunityView(community, Viewer(actor.user_id, actor.is_admin, membership, False))


async def list_communities(
    uow: UnitOfWork,
    actor: Actor,
    q: str | None,
    mine: bool,
    sort: CommunitySort,
    page: PageRequest,
) -> PageResult[CommunityView]:
    query = q.strip().lower() if q and q.strip() else None
    return await uow.communities.list_visible(
        actor.user_id, actor.is_admin, query, mine, sort, page
    )


async def get_community(uow: UnitOfWork, actor: Actor, slug: str) -> CommunityView:
    ctx = await load_community(uow, actor, slug, outline=True)
    return CommunityView(ctx.community, ctx.viewer)


EDITABLE = frozenset(
    {
        "name",
        "purpose",
        "description",
        "visibility",
        "join_policy",
        "tags",
        "steward_term_days",
        "nudge_after_minutes",
    }
)


async def update_community(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str,
    changes: dict[str, object],
    if_match: int | None,
) -> CommunityView:
    ctx = await load_community(uow, actor, slug, lock=True)
    require(Action.edit, ctx)
    community = ctx.community
    require_writable(community)
    visibility_before = community.visibility
    if if_match is not None and if_match != community.version:
        raise PreconditionFailed("The community changed since you read it; reload and retry.")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationFailed(f"Cannot change {', '.join(sorted(unknown))}.")
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not name:
            raise ValidationFailed("The name must not be blank.", field="name")
        community.name = name
    if "purpose" in changes:
        community.purpose = check_purpose(str(changes["purpose"]))
    if "description" in changes:
        community.description = str(changes["description"] or "")
        community.description_html = render_markdown(community.description)
    if "visibility" in changes:
        community.visibility = Visibility(str(changes["visibility"]))
    if "join_policy" in changes:
        community.join_policy = JoinPolicy(str(changes["join_policy"]))
    if "tags" in changes:
        tags = changes["tags"]
        community.tags = normalize_tags([str(t) for t in tags] if isinstance(tags, list) else [])
    if "steward_term_days" in changes:
        days = changes["steward_term_days"]
        community.steward_term_days = int(days) if isinstance(days, int) else None
    if "nudge_after_minutes" in changes:
        minutes = changes["nudge_after_minutes"]
        if not isinstance(minutes, int) or not 0 <= minutes <= MAX_NUDGE_AFTER_MINUTES:
            raise ValidationFailed(
                f"nudge_after_minutes is 0 (off) to {MAX_NUDGE_AFTER_MINUTES}.",
                field="nudge_after_minutes",
            )
        community.nudge_after_minutes = minutes
    check_settings(community.visibility, community.join_policy)
    community.updated_at = clock.now()
    community.version += 1
    await uow.communities.update(community)
    if community.visibility is not visibility_before:
        # Public content counts in stored expert scores, private content does not.
        await uow.user_skills.refresh_community_evidence(community.id)
        if community.visibility is Visibility.public:
            # Its posts are public now, and so are the skills they are tagged with.
            await uow.skills.mark_listed_in_community(community.id)
    await _audit(uow, clock, community, actor.user_id, AuditAction.edited)
    await uow.commit()
    return CommunityView(community, ctx.viewer)


async def archive_community(uow: UnitOfWork, clock: Clock, actor: Actor, slug: str) -> None:
    ctx = await load_community(uow, actor, slug, lock=True)
    require(Action.archive, ctx)
    community = ctx.community
    if community.is_archived:
        return
    community.archived_at = clock.now()
    community.version += 1
    await uow.communities.update(community)
    await _audit(uow, clock, community, actor.user_id, AuditAction.archived)
    await uow.commit()


# --- membership ---------------------------------------------------------------------------------


async def list_members(
    uow: UnitOfWork,
    actor: Actor,
    slug: str,
    role: Role | None,
    status: MembershipStatus | None,
    page: PageRequest,
) -> PageResult[MemberView]:
    ctx = await load_community(uow, actor, slug)
    require(Action.view_members, ctx)
    if status is MembershipStatus.pending:
        require(Action.view_pending, ctx)
    elif status is None and not can(Action.view_pending, ctx.community, ctx.viewer):
        status = MembershipStatus.active
    return await uow.communities.list_members(ctx.community.id, role, status, page)


async def join_community(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str
) -> tuple[Membership, JoinOutcome]:
    ctx = await load_community(uow, actor, slug, lock=True, outline=True)
    community = ctx.community
    current = ctx.viewer.membership
    if current is not None:
        outcome = JoinOutcome.already_member if current.is_active else JoinOutcome.already_requested
        return current, outcome
    require_writable(community)
    now = clock.now()
    invitation = await uow.communities.open_invitation(community.id, actor.user_id)
    # Read after the lock, this is current; the locking read may have seen an invitation that a
    # revocation holding the lock before us has since withdrawn. Without it, a private community
    # is as missing as for any outsider.
    context_of(actor, community, current, invitation is not None, outline=True)
    if community.join_policy is JoinPolicy.invite and invitation is None:
        raise Forbidden("This community is invitation-only; ask a steward for an invitation.")
    approval_needed = community.join_policy is JoinPolicy.approval and invitation is None
    membership = Membership(
        community_id=community.id,
        user_id=actor.user_id,
        role=Role.member,
        status=MembershipStatus.pending if approval_needed else MembershipStatus.active,
        joined_at=now,
    )
    if not await uow.communities.add_membership(membership):
        # A concurrent join of the same person won: answer as a repeated join does.
        existing = await uow.communities.get_membership(community.id, actor.user_id)
        if existing is None:
            raise Conflict("Your membership changed meanwhile; try again.")
        if existing.is_active:
            return existing, JoinOutcome.already_member
        return existing, JoinOutcome.already_requested
    if invitation is not None:
        await uow.communities.accept_invitation(invitation.id, now)
    if approval_needed:
        # The community's moderators are told by the event's consumer.
        await _record(uow, clock, EventType.membership_requested, actor.user_id, community, {})
    else:
        await uow.communities.adjust_member_count(community.id, 1)
    await uow.commit()
    return membership, JoinOutcome.requested if approval_needed else JoinOutcome.joined


async def leave_community(uow: UnitOfWork, clock: Clock, actor: Actor, slug: str) -> None:
    ctx = await load_community(uow, actor, slug, lock=True)
    if ctx.viewer.membership is None:
        raise NotFound(NOT_A_MEMBER)
    try:
        await _delete_membership(uow, ctx.community, actor.user_id)
    except NotFound:
        raise NotFound(NOT_A_MEMBER) from None
    await uow.commit()


async def update_member(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str,
    handle: str,
    role: Role | None,
    approve: bool,
    precondition: Callable[[MemberView], None] | None = None,
) -> MemberView:
    """Approve a pending request (moderators+) and/or change a role (stewards).
    `precondition` sees the member as they are before the change (and may refuse it)."""
    ctx = await load_community(uow, actor, slug, lock=True)
    community = ctx.community
    require_writable(community)
    if role is None and not approve:
        raise ValidationFailed("Send a role to set, or status=active to approve.")
    if approve:
        require(Action.approve_members, ctx)
    if role is not None:
        require(Action.change_roles, ctx)
    user, membership = await _member_by_handle(uow, community, handle)
    if precondition is not None:
        precondition(MemberView(membership, _ref(user)))
    now = clock.now()
    if approve and await uow.communities.activate_membership(community.id, user.id, now):
        membership.status = MembershipStatus.active
        membership.joined_at = now
        await uow.communities.adjust_member_count(community.id, 1)
        await _audit(uow, clock, community, actor.user_id, AuditAction.member_approved, user.id)
        await _record(
            uow,
            clock,
            EventType.membership_approved,
            actor.user_id,
            community,
            {"user_id": user.id},
        )
    if role is not None and role is not membership.role:
        if not membership.is_active:
            raise Conflict("Approve the request before changing the role.")
        await _change_role(uow, clock, community, membership, role, actor.user_id)
    await uow.communities.update_membership(membership)
    await uow.commit()
    return MemberView(membership, _ref(user))


async def _change_role(
    uow: UnitOfWork,
    clock: Clock,
    community: Community,
    membership: Membership,
    role: Role,
    actor_id: UUID | None,
    note: str | None = None,
) -> None:
    if membership.role is Role.steward and role is not Role.steward:
        await _ensure_not_last_steward(uow, community, membership)
    previous = membership.role
    membership.role = role
    membership.term_ends_at = (
        term_end(clock.now(), community.steward_term_days) if role is Role.steward else None
    )
    entry = await _audit(
        uow,
        clock,
        community,
        actor_id,
        AuditAction.role_changed,
        membership.user_id,
        note or f"{previous.value} → {role.value}",
    )
    if role is Role.steward and previous is not Role.steward:
        await leadership.record_act(
            uow,
            membership.user_id,
            community.id,
            ActKind.steward_term,
            entry.created_at,
            SubjectType.audit,
            entry.id,
        )


async def remove_member(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, handle: str
) -> None:
    """Remove a member, or reject a pending request."""
    ctx = await load_community(uow, actor, slug, lock=True)
    community = ctx.community
    require(Action.remove_members, ctx)
    user, membership = await _member_by_handle(uow, community, handle)
    if not can_remove(ctx.viewer.active_role, ctx.viewer.is_admin, membership):
        raise Forbidden("Moderators cannot remove leaders; ask a steward.")
    removed = await _delete_membership(uow, community, user.id)
    if removed.is_active:
        await _audit(uow, clock, community, actor.user_id, AuditAction.member_removed, user.id)
    else:
        await _audit(uow, clock, community, actor.user_id, AuditAction.request_rejected, user.id)
    await uow.commit()


async def set_notify_level(
    uow: UnitOfWork,
    actor: Actor,
    slug: str,
    level: NotifyLevel,
    precondition: Callable[[Membership], None] | None = None,
) -> Membership:
    """`precondition` sees the membership as it is before the change (and may refuse it)."""
    ctx = await load_community(uow, actor, slug)
    membership = ctx.viewer.membership
    if membership is None:
        raise NotFound(NOT_A_MEMBER)
    require(Action.set_notify_level, ctx)
    if precondition is not None:
        precondition(membership)
    membership.notify_level = level
    await uow.communities.update_membership(membership)
    await uow.commit()
    return membership


# --- invitations and nominations ------------------------------------------------------------------


async def invite(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, handle: str
) -> InvitationView:
    ctx = await load_community(uow, actor, slug)
    community = ctx.community
    require(Action.invite, ctx)
    require_writable(community)
    invitee = await uow.users.get_by_handle(handle.lower())
    if invitee is None or not invitee.is_active:
        raise NotFound("No one has that handle.")
    if await uow.communities.get_membership(community.id, invitee.id) is not None:
        raise Conflict("That person is already a member (or has asked to join).")
    if await uow.communities.open_invitation(community.id, invitee.id) is not None:
        raise Conflict("That person already has an invitation.")
    inviter = await uow.users.get(actor.user_id)
    assert inviter is not None
    invitation = Invitation(
        id=uuid.uuid4(),
        community_id=community.id,
        invitee_id=invitee.id,
        invited_by=actor.user_id,
        created_at=clock.now(),
    )
    await uow.communities.add_invitation(invitation)
    await _audit(uow, clock, community, actor.user_id, AuditAction.invited, invitee.id)
    await _record(
        uow,
        clock,
        EventType.invitation_created,
        actor.user_id,
        community,
        {
            "invitation_id": invitation.id,
            "invitee_id": invitee.id,
            "inviter_name": inviter.display_name,
        },
    )
    await uow.commit()
    return InvitationView(invitation, community, _ref(inviter))


async def list_invitations(
    uow: UnitOfWork, actor: Actor, slug: str, page: PageRequest
) -> PageResult[PendingInvitationView]:
    ctx = await load_community(uow, actor, slug)
    require(Action.manage_invitations, ctx)
    return await uow.communities.list_invitations(ctx.community.id, page)


async def revoke_invitation(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, handle: str
) -> None:
    """Withdraw an open invitation. The community lock orders this against the invitee joining:
    either the join used the invitation (then there is nothing to revoke) or it finds none."""
    ctx = await load_community(uow, actor, slug, lock=True)
    community = ctx.community
    require(Action.manage_invitations, ctx)
    invitee = await uow.users.get_by_handle(handle.lower())
    if invitee is None or not await uow.communities.revoke_invitation(community.id, invitee.id):
        raise NotFound("That person holds no open invitation to this community.")
    await _audit(uow, clock, community, actor.user_id, AuditAction.invitation_revoked, invitee.id)
    await uow.commit()


async def my_invitations(
    uow: UnitOfWork, actor: Actor, page: PageRequest
) -> PageResult[InvitationView]:
    return await uow.communities.invitations_for(actor.user_id, page)


async def nominate(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str,
    handle: str,
    role: Role,
    reason: str | None,
) -> NominationView:
    """Any member may propose a peer for leadership; stewards decide."""
    ctx = await load_community(uow, actor, slug)
    community = ctx.community
    require(Action.nominate, ctx)
    require_writable(community)
    if role is Role.member:
        raise ValidationFailed("Nominate for moderator or steward.", field="role")
    nominee, membership = await _member_by_handle(uow, community, handle)
    check_nominee(nominee.id, actor.user_id)
    if not membership.is_active:
        raise Conflict("Only active members can be nominated.")
    if membership.role.rank >= role.rank:
        raise Conflict(f"{nominee.display_name} is already a {membership.role.value}.")
    if await uow.communities.pending_nomination_exists(community.id, nominee.id, role):
        raise Conflict("That nomination is already waiting for the stewards.")
    nomination = Nomination(
        id=uuid.uuid4(),
        community_id=community.id,
        nominee_id=nominee.id,
        nominated_by=actor.user_id,
        role=role,
        status=NominationStatus.pending,
        created_at=clock.now(),
        reason=reason,
    )
    await uow.communities.add_nomination(nomination)
    await uow.leadership.record(
        [
            new_act(
                actor.user_id,
                community.id,
                ActKind.nomination_given,
                nomination.created_at,
                SubjectType.nomination,
                nomination.id,
            ),
            new_act(
                nominee.id,
                community.id,
                ActKind.nomination_received,
                nomination.created_at,
                SubjectType.nomination,
                nomination.id,
            ),
        ]
    )
    # The stewards and the nominee are told by the event's consumer.
    await _record(
        uow,
        clock,
        EventType.nomination_created,
        actor.user_id,
        community,
        {
            "nomination_id": nomination.id,
            "nominee_id": nominee.id,
            "nominee_name": nominee.display_name,
            "role": role,
        },
    )
    await uow.commit()
    return await uow.communities.nomination_view(nomination.id)


async def list_nominations(
    uow: UnitOfWork,
    actor: Actor,
    slug: str,
    status: NominationStatus | None,
    page: PageRequest,
) -> PageResult[NominationView]:
    ctx = await load_community(uow, actor, slug)
    require(Action.decide_nominations, ctx)
    return await uow.communities.list_nominations(ctx.community.id, status, page)


async def decide_nomination(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str,
    nomination_id: UUID,
    accept: bool,
) -> NominationView:
    ctx = await load_community(uow, actor, slug, lock=True)
    community = ctx.community
    require(Action.decide_nominations, ctx)
    require_writable(community)
    nomination = await uow.communities.get_nomination(community.id, nomination_id)
    if nomination is None:
        raise NotFound("Nomination not found.")
    if nomination.status is not NominationStatus.pending:
        raise Conflict(f"This nomination was already {nomination.status.value}.")
    now = clock.now()
    nomination.status = NominationStatus.accepted if accept else NominationStatus.declined
    nomination.decided_by = actor.user_id
    nomination.decided_at = now
    if accept:
        membership = await uow.communities.get_membership(community.id, nomination.nominee_id)
        if membership is None or not membership.is_active:
            raise Conflict("The nominee is no longer a member.")
        if membership.role.rank < nomination.role.rank:
            await _change_role(
                uow,
                clock,
                community,
                membership,
                nomination.role,
                actor.user_id,
                note=f"nominated as {nomination.role.value}",
            )
            await uow.communities.update_membership(membership)
        await leadership.record_act(
            uow,
            nomination.nominee_id,
            community.id,
            ActKind.nomination_accepted,
            now,
            SubjectType.nomination,
            nomination.id,
        )
    action = AuditAction.nomination_accepted if accept else AuditAction.nomination_declined
    await _audit(
        uow, clock, community, actor.user_id, action, nomination.nominee_id, nomination.role.value
    )
    await uow.communities.update_nomination(nomination)
    await uow.commit()
    return await uow.communities.nomination_view(nomination.id)


# --- health and transparency ----------------------------------------------------------------------


async def audit_log(
    uow: UnitOfWork, actor: Actor, slug: str, page: PageRequest
) -> PageResult[AuditView]:
    ctx = await load_community(uow, actor, slug)
    require(Action.view_audit, ctx)
    return await uow.communities.audit_log(ctx.community.id, page)


# --- leadership rotation (periodic job) ---------------------------------------------------------


async def expire_steward_terms(uow: UnitOfWork, clock: Clock, batch: int = 100) -> int:
    """Return stewards whose term ended to member, one community per transaction. The last
    steward stays (their term renews) and the members hear that nominations are open."""
    now = clock.now()
    processed = 0
    for community_id in await uow.communities.with_expired_terms(now, batch):
        community = await uow.communities.lock(community_id)
        if community is None:
            continue
        stewards = await uow.communities.stewards(community_id)
        decision = decide_expired_terms(stewards, now)
        by_user = {m.user_id: m for m in stewards}
        for user_id in decision.demote:
            membership = by_user[user_id]
            membership.role = Role.member
            membership.term_ends_at = None
            await uow.communities.update_membership(membership)
            await _audit(uow, clock, community, None, AuditAction.term_ended, user_id)
        if decision.renew is not None:
            keeper = by_user[decision.renew]
            keeper.term_ends_at = term_end(now, community.steward_term_days) or None
            await uow.communities.update_membership(keeper)
            await _audit(
                uow,
                clock,
                community,
                None,
                AuditAction.term_renewed,
                keeper.user_id,
                "last steward stays until someone else is nominated",
            )
        # The members hear that nominations are open (when the last steward stays) from the
        # event's consumer.
        await _record(
            uow,
            clock,
            EventType.steward_term_ending,
            None,
            community,
            {"ended": decision.demote, "renewed": decision.renew},
        )
        await uow.commit()
        processed += 1
    return processed
