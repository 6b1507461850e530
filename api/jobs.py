"""Periodic jobs on taskiq's scheduler: expire unanswered mentorship requests, end steward terms,
prune old notifications, send notification mail and digests. Each job is a domain service
`(uow, clock) -> count`, run in its own unit of work.

How a tick travels:
- `JobScheduleSource` gives taskiq's scheduler each job's ticks as one-off schedules. Ticks are
  wall-clock instants that every process computes alike (an interval counts from the Unix epoch in
  UTC, a cron expression is read in UTC), so every scheduler sends the same tick.
- The scheduler sends the tick to the broker as the job's task (`leaderful.job.<name>`, with the
  tick as its argument): in the server process with the in-memory broker, or through Redis to any
  `leaderful worker`.
- The task claims the tick in the database (`TickLedger.claim`: insert (job, tick_at), the loser
  of the primary key skips) and only then runs the job. However many processes schedule the
  jobs, each tick runs each job exactly once.

A failing job is logged and recorded on its tick; it never stops the others, and the next tick
tries again (every job picks up whatever is due, so a missed tick loses nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from taskiq import AsyncBroker, InMemoryBroker, ScheduledTask, ScheduleSource, TaskiqScheduler
from taskiq.api import run_scheduler_task
from taskiq.cli.scheduler.run import CronValueError, is_cron_task_now

from api.settings import Settings
from auth.unsubscribe import UnsubscribeSigner
from domain.clock import Clock
from domain.communities.service import expire_steward_terms
from domain.devices.service import queue_pushes
from domain.digests.ports import UnsubscribeTokens
from domain.digests.service import send_digests, send_notification_mail
from domain.events.service import prune_events
from domain.insights.service import HEALTH_EVERY, refresh_health
from domain.mail.service import prune_mail, resume_mail
from domain.mentorship.service import expire_requests
from domain.notifications.retention import prune_notifications
from domain.ports import UnitOfWork
from domain.posts.nudges import nudge_questions
from domain.skill_insights.service import refresh_skill_insights
from domain.sync.service import prune as prune_sync_changes
from domain.uploads.ports import FileStore
from domain.uploads.service import prune_unattached

log = logging.getLogger("leaderful.jobs")

JobFn = Callable[[UnitOfWork, Clock], Awaitable[int]]
UowFactory = Callable[[], UnitOfWork]

TASK_PREFIX = "leaderful.job."
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A cron expression must fire at least once in this window (the next tick is found by looking at
# each minute in turn).
CRON_HORIZON = timedelta(days=31)
# Finished ticks are kept this long (a record of what ran when), then deleted.
TICK_HISTORY = timedelta(days=30)
# Retention runs once a day, at a quiet minute.
DAILY = "17 3 * * *"


@dataclass(frozen=True, slots=True)
class Job:
    """A job and its schedule: `every` (ticks at whole multiples of it since the Unix epoch, UTC:
    every 300 s is :00, :05, :10, …) or `cron` (minute resolution, UTC)."""

    name: str
    run: JobFn
    every: timedelta | None = None
    cron: str | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.cron is None):
            raise ValueError(f"job {self.name}: give exactly one of every= and cron=")
        if self.every is not None and (
            self.every < timedelta(seconds=1) or self.every % timedelta(seconds=1)
        ):
            raise ValueError(f"job {self.name}: every= must be whole seconds, at least one")
        if self.cron is not None:
            self.next_tick(EPOCH)  # refuses an expression that does not parse or never fires

    @property
    def task_name(self) -> str:
        return TASK_PREFIX + self.name

    def next_tick(self, after: datetime) -> datetime:
        """The first tick strictly after `after`."""
        if self.every is not None:
            return EPOCH + (after - EPOCH) // self.every * self.every + self.every
        assert self.cron is not None
        minute = after.astimezone(UTC).replace(second=0, microsecond=0)
        for _ in range(int(CRON_HORIZON / timedelta(minutes=1))):
            minute += timedelta(minutes=1)
            try:
                if is_cron_task_now(self.cron, minute):
                    return minute
            except CronValueError as exc:
                raise ValueError(f"job {self.name}: bad cron {self.cron!r}") from exc
        raise ValueError(f"job {self.name}: cron {self.cron!r} fires less than monthly")


def periodic_jobs(
    interval: timedelta, notification_retention: timedelta, files: FileStore | None = None
) -> tuple[Job, ...]:
    """Every periodic job and its schedule. One more job is one more line here. `files`: where
    uploads are kept (without it, unattached uploads are not cleared away)."""
    uploads = (
        ()
        if files is None
        else (
            Job("prune_unattached_uploads", partial(prune_unattached, store=files), every=interval),
        )
    )
    return (
        Job("expire_mentorship_requests", expire_requests, every=interval),
        Job("expire_steward_terms", expire_steward_terms, every=interval),
        Job(
            "prune_notifications",
            partial(prune_notifications, retention=notification_retention),
            cron=DAILY,
        ),
        Job("prune_events", prune_events, cron=DAILY),
        # Delta sync keeps 30 days of changes (tokens older than that answer 410).
        Job("prune_sync_changes", prune_sync_changes, cron=DAILY),
        # Follow the sun: every minute, so a nudge is at most a minute late.
        Job("nudge_questions", nudge_questions, every=timedelta(minutes=1)),
        # Skill gaps and bus factors: rollups read by GET /insights/skills, one tick behind.
        Job("refresh_skill_insights", refresh_skill_insights, every=interval),
        # Health over time: the current week's rollups, at most one tick behind any write.
        Job("refresh_health", refresh_health, every=HEALTH_EVERY),
        *uploads,
    )


DEFAULT_JOBS = periodic_jobs(timedelta(minutes=5), timedelta(days=90))


def mail_jobs(
    tokens: UnsubscribeTokens, mail_every: timedelta, digest_every: timedelta
) -> tuple[Job, ...]:
    """Notification mail (every minute: the first mail within a minute, then at most one per
    person per ten minutes) and digests (every few minutes: each goes out shortly after 08:00
    in its reader's time zone). Both sign their unsubscribe links with `tokens`. With them,
    the mail queue's upkeep: waking the sender for messages no sender holds any more (as often
    as notification mail), and forgetting finished messages after a week (daily)."""
    return (
        Job(
            "send_notification_mail",
            partial(send_notification_mail, tokens=tokens),
            every=mail_every,
        ),
        Job("send_digests", partial(send_digests, tokens=tokens), every=digest_every),
        Job("resume_mail", resume_mail, every=mail_every),
        Job("prune_mail", prune_mail, cron=DAILY),
    )


def push_jobs(every: timedelta) -> tuple[Job, ...]:
    """Pushes: new notification lines become one push per device every few seconds."""
    return (Job("queue_pushes", queue_pushes, every=every),)


async def run_job(job: Job, uow_factory: UowFactory, clock: Clock) -> tuple[int | None, str | None]:
    """Run one job in its own unit of work: (count, None), or (None, what went wrong), logged."""
    try:
        async with uow_factory() as uow:
            count = await job.run(uow, clock)
    except Exception as exc:
        log.exception("periodic job failed", extra={"job": job.name})
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    if count:
        log.info("periodic job", extra={"job": job.name, "count": count})
    return count, None


async def run_jobs_once(
    uow_factory: UowFactory, clock: Clock, jobs: Iterable[Job] = DEFAULT_JOBS
) -> dict[str, int]:
    """Run every job once, now, without ticks or a broker (tests, maintenance); a job that
    fails counts -1 and is logged, and the others still run."""
    results: dict[str, int] = {}
    for job in jobs:
        count, _ = await run_job(job, uow_factory, clock)
        results[job.name] = -1 if count is None else count
    return results


class TickLedger(Protocol):
    async def claim(self, job: str, tick_at: datetime, at: datetime) -> bool:
        """True for exactly one caller per (job, tick_at), committed before the job runs."""
        ...

    async def finish(
        self,
        job: str,
        tick_at: datetime,
        at: datetime,
        processed: int | None,
        error: str | None,
        keep_since: datetime,
    ) -> None:
        """Record how the run ended; forget the job's ticks before `keep_since`."""
        ...


