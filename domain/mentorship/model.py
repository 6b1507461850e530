"""Mentorship: entities, the one transition table, quotas and the mentor-matching score.

Everything here is pure. Services ask `transition()` whether a participant may move a mentorship
from one status to another, and `score_mentor()` how well a mentor fits a learning need; nothing
else compares statuses or weighs mentors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import Forbidden, InvalidState, ValidationFailed
from domain.pagination import Position
from domain.skills.model import Level, SkillRef
from domain.users.model import UserRef

MIN_CAPACITY, MAX_CAPACITY = 1, 20
MAX_ABOUT_LENGTH = 2000
MAX_GOAL_LENGTH = 500
MAX_MESSAGE_LENGTH = 2000
MAX_REASON_LENGTH = 500
MAX_NOTES_LENGTH = 5000
MAX_COMMENT_LENGTH = 2000
MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 5, 600

# A request nobody answers is closed after this long (see `expire_requests` in the service).
REQUEST_TTL = timedelta(days=14)
# Closing an unanswered request keeps the contract's five statuses: it becomes `cancelled`
# with this decline_reason, so clients that know the documented statuses keep working.
EXPIRED_REASON = "expired"
# Abuse limit: new requests per person in any rolling window of REQUEST_WINDOW.
DAILY_REQUEST_CAP = 10
REQUEST_WINDOW = timedelta(days=1)

# Recommendations: only people who hold the skill at this level or above are candidates, and at
# most CANDIDATE_LIMIT of them (the best by stored expert score, which takes them from an index
# range) are scored per request. Scoring is per caller (time zones, shared communities, the
# level gap) and cost about 50 microseconds a candidate, plus their shared communities: at 200
# candidates it was most of the request. The caller-specific parts add at most ten points
# (`score_mentor`), so a holder far down the expertise order rarely belongs on the first pages.
MIN_MENTOR_LEVEL = Level.competent
CANDIDATE_LIMIT = 60
# Without ?skill=, this many of the caller's active learning goals drive the recommendations.
MAX_GOALS_CONSIDERED = 10


class MentorshipStatus(StrEnum):
    requested = "requested"
    active = "active"
    declined = "declined"
    cancelled = "cancelled"
    completed = "completed"


OPEN_STATUSES: frozenset[MentorshipStatus] = frozenset(
    {MentorshipStatus.requested, MentorshipStatus.active}
)


class MentorshipAction(StrEnum):
    accept = "accept"
    decline = "decline"
    cancel = "cancel"
    complete = "complete"


class Party(StrEnum):
    """Who a caller is to one mentorship. Anyone else is not a participant."""

    mentor = "mentor"
    mentee = "mentee"


class MentorshipRole(StrEnum):
    """`role=` on the caller's listing."""

    mentor = "mentor"
    mentee = "mentee"


@dataclass(frozen=True, slots=True)
class Transition:
    to: MentorshipStatus
    by: frozenset[Party]


_MENTOR = frozenset({Party.mentor})
_MENTEE = frozenset({Party.mentee})
_EITHER = frozenset({Party.mentor, Party.mentee})

# The one transition table: (from, action) -> (to, who may). Anything missing is a 409.
TRANSITIONS: dict[tuple[MentorshipStatus, MentorshipAction], Transition] = {
    (MentorshipStatus.requested, MentorshipAction.accept): Transition(
        MentorshipStatus.active, _MENTOR
    ),
    (MentorshipStatus.requested, MentorshipAction.decline): Transition(
        MentorshipStatus.declined, _MENTOR
    ),
    (MentorshipStatus.requested, MentorshipAction.cancel): Transition(
        MentorshipStatus.cancelled, _MENTEE
    ),
    (MentorshipStatus.active, MentorshipAction.complete): Transition(
        MentorshipStatus.completed, _EITHER
    ),
}

# Who may take each action at all, whatever the status (derived from the table).
ACTION_PARTIES: dict[MentorshipAction, frozenset[Party]] = {
    action: frozenset().union(*(t.by for (_, a), t in TRANSITIONS.items() if a is action))
    for action in MentorshipAction
}


