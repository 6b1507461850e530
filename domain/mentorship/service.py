"""Mentorship use cases: mentor profiles, recommendations, the request lifecycle, sessions,
feedback and the expiry of unanswered requests.

Each use case loads what it needs, asks the pure rules of domain.mentorship.model, writes, and
commits once. What must hold under concurrency (capacity, one open request per pair and skill,
one feedback per participant) is decided by guarded writes and unique indexes behind the
repository; the checks here exist to give the caller a precise message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Conflict, Forbidden, InvalidState, NotFound, RateLimited, ValidationFailed
from domain.events.model import EventType
from domain.events.service import record
from domain.leadership.model import ActKind, SubjectType
from domain.leadership.service import record_act
from domain.mentorship.model import (
    CANDIDATE_LIMIT,
    DAILY_REQUEST_CAP,
    MAX_GOALS_CONSIDERED,
    REQUEST_TTL,
    REQUEST_WINDOW,
    Feedback,
    MentorProfile,
    Mentorship,
    MentorshipAction,
    MentorshipRole,
    MentorshipSession,
    MentorshipStatus,
    Party,
    Recommendation,
    check_capacity,
    check_rating,
    check_session,
    check_timezone,
    is_visible,
    rank_mentors,
    request_retry_after,
    transition,
)
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.skills.model import check_level
from domain.skills.service import find_skill
from domain.users.model import User, UserRef

MENTORSHIP_NOT_FOUND = "Mentorship not found."


def _ref(user: User) -> UserRef:
    return UserRef(user.id, user.handle, user.display_name, user.title, user.avatar_url)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def mentorship_url(mentorship_id: UUID) -> str:
    return f"/mentorships/{mentorship_id}"


async def _record(
    uow: UnitOfWork,
    clock: Clock,
    type_: EventType,
    actor_id: UUID,
    mentorship: Mentorship,
    recipient_id: UUID,
    title: str,
) -> None:
    """The participant told is the event consumer's business (domain.mentorship.consumers)."""
    await record(
        uow,
        clock,
        type_,
        actor_id=actor_id,
        community_id=None,
        payload={
            "mentorship_id": mentorship.id,
            "mentor_id": mentorship.mentor.id,
            "mentee_id": mentorship.mentee.id,
            "skill": mentorship.skill.name,
            "recipient_id": recipient_id,
            "title": title,
        },
    )


# --- mentor profiles ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    accepting_mentees: bool
    capacity: int
    timezone: str
    about: str | None = None


async def get_my_profile(uow: UnitOfWork, actor: Actor) -> MentorProfile:
    profile = await uow.mentorship.get_profile(actor.user_id)
    if profile is None:
        raise NotFound("You have no mentor profile yet; PUT one to offer mentoring.")
    return profile


async def put_my_profile(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: ProfileDraft
) -> MentorProfile:
    """Create or replace the caller's offer. Lowering capacity below the current number of
    mentees is allowed: nobody is dropped, the profile is simply full until some complete."""
    now = clock.now()
    await uow.mentorship.put_profile(
        MentorProfile(
            user_id=actor.user_id,
            accepting_mentees=draft.accepting_mentees,
            capacity=check_capacity(draft.capacity),
            timezone=check_timezone(draft.timezone),
            about=_clean(draft.about),
            created_at=now,
            updated_at=now,
        )
    )
    stored = await uow.mentorship.get_profile(actor.user_id)
    assert stored is not None
    await uow.commit()
    return stored


# --- recommendations ---------------------------------------------------------------------------