@dataclass
class JobRunner:
    """Runs a job for a tick if this process is the one that claims it."""

    uow_factory: UowFactory
    clock: Clock
    ledger: TickLedger
    jobs: dict[str, Job] = field(default_factory=dict)

    async def run_tick(self, name: str, tick_at: datetime) -> int | None:
        """The job's count; None when another process has the tick, or the job failed."""
        job = self.jobs[name]
        if not await self.ledger.claim(name, tick_at, self.clock.now()):
            log.debug("tick taken elsewhere", extra={"job": name, "tick_at": tick_at.isoformat()})
            return None
        count, error = await run_job(job, self.uow_factory, self.clock)
        await self.ledger.finish(
            name, tick_at, self.clock.now(), count, error, keep_since=tick_at - TICK_HISTORY
        )
        return count


def register_jobs(broker: AsyncBroker, runner: JobRunner, jobs: Sequence[Job]) -> None:
    """Make each job a task of `broker` (every process that receives tasks needs this)."""
    for job in jobs:
        runner.jobs[job.name] = job

        async def task(tick_at: str, name: str = job.name) -> int | None:
            return await runner.run_tick(name, datetime.fromisoformat(tick_at))

        broker.register_task(task, task_name=job.task_name)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class JobScheduleSource(ScheduleSource):
    """The jobs' ticks as taskiq schedules: for each job, the latest tick that came since startup
    (offered until the next one comes) and the ticks of the next few seconds (at least one).
    Each is a one-off (`time`) schedule whose id names the job and the tick, so a scheduler
    sends each tick once, on time, although it reads its schedules only every second or two."""

    LOOKAHEAD = timedelta(seconds=5)

    def __init__(self, jobs: Sequence[Job], now: Callable[[], datetime] = _utcnow) -> None:
        self.jobs = tuple(jobs)
        self.now = now
        self._ahead: dict[str, list[datetime]] = {}
        self._latest: dict[str, datetime] = {}

    async def startup(self) -> None:
        # The first tick is the first one after startup: starting (or restarting) a process
        # never runs a job at once.
        now = self.now()
        self._latest.clear()
        self._ahead = {job.name: [job.next_tick(now)] for job in self.jobs}

    async def get_schedules(self) -> list[ScheduledTask]:
        now = self.now()
        schedules: list[ScheduledTask] = []
        for job in self.jobs:
            ahead = self._ahead[job.name]
            while ahead[0] <= now:
                # After a long pause (a suspended laptop) only the latest tick is sent.
                self._latest[job.name] = ahead.pop(0)
                if not ahead:
                    ahead.append(job.next_tick(self._latest[job.name]))
            while ahead[-1] <= now + self.LOOKAHEAD:
                ahead.append(job.next_tick(ahead[-1]))
            latest = self._latest.get(job.name)
            ticks = ([latest] if latest is not None else []) + ahead
            schedules.extend(self.schedule(job, tick) for tick in ticks)
        return schedules

    @staticmethod
    def schedule(job: Job, tick: datetime) -> ScheduledTask:
        stamp = tick.isoformat()
        return ScheduledTask(
            task_name=job.task_name,
            labels={},
            args=[],
            kwargs={"tick_at": stamp},
            schedule_id=f"{job.name}@{stamp}",
            time=tick,
        )