def transition(
    status: MentorshipStatus, action: MentorshipAction, party: Party | None
) -> MentorshipStatus:
    """The status after `action`, or why not.

    The caller is already known to see the mentorship (a participant or an administrator);
    an invisible one is a 404 before this is asked. The wrong participant (and an administrator,
    who can read but not act) is refused whatever the status (403); the right one gets a 409
    when the status does not allow the action.
    """
    if party not in ACTION_PARTIES[action]:
        who = " or ".join(sorted(p.value for p in ACTION_PARTIES[action]))
        raise Forbidden(f"Only the {who} can {action.value} this mentorship.")
    rule = TRANSITIONS.get((status, action))
    if rule is None:
        raise InvalidState(f"A {status.value} mentorship cannot be {_past(action)}.")
    return rule.to


def _past(action: MentorshipAction) -> str:
    return {
        MentorshipAction.accept: "accepted",
        MentorshipAction.decline: "declined",
        MentorshipAction.cancel: "cancelled",
        MentorshipAction.complete: "completed",
    }[action]


# --- entities ----------------------------------------------------------------------------------


@dataclass(slots=True)
class MentorProfile:
    """Someone's offer to mentor. `active_mentees` is kept by accept and complete only."""

    user_id: UUID
    accepting_mentees: bool
    capacity: int
    timezone: str | None
    created_at: datetime
    updated_at: datetime
    about: str | None = None
    active_mentees: int = 0

    @property
    def open_slots(self) -> int:
        return max(0, self.capacity - self.active_mentees)

    @property
    def takes_requests(self) -> bool:
        return self.accepting_mentees and self.open_slots > 0


def check_capacity(capacity: int) -> int:
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            f"Capacity is how many mentees at once: {MIN_CAPACITY}-{MAX_CAPACITY}.",
            field="capacity",
        )
    return capacity


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            "Use an IANA time zone name such as Europe/Paris.", field="timezone"
        ) from exc
    return name


@dataclass(slots=True)
class Mentorship:
    id: UUID
    mentor: UserRef
    mentee: UserRef
    skill: SkillRef
    goal: str
    status: MentorshipStatus
    created_at: datetime
    message: str | None = None
    responded_at: datetime | None = None
    completed_at: datetime | None = None
    decline_reason: str | None = None
    confirmed_level: int | None = None

    def party(self, user_id: UUID) -> Party | None:
        if user_id == self.mentor.id:
            return Party.mentor
        if user_id == self.mentee.id:
            return Party.mentee
        return None


def is_visible(mentorship: Mentorship, user_id: UUID, is_admin: bool) -> bool:
    """Only the two participants and administrators know a mentorship exists."""
    return is_admin or mentorship.party(user_id) is not None


@dataclass(frozen=True, slots=True)
class MentorshipSession:
    id: UUID
    mentorship_id: UUID
    held_on: date
    minutes: int
    created_by: UserRef
    created_at: datetime
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    id: UUID
    mentorship_id: UUID
    author: UserRef
    role: Party
    rating: int
    created_at: datetime
    comment: str | None = None


def latest_date(now: datetime) -> date:
    """Today somewhere on Earth (UTC+14): a session logged from Kiribati is not in the future."""
    return (now.astimezone(UTC) + timedelta(hours=14)).date()


def check_session(held_on: date, minutes: int, now: datetime) -> None:
    if not MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES:
        raise ValidationFailed(
            f"A session lasts {MIN_SESSION_MINUTES}-{MAX_SESSION_MINUTES} minutes.",
            field="minutes",
        )
    if held_on > latest_date(now):
        raise ValidationFailed("Log sessions that took place, not future ones.", field="held_on")


def check_rating(rating: int) -> int:
    if not 1 <= rating <= 5:
        raise ValidationFailed("A rating is 1 to 5.", field="rating")
    return rating


