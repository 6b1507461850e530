"""The unit of work, composed of each feature's repositories, and the request-level ports
(idempotency). Each feature's own ports live in `domain/<feature>/ports.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from domain.accounts.ports import AccountsRepositories
from domain.communities.ports import CommunitiesRepositories
from domain.devices.ports import DevicesRepositories
from domain.digests.ports import DigestsRepositories
from domain.events.ports import EventsRepositories
from domain.insights.ports import InsightsRepositories
from domain.leadership.ports import LeadershipRepositories
from domain.mail.ports import MailRepositories
from domain.mentorship.ports import MentorshipRepositories
from domain.notifications.ports import NotificationsRepositories
from domain.posts.ports import PostsRepositories
from domain.skill_insights.ports import SkillInsightsRepositories
from domain.skills.ports import SkillsRepositories
from domain.sync.ports import SyncRepositories
from domain.uploads.ports import UploadsRepositories
from domain.users.ports import UsersRepositories
from domain.webhooks.ports import WebhooksRepositories


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an Idempotency-Key remembers: the request's fingerprint and, once done, the answer."""

    request_hash: str
    status_code: int | None
    body: bytes | None
    location: str | None
    claimed_at: datetime | None = None


class IdempotencyRepository(Protocol):
    async def claim(
        self, owner: str, key: str, request_hash: str, at: datetime
    ) -> StoredResponse | None:
        """Claim the key; returns the existing record when it was claimed before."""
        ...

    async def take_over(self, owner: str, key: str, claimed_at: datetime, at: datetime) -> bool:
        """Claim again a key whose first request never finished (claimed exactly at
        `claimed_at`, still without an answer); False when someone else got there first."""
        ...

    async def complete(
        self, owner: str, key: str, status_code: int, body: bytes, location: str | None
    ) -> None: ...

    async def release(self, owner: str, key: str) -> None: ...


class UnitOfWork(
    UsersRepositories,
    CommunitiesRepositories,
    PostsRepositories,
    NotificationsRepositories,
    SkillsRepositories,
    MentorshipRepositories,
    EventsRepositories,
    MailRepositories,
    AccountsRepositories,
    UploadsRepositories,
    DigestsRepositories,
    SkillInsightsRepositories,
    WebhooksRepositories,
    LeadershipRepositories,
    InsightsRepositories,
    SyncRepositories,
    DevicesRepositories,
    Protocol,
):
    """One transaction over every feature's repositories: each feature declares its own in
    `domain/<feature>/ports.py`, and this list composes them (a new feature adds one line here
    and one in `repositories.unit_of_work.SqlUnitOfWork`)."""

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
