"""SqlUnitOfWork: one AsyncSession per request; commit() is explicit, leaving rolls back.
RequestUnits opens them for requests, one per pooled connection at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.errors import Conflict, Overloaded
from domain.notifications.ports import LiveNotifications
from domain.users.ports import SessionsEnded
from repositories.accounts.unit import SqlAccountsRepositories
from repositories.communities.unit import SqlCommunitiesRepositories
from repositories.devices.unit import SqlDevicesRepositories
from repositories.digests.unit import SqlDigestsRepositories
from repositories.events.unit import SqlEventsRepositories
from repositories.idempotency import SqlIdempotencyRepository
from repositories.insights.unit import SqlInsightsRepositories
from repositories.jobs.tables import JobTickRow
from repositories.leadership.unit import SqlLeadershipRepositories
from repositories.mail.unit import SqlMailRepositories
from repositories.mentorship.unit import SqlMentorshipRepositories
from repositories.notifications.unit import SqlNotificationsRepositories
from repositories.posts.unit import SqlPostsRepositories
from repositories.skill_insights.unit import SqlSkillInsightsRepositories
from repositories.skills.unit import SqlSkillsRepositories
from repositories.sync.unit import SqlSyncRepositories
from repositories.tables import metadata
from repositories.uploads.unit import SqlUploadsRepositories
from repositories.users.unit import SqlUsersRepositories
from repositories.webhooks.unit import SqlWebhooksRepositories

# Every feature's tables are in `metadata` once the features above are imported: migrations and
# the demo-data loader read the schema from here.
SCHEMA = metadata
# Not part of any unit of work (the jobs' scheduler claims ticks on its own), but of the schema.
assert JobTickRow.__tablename__ in SCHEMA.tables


class LiveHubPort(LiveNotifications, SessionsEnded, Protocol):
    """The process's live hub: committed lines and read counts go to open streams, and the
    streams of accounts whose sessions ended are closed."""


class SqlUnitOfWork(
    # The features, one line each (domain.ports.UnitOfWork lists their ports in the same way).
    SqlMailRepositories,
    SqlAccountsRepositories,
    SqlDigestsRepositories,
    SqlUsersRepositories,
    SqlCommunitiesRepositories,
    SqlPostsRepositories,
    SqlNotificationsRepositories,
    SqlSkillsRepositories,
    SqlMentorshipRepositories,
    SqlEventsRepositories,
    SqlUploadsRepositories,
    SqlSkillInsightsRepositories,
    SqlWebhooksRepositories,
    SqlLeadershipRepositories,
    SqlInsightsRepositories,
    SqlSyncRepositories,
    SqlDevicesRepositories,
):
    idempotency: SqlIdempotencyRepository

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        read_only: bool = False,
        on_events: Callable[[], None] | None = None,
        live: LiveHubPort | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.read_only = read_only
        # Called (it must not block) after a commit that recorded domain events: the relay's
        # nudge, so that they leave at once rather than at the next sweep.
        self._on_events = on_events
        # Every unit that may write notifications (requests, jobs, event consumers) is built with
        # the process's publisher, so that what it wrote reaches open streams after its commit.
        self.live = live
        self.sessions = live  # the same hub ends the streams of accounts whose sessions ended

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        self.idempotency = SqlIdempotencyRepository(self.session)
        self.attach(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rolled_back()  # whatever was not committed is not published
        await self.session.close()  # rolls back anything not committed

    async def commit(self) -> None:
        if self.read_only:
            # Its statements ran in autocommit: a write here would not be one transaction.
            raise RuntimeError("a read-only unit of work cannot commit")
        recorded, self.events.recorded = self.events.recorded, 0
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.rollback()
            # A unique constraint lost a race that the service's checks could not see.
            raise Conflict("This conflicts with data that was just written.") from exc
        except BaseException:
            self.rolled_back()
            raise
        self.committed()
        if recorded and self._on_events is not None:
            self._on_events()

    async def rollback(self) -> None:
        self.events.recorded = 0
        self.rolled_back()
        await self.session.rollback()


UnitFactory = Callable[..., SqlUnitOfWork]
"""`(session_factory, *, read_only=False) -> SqlUnitOfWork`: how every unit of work of a process
is built (requests, periodic jobs, event consumers), so what is wired into one is in all."""

DATABASE_BUSY_RETRY_AFTER = 2  # seconds


class RequestUnits:
    """Opens and closes the units of work of requests, at most `slots` at once (one per pooled
    connection), handed out first come, first served.

    Without the slots, requests beyond the pool wait inside the pool, where newcomers overtake
    them: under load some waited seconds while the median took milliseconds. A request that
    waits longer than `wait_seconds` for a slot gets Overloaded (503 with Retry-After) instead of
    waiting for ever. Reads (`read_only`) run in autocommit; anything else is one transaction.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        read_session_factory: async_sessionmaker[AsyncSession],
        *,
        slots: int,
        wait_seconds: float,
        make_unit: UnitFactory = SqlUnitOfWork,
    ) -> None:
        self._make_unit = make_unit
        self._session_factory = session_factory
        self._read_session_factory = read_session_factory
        self._slots = asyncio.Semaphore(slots)
        self.wait_seconds = wait_seconds

    async def open(self, *, read_only: bool) -> SqlUnitOfWork:
        """A unit of work holding a slot; give it back with `close`."""
        if self._slots.locked():
            try:
                async with asyncio.timeout(self.wait_seconds):
                    await self._slots.acquire()
            except TimeoutError:
                raise Overloaded(
                    "The database is busy; retry shortly.", retry_after=DATABASE_BUSY_RETRY_AFTER
                ) from None
        else:
            await self._slots.acquire()  # a free slot: no timer needed, and none is paid for
        try:
            factory = self._read_session_factory if read_only else self._session_factory
            return await self._make_unit(factory, read_only=read_only).__aenter__()
        except BaseException:
            self._slots.release()
            raise

    async def close(self, unit: SqlUnitOfWork) -> None:
        """Roll back whatever `unit` did not commit, give its connection back to the pool, and
        its slot to the next request."""
        try:
            await unit.__aexit__(None, None, None)
        finally:
            self._slots.release()
