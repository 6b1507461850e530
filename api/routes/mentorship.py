"""Mentorship: mentor profiles, recommendations, the request lifecycle, sessions and feedback."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Body, Path, Query, Request, Response, status
from pydantic import Field

from api.concurrency import CONDITIONAL_WRITE, if_match_current, representation_tag
from api.deps import ClockDep, CurrentPrincipal, PaginatorDep, UowDep, paginator_for
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel
from api.schemas.mentorship import (
    FeedbackCreate,
    FeedbackPublic,
    MentorProfilePut,
    MentorRecommendationPublic,
    MentorshipComplete,
    MentorshipCreate,
    MentorshipDecline,
    MentorshipPublic,
    SessionCreate,
    SessionPublic,
    profile_public,
)
from api.schemas.users import MentorProfilePublic
from domain.errors import NotFound
from domain.mentorship import service as mentorship
from domain.mentorship.model import MentorshipRole, MentorshipStatus

router = ApiRouter(tags=["mentorship"])

MentorshipId = Annotated[UUID, Path(description="The mentorship's id.")]
ACTION_ERRORS = problem_responses(403, 404, 409)


def _location(mentorship_id: UUID) -> str:
    return f"/api/v1/mentorships/{mentorship_id}"


# --- mentor profile ----------------------------------------------------------------------------


@router.get("/me/mentor-profile", responses=problem_responses(404))
async def get_my_mentor_profile(uow: UowDep, principal: CurrentPrincipal) -> MentorProfilePublic:
    """Your offer to mentor; 404 until you PUT one."""
    return profile_public(await mentorship.get_my_profile(uow, principal))


@router.put(
    "/me/mentor-profile",
    responses=problem_responses(412, 422),
    openapi_extra=CONDITIONAL_WRITE,
)
async def put_my_mentor_profile(
    body: MentorProfilePut,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> MentorProfilePublic:
    """Offer (or stop offering) to mentor: capacity 1-20 mentees at once, your time zone.
    If-Match takes the ETag of the GET (412 when the profile changed since, or when there is
    none yet)."""

    async def current() -> MentorProfilePublic | None:
        try:
            return profile_public(await mentorship.get_my_profile(uow, principal))
        except NotFound:
            return None

    await if_match_current(request, current)
    profile = await mentorship.put_my_profile(
        uow,
        clock,
        principal,
        mentorship.ProfileDraft(
            accepting_mentees=body.accepting_mentees,
            capacity=body.capacity,
            timezone=body.timezone,
            about=body.about,
        ),
    )
    public = profile_public(profile)
    response.headers["ETag"] = representation_tag(public)
    return public


# --- recommendations ---------------------------------------------------------------------------


class MentorsQuery(QueryModel):
    skill: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=80,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
            description="A skill's slug; without it, your active learning goals are used.",
        ),
    ] = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/mentors", responses=problem_responses(400, 404))
async def list_mentors(
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    query: Annotated[MentorsQuery, Query()],
) -> Page[MentorRecommendationPublic]:
    """Mentors for you, best first, each with a score and its reasons in plain words. Excludes
    you, people not accepting or full, and people you already asked or learn from in the skill.
    At most 60 candidates (the strongest by expertise and open places) are ranked."""
    skill = query.skill
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"mentors:{skill or ''}"
    result = await mentorship.recommend_mentors(
        uow, clock, principal, skill, paginator.request(scope)
    )
    return paginator.page(scope, result, MentorRecommendationPublic.of)


# --- mentorships -------------------------------------------------------------------------------


@router.post(
    "/mentorships",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422, 429),
    dependencies=[Idempotent],
)
async def create_mentorship(
    body: MentorshipCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> MentorshipPublic:
    """Ask someone to mentor you in a skill. 409 when they are not accepting or full, or you
    already have an open request or active mentorship with them for it; 429 past the daily cap."""
    created = await mentorship.request_mentorship(
        uow,
        clock,
        principal,
        mentorship.RequestDraft(
            mentor=body.mentor, skill=body.skill, goal=body.goal, message=body.message
        ),
    )
    response.headers["Location"] = _location(created.id)
    return MentorshipPublic.of(created)


class MentorshipsQuery(QueryModel):
    role: MentorshipRole | None = Field(
        None, description="Only where you are the mentor, or the mentee."
    )
    status: MentorshipStatus | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/mentorships", responses=problem_responses(400))
async def list_mentorships(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[MentorshipsQuery, Query()],
) -> Page[MentorshipPublic]:
    """Your mentorships, newest first."""
    role, status_ = query.role, query.status
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"mentorships:{role or ''}:{status_ or ''}"
    result = await mentorship.list_mentorships(
        uow, principal, role, status_, paginator.request(scope)
    )
    return paginator.page(scope, result, MentorshipPublic.of)


@router.get("/mentorships/{mentorship_id}", responses=problem_responses(404))
async def get_mentorship(
    mentorship_id: MentorshipId, uow: UowDep, principal: CurrentPrincipal
) -> MentorshipPublic:
    """Participants and administrators only; anyone else gets 404."""
    return MentorshipPublic.of(await mentorship.get_mentorship(uow, principal, mentorship_id))


@router.post("/mentorships/{mentorship_id}/accept", responses=ACTION_ERRORS)
async def accept_mentorship(
    mentorship_id: MentorshipId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> MentorshipPublic:
    """Mentor: accept a request. 409 when you have no places left (checked atomically)."""
    return MentorshipPublic.of(await mentorship.accept(uow, clock, principal, mentorship_id))


@router.post("/mentorships/{mentorship_id}/decline", responses=ACTION_ERRORS)
async def decline_mentorship(
    mentorship_id: MentorshipId,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    body: Annotated[MentorshipDecline | None, Body()] = None,
) -> MentorshipPublic:
    """Mentor: decline a request, optionally with a reason the mentee sees."""
    reason = body.reason if body else None
    return MentorshipPublic.of(
        await mentorship.decline(uow, clock, principal, mentorship_id, reason)
    )


@router.post("/mentorships/{mentorship_id}/cancel", responses=ACTION_ERRORS)
async def cancel_mentorship(
    mentorship_id: MentorshipId, uow: UowDep, principal: CurrentPrincipal
) -> MentorshipPublic:
    """Mentee: withdraw a request that has no answer yet."""
    return MentorshipPublic.of(await mentorship.cancel(uow, principal, mentorship_id))


@router.post("/mentorships/{mentorship_id}/complete", responses=ACTION_ERRORS)
async def complete_mentorship(
    mentorship_id: MentorshipId,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    body: Annotated[MentorshipComplete | None, Body()] = None,
) -> MentorshipPublic:
    """Either participant: complete an active mentorship. The mentor may confirm the mentee's
    level, which raises their level in the skill and marks a matching learning goal achieved."""
    level = body.confirmed_level if body else None
    return MentorshipPublic.of(
        await mentorship.complete(uow, clock, principal, mentorship_id, level)
    )


# --- sessions and feedback ---------------------------------------------------------------------


@router.get("/mentorships/{mentorship_id}/sessions", responses=problem_responses(400, 404))
async def list_sessions(
    mentorship_id: MentorshipId,
    uow: UowDep,
    principal: CurrentPrincipal,
    paginator: PaginatorDep,
) -> Page[SessionPublic]:
    """Sessions held, most recent first: for the participants and administrators, in any
    status (the record outlives the mentorship)."""
    scope = f"sessions:{mentorship_id}"
    result = await mentorship.list_sessions(uow, principal, mentorship_id, paginator.request(scope))
    return paginator.page(scope, result, SessionPublic.of)


@router.post(
    "/mentorships/{mentorship_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    responses=ACTION_ERRORS,
    dependencies=[Idempotent],
)
async def create_session(
    mentorship_id: MentorshipId,
    body: SessionCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> SessionPublic:
    """Participants log a session of an active mentorship (409 otherwise)."""
    session = await mentorship.log_session(
        uow,
        clock,
        principal,
        mentorship_id,
        mentorship.SessionDraft(held_on=body.held_on, minutes=body.minutes, notes=body.notes),
    )
    response.headers["Location"] = f"{_location(mentorship_id)}/sessions"
    return SessionPublic.of(session)


@router.post(
    "/mentorships/{mentorship_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    responses=ACTION_ERRORS,
    dependencies=[Idempotent],
)
async def create_feedback(
    mentorship_id: MentorshipId,
    body: FeedbackCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> FeedbackPublic:
    """Each participant rates a completed mentorship once (a second time is 409)."""
    item = await mentorship.give_feedback(
        uow, clock, principal, mentorship_id, body.rating, body.comment
    )
    response.headers["Location"] = _location(mentorship_id)
    return FeedbackPublic.of(item)
