"""Ports of webhooks: where subscriptions and deliveries are kept (WebhookRepository), how a
secret is kept readable for signing but not in clear (SecretBox), how a receiver URL is checked
(UrlGuard) and how a message reaches a receiver (WebhookSender)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.pagination import PageRequest, PageResult
from domain.webhooks.model import Attempt, CommunityRef, Delivery, SendResult, Webhook


class WebhookRepository(Protocol):
    async def add(self, webhook: Webhook) -> None: ...

    async def get(self, webhook_id: UUID, *, for_update: bool = False) -> Webhook | None: ...

    async def update(self, webhook: Webhook) -> None: ...

    async def delete(self, webhook_id: UUID) -> None: ...

    async def list_for(self, community_id: UUID | None, page: PageRequest) -> PageResult[Webhook]:
        """A community's subscriptions, or (None) the organisation's; newest first."""
        ...

    async def community(self, community_id: UUID) -> CommunityRef | None: ...

    async def subscribers(self, community: CommunityRef) -> list[Webhook]:
        """Enabled subscriptions that may see events of `community`."""
        ...

    async def add_deliveries(self, deliveries: Sequence[Delivery]) -> None: ...

    async def get_delivery(self, webhook_id: UUID, delivery_id: UUID) -> Delivery | None: ...

    async def list_deliveries(self, webhook_id: UUID, page: PageRequest) -> PageResult[Delivery]:
        """Newest first, each with its tries (one statement for the page, one for the tries)."""
        ...

    async def update_delivery(self, delivery: Delivery) -> None: ...

    async def update_deliveries(self, deliveries: Sequence[Delivery]) -> None: ...

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        """Pending deliveries of enabled subscriptions whose next try is due, oldest first."""
        ...

    async def claim(
        self, delivery_ids: Sequence[UUID], now: datetime, lease_until: datetime
    ) -> list[tuple[Delivery, Webhook]]:
        """Take the due ones among `delivery_ids` (pending, next try due, subscription enabled)
        by moving their next try to `lease_until`; another process no longer sees them due."""
        ...

    async def add_attempts(self, attempts: Sequence[Attempt]) -> None: ...

    async def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` finished deliveries created before `before`, with their tries;
        how many."""
        ...


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    url: str
    message_id: str
    body: str
    secrets: list[str]  # in clear, whsec_…: each signs, signatures space-separated


class SecretBox(Protocol):
    """Keeps webhook secrets encrypted at rest: signing needs the secret itself, so a one-way
    hash (as for tokens) cannot serve."""

    def seal(self, secret: str) -> str: ...

    def open(self, sealed: str) -> str: ...


class UrlGuard(Protocol):
    async def check(self, url: str) -> None:
        """Raise ValidationFailed(field="url") for a URL that may not receive webhooks."""
        ...


class WebhookSender(Protocol):
    async def send(self, message: OutgoingMessage) -> SendResult:
        """One try: never raises for what the receiver or the network did."""
        ...


class WebhooksRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def webhooks(self) -> WebhookRepository: ...
