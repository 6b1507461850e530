"""Periodic jobs inside the server process: expire unanswered mentorship requests, end steward
terms. Each job is a domain service `(uow, clock) -> count`, run in its own unit of work.

Every job is safe to run in several processes at once (guarded updates and row locks), so N
uvicorn workers each running the loop only repeat work that finds nothing to do. A failing job is
logged and retried on the next tick; it never stops the others or the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from domain.clock import Clock
from domain.communities.service import expire_steward_terms
from domain.mentorship.service import expire_requests
from domain.ports import UnitOfWork

log = logging.getLogger("leaderful.jobs")

JobFn = Callable[[UnitOfWork, Clock], Awaitable[int]]
UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    run: JobFn


DEFAULT_JOBS: tuple[Job, ...] = (
    Job("expire_mentorship_requests", expire_requests),
    Job("expire_steward_terms", expire_steward_terms),
)


class PeriodicJobs:
    def __init__(
        self,
        uow_factory: UowFactory,
        clock: Clock,
        interval_seconds: float,
        jobs: Sequence[Job] = DEFAULT_JOBS,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.interval = interval_seconds
        self.jobs = tuple(jobs)
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> dict[str, int]:
        """Run every job once; a job that fails counts -1 and is logged."""
        results: dict[str, int] = {}
        for job in self.jobs:
            try:
                async with self.uow_factory() as uow:
                    results[job.name] = await job.run(uow, self.clock)
            except Exception:
                log.exception("periodic job failed", extra={"job": job.name})
                results[job.name] = -1
            else:
                if results[job.name]:
                    log.info("periodic job", extra={"job": job.name, "count": results[job.name]})
        return results

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.run_once()

    def start(self) -> None:
        """Start the loop (the first run waits one interval, so startup stays fast)."""
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="leaderful-periodic-jobs")

    @property
    def running(self) -> bool:
        return self._task is not None

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
