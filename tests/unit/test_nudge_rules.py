"""Follow-the-sun rules without a database: working hours (also across midnight), the person's
own day for the daily cap, and who is chosen for a question."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from domain.errors import ValidationFailed
from domain.posts.model import DueQuestion, NudgeCandidate
from domain.posts.nudges import choose, nudges_today
from domain.users.model import DEFAULT_WORKING_HOURS, WorkingHours

MONDAY = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time in the week of 2026-12-07 (day 1 is that Monday)."""
    return datetime(2026, 12, 6 + day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin"))


def test_default_hours_are_weekdays_nine_to_five():
    assert DEFAULT_WORKING_HOURS.includes(at(1, 9))
    assert DEFAULT_WORKING_HOURS.includes(at(5, 16, 59))
    assert not DEFAULT_WORKING_HOURS.includes(at(1, 17))
    assert not DEFAULT_WORKING_HOURS.includes(at(1, 8, 59))
    assert not DEFAULT_WORKING_HOURS.includes(at(6, 10))


def test_a_night_shift_belongs_to_the_day_it_starts():
    night = WorkingHours(frozenset({5}), time(22), time(6))  # Friday night
    assert night.includes(at(5, 23))
    assert night.includes(at(6, 5, 59))  # early Saturday: still Friday's shift
    assert not night.includes(at(6, 6))
    assert not night.includes(at(6, 23))  # Saturday night is not a working night
    assert not night.includes(at(5, 5))  # Friday early morning belongs to Thursday's shift


@pytest.mark.parametrize(
    ("days", "start", "end"),
    [
        (frozenset(), time(9), time(17)),
        (frozenset({0}), time(9), time(17)),
        (frozenset({1}), time(9), time(9)),
    ],
)
def test_working_hours_refuse_nonsense(days, start, end):
    with pytest.raises(ValidationFailed):
        WorkingHours(days, start, end)


def test_today_is_the_persons_own_day():
    # 23:30 UTC on Sunday is already Monday in Singapore.
    times = [datetime(2026, 12, 6, 23, 30, tzinfo=UTC), datetime(2026, 12, 6, 10, 0, tzinfo=UTC)]
    assert nudges_today(times, "Asia/Singapore", MONDAY) == 1
    assert nudges_today(times, "Europe/London", MONDAY) == 0


def candidate(post: uuid.UUID, zone: str, score: float, top: bool = True) -> NudgeCandidate:
    return NudgeCandidate(post, uuid.uuid4(), zone, None, "Kubernetes", 4, score, top)


def test_up_to_three_at_work_now_strongest_first():
    post = uuid.uuid4()
    question = DueQuestion(post, uuid.uuid4(), "Q", datetime(2026, 12, 7, 2, tzinfo=UTC), 60, 0)
    at_work = [candidate(post, "Asia/Singapore", s) for s in (1, 5, 3, 4)]
    asleep = candidate(post, "Europe/London", 99)
    chosen = choose([question], [*at_work, asleep], {}, MONDAY)
    assert [n.user_id for n in chosen] == [
        at_work[1].user_id,
        at_work[3].user_id,
        at_work[2].user_id,
    ]
    assert {n.window for n in chosen} == {1}
    assert chosen[0].reason == "you're among the top experts in Kubernetes and it's 11:00 for you"
    level_only = candidate(post, "Asia/Singapore", 0, top=False)
    [only] = choose([question], [level_only], {}, MONDAY)
    assert only.reason == "you know Kubernetes (level 4) and it's 11:00 for you"
