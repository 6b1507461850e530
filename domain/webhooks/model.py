"""Webhooks: subscriptions to the event catalog, deliveries and their attempts, and the rules
that decide what a subscription may see, when a failed delivery is tried again, and when a
subscription that keeps failing is switched off."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.events.model import DomainEvent, EventType

# The events a subscription may ask for: community activity that its stewards (community
# webhooks) or administrators (organisation webhooks) may see anyway. Personal events
# (mentorship requests, invitations, nominations, reports, mail) are not offered.
CATALOG: tuple[EventType, ...] = (
    EventType.post_created,
    EventType.comment_created,
    EventType.answer_accepted,
    EventType.reaction_added,
    EventType.membership_approved,
)
CATALOG_VERSION: dict[EventType, int] = dict.fromkeys(CATALOG, 1)
PING = "webhook.ping"

# Tries per delivery: the first at once, then after about 15 s, 1 min, 4 min, 16 min, 1 h, 4 h
# and 17 h (base * 4^(n-1), each ±20 %): the last try comes about a day after the event.
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=15)
BACKOFF_FACTOR = 4
JITTER = 0.2
# A subscription whose deliveries kept failing this long (no success in between) is disabled.
DISABLE_AFTER = timedelta(days=3)
# After a rotation the previous secret still signs (beside the new one) this long.
ROTATION_GRACE = timedelta(hours=24)
# A delivery being sent is leased this long: no other process takes it meanwhile, and one whose
# sender died is taken again afterwards.
LEASE = timedelta(minutes=2)
RESPONSE_EXCERPT_BYTES = 1024
# Finished deliveries (and their tries) are kept this long for the delivery log.
DELIVERY_RETENTION = timedelta(days=30)
TIMEOUT_SECONDS = 10.0


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its next try
    succeeded = "succeeded"
    failed = "failed"  # no tries left


@dataclass(frozen=True, slots=True)
class CommunityRef:
    id: UUID
    slug: str
    name: str
    is_private: bool


@dataclass(slots=True)
class Webhook:
    """A subscription. `community` None: an organisation webhook (administrators)."""

    id: UUID
    community: CommunityRef | None
    created_by: UUID
    url: str
    event_types: list[str]
    description: str
    enabled: bool
    include_private_communities: bool
    secret_sealed: str
    created_at: datetime
    updated_at: datetime
    previous_secret_sealed: str | None = None
    previous_secret_expires_at: datetime | None = None
    failing_since: datetime | None = None
    disabled_reason: str | None = None
    version: int = 1

    def sees(self, community: CommunityRef) -> bool:
        """Whether an event of `community` may reach this subscription."""
        if self.community is not None:
            return self.community.id == community.id
        return self.include_private_communities or not community.is_private

    def wants(self, event_type: str) -> bool:
        return self.enabled and event_type in self.event_types

    def sealed_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign now: the current one, and the previous one during its grace."""
        secrets = [self.secret_sealed]
        if (
            self.previous_secret_sealed is not None
            and self.previous_secret_expires_at is not None
            and self.previous_secret_expires_at > now
        ):
            secrets.append(self.previous_secret_sealed)
        return secrets


@dataclass(frozen=True, slots=True)
class Attempt:
    id: UUID
    delivery_id: UUID
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    ok: bool
    error: str | None
    response_excerpt: str


@dataclass(slots=True)
class Delivery:
    """One message to one subscription: the exact body is kept, so every try and every
    redelivery sends the same bytes under the same `webhook-id` (the delivery's id)."""

    id: UUID
    webhook_id: UUID
    event_id: UUID | None
    event_type: str
    body: str
    status: DeliveryStatus
    attempts: int
    attempt_budget: int
    next_attempt_at: datetime | None
    created_at: datetime
    last_status_code: int | None = None
    last_attempt_at: datetime | None = None
    tries: list[Attempt] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the receiver did with one try."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    response_excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempt: int, rand: random.Random | None = None) -> timedelta:
    """The wait after the `attempt`-th try failed (1-based), with ±20 % jitter so that the
    retries of one outage do not all arrive at once."""
    spread: float = (rand or random).uniform(1 - JITTER, 1 + JITTER)
    factor: int = BACKOFF_FACTOR ** (attempt - 1)
    return BACKOFF_BASE * (factor * spread)


