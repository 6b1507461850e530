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


async def test_the_source_offers_the_latest_tick_and_those_of_the_next_seconds():
    now = Now(at("2026-12-07 10:00:00.400"))
    job = Job("j", nothing, every=timedelta(seconds=2))
    daily = Job("d", nothing, cron=DAILY)
    source = JobScheduleSource([job, daily], now)
    await source.startup()

    def ids(schedules, name="j"):
        return [
            s.schedule_id.removeprefix(f"{name}@2026-12-0")
            for s in schedules
            if s.schedule_id.startswith(name)
        ]

    # Started between ticks: only ticks to come (starting never runs a job at once), as many
    # as fall in the next five seconds, and at least one.
    schedules = await source.get_schedules()
    assert ids(schedules) == [f"7T10:00:0{n}+00:00" for n in (2, 4, 6)]
    assert ids(schedules, "d") == ["8T03:17:00+00:00"]
    first = schedules[0]
    assert first.time == at("2026-12-07 10:00:02") and first.task_name == "leaderful.job.j"
    assert first.kwargs == {"tick_at": "2026-12-07T10:00:02+00:00"}
    # A tick that came stays offered (the scheduler remembers having sent it) until the next.
    now.moment = at("2026-12-07 10:00:02.2")
    assert ids(await source.get_schedules()) == [f"7T10:00:0{n}+00:00" for n in (2, 4, 6, 8)]
    now.moment = at("2026-12-07 10:00:04")
    assert ids(await source.get_schedules()) == [f"7T10:00:{n:02}+00:00" for n in (4, 6, 8, 10)]
    # After a long pause only the latest tick that came is offered, not every missed one.
    now.moment = at("2026-12-07 10:01:05")
    assert ids(await source.get_schedules()) == [f"7T10:01:{n:02}+00:00" for n in (4, 6, 8, 10, 12)]


def test_the_settings_choose_the_interval_and_zero_schedules_nothing():
    jobs = configured_jobs(
        Settings(jobs_interval_seconds=60, notification_retention_days=7, secret_key="x" * 40)
    )
    assert {job.name: (job.every, job.cron) for job in jobs} == {
        "expire_mentorship_requests": (timedelta(seconds=60), None),
        "expire_steward_terms": (timedelta(seconds=60), None),
        "prune_notifications": (None, DAILY),
        "prune_events": (None, DAILY),
        "prune_sync_changes": (None, DAILY),
        "nudge_questions": (timedelta(minutes=1), None),
        "refresh_skill_insights": (timedelta(seconds=60), None),
        "refresh_health": (timedelta(minutes=5), None),
        # Mail runs on its own cadence: notifications within a minute, digests near 08:00.
        "send_notification_mail": (timedelta(seconds=60), None),
        "send_digests": (timedelta(seconds=300), None),
        # The mail queue's upkeep: wake the sender for messages nobody holds; forget old ones.
        "resume_mail": (timedelta(seconds=60), None),
        "prune_mail": (None, DAILY),
        # Pushes: new notification lines reach devices within seconds.
        "queue_pushes": (timedelta(seconds=5), None),
    }
    assert configured_jobs(Settings(jobs_interval_seconds=0, secret_key="x" * 40)) == ()
    assert [j.name for j in DEFAULT_JOBS] == [
        j.name for j in periodic_jobs(timedelta(minutes=5), timedelta(days=90))
    ]
