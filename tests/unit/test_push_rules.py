"""When a push goes out: inside the person's working hours, in their time zone (UTC without
one), except the mentorship decisions they asked for; and what several waiting lines look like
as one push."""

from __future__ import annotations

from datetime import UTC, datetime, time
from uuid import uuid4

import pytest

from domain.devices.model import PendingLine, may_push, message_for, start_mark
from domain.notifications.model import NotificationKind, time_ordered_id
from domain.users.model import WorkingHours

# Monday 20:00 UTC: after work in London, 05:00 Tuesday in Tokyo.
EVENING = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def line(kind: NotificationKind, timezone: str | None = "Europe/London", **extra) -> PendingLine:
    return PendingLine(
        device_id=uuid4(),
        notification_id=extra.pop("notification_id", time_ordered_id(MORNING)),
        kind=kind,
        title=extra.pop("title", "Bob answered: Rollbacks?"),
        url="/posts/1",
        count=extra.pop("count", 1),
        timezone=timezone,
        working_hours=extra.pop("working_hours", None),
    )


@pytest.mark.parametrize(
    ("kind", "pushed"),
    [
        (NotificationKind.comment_on_post, False),
        (NotificationKind.mention, False),
        (NotificationKind.mentorship_requested, False),  # asked of them, not by them
        (NotificationKind.mentorship_accepted, True),
        (NotificationKind.mentorship_declined, True),
    ],
)
def test_outside_working_hours_only_the_mentorship_decisions_asked_for_go(kind, pushed):
    assert may_push(line(kind), EVENING) is pushed
    assert may_push(line(kind), MORNING) is True


def test_hours_are_read_in_the_persons_time_zone_and_in_utc_without_one():
    night_shift = WorkingHours(frozenset({1, 2, 3, 4, 5}), time(22), time(6))
    assert may_push(line(NotificationKind.mention, "Asia/Tokyo"), EVENING) is False
    assert may_push(line(NotificationKind.mention, None), MORNING) is True
    assert may_push(line(NotificationKind.mention, None), EVENING) is False
    assert may_push(line(NotificationKind.mention, "Nowhere/Atlantis"), MORNING) is True
    assert may_push(line(NotificationKind.mention, "UTC", working_hours=night_shift), EVENING) is (
        False
    )
    late = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    assert may_push(line(NotificationKind.mention, "UTC", working_hours=night_shift), late)


def test_several_waiting_lines_make_one_push_about_the_newest():
    older = line(
        NotificationKind.mention,
        title="Ann mentioned you",
        notification_id=time_ordered_id(MORNING),
    )
    newest = line(
        NotificationKind.comment_on_post,
        title="Bob answered: Rollbacks?",
        count=3,
        notification_id=time_ordered_id(EVENING),
    )
    message = message_for([older, newest])
    assert message.title == "New answer"
    assert message.body == "Bob answered: Rollbacks? (3 updates), and 1 more"
    assert message.url == "/posts/1"


def test_a_new_device_hears_of_lines_from_its_registration_on():
    mark = start_mark(MORNING)
    assert all(time_ordered_id(MORNING) > mark for _ in range(100))
    assert time_ordered_id(datetime(2026, 12, 7, 9, 59, 59, tzinfo=UTC)) < mark