async def recommend_mentors(
    uow: UnitOfWork, clock: Clock, actor: Actor, skill_slug: str | None, page: PageRequest
) -> PageResult[Recommendation]:
    """Mentors for the caller, best first (see domain.mentorship.model.score_mentor).

    For `skill_slug`, or else for the caller's active learning goals (none: an empty page).
    At most CANDIDATE_LIMIT holders (the best by stored mentor score, split across the needs)
    are scored, in four statements whatever the number of holders or the page size; only the
    parts that depend on the caller are computed here, and reasons are written for the page's
    mentors only. The keyset runs over that computed ranking, so paging never skips or repeats
    a mentor while the inputs stay the same.
    """
    skill = None
    if skill_slug is not None:
        skill = await find_skill(uow, actor, skill_slug)
        if skill is None:
            raise NotFound("Skill not found.")
    context = await uow.mentorship.mentee_context(actor.user_id, skill, MAX_GOALS_CONSIDERED)
    needs = {need.skill.id: need for need in context.needs}
    if not needs:
        return PageResult(items=[], next_position=None)
    per_skill = max(1, CANDIDATE_LIMIT // len(needs))
    candidates = await uow.mentorship.candidates(
        actor.user_id, [need.skill for need in context.needs], per_skill
    )
    shared = await uow.mentorship.shared_communities(
        actor.user_id, sorted({c.mentor.id for c in candidates})
    )
    items, next_position = rank_mentors(
        candidates,
        needs,
        mentee_timezone=context.timezone,
        shared_communities=shared,
        on=clock.now().date(),
        after=page.after,
        limit=page.limit,
    )
    return PageResult(items=items, next_position=next_position)


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestDraft:
    mentor: str  # handle
    skill: str  # slug
    goal: str
    message: str | None = None


async def _check_quota(uow: UnitOfWork, clock: Clock, actor: Actor) -> None:
    now = clock.now()
    nth = await uow.mentorship.nth_recent_request(
        actor.user_id, now - REQUEST_WINDOW, DAILY_REQUEST_CAP
    )
    retry_after = request_retry_after(nth, now)
    if retry_after is not None:
        raise RateLimited(
            f"You can send {DAILY_REQUEST_CAP} mentorship requests a day; try again later.",
            retry_after=retry_after,
        )


async def request_mentorship(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: RequestDraft
) -> Mentorship:
    goal = _clean(draft.goal)
    if goal is None:
        raise ValidationFailed("Say what you want to learn.", field="goal")
    mentor = await uow.users.get_by_handle(draft.mentor.lower())
    if mentor is None or not mentor.is_active:
        raise NotFound("No one has that handle.")
    if mentor.id == actor.user_id:
        raise ValidationFailed("You cannot mentor yourself.", field="mentor")
    skill = await find_skill(uow, actor, draft.skill)
    if skill is None:
        raise NotFound("Skill not found.")
    await _check_quota(uow, clock, actor)
    profile = await uow.mentorship.get_profile(mentor.id)
    if profile is None or not profile.accepting_mentees:
        raise Conflict(f"{mentor.display_name} is not taking mentees.", code="not_accepting")
    if profile.open_slots == 0:
        raise Conflict(f"{mentor.display_name} has no places left.", code="mentor_full")
    mentee = await uow.users.get(actor.user_id)
    assert mentee is not None
    mentorship = Mentorship(
        id=uuid.uuid4(),
        mentor=_ref(mentor),
        mentee=_ref(mentee),
        skill=skill,
        goal=goal,
        status=MentorshipStatus.requested,
        created_at=clock.now(),
        message=_clean(draft.message),
    )
    if not await uow.mentorship.add(mentorship):
        raise Conflict(
            f"You already have an open request or an active mentorship with "
            f"{mentor.display_name} for {skill.name}.",
            code="mentorship_exists",
        )
    await _record(
        uow,
        clock,
        EventType.mentorship_requested,
        actor.user_id,
        mentorship,
        mentor.id,
        f"{mentee.display_name} asked you to mentor them in {skill.name}",
    )
    await uow.commit()
    return mentorship


async def _visible(
    uow: UnitOfWork, actor: Actor, mentorship_id: UUID, *, lock: bool = False
) -> Mentorship:
    """Participants and administrators see a mentorship; for anyone else it does not exist."""
    mentorship = await uow.mentorship.get(mentorship_id, for_update=lock)
    if mentorship is None or not is_visible(mentorship, actor.user_id, actor.is_admin):
        raise NotFound(MENTORSHIP_NOT_FOUND)
    return mentorship


async def get_mentorship(uow: UnitOfWork, actor: Actor, mentorship_id: UUID) -> Mentorship:
    return await _visible(uow, actor, mentorship_id)


async def list_mentorships(
    uow: UnitOfWork,
    actor: Actor,
    role: MentorshipRole | None,
    status: MentorshipStatus | None,
    page: PageRequest,
) -> PageResult[Mentorship]:
    """The caller's own mentorships (as mentor, mentee, or both), newest first."""
    return await uow.mentorship.list_for_user(actor.user_id, role, status, page)


# --- the lifecycle -----------------------------------------------------------------------------


async def _decide(
    uow: UnitOfWork, actor: Actor, mentorship_id: UUID, action: MentorshipAction
) -> tuple[Mentorship, MentorshipStatus]:
    """Lock the mentorship and ask the transition table; returns it with its old status."""
    mentorship = await _visible(uow, actor, mentorship_id, lock=True)
    previous = mentorship.status
    mentorship.status = transition(previous, action, mentorship.party(actor.user_id))
    return mentorship, previous


async def _store(uow: UnitOfWork, mentorship: Mentorship, previous: MentorshipStatus) -> None:
    if not await uow.mentorship.change_status(mentorship, previous):
        raise InvalidState("This mentorship changed meanwhile; read it again.")


async def accept(uow: UnitOfWork, clock: Clock, actor: Actor, mentorship_id: UUID) -> Mentorship:
    """The mentor accepts; a place is taken atomically, so capacity holds under concurrency."""
    mentorship, previous = await _decide(uow, actor, mentorship_id, MentorshipAction.accept)
    mentorship.responded_at = clock.now()
    await _store(uow, mentorship, previous)
    if not await uow.mentorship.take_slot(mentorship.mentor.id):
        raise Conflict(
            "You have no places left; complete a mentorship or raise your capacity first.",
            code="mentor_full",
        )
    await _record(
        uow,
        clock,
        EventType.mentorship_accepted,
        actor.user_id,
        mentorship,
        mentorship.mentee.id,
        f"{mentorship.mentor.display_name} will mentor you in {mentorship.skill.name}",
    )
    await uow.commit()
    return mentorship


async def decline(
    uow: UnitOfWork, clock: Clock, actor: Actor, mentorship_id: UUID, reason: str | None
) -> Mentorship:
    mentorship, previous = await _decide(uow, actor, mentorship_id, MentorshipAction.decline)
    mentorship.responded_at = clock.now()
    mentorship.decline_reason = _clean(reason)
    await _store(uow, mentorship, previous)
    await _record(
        uow,
        clock,
        EventType.mentorship_declined,
        actor.user_id,
        mentorship,
        mentorship.mentee.id,
        f"{mentorship.mentor.display_name} cannot mentor you in {mentorship.skill.name} now",
    )
    await uow.commit()
    return mentorship


async def cancel(uow: UnitOfWork, actor: Actor, mentorship_id: UUID) -> Mentorship:
    """The mentee withdraws a request that has no answer yet."""
    mentorship, previous = await _decide(uow, actor, mentorship_id, MentorshipAction.cancel)
    await _store(uow, mentorship, previous)
    await uow.commit()
    return mentorship


async def complete(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    mentorship_id: UUID,
    confirmed_level: int | None,
) -> Mentorship:
    """Either participant completes; the place is freed. Only the mentor may confirm a level:
    it raises (never lowers) the mentee's level in the skill and marks their active learning goal
    for it achieved when the level reaches the goal's target."""
    mentorship, previous = await _decide(uow, actor, mentorship_id, MentorshipAction.complete)
    if confirmed_level is not None:
        if mentorship.party(actor.user_id) is not Party.mentor:
            raise Forbidden("Only the mentor can confirm the mentee's level.")
        check_level(confirmed_level, "confirmed_level")
    now = clock.now()
    mentorship.completed_at = now
    mentorship.confirmed_level = confirmed_level
    await _store(uow, mentorship, previous)
    await uow.mentorship.release_slot(mentorship.mentor.id)
    await record_act(
        uow,
        mentorship.mentor.id,
        None,
        ActKind.mentorship_completed,
        now,
        SubjectType.mentorship,
        mentorship.id,
    )
    if confirmed_level is not None:
        mentee, skill = mentorship.mentee.id, mentorship.skill.id
        held = await uow.mentorship.holding(mentee, skill)
        level = max(confirmed_level, held[0] if held else 0)
        if held is None or level > held[0]:
            teaches = held[1] if held else False
            await uow.user_skills.upsert(mentee, skill, level, teaches, now)
        await uow.mentorship.achieve_goal(mentee, skill, level, now)
    await uow.commit()
    return mentorship


async def expire_requests(uow: UnitOfWork, clock: Clock, batch: int = 500) -> int:
    """Close requests left unanswered for REQUEST_TTL (a periodic job); returns how many.

    An expired request becomes `cancelled` with decline_reason "expired" (EXPIRED_REASON)
    rather than a sixth status: the contract's state machine and its clients stay as they are,
    and the reason tells the two cases apart. responded_at stays empty: nobody answered. Each
    batch is one guarded UPDATE in its own transaction, so a request accepted at the same moment
    is either accepted or expired, never both.
    """
    cutoff = clock.now() - REQUEST_TTL
    total = 0
    while True:
        closed = await uow.mentorship.expire_requests(cutoff, batch)
        await uow.commit()
        total += closed
        if closed < batch:
            return total


# --- sessions and feedback ---------------------------------------------------------------------


async def _participant(
    uow: UnitOfWork, actor: Actor, mentorship_id: UUID, needed: MentorshipStatus, what: str
) -> tuple[Mentorship, UserRef]:
    mentorship = await _visible(uow, actor, mentorship_id)
    party = mentorship.party(actor.user_id)
    if party is None:
        raise Forbidden(f"Only the mentor and the mentee can {what}.")
    if mentorship.status is not needed:
        raise InvalidState(
            f"You can {what} only on a {needed.value} mentorship; "
            f"this one is {mentorship.status.value}."
        )
    return mentorship, mentorship.mentor if party is Party.mentor else mentorship.mentee


@dataclass(frozen=True, slots=True)
class SessionDraft:
    held_on: date
    minutes: int
    notes: str | None = None


async def log_session(
    uow: UnitOfWork, clock: Clock, actor: Actor, mentorship_id: UUID, draft: SessionDraft
) -> MentorshipSession:
    mentorship, author = await _participant(
        uow, actor, mentorship_id, MentorshipStatus.active, "log sessions"
    )
    now = clock.now()
    check_session(draft.held_on, draft.minutes, now)
    session = MentorshipSession(
        id=uuid.uuid4(),
        mentorship_id=mentorship.id,
        held_on=draft.held_on,
        minutes=draft.minutes,
        created_by=author,
        created_at=now,
        notes=_clean(draft.notes),
    )
    await uow.mentorship.add_session(session)
    await record_act(
        uow,
        mentorship.mentor.id,
        None,
        ActKind.mentoring_session_held,
        now,
        SubjectType.mentorship,
        mentorship.id,
    )
    await uow.commit()
    return session


async def list_sessions(
    uow: UnitOfWork, actor: Actor, mentorship_id: UUID, page: PageRequest
) -> PageResult[MentorshipSession]:
    """Readable by whoever sees the mentorship, in any status (the record outlives it)."""
    mentorship = await _visible(uow, actor, mentorship_id)
    return await uow.mentorship.list_sessions(mentorship.id, page)


async def give_feedback(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    mentorship_id: UUID,
    rating: int,
    comment: str | None,
) -> Feedback:
    mentorship, author = await _participant(
        uow, actor, mentorship_id, MentorshipStatus.completed, "give feedback"
    )
    party = mentorship.party(actor.user_id)
    assert party is not None
    item = Feedback(
        id=uuid.uuid4(),
        mentorship_id=mentorship.id,
        author=author,
        role=party,
        rating=check_rating(rating),
        created_at=clock.now(),
        comment=_clean(comment),
    )
    if not await uow.mentorship.add_feedback(item):
        raise Conflict("You already gave feedback on this mentorship.", code="feedback_exists")
    await uow.commit()
    return item