async def run_scheduler(broker: AsyncBroker, jobs: Sequence[Job]) -> None:
    """Send the jobs' ticks to `broker` until cancelled (taskiq's scheduler loop; the broker is
    started and shut down by whoever owns it)."""
    scheduler = TaskiqScheduler(broker, [JobScheduleSource(jobs)])
    await run_scheduler_task(
        scheduler, interval=timedelta(seconds=1), loop_interval=timedelta(seconds=1)
    )


class PeriodicJobs:
    """One process's periodic jobs: their tasks on `broker` (registered at once) and, once
    started, the scheduler that sends their ticks."""

    def __init__(self, broker: AsyncBroker, runner: JobRunner, jobs: Sequence[Job]) -> None:
        self.broker = broker
        self.runner = runner
        self.jobs = tuple(jobs)
        register_jobs(broker, runner, self.jobs)
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> dict[str, int]:
        return await run_jobs_once(self.runner.uow_factory, self.runner.clock, self.jobs)

    def start(self) -> None:
        """Start the scheduler (no jobs, no scheduler). The broker must be started."""
        if self.jobs and self._task is None:
            self._task = asyncio.create_task(
                run_scheduler(self.broker, self.jobs), name="leaderful-scheduler"
            )

    @property
    def running(self) -> bool:
        return self._task is not None

    async def stop(self) -> None:
        """Stop the scheduler; ticks the in-memory broker is running finish first (they use the
        database, which closes next)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if isinstance(self.broker, InMemoryBroker):
                await self.broker.wait_all()


def configured_jobs(settings: Settings, files: FileStore | None = None) -> tuple[Job, ...]:
    """The jobs a process schedules: none when `LEADERFUL_JOBS_INTERVAL_SECONDS` is 0."""
    if not settings.jobs_interval_seconds:
        return ()
    return (
        periodic_jobs(
            timedelta(seconds=settings.jobs_interval_seconds),
            timedelta(days=settings.notification_retention_days),
            files,
        )
        + mail_jobs(
            UnsubscribeSigner(settings.resolved_secret_key),
            timedelta(seconds=settings.notification_mail_every_seconds),
            timedelta(seconds=settings.digest_every_seconds),
        )
        + push_jobs(timedelta(seconds=settings.push_every_seconds))
    )