def after_try(delivery: Delivery, result: SendResult, at: datetime) -> None:
    """Move the delivery on after a try: succeeded, waiting for its next try, or failed."""
    delivery.attempts += 1
    delivery.last_status_code = result.status_code
    delivery.last_attempt_at = at
    if result.ok:
        delivery.status = DeliveryStatus.succeeded
        delivery.next_attempt_at = None
    elif delivery.attempts >= delivery.attempt_budget:
        delivery.status = DeliveryStatus.failed
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.pending
        delivery.next_attempt_at = at + backoff(delivery.attempts)


def failing_too_long(webhook: Webhook, now: datetime) -> bool:
    return (
        webhook.enabled
        and webhook.failing_since is not None
        and now - webhook.failing_since >= DISABLE_AFTER
    )


# --- payloads ----------------------------------------------------------------------------------


def _community(c: CommunityRef) -> dict[str, Any]:
    return {"id": str(c.id), "slug": c.slug, "name": c.name}


def _person(user_id: Any, name: Any = None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    person: dict[str, Any] = {"id": str(user_id)}
    if name is not None:
        person["display_name"] = name
    return person


def event_data(event: DomainEvent, community: CommunityRef) -> dict[str, Any]:
    """The `data` of an event's webhook payload (version CATALOG_VERSION[type]): ids and the
    facts a receiver needs to act without calling back, nothing beyond the event's community."""
    p: Mapping[str, Any] = event.payload
    where = _community(community)
    actor = str(event.actor_id) if event.actor_id else None
    if event.type is EventType.post_created:
        return {
            "post": {
                "id": p["post_id"],
                "kind": p.get("kind"),
                "title": p.get("title"),
                "url": f"/api/v1/posts/{p['post_id']}",
            },
            "author": _person(actor, p.get("author_name")),
            "community": where,
        }
    if event.type is EventType.comment_created:
        return {
            "comment": {
                "id": p["comment_id"],
                "post_id": p["post_id"],
                "url": f"/api/v1/posts/{p['post_id']}/comments",
            },
            "post": {"id": p["post_id"], "title": p.get("post_title"), "kind": p.get("post_kind")},
            "author": _person(actor, p.get("author_name")),
            "community": where,
        }
    if event.type is EventType.answer_accepted:
        return {
            "post": {"id": p["post_id"], "title": p.get("post_title")},
            "comment": {"id": p["comment_id"]},
            "answer_author": _person(p.get("answer_author_id")),
            "accepted_by": _person(actor),
            "community": where,
        }
    if event.type is EventType.reaction_added:
        return {
            "target": {"type": p.get("target_type"), "id": p.get("target_id")},
            "post": {"id": p.get("post_id")},
            "kind": p.get("kind"),
            "reacted_by": _person(actor),
            "community": where,
        }
    if event.type is EventType.membership_approved:
        return {
            "member": _person(p.get("user_id")),
            "approved_by": _person(actor),
            "community": where,
        }
    raise ValueError(f"{event.type} is not in the webhook catalog")


def envelope(
    message_type: str, version: int, occurred_at: datetime, data: Mapping[str, Any]
) -> str:
    """The body sent, per Standard Webhooks: `{type, timestamp, data}`, plus the payload's
    `version`. Serialised once and kept, so every try sends the same bytes."""
    return json.dumps(
        {
            "type": message_type,
            "version": version,
            "timestamp": occurred_at.isoformat().replace("+00:00", "Z"),
            "data": data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
