"""Periodic jobs' ticks: the same wall-clock instants in every process, handed to taskiq's
scheduler as one-off schedules (the latest that came and the next to come)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.jobs import DAILY, DEFAULT_JOBS, Job, JobScheduleSource, configured_jobs, periodic_jobs
from api.settings import Settings


async def nothing(uow, clock) -> int:
    return 0


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_interval_ticks_are_whole_multiples_since_the_epoch():
    job = Job("j", nothing, every=timedelta(minutes=5))
    assert job.next_tick(at("2026-12-07 10:02:31")) == at("2026-12-07 10:05:00")
    # Strictly after: a process that starts on a tick waits for the next one.
    assert job.next_tick(at("2026-12-07 10:05:00")) == at("2026-12-07 10:10:00")
    # Another time zone names the same instant, and so the same tick.
    other = at("2026-12-07 10:02:31").astimezone(datetime.now().astimezone().tzinfo)
    assert job.next_tick(other) == at("2026-12-07 10:05:00")


def test_cron_ticks_are_the_minutes_it_names_in_utc():
    job = Job("j", nothing, cron=DAILY)
    assert job.next_tick(at("2026-12-07 10:02:31")) == at("2026-12-08 03:17:00")
    assert job.next_tick(at("2026-12-08 03:16:59")) == at("2026-12-08 03:17:00")
    assert job.next_tick(at("2026-12-08 03:17:00")) == at("2026-12-09 03:17:00")
    hourly = Job("h", nothing, cron="*/15 * * * *")
    assert hourly.next_tick(at("2026-12-07 10:02:31")) == at("2026-12-07 10:15:00")


@pytest.mark.parametrize(
    "schedule",
    [
        {},
        {"every": timedelta(seconds=1), "cron": "* * * * *"},
        {"every": timedelta(milliseconds=1500)},
        {"every": timedelta(0)},
        {"cron": "not a cron"},
        {"cron": "0 0 1 1 *"},  # yearly: beyond the horizon the next tick is looked for in
    ],
)
def test_a_schedule_must_be_one_sound_interval_or_cron(schedule):
    with pytest.raises(ValueError, match="job j"):
        Job("j", nothing, **schedule)


class Now:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


async def test_the_source_offers_the_latest_tick_until_the_next_one_comes():
    now = Now(at("2026-12-07 10:00:00.400"))
    job = Job("j", nothing, every=timedelta(seconds=10))
    source = JobScheduleSource([job], now)
    await source.startup()

    def offered(schedules):
        return [(s.schedule_id, s.time, s.kwargs["tick_at"], s.task_name) for s in schedules]

    # Started between ticks: only the next one (starting never runs a job at once).
    upcoming = at("2026-12-07 10:00:10")
    assert offered(await source.get_schedules()) == [
        ("j@2026-12-07T10:00:10+00:00", upcoming, upcoming.isoformat(), "leaderful.job.j")
    ]
    now.moment = at("2026-12-07 10:00:10.2")
    ids = [s.schedule_id for s in await source.get_schedules()]
    assert ids == ["j@2026-12-07T10:00:10+00:00", "j@2026-12-07T10:00:20+00:00"]
    now.moment = at("2026-12-07 10:00:19.9")
    assert [s.schedule_id for s in await source.get_schedules()] == ids
    # After a long pause only the latest tick that came is offered, not every missed one.
    now.moment = at("2026-12-07 10:01:05")
    assert [s.schedule_id for s in await source.get_schedules()] == [
        "j@2026-12-07T10:01:00+00:00",
        "j@2026-12-07T10:01:10+00:00",
    ]


def test_the_settings_choose_the_interval_and_zero_schedules_nothing():
    jobs = configured_jobs(
        Settings(jobs_interval_seconds=60, notification_retention_days=7, secret_key="x" * 40)
    )
    assert {job.name: (job.every, job.cron) for job in jobs} == {
        "expire_mentorship_requests": (timedelta(seconds=60), None),
        "expire_steward_terms": (timedelta(seconds=60), None),
        "prune_notifications": (None, DAILY),
    }
    assert configured_jobs(Settings(jobs_interval_seconds=0, secret_key="x" * 40)) == ()
    assert [j.name for j in DEFAULT_JOBS] == [
        j.name for j in periodic_jobs(timedelta(minutes=5), timedelta(days=90))
    ]