def request_retry_after(cap_th_newest: datetime | None, now: datetime) -> int | None:
    """Seconds until the caller may request again, or None when under the daily cap.

    `cap_th_newest` is the creation time of the caller's DAILY_REQUEST_CAP-th most recent
    request inside the window (None when they made fewer): once it leaves the rolling window,
    they are under the cap again.
    """
    if cap_th_newest is None:
        return None
    free_at = cap_th_newest + REQUEST_WINDOW
    if free_at <= now:
        return None
    return max(1, math.ceil((free_at - now).total_seconds()))


# --- recommendations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearningNeed:
    """What the mentee wants in one skill: a goal's target, and where they stand today."""

    skill: SkillRef
    target_level: int | None = None  # from an active learning goal
    current_level: int | None = None  # their level on their profile, if they list the skill

    @property
    def target(self) -> int:
        """The goal's target; without a goal, one level above today (level 1 for newcomers)."""
        if self.target_level is not None:
            return self.target_level
        return min(int(Level.expert), (self.current_level or 0) + 1)


@dataclass(frozen=True, slots=True)
class MentorCandidate:
    """A holder of the skill with an open mentor profile, as the candidate query returns them."""

    mentor: UserRef
    skill: SkillRef
    level: int
    expert_score: float  # user_skill.score (domain.skills.model.expert_score)
    endorsement_count: int
    accepted_answers: int
    capacity: int
    active_mentees: int
    timezone: str | None

    @property
    def open_slots(self) -> int:
        return max(0, self.capacity - self.active_mentees)


# Weights of the mentor score, in points; see `score_mentor`.
EXPERTISE_WEIGHT = 1.0
GAP_IDEAL = 1
GAP_AT_TARGET_POINTS = 2.0
GAP_IDEAL_POINTS = 3.0
GAP_SHORT_PENALTY = 3.0
GAP_FAR_PENALTY = 0.5
OPEN_PLACE_POINTS = 0.5
MAX_OPEN_PLACES_COUNTED = 4
OVERLAP_POINTS_PER_HOUR = 0.25
SHARED_COMMUNITY_POINTS = 1.0
MAX_SHARED_COUNTED = 3
WORKDAY_START, WORKDAY_END = time(9), time(17)

LEVEL_LABELS = {
    1: "Novice",
    2: "Advanced beginner",
    3: "Competent",
    4: "Proficient",
    5: "Expert",
}


@dataclass(frozen=True, slots=True)
class MentorScore:
    """The score and its parts, in points; the parts add up to `total`."""

    expertise: float
    gap: float
    capacity: float
    overlap: float
    communities: float

    @property
    def total(self) -> float:
        return self.expertise + self.gap + self.capacity + self.overlap + self.communities


@dataclass(frozen=True, slots=True)
class Recommendation:
    mentor: UserRef
    skill: SkillRef
    score: float
    reasons: list[str]
    parts: MentorScore


def gap_points(mentor_level: int, target: int) -> float:
    """Best when the mentor is one level above the mentee's target; each level short of the
    target costs GAP_SHORT_PENALTY (they cannot take the mentee there); each level beyond the
    ideal costs a little (GAP_FAR_PENALTY): a near peer still remembers the way up."""
    gap = mentor_level - target
    if gap < 0:
        return GAP_SHORT_PENALTY * gap
    if gap < GAP_IDEAL:
        return GAP_AT_TARGET_POINTS
    return GAP_IDEAL_POINTS - GAP_FAR_PENALTY * (gap - GAP_IDEAL)


def capacity_points(open_slots: int) -> float:
    """More open places, more attention per mentee: OPEN_PLACE_POINTS each, up to four."""
    return OPEN_PLACE_POINTS * min(max(open_slots, 0), MAX_OPEN_PLACES_COUNTED)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _workday(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, WORKDAY_START, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day, WORKDAY_END, tzinfo=zone).astimezone(UTC)
    return start, end


