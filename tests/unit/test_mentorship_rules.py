"""Pure mentorship rules: the transition table, quotas, working-hour overlap and the mentor score
(each factor moves the score the documented way)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.errors import Forbidden, InvalidState, ValidationFailed
from domain.mentorship.model import (
    ACTION_PARTIES,
    DAILY_REQUEST_CAP,
    REQUEST_WINDOW,
    TRANSITIONS,
    LearningNeed,
    MentorCandidate,
    MentorProfile,
    MentorshipAction,
    MentorshipStatus,
    Party,
    best_per_mentor,
    capacity_points,
    check_capacity,
    check_session,
    check_timezone,
    gap_points,
    page_after,
    rank_mentors,
    request_retry_after,
    score_mentor,
    transition,
    working_overlap_hours,
)
from domain.skills.model import SkillRef
from domain.users.model import UserRef

S, A = MentorshipStatus, MentorshipAction
# The contract (API.md), written out independently of the implementation's table.
CONTRACT = {
    (S.requested, A.accept): (S.active, {Party.mentor}),
    (S.requested, A.decline): (S.declined, {Party.mentor}),
    (S.requested, A.cancel): (S.cancelled, {Party.mentee}),
    (S.active, A.complete): (S.completed, {Party.mentor, Party.mentee}),
}
WHO_MAY = {
    A.accept: {Party.mentor},
    A.decline: {Party.mentor},
    A.cancel: {Party.mentee},
    A.complete: {Party.mentor, Party.mentee},
}


def test_the_table_is_the_contract():
    assert {k: (t.to, set(t.by)) for k, t in TRANSITIONS.items()} == CONTRACT
    assert {a: set(p) for a, p in ACTION_PARTIES.items()} == WHO_MAY


@pytest.mark.parametrize(
    ("status", "action", "party"),
    list(itertools.product(S, A, [Party.mentor, Party.mentee, None])),
)
def test_every_status_action_and_party(status, action, party):
    if party not in WHO_MAY[action]:
        with pytest.raises(Forbidden):
            transition(status, action, party)
    elif (status, action) not in CONTRACT:
        with pytest.raises(InvalidState):
            transition(status, action, party)
    else:
        assert transition(status, action, party) is CONTRACT[(status, action)][0]


def test_terminal_states_allow_nothing():
    for status in (S.declined, S.cancelled, S.completed):
        for action in A:
            for party in WHO_MAY[action]:
                with pytest.raises(InvalidState):
                    transition(status, action, party)


# --- quotas and inputs -------------------------------------------------------------------------

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_retry_after_counts_down_to_the_moment_the_window_frees_a_place():
    assert request_retry_after(None, NOW) is None
    assert request_retry_after(NOW, NOW) == int(REQUEST_WINDOW.total_seconds())
    assert request_retry_after(NOW - timedelta(hours=23), NOW) == 3600
    assert request_retry_after(NOW - timedelta(hours=23, minutes=59, seconds=59.5), NOW) == 1
    assert request_retry_after(NOW - REQUEST_WINDOW, NOW) is None
    assert DAILY_REQUEST_CAP == 10


def test_capacity_time_zone_and_session_checks():
    assert check_capacity(1) == 1 and check_capacity(20) == 20
    for bad in (0, 21, -1):
        with pytest.raises(ValidationFailed):
            check_capacity(bad)
    assert check_timezone("America/Sao_Paulo") == "America/Sao_Paulo"
    for name in ("Mars/Olympus", "", "../etc/passwd"):
        with pytest.raises(ValidationFailed):
            check_timezone(name)
    check_session(NOW.date(), 5, NOW)
    check_session(NOW.date() + timedelta(days=1), 600, NOW)  # already tomorrow in Kiribati
    for held_on, minutes in ((NOW.date() + timedelta(days=2), 30), (NOW.date(), 4)):
        with pytest.raises(ValidationFailed):
            check_session(held_on, minutes, NOW)


def test_open_slots_and_taking_requests():
    profile = MentorProfile(uuid.uuid4(), True, 2, "UTC", NOW, NOW, active_mentees=1)
    assert profile.open_slots == 1 and profile.takes_requests
    profile.active_mentees = 3  # capacity lowered below the current mentees
    assert profile.open_slots == 0 and not profile.takes_requests
    assert not MentorProfile(uuid.uuid4(), False, 2, "UTC", NOW, NOW).takes_requests


# --- working hours -----------------------------------------------------------------------------

WINTER = date(2026, 1, 14)
SUMMER = date(2026, 7, 15)
BETWEEN_DST_CHANGES = date(2026, 3, 10)  # the US has moved its clocks, Europe not yet


@pytest.mark.parametrize(
    ("a", "b", "on", "hours"),
    [
        ("Europe/Paris", "Europe/Paris", WINTER, 8),
        ("Europe/Paris", "Europe/Berlin", SUMMER, 8),
        ("Europe/London", "Europe/Paris", WINTER, 7),
        ("Europe/Berlin", "Europe/Moscow", WINTER, 6),
        ("Europe/London", "America/New_York", WINTER, 3),
        ("Europe/London", "America/New_York", BETWEEN_DST_CHANGES, 4),
        ("Asia/Tokyo", "America/Los_Angeles", WINTER, 1),  # Friday morning meets Thursday
        ("Asia/Kolkata", "Europe/London", WINTER, 2.5),
        ("Pacific/Auckland", "Europe/Paris", WINTER, 0),
    ],
)
def test_working_hour_overlap(a, b, on, hours):
    assert working_overlap_hours(a, b, on) == pytest.approx(hours)
    assert working_overlap_hours(b, a, on) == pytest.approx(hours)


def test_unknown_time_zones_have_no_overlap():
    assert working_overlap_hours(None, "UTC", WINTER) is None
    assert working_overlap_hours("UTC", "Nowhere/Land", WINTER) is None


ZONES = ["UTC", "Europe/Paris", "Asia/Tokyo", "America/Denver", "Asia/Kathmandu", "Pacific/Apia"]


@given(st.sampled_from(ZONES), st.sampled_from(ZONES), st.dates(date(2000, 1, 1), date(2100, 1, 1)))
# Samoa skipped back an hour that night: compared one way only, Denver's day met Apia's in 3
# hours but Apia's met Denver's in 4.
@example("America/Denver", "Pacific/Apia", date(2012, 3, 31))
def test_overlap_is_symmetric_and_within_a_working_day(a, b, on):
    hours = working_overlap_hours(a, b, on)
    assert hours is not None and 0 <= hours <= 8
    assert hours == pytest.approx(working_overlap_hours(b, a, on) or 0)


# --- the score ---------------------------------------------------------------------------------

PYTHON = SkillRef(uuid.uuid4(), "python", "Python", None)


def candidate(**changes) -> MentorCandidate:
    base = MentorCandidate(
        mentor=UserRef(uuid.uuid4(), "mo", "Mo Mentor"),
        skill=PYTHON,
        level=4,
        expert_score=8.0,
        endorsement_count=0,
        accepted_answers=0,
        capacity=4,
        active_mentees=2,
        timezone="Europe/Paris",
    )
    return replace(base, **changes)


NEED = LearningNeed(PYTHON, target_level=3, current_level=2)


def score(c: MentorCandidate, need: LearningNeed = NEED, tz="Europe/Paris", shared=()) -> float:
    return score_mentor(c, need, mentee_timezone=tz, shared_communities=shared, on=WINTER).score


def test_more_expertise_scores_higher():
    assert score(candidate(expert_score=12.0)) > score(candidate(expert_score=8.0))


def test_the_gap_peaks_one_level_above_the_target():
    # target 3: a level-4 mentor is the ideal, level 3 reaches it, level 5 is a little far.
    assert gap_points(4, 3) > gap_points(5, 3) > gap_points(3, 3) > gap_points(2, 3)
    same_expertise = {"expert_score": 8.0}
    assert score(candidate(level=4, **same_expertise)) > score(candidate(level=5, **same_expertise))
    assert score(candidate(level=4, **same_expertise)) > score(candidate(level=3, **same_expertise))
    # A level short of the target costs more than a level too far.
    assert gap_points(3, 3) - gap_points(2, 3) > gap_points(4, 3) - gap_points(5, 3)


def test_without_a_goal_the_target_is_one_level_above_today():
    assert LearningNeed(PYTHON, None, 2).target == 3
    assert LearningNeed(PYTHON, None, None).target == 1
    assert LearningNeed(PYTHON, None, 5).target == 5
    assert LearningNeed(PYTHON, 4, 1).target == 4


def test_more_open_places_score_higher_up_to_four():
    scores = [score(candidate(capacity=10, active_mentees=10 - n)) for n in range(0, 7)]
    assert scores[0] < scores[1] < scores[2] < scores[3] < scores[4]
    assert scores[4] == scores[5] == scores[6]
    assert capacity_points(0) == 0


def test_more_working_hours_in_common_score_higher():
    paris = score(candidate(timezone="Europe/Paris"))  # 8 hours with a Paris mentee
    london = score(candidate(timezone="Europe/London"))  # 7
    new_york = score(candidate(timezone="America/New_York"))  # 2
    auckland = score(candidate(timezone="Pacific/Auckland"))  # 0
    assert paris > london > new_york > auckland
    assert score(candidate(), tz=None) == auckland  # unknown: no points, never a penalty


def test_shared_communities_score_higher_up_to_three():
    names = ["Data Guild", "Design Circle", "SRE", "Writers"]
    scores = [score(candidate(), shared=names[:n]) for n in range(5)]
    assert scores[0] < scores[1] < scores[2] < scores[3] == scores[4]


def test_the_parts_add_up_and_the_reasons_speak_plainly():
    rec = score_mentor(
        candidate(
            level=5,
            expert_score=13.5,
            accepted_answers=3,
            endorsement_count=1,
            capacity=4,
            active_mentees=2,
            timezone="Europe/Berlin",
        ),
        NEED,
        mentee_timezone="Europe/Moscow",
        shared_communities=["Data Guild"],
        on=WINTER,
    )
    assert rec.score == pytest.approx(round(rec.parts.total, 2))
    assert rec.reasons == [
        "Expert (level 5) in Python",
        "3 accepted answers on Python",
        "Endorsed by 1 colleague for Python",
        "2 of 4 places open",
        "6 working hours overlap",
        "Both in Data Guild",
    ]


def test_zero_counts_give_no_reason():
    rec = score_mentor(
        candidate(level=3, capacity=1, active_mentees=1, timezone="Pacific/Auckland"),
        NEED,
        mentee_timezone="Europe/Paris",
        shared_communities=[],
        on=WINTER,
    )
    assert rec.reasons == ["Competent (level 3) in Python"]
    many = score_mentor(
        candidate(), NEED, mentee_timezone=None, shared_communities=["A", "B", "C", "D"], on=WINTER
    )
    assert many.reasons[-1] == "Both in A, B and 2 more communities"


def _rec(score_value: float, n: int):
    c = candidate(mentor=UserRef(uuid.UUID(int=n), f"m{n}", f"M {n}"))
    rec = score_mentor(c, NEED, mentee_timezone=None, shared_communities=[], on=WINTER)
    return replace(rec, score=score_value)


def test_one_entry_per_mentor_best_first_and_keyset_pages():
    ranked = best_per_mentor([_rec(5.0, 1), _rec(9.0, 2), _rec(7.0, 1), _rec(9.0, 3)])
    assert [(r.mentor.id.int, r.score) for r in ranked] == [(3, 9.0), (2, 9.0), (1, 7.0)]
    first, after = page_after(ranked, None, 2)
    assert [r.mentor.id.int for r in first] == [3, 2] and after == (9.0, uuid.UUID(int=2))
    rest, end = page_after(ranked, after, 2)
    assert [r.mentor.id.int for r in rest] == [1] and end is None


MENTEE_ZONES: list[str | None] = ["Europe/Paris", "Asia/Tokyo", "America/New_York", None]
GO = SkillRef(uuid.uuid4(), "go", "Go", None)


@st.composite
def _candidates(draw) -> list[MentorCandidate]:
    """Up to 12 holdings of up to 6 mentors in two skills (a mentor may fit both)."""
    found = []
    for _ in range(draw(st.integers(0, 12))):
        n = draw(st.integers(1, 6))
        capacity = draw(st.integers(1, 5))
        found.append(
            candidate(
                mentor=UserRef(uuid.UUID(int=n), f"m{n}", f"M {n}"),
                skill=draw(st.sampled_from([PYTHON, GO])),
                level=draw(st.integers(3, 5)),
                expert_score=draw(st.sampled_from([3.0, 4.5, 6.25, 9.0])),
                endorsement_count=draw(st.integers(0, 2)),
                capacity=capacity,
                active_mentees=draw(st.integers(0, capacity - 1)),
                timezone=draw(st.sampled_from(MENTEE_ZONES)),
            )
        )
    return found


@given(
    _candidates(),
    st.dictionaries(st.integers(1, 6), st.integers(0, 4)),
    st.sampled_from(MENTEE_ZONES),
    st.integers(1, 4),
)
def test_ranking_a_page_equals_scoring_every_candidate(found, shared_counts, zone, limit):
    """rank_mentors writes reasons for the page only; its pages are those of score_mentor over
    every candidate, best_per_mentor and page_after, cursor after cursor."""
    needs = {PYTHON.id: NEED, GO.id: LearningNeed(GO, None, 1)}
    shared = {uuid.UUID(int=n): [f"C{i}" for i in range(k)] for n, k in shared_counts.items()}
    everything = best_per_mentor(
        score_mentor(
            c,
            needs[c.skill.id],
            mentee_timezone=zone,
            shared_communities=shared.get(c.mentor.id, []),
            on=WINTER,
        )
        for c in found
    )
    after = None
    while True:
        page, next_after = rank_mentors(
            found,
            needs,
            mentee_timezone=zone,
            shared_communities=shared,
            on=WINTER,
            after=after,
            limit=limit,
        )
        assert (page, next_after) == page_after(everything, after, limit)
        if next_after is None:
            break
        after = next_after
