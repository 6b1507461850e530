"""Ports of delta sync: the change log and the reads that only sync needs."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.communities.model import Community, Membership
from domain.posts.model import Comment
from domain.sync.model import ChangeRef, LogPage, LogPosition


class SyncRepository(Protocol):
    async def head(self) -> LogPosition:
        """The last position of the log that no transaction still to commit can precede."""
        ...

    async def changes(
        self, viewer_id: UUID, after: LogPosition, head: LogPosition, limit: int
    ) -> LogPage:
        """What changed in the viewer's sight in (after, head], in log order."""
        ...

    async def snapshot(self, viewer_id: UUID) -> list[ChangeRef]: ...

    async def communities(
        self, viewer_id: UUID, community_ids: list[UUID]
    ) -> dict[UUID, tuple[Community, Membership | None, bool]]: ...

    async def comments(self, viewer_id: UUID, comment_ids: list[UUID]) -> dict[UUID, Comment]: ...

    async def hidden_notifications(self, viewer_id: UUID, community_ids: list[UUID]) -> list[UUID]:
        """The viewer's notifications about these communities that they can no longer see."""
        ...

    async def prune(self, before: datetime) -> int: ...


class SyncRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def sync(self) -> SyncRepository: ...