@lru_cache(maxsize=4096)
def working_overlap_hours(tz_a: str | None, tz_b: str | None, on: date) -> float | None:
    """Hours that 09:00-17:00 in one zone overlaps 09:00-17:00 in the other, around `on`.

    Each zone's working day on `on` is compared with the other's on the day before, the same day
    and the day after, so Tokyo's Friday morning meets Los Angeles's Thursday afternoon; the date
    matters because daylight saving time moves the windows. Both ways round: when one zone's
    clocks change near `on`, its neighbouring days' windows differ, and the answer must not
    depend on which person is asked about first. None when either zone is unknown. Cached: a
    ranking compares one mentee with a few hundred mentors who share a handful of zones.
    """
    zone_a, zone_b = _zone(tz_a), _zone(tz_b)
    if zone_a is None or zone_b is None:
        return None
    a_day, b_day = _workday(zone_a, on), _workday(zone_b, on)
    best = timedelta(0)
    for shift in (-1, 0, 1):
        day = on + timedelta(days=shift)
        for (a_start, a_end), (b_start, b_end) in (
            (a_day, _workday(zone_b, day)),
            (_workday(zone_a, day), b_day),
        ):
            best = max(best, min(a_end, b_end) - max(a_start, b_start))
    return best.total_seconds() / 3600


def overlap_points(hours: float | None) -> float:
    """OVERLAP_POINTS_PER_HOUR per shared working hour (0 when a time zone is unknown)."""
    return OVERLAP_POINTS_PER_HOUR * hours if hours else 0.0


def community_points(shared: int) -> float:
    return SHARED_COMMUNITY_POINTS * min(max(shared, 0), MAX_SHARED_COUNTED)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return word if count == 1 else (plural or word + "s")


def _hours(hours: float) -> str:
    return f"{round(hours, 2):g}"


def _both_in(names: Sequence[str]) -> str:
    if len(names) == 1:
        return f"Both in {names[0]}"
    if len(names) == 2:
        return f"Both in {names[0]} and {names[1]}"
    more = len(names) - 2
    others = _plural(more, "community", "communities")
    return f"Both in {names[0]}, {names[1]} and {more} more {others}"


def score_parts(
    candidate: MentorCandidate,
    need: LearningNeed,
    *,
    mentee_timezone: str | None,
    shared: int,
    on: date,
) -> MentorScore:
    """The parts of `score_mentor`, without its reasons (`shared`: how many communities)."""
    return MentorScore(
        expertise=EXPERTISE_WEIGHT * candidate.expert_score,
        gap=gap_points(candidate.level, need.target),
        capacity=capacity_points(candidate.open_slots),
        overlap=overlap_points(working_overlap_hours(candidate.timezone, mentee_timezone, on)),
        communities=community_points(shared),
    )


def recommend(
    candidate: MentorCandidate,
    parts: MentorScore,
    *,
    mentee_timezone: str | None,
    shared_communities: Sequence[str],
    on: date,
) -> Recommendation:
    """The recommendation of `candidate` scored `parts`, with the reasons in plain words."""
    hours = working_overlap_hours(candidate.timezone, mentee_timezone, on)
    skill = candidate.skill.name
    label = LEVEL_LABELS.get(candidate.level, "Level")
    reasons = [f"{label} (level {candidate.level}) in {skill}"]
    if candidate.accepted_answers > 0:
        n = candidate.accepted_answers
        reasons.append(f"{n} accepted {_plural(n, 'answer')} on {skill}")
    if candidate.endorsement_count > 0:
        n = candidate.endorsement_count
        reasons.append(f"Endorsed by {n} {_plural(n, 'colleague')} for {skill}")
    if candidate.open_slots > 0:
        reasons.append(
            f"{candidate.open_slots} of {candidate.capacity} "
            f"{_plural(candidate.capacity, 'place')} open"
        )
    if hours:
        reasons.append(f"{_hours(hours)} working {_plural(math.ceil(hours), 'hour')} overlap")
    if shared_communities:
        reasons.append(_both_in(shared_communities))
    return Recommendation(
        mentor=candidate.mentor,
        skill=candidate.skill,
        score=round(parts.total, 2),
        reasons=reasons,
        parts=parts,
    )


