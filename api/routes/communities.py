"""Communities of practice: the directory, membership, leadership and transparency routes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Request, Response, status
from pydantic import Field

from api.concurrency import (
    CONDITIONAL_GET,
    CONDITIONAL_WRITE,
    conditional_get,
    etag,
    if_match_representation,
    if_match_version,
    representation_tag,
)
from api.deps import ClockDep, CurrentPrincipal, PaginatorDep, UowDep, paginator_for
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel, Text
from api.schemas.communities import (
    AuditEntryPublic,
    CommunityCreate,
    CommunityPublic,
    CommunityStatsPublic,
    CommunityUpdate,
    InvitationCreate,
    InvitationPublic,
    MemberPublic,
    MemberUpdate,
    MyMembership,
    MyMembershipUpdate,
    NominationCreate,
    NominationPublic,
    PendingInvitationPublic,
)
from domain.communities import service as communities
from domain.communities.model import (
    CommunitySort,
    JoinOutcome,
    JoinPolicy,
    MembershipStatus,
    NominationStatus,
    NotifyLevel,
    Role,
    Visibility,
)
from domain.communities.stats import community_stats

router = ApiRouter(tags=["communities"])

Slug = Annotated[Text, Path(min_length=1, max_length=60, description="The community's slug.")]
Handle = Annotated[Text, Path(min_length=1, max_length=30)]
NOT_VISIBLE = problem_responses(404)


def _location(slug: str) -> str:
    return f"/api/v1/communities/{slug}"


class CommunitiesQuery(QueryModel):
    q: Annotated[Text | None, Field(max_length=100, description="Name or slug prefix.")] = None
    member: Annotated[
        str | None, Field(pattern="^me$", description="`me`: only communities I belong to.")
    ] = None
    sort: CommunitySort = CommunitySort.active
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/communities", responses=problem_responses(400, 422))
async def list_communities(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[CommunitiesQuery, Query()],
) -> Page[CommunityPublic]:
    """Public communities plus the private ones you belong to or are invited to."""
    q, member, sort = query.q, query.member, query.sort
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"communities:{sort.value}:{member or ''}:{(q or '').strip().lower()}"
    result = await communities.list_communities(
        uow, principal, q, member == "me", sort, paginator.request(scope)
    )
    return paginator.page(scope, result, CommunityPublic.of)


@router.post(
    "/communities",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
    dependencies=[Idempotent],
)
async def create_community(
    body: CommunityCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> CommunityPublic:
    """Anyone can start a community of practice and becomes its first steward."""
    view = await communities.create_community(
        uow,
        clock,
        principal,
        communities.CommunityDraft(
            name=body.name,
            purpose=body.purpose,
            description=body.description,
            slug=body.slug,
            visibility=Visibility(body.visibility),
            join_policy=JoinPolicy(body.join_policy),
            tags=tuple(body.tags),
            steward_term_days=body.steward_term_days,
        ),
    )
    response.headers["Location"] = _location(view.community.slug)
    return CommunityPublic.of(view)


@router.get(
    "/communities/{slug}",
    response_model=CommunityPublic,
    responses=NOT_VISIBLE,
    openapi_extra=CONDITIONAL_GET,
)
async def get_community(
    slug: Slug, request: Request, uow: UowDep, principal: CurrentPrincipal
) -> Response:
    view = await communities.get_community(uow, principal, slug)
    return conditional_get(request, view.community.version, CommunityPublic.of(view))


@router.patch(
    "/communities/{slug}",
    responses=problem_responses(404, 409, 412),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_community(
    slug: Slug,
    body: CommunityUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> CommunityPublic:
    """Stewards edit the community; send If-Match with the ETag you read to avoid lost updates."""
    view = await communities.update_community(
        uow, clock, principal, slug, body.model_dump(exclude_unset=True), if_match_version(request)
    )
    public = CommunityPublic.of(view)
    response.headers["ETag"] = etag(view.community.version, public)
    return public


@router.delete("/communities/{slug}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_VISIBLE)
async def archive_community(
    slug: Slug, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Archive: the community becomes read-only and leaves the directory."""
    await communities.archive_community(uow, clock, principal, slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class MembersQuery(QueryModel):
    role: Role | None = None
    status: MembershipStatus | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/communities/{slug}/members", responses=problem_responses(400, 404))
async def list_members(
    slug: Slug,
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[MembersQuery, Query()],
) -> Page[MemberPublic]:
    """Members with their roles; pending requests only for moderators and stewards."""
    role, status_ = query.role, query.status
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"members:{slug}:{role or ''}:{status_ or ''}"
    result = await communities.list_members(
        uow, principal, slug, role, status_, paginator.request(scope)
    )
    return paginator.page(scope, result, MemberPublic.of)


JOIN_STATUS = {
    JoinOutcome.joined: status.HTTP_201_CREATED,
    JoinOutcome.requested: status.HTTP_202_ACCEPTED,
    JoinOutcome.already_member: status.HTTP_200_OK,
    JoinOutcome.already_requested: status.HTTP_202_ACCEPTED,
}


@router.post(
    "/communities/{slug}/members",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": MyMembership, "description": "Already a member"},
        202: {"model": MyMembership, "description": "Request waiting for approval"},
        **problem_responses(404, 409),
    },
    dependencies=[Idempotent],
)
async def join_community(
    slug: Slug, response: Response, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> MyMembership:
    """Join: open → 201 active; approval → 202 pending; invite-only needs an invitation."""
    membership, outcome = await communities.join_community(uow, clock, principal, slug)
    response.status_code = JOIN_STATUS[outcome]
    if outcome is JoinOutcome.joined:
        response.headers["Location"] = f"{_location(slug)}/members/me"
    public = MyMembership.of(membership)
    response.headers["ETag"] = representation_tag(public)  # for If-Match on PATCH members/me
    return public


@router.patch(
    "/communities/{slug}/members/me",
    responses={**NOT_VISIBLE, **problem_responses(412)},
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_my_membership(
    slug: Slug,
    body: MyMembershipUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    principal: CurrentPrincipal,
) -> MyMembership:
    """`all` notifies you of every new post; `mentions` only when someone @mentions you.
    If-Match takes the ETag the join or the last change answered (412 when your membership
    changed since: a new role, an approval, another change)."""
    membership = await communities.set_notify_level(
        uow,
        principal,
        slug,
        NotifyLevel(body.notify_level),
        lambda now: if_match_representation(request, MyMembership.of(now)),
    )
    public = MyMembership.of(membership)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.delete(
    "/communities/{slug}/members/me",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 409),
)
async def leave_community(
    slug: Slug, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Leave (or withdraw a request). The last steward cannot leave: 409."""
    await communities.leave_community(uow, clock, principal, slug)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch(
    "/communities/{slug}/members/{handle}",
    responses=problem_responses(404, 409, 412),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_member(
    slug: Slug,
    handle: Handle,
    body: MemberUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> MemberPublic:
    """Approve a pending request (`status: active`, moderators+) or change a role (stewards).
    If-Match takes the ETag the last change answered (412 when the member changed since, e.g.
    another steward changed the role)."""
    view = await communities.update_member(
        uow,
        clock,
        principal,
        slug,
        handle,
        Role(body.role) if body.role else None,
        approve=body.status == "active",
        precondition=lambda now: if_match_representation(request, MemberPublic.of(now)),
    )
    public = MemberPublic.of(view)
    response.headers["ETag"] = representation_tag(public)
    return public


@router.delete(
    "/communities/{slug}/members/{handle}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 409),
)
async def remove_member(
    slug: Slug, handle: Handle, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Remove a member or reject a pending request (moderators+; leaders only by stewards)."""
    await communities.remove_member(uow, clock, principal, slug, handle)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/communities/{slug}/invitations",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409),
    dependencies=[Idempotent],
)
async def create_invitation(
    slug: Slug,
    body: InvitationCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> InvitationPublic:
    """Stewards invite (moderators too in public communities); the invitee may then join."""
    view = await communities.invite(uow, clock, principal, slug, body.handle)
    response.headers["Location"] = "/api/v1/me/invitations"
    return InvitationPublic.of(view)


@router.get("/communities/{slug}/invitations", responses=problem_responses(400, 404))
async def list_invitations(
    slug: Slug, uow: UowDep, principal: CurrentPrincipal, paginator: PaginatorDep
) -> Page[PendingInvitationPublic]:
    """Open invitations, newest first (stewards)."""
    scope = f"invitations:{slug}"
    result = await communities.list_invitations(uow, principal, slug, paginator.request(scope))
    return paginator.page(scope, result, PendingInvitationPublic.of)


@router.delete(
    "/communities/{slug}/invitations/{handle}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_VISIBLE,
)
async def revoke_invitation(
    slug: Slug, handle: Handle, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Withdraw an open invitation (stewards); recorded in the audit log. No open invitation for
    that person: 404."""
    await communities.revoke_invitation(uow, clock, principal, slug, handle)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/invitations", responses=problem_responses(400))
async def list_my_invitations(
    uow: UowDep, principal: CurrentPrincipal, paginator: PaginatorDep
) -> Page[InvitationPublic]:
    scope = "me.invitations"
    result = await communities.my_invitations(uow, principal, paginator.request(scope))
    return paginator.page(scope, result, InvitationPublic.of)


@router.post(
    "/communities/{slug}/nominations",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409),
    dependencies=[Idempotent],
)
async def create_nomination(
    slug: Slug,
    body: NominationCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> NominationPublic:
    """Any member proposes a peer as moderator or steward; the stewards decide."""
    view = await communities.nominate(
        uow, clock, principal, slug, body.handle, Role(body.role), body.reason
    )
    response.headers["Location"] = f"{_location(slug)}/nominations/{view.nomination.id}"
    return NominationPublic.of(view)


class NominationsQuery(QueryModel):
    status: NominationStatus | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/communities/{slug}/nominations", responses=problem_responses(400, 404))
async def list_nominations(
    slug: Slug,
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[NominationsQuery, Query()],
) -> Page[NominationPublic]:
    """Nominations waiting for (or decided by) the stewards."""
    status_ = query.status
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"nominations:{slug}:{status_ or ''}"
    result = await communities.list_nominations(
        uow, principal, slug, status_, paginator.request(scope)
    )
    return paginator.page(scope, result, NominationPublic.of)


NominationId = Annotated[UUID, Path()]


@router.post(
    "/communities/{slug}/nominations/{nomination_id}/accept",
    responses=problem_responses(404, 409),
)
async def accept_nomination(
    slug: Slug,
    nomination_id: NominationId,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> NominationPublic:
    """Accepting applies the role (and starts a steward term where terms are set)."""
    view = await communities.decide_nomination(
        uow, clock, principal, slug, nomination_id, accept=True
    )
    return NominationPublic.of(view)


@router.post(
    "/communities/{slug}/nominations/{nomination_id}/decline",
    responses=problem_responses(404, 409),
)
async def decline_nomination(
    slug: Slug,
    nomination_id: NominationId,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> NominationPublic:
    view = await communities.decide_nomination(
        uow, clock, principal, slug, nomination_id, accept=False
    )
    return NominationPublic.of(view)


@router.get("/communities/{slug}/stats", responses=NOT_VISIBLE)
async def get_community_stats(
    slug: Slug, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> CommunityStatsPublic:
    """Health over the last 30 days: is the community living up to its purpose?"""
    stats = await community_stats(uow, clock, principal, slug)
    return CommunityStatsPublic.of(stats)


@router.get("/communities/{slug}/audit-log", responses=problem_responses(400, 404))
async def get_audit_log(
    slug: Slug, uow: UowDep, principal: CurrentPrincipal, paginator: PaginatorDep
) -> Page[AuditEntryPublic]:
    """The transparent moderation and leadership log, newest first."""
    scope = f"audit:{slug}"
    result = await communities.audit_log(uow, principal, slug, paginator.request(scope))
    return paginator.page(scope, result, AuditEntryPublic.of)
