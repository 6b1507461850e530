"""Webhook use cases: managing subscriptions (administrators for the organisation's, stewards for
a community's), turning committed domain events into deliveries, and sending due deliveries.

Sending never holds a transaction open while a receiver answers: deliveries are claimed (leased)
and committed, sent, and their outcome written in a second transaction. A sender that dies
between the two leaves leased deliveries that are due again once the lease ends (at least once).
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.communities.model import Action
from domain.communities.service import load_community, require
from domain.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from domain.events.model import DomainEvent, EventType
from domain.notifications.model import NotificationKind, time_ordered_id
from domain.notifications.service import notify
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.webhooks.model import (
    CATALOG,
    CATALOG_VERSION,
    DELIVERY_RETENTION,
    DISABLE_AFTER,
    LEASE,
    MAX_ATTEMPTS,
    PING,
    ROTATION_GRACE,
    Attempt,
    CommunityRef,
    Delivery,
    DeliveryStatus,
    SendResult,
    Webhook,
    after_try,
    envelope,
    event_data,
    failing_too_long,
)
from domain.webhooks.ports import OutgoingMessage, SecretBox, UrlGuard, WebhookSender

WEBHOOK_NOT_FOUND = "Webhook not found."
DELIVERY_NOT_FOUND = "Delivery not found."
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32
SEND_CONCURRENCY = 16
CATALOG_TYPES = frozenset(t.value for t in CATALOG)


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


@dataclass(frozen=True, slots=True)
class WebhookDraft:
    url: str
    event_types: tuple[str, ...]
    description: str = ""
    enabled: bool = True
    include_private_communities: bool = False


@dataclass(frozen=True, slots=True)
class WithSecret:
    """A subscription and its secret in clear: only the answers to create and rotate."""

    webhook: Webhook
    secret: str


def _check_types(event_types: Sequence[str]) -> list[str]:
    unknown = sorted(set(event_types) - CATALOG_TYPES)
    if unknown:
        raise ValidationFailed(
            f"Not in the event catalog: {', '.join(unknown)}.", field="event_types"
        )
    if not event_types:
        raise ValidationFailed("Subscribe to at least one event type.", field="event_types")
    return sorted(set(event_types))


async def _scope(uow: UnitOfWork, actor: Actor, slug: str | None) -> CommunityRef | None:
    """Who may manage the webhooks here: administrators for the organisation's (None), the
    community's stewards for a community's (invisible community: 404; visible, not a steward:
    403)."""
    if slug is None:
        if not actor.is_admin:
            raise Forbidden("Only administrators manage the organisation's webhooks.")
        return None
    ctx = await load_community(uow, actor, slug)
    # Stewards (and administrators, who act as stewards everywhere) hold the community's edit
    # right; webhooks carry its content out, so they need the same.
    require(Action.edit, ctx)
    c = ctx.community
    return CommunityRef(c.id, c.slug, c.name, c.visibility.value == "private")


async def _load(
    uow: UnitOfWork, actor: Actor, slug: str | None, webhook_id: UUID, *, lock: bool = False
) -> Webhook:
    scope = await _scope(uow, actor, slug)
    webhook = await uow.webhooks.get(webhook_id, for_update=lock)
    scope_id = scope.id if scope else None
    if webhook is None or (webhook.community.id if webhook.community else None) != scope_id:
        raise NotFound(WEBHOOK_NOT_FOUND)
    return webhook


async def create_webhook(
    uow: UnitOfWork,
    clock: Clock,
    box: SecretBox,
    guard: UrlGuard,
    actor: Actor,
    slug: str | None,
    draft: WebhookDraft,
) -> WithSecret:
    scope = await _scope(uow, actor, slug)
    if scope is not None and draft.include_private_communities:
        raise ValidationFailed(
            "Only organisation webhooks include private communities.",
            field="include_private_communities",
        )
    event_types = _check_types(draft.event_types)
    await guard.check(draft.url)
    now = clock.now()
    secret = new_secret()
    webhook = Webhook(
        id=time_ordered_id(now),
        community=scope,
        created_by=actor.user_id,
        url=draft.url,
        event_types=event_types,
        description=draft.description,
        enabled=draft.enabled,
        include_private_communities=draft.include_private_communities,
        secret_sealed=box.seal(secret),
        created_at=now,
        updated_at=now,
    )
    await uow.webhooks.add(webhook)
    await uow.commit()
    return WithSecret(webhook, secret)


async def list_webhooks(
    uow: UnitOfWork, actor: Actor, slug: str | None, page: PageRequest
) -> PageResult[Webhook]:
    scope = await _scope(uow, actor, slug)
    return await uow.webhooks.list_for(scope.id if scope else None, page)


async def get_webhook(uow: UnitOfWork, actor: Actor, slug: str | None, webhook_id: UUID) -> Webhook:
    return await _load(uow, actor, slug, webhook_id)


UPDATABLE = frozenset(
    {"url", "event_types", "description", "enabled", "include_private_communities"}
)


async def update_webhook(
    uow: UnitOfWork,
    clock: Clock,
    guard: UrlGuard,
    actor: Actor,
    slug: str | None,
    webhook_id: UUID,
    changes: dict[str, object],
    if_match: int | None,
) -> Webhook:
    webhook = await _load(uow, actor, slug, webhook_id, lock=True)
    if if_match is not None and if_match != webhook.version:
        raise PreconditionFailed("The webhook changed since you read it; reload and retry.")
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValidationFailed(f"Cannot change {', '.join(sorted(unknown))}.")
    if "include_private_communities" in changes:
        if webhook.community is not None and changes["include_private_communities"]:
            raise ValidationFailed(
                "Only organisation webhooks include private communities.",
                field="include_private_communities",
            )
        webhook.include_private_communities = bool(changes["include_private_communities"])
    if "url" in changes:
        url = str(changes["url"])
        await guard.check(url)
        webhook.url = url
    if "event_types" in changes:
        types = changes["event_types"]
        assert isinstance(types, list | tuple)
        webhook.event_types = _check_types([str(t) for t in types])
    if "description" in changes:
        webhook.description = str(changes["description"])
    if "enabled" in changes:
        enabled = bool(changes["enabled"])
        if enabled and not webhook.enabled:
            # Switched on again: failures before count no more.
            webhook.failing_since = None
            webhook.disabled_reason = None
        webhook.enabled = enabled
    webhook.updated_at = clock.now()
    webhook.version += 1
    await uow.webhooks.update(webhook)
    await uow.commit()
    return webhook


async def delete_webhook(uow: UnitOfWork, actor: Actor, slug: str | None, webhook_id: UUID) -> None:
    webhook = await _load(uow, actor, slug, webhook_id, lock=True)
    await uow.webhooks.delete(webhook.id)
    await uow.commit()


async def rotate_secret(
    uow: UnitOfWork,
    clock: Clock,
    box: SecretBox,
    actor: Actor,
    slug: str | None,
    webhook_id: UUID,
) -> WithSecret:
    """A new secret (returned once); the current one keeps signing beside it for 24 hours, so
    a receiver can switch without missing a message."""
    webhook = await _load(uow, actor, slug, webhook_id, lock=True)
    now = clock.now()
    secret = new_secret()
    webhook.previous_secret_sealed = webhook.secret_sealed
    webhook.previous_secret_expires_at = now + ROTATION_GRACE
    webhook.secret_sealed = box.seal(secret)
    webhook.updated_at = now
    webhook.version += 1
    await uow.webhooks.update(webhook)
    await uow.commit()
    return WithSecret(webhook, secret)


async def list_deliveries(
    uow: UnitOfWork, actor: Actor, slug: str | None, webhook_id: UUID, page: PageRequest
) -> PageResult[Delivery]:
    webhook = await _load(uow, actor, slug, webhook_id)
    return await uow.webhooks.list_deliveries(webhook.id, page)


def _require_enabled(webhook: Webhook) -> None:
    if not webhook.enabled:
        raise Conflict("This webhook is disabled; enable it first.", code="webhook_disabled")


async def redeliver(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str | None,
    webhook_id: UUID,
    delivery_id: UUID,
) -> Delivery:
    """Send a delivery once more, now (the same body and webhook-id: receivers that already
    took it recognise it)."""
    webhook = await _load(uow, actor, slug, webhook_id)
    _require_enabled(webhook)
    delivery = await uow.webhooks.get_delivery(webhook.id, delivery_id)
    if delivery is None:
        raise NotFound(DELIVERY_NOT_FOUND)
    if delivery.status is DeliveryStatus.pending and delivery.attempts < delivery.attempt_budget:
        delivery.next_attempt_at = clock.now()
    else:
        delivery.status = DeliveryStatus.pending
        delivery.attempt_budget = delivery.attempts + 1
        delivery.next_attempt_at = clock.now()
    await uow.webhooks.update_delivery(delivery)
    await uow.commit()
    return delivery


async def ping(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str | None, webhook_id: UUID
) -> Delivery:
    """A `webhook.ping` message, tried once: to check a receiver and its signature check."""
    webhook = await _load(uow, actor, slug, webhook_id)
    _require_enabled(webhook)
    now = clock.now()
    delivery = Delivery(
        id=time_ordered_id(now),
        webhook_id=webhook.id,
        event_id=None,
        event_type=PING,
        body=envelope(PING, 1, now, {"webhook": {"id": str(webhook.id)}}),
        status=DeliveryStatus.pending,
        attempts=0,
        attempt_budget=1,
        next_attempt_at=now,
        created_at=now,
    )
    await uow.webhooks.add_deliveries([delivery])
    await uow.commit()
    return delivery


# --- from events to deliveries ---------------------------------------------------------------


async def enqueue(uow: UnitOfWork, clock: Clock, event: DomainEvent) -> list[UUID]:
    """The event's deliveries, one per enabled subscription that asked for its type and may see
    its community (written in `uow`, not committed). Their ids, for sending."""
    if event.type not in CATALOG_VERSION or event.community_id is None:
        return []
    community = await uow.webhooks.community(event.community_id)
    if community is None:
        return []
    targets = [
        w
        for w in await uow.webhooks.subscribers(community)
        if w.wants(event.type.value) and w.sees(community)
    ]
    if not targets:
        return []
    body = envelope(
        event.type.value,
        CATALOG_VERSION[event.type],
        event.occurred_at,
        event_data(event, community),
    )
    now = clock.now()
    deliveries = [
        Delivery(
            id=time_ordered_id(now),
            webhook_id=w.id,
            event_id=event.id,
            event_type=event.type.value,
            body=body,
            status=DeliveryStatus.pending,
            attempts=0,
            attempt_budget=MAX_ATTEMPTS,
            next_attempt_at=now,
            created_at=now,
        )
        for w in targets
    ]
    await uow.webhooks.add_deliveries(deliveries)
    return [d.id for d in deliveries]


WEBHOOK_EVENTS: frozenset[EventType] = frozenset(CATALOG)


# --- sending ---------------------------------------------------------------------------------


async def deliver(
    uow: UnitOfWork,
    clock: Clock,
    box: SecretBox,
    sender: WebhookSender,
    delivery_ids: Sequence[UUID],
) -> int:
    """Send these deliveries (those still due: a concurrent sender may have taken some) and
    record each try. How many were tried."""
    if not delivery_ids:
        return 0
    now = clock.now()
    claimed = await uow.webhooks.claim(delivery_ids, now, now + LEASE)
    await uow.commit()
    if not claimed:
        return 0
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    async def one(delivery: Delivery, webhook: Webhook) -> SendResult:
        message = OutgoingMessage(
            url=webhook.url,
            message_id=str(delivery.id),
            body=delivery.body,
            secrets=[box.open(s) for s in webhook.sealed_secrets(now)],
        )
        async with gate:
            return await sender.send(message)

    results = await asyncio.gather(*(one(d, w) for d, w in claimed))
    await _record(uow, clock, list(zip(claimed, results, strict=True)))
    return len(claimed)


async def _record(
    uow: UnitOfWork, clock: Clock, outcomes: list[tuple[tuple[Delivery, Webhook], SendResult]]
) -> None:
    at = clock.now()
    attempts: list[Attempt] = []
    succeeded: dict[UUID, bool] = {}
    seen: dict[UUID, Webhook] = {}
    for (delivery, webhook), result in outcomes:
        attempts.append(
            Attempt(
                id=time_ordered_id(at),
                delivery_id=delivery.id,
                attempted_at=at,
                status_code=result.status_code,
                duration_ms=result.duration_ms,
                ok=result.ok,
                error=result.error,
                response_excerpt=result.response_excerpt,
            )
        )
        after_try(delivery, result, at)
        succeeded[webhook.id] = succeeded.get(webhook.id, False) or result.ok
        seen[webhook.id] = webhook
    await uow.webhooks.update_deliveries([delivery for (delivery, _), _ in outcomes])
    await uow.webhooks.add_attempts(attempts)
    for webhook_id, ok in succeeded.items():
        if _unchanged(seen[webhook_id], ok, at):
            continue  # the usual case: still healthy, or failing but not for long
        current = await uow.webhooks.get(webhook_id, for_update=True)
        if current is None:
            continue  # deleted meanwhile
        before = (current.failing_since, current.enabled)
        current.failing_since = None if ok else (current.failing_since or at)
        if failing_too_long(current, at):
            await _disable(uow, clock, current)
        if (current.failing_since, current.enabled) != before:
            await uow.webhooks.update(current)
    await uow.commit()


def _unchanged(webhook: Webhook, ok: bool, at: datetime) -> bool:
    """Whether a try's outcome leaves the subscription as it was (judged on the copy read when
    the deliveries were claimed; anything else is decided again under a lock)."""
    if ok:
        return webhook.failing_since is None
    return webhook.failing_since is not None and not failing_too_long(webhook, at)


async def _disable(uow: UnitOfWork, clock: Clock, webhook: Webhook) -> None:
    """Switch off a subscription whose deliveries kept failing, and tell whoever owns it (the
    community's stewards, or the administrator who made an organisation webhook)."""
    webhook.enabled = False
    days = DISABLE_AFTER.days
    webhook.disabled_reason = f"Every delivery failed for {days} days."
    webhook.version += 1
    webhook.updated_at = clock.now()
    if webhook.community is not None:
        owners = [m.user_id for m in await uow.communities.stewards(webhook.community.id)]
        url = f"/api/v1/communities/{webhook.community.slug}/webhooks/{webhook.id}"
    else:
        owners = [webhook.created_by]
        url = f"/api/v1/webhooks/{webhook.id}"
    await notify(
        uow,
        clock,
        owners,
        NotificationKind.webhook_disabled,
        None,
        "webhook",
        webhook.id,
        f"Webhook to {webhook.url} was disabled: its deliveries failed for {days} days",
        url,
        community_id=webhook.community.id if webhook.community else None,
    )


async def deliver_due(
    uow: UnitOfWork, clock: Clock, *, box: SecretBox, sender: WebhookSender, batch: int = 500
) -> int:
    """Periodic job: send the deliveries whose next try is due (retries, and first tries whose
    task was lost). How many were tried."""
    total = 0
    while True:
        due = await uow.webhooks.due(clock.now(), batch)
        await uow.rollback()  # nothing written: end the read before sending
        tried = await deliver(uow, clock, box, sender, due)
        total += tried
        if len(due) < batch or not tried:
            return total


async def prune_deliveries(uow: UnitOfWork, clock: Clock, batch: int = 5000) -> int:
    """Daily job: finished deliveries older than the retention go, with their tries."""
    total = 0
    while True:
        pruned = await uow.webhooks.prune(clock.now() - DELIVERY_RETENTION, batch)
        await uow.commit()
        total += pruned
        if pruned < batch:
            return total