def score_mentor(
    candidate: MentorCandidate,
    need: LearningNeed,
    *,
    mentee_timezone: str | None,
    shared_communities: Sequence[str],
    on: date,
) -> Recommendation:
    """How well `candidate` fits the mentee's `need`, with the reasons in plain words.

    score = EXPERTISE_WEIGHT x the stored expert score (level, endorsements weighted by who gave
            them, and content evidence; see domain.skills.model.expert_score)
          + gap_points(mentor level, the mentee's target: goal target, else current level + 1)
          + OPEN_PLACE_POINTS per open place (up to 4)
          + OVERLAP_POINTS_PER_HOUR per hour of shared 09:00-17:00 working time on `on`
          + SHARED_COMMUNITY_POINTS per community both belong to (up to 3)

    Every part is monotonic in its input, except the gap, which peaks one level above the
    target. Reasons name only what helps: a zero count gives no reason. The first and the
    third parts do not depend on the mentee: they are stored, as each holder's mentor score,
    which orders the candidates (repositories/mentorship/offers.py).
    """
    parts = score_parts(
        candidate,
        need,
        mentee_timezone=mentee_timezone,
        shared=len(shared_communities),
        on=on,
    )
    return recommend(
        candidate,
        parts,
        mentee_timezone=mentee_timezone,
        shared_communities=shared_communities,
        on=on,
    )


def rank_mentors(
    candidates: Iterable[MentorCandidate],
    needs: Mapping[UUID, LearningNeed],
    *,
    mentee_timezone: str | None,
    shared_communities: Mapping[UUID, Sequence[str]],
    on: date,
    after: Position | None,
    limit: int,
) -> tuple[list[Recommendation], Position | None]:
    """One page of `score_mentor` over the candidates, best first, a mentor once (for the need
    they fit best): the same page as best_per_mentor and page_after over every candidate's
    recommendation, but the reasons are written for the page's mentors only."""
    best: dict[UUID, tuple[float, MentorCandidate, MentorScore]] = {}
    for candidate in candidates:
        parts = score_parts(
            candidate,
            needs[candidate.skill.id],
            mentee_timezone=mentee_timezone,
            shared=len(shared_communities.get(candidate.mentor.id, ())),
            on=on,
        )
        score = round(parts.total, 2)
        kept = best.get(candidate.mentor.id)
        if kept is None or score > kept[0]:
            best[candidate.mentor.id] = (score, candidate, parts)
    ranked = sorted(best.values(), key=lambda b: (b[0], b[1].mentor.id.int), reverse=True)
    if after is not None:
        score_after, id_after = after
        ranked = [b for b in ranked if (b[0], b[1].mentor.id) < (score_after, id_after)]
    page = [
        recommend(
            candidate,
            parts,
            mentee_timezone=mentee_timezone,
            shared_communities=shared_communities.get(candidate.mentor.id, ()),
            on=on,
        )
        for _, candidate, parts in ranked[:limit]
    ]
    more = len(ranked) > limit
    return page, (position_of(page[-1]) if more and page else None)


def best_per_mentor(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    """Best first, by (score, mentor id) descending; a mentor who fits several needs appears
    once, for the need they fit best."""
    best: dict[UUID, Recommendation] = {}
    for rec in recommendations:
        kept = best.get(rec.mentor.id)
        if kept is None or rec.score > kept.score:
            best[rec.mentor.id] = rec
    # UUIDs order by their integer; comparing the integers skips a method call per comparison.
    return sorted(best.values(), key=lambda r: (r.score, r.mentor.id.int), reverse=True)


def position_of(rec: Recommendation) -> Position:
    return (rec.score, rec.mentor.id)


def page_after(
    ranked: Sequence[Recommendation], after: Position | None, limit: int
) -> tuple[list[Recommendation], Position | None]:
    """Keyset over the computed ranking: items strictly after `after` in (score, id) DESC."""
    items = list(ranked)
    if after is not None:
        score, mentor_id = after
        items = [r for r in items if (r.score, r.mentor.id) < (score, mentor_id)]
    page = items[:limit]
    more = len(items) > limit
    return page, (position_of(page[-1]) if more and page else None)
