"""Webhooks in SQL: the WebhookRepository port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import PageRequest, PageResult
from domain.webhooks.model import Attempt, CommunityRef, Delivery, DeliveryStatus, Webhook
from repositories.base import SortKey, keyset_page
from repositories.communities.tables import CommunityRow
from repositories.webhooks.tables import WebhookAttemptRow, WebhookDeliveryRow, WebhookRow

w = WebhookRow.__table__  # type: ignore[attr-defined]
d = WebhookDeliveryRow.__table__  # type: ignore[attr-defined]
a = WebhookAttemptRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]

_WEBHOOK = select(w, c.c.slug, c.c.name, c.c.visibility).select_from(
    w.outerjoin(c, c.c.id == w.c.community_id)
)
_NEWEST = [SortKey(w.c.id, descending=True)]
_DELIVERIES = [SortKey(d.c.id, descending=True)]
PENDING = DeliveryStatus.pending.value


def _webhook(row: Row[Any]) -> Webhook:
    community = (
        CommunityRef(row.community_id, row.slug, row.name, row.visibility == "private")
        if row.community_id is not None
        else None
    )
    return Webhook(
        id=row.id,
        community=community,
        created_by=row.created_by,
        url=row.url,
        event_types=list(row.event_types),
        description=row.description,
        enabled=row.enabled,
        include_private_communities=row.include_private_communities,
        secret_sealed=row.secret_sealed,
        created_at=row.created_at,
        updated_at=row.updated_at,
        previous_secret_sealed=row.previous_secret_sealed,
        previous_secret_expires_at=row.previous_secret_expires_at,
        failing_since=row.failing_since,
        disabled_reason=row.disabled_reason,
        version=row.version,
    )


def _values(webhook: Webhook) -> dict[str, Any]:
    return {
        "url": webhook.url,
        "event_types": list(webhook.event_types),
        "description": webhook.description,
        "enabled": webhook.enabled,
        "include_private_communities": webhook.include_private_communities,
        "secret_sealed": webhook.secret_sealed,
        "previous_secret_sealed": webhook.previous_secret_sealed,
        "previous_secret_expires_at": webhook.previous_secret_expires_at,
        "failing_since": webhook.failing_since,
        "disabled_reason": webhook.disabled_reason,
        "updated_at": webhook.updated_at,
        "version": webhook.version,
    }


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        webhook_id=row.webhook_id,
        event_id=row.event_id,
        event_type=row.event_type,
        body=row.body,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        attempt_budget=row.attempt_budget,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        last_status_code=row.last_status_code,
        last_attempt_at=row.last_attempt_at,
    )


def _attempt(row: Row[Any]) -> Attempt:
    return Attempt(
        id=row.id,
        delivery_id=row.delivery_id,
        attempted_at=row.attempted_at,
        status_code=row.status_code,
        duration_ms=row.duration_ms,
        ok=row.ok,
        error=row.error,
        response_excerpt=row.response_excerpt,
    )


class SqlWebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, webhook: Webhook) -> None:
        await self.session.execute(
            insert(w).values(
                id=webhook.id,
                community_id=webhook.community.id if webhook.community else None,
                created_by=webhook.created_by,
                created_at=webhook.created_at,
                **_values(webhook),
            )
        )

    async def get(self, webhook_id: UUID, *, for_update: bool = False) -> Webhook | None:
        stmt = _WEBHOOK.where(w.c.id == webhook_id)
        if for_update:
            stmt = stmt.with_for_update(of=w)
        row = (await self.session.execute(stmt)).first()
        return _webhook(row) if row else None

    async def update(self, webhook: Webhook) -> None:
        await self.session.execute(update(w).where(w.c.id == webhook.id).values(**_values(webhook)))

    async def delete(self, webhook_id: UUID) -> None:
        # The tries and deliveries go first: SQLite enforces no foreign keys unless asked to.
        deliveries = select(d.c.id).where(d.c.webhook_id == webhook_id)
        await self.session.execute(delete(a).where(a.c.delivery_id.in_(deliveries)))
        await self.session.execute(delete(d).where(d.c.webhook_id == webhook_id))
        await self.session.execute(delete(w).where(w.c.id == webhook_id))

    async def list_for(self, community_id: UUID | None, page: PageRequest) -> PageResult[Webhook]:
        scope = (
            w.c.community_id.is_(None)
            if community_id is None
            else (w.c.community_id == community_id)
        )
        return await keyset_page(
            self.session, _WEBHOOK.where(scope), _NEWEST, page, _webhook, lambda r: (r.id,)
        )

    async def community(self, community_id: UUID) -> CommunityRef | None:
        row = (
            await self.session.execute(
                select(c.c.id, c.c.slug, c.c.name, c.c.visibility).where(c.c.id == community_id)
            )
        ).first()
        if row is None:
            return None
        return CommunityRef(row.id, row.slug, row.name, row.visibility == "private")

    async def subscribers(self, community: CommunityRef) -> list[Webhook]:
        org = w.c.community_id.is_(None)
        if community.is_private:
            org = and_(org, w.c.include_private_communities.is_(True))
        rows = await self.session.execute(
            _WEBHOOK.where(w.c.enabled.is_(True), or_(w.c.community_id == community.id, org))
        )
        return [_webhook(row) for row in rows]

    async def add_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        if not deliveries:
            return
        await self.session.execute(
            insert(d),
            [
                {
                    "id": x.id,
                    "webhook_id": x.webhook_id,
                    "event_id": x.event_id,
                    "event_type": x.event_type,
                    "body": x.body,
                    "status": x.status.value,
                    "attempts": x.attempts,
                    "attempt_budget": x.attempt_budget,
                    "next_attempt_at": x.next_attempt_at,
                    "created_at": x.created_at,
                }
                for x in deliveries
            ],
        )

    async def get_delivery(self, webhook_id: UUID, delivery_id: UUID) -> Delivery | None:
        row = (
            await self.session.execute(
                select(d).where(d.c.id == delivery_id, d.c.webhook_id == webhook_id)
            )
        ).first()
        return _delivery(row) if row else None

    async def list_deliveries(self, webhook_id: UUID, page: PageRequest) -> PageResult[Delivery]:
        result = await keyset_page(
            self.session,
            select(d).where(d.c.webhook_id == webhook_id),
            _DELIVERIES,
            page,
            _delivery,
            lambda r: (r.id,),
        )
        if result.items:
            by_id = {x.id: x for x in result.items}
            rows = await self.session.execute(
                select(a).where(a.c.delivery_id.in_(list(by_id))).order_by(a.c.id)
            )
            for row in rows:
                by_id[row.delivery_id].tries.append(_attempt(row))
        return result

    async def update_delivery(self, delivery: Delivery) -> None:
        await self.update_deliveries([delivery])

    async def update_deliveries(self, deliveries: Sequence[Delivery]) -> None:
        """One statement for all of them (executemany)."""
        if not deliveries:
            return
        await self.session.execute(
            update(d)
            .where(d.c.id == bindparam("delivery_id"))
            .values(
                status=bindparam("new_status"),
                attempts=bindparam("new_attempts"),
                attempt_budget=bindparam("new_budget"),
                next_attempt_at=bindparam("new_next"),
                last_status_code=bindparam("new_code"),
                last_attempt_at=bindparam("new_last"),
            ),
            [
                {
                    "delivery_id": x.id,
                    "new_status": x.status.value,
                    "new_attempts": x.attempts,
                    "new_budget": x.attempt_budget,
                    "new_next": x.next_attempt_at,
                    "new_code": x.last_status_code,
                    "new_last": x.last_attempt_at,
                }
                for x in deliveries
            ],
        )

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self.session.execute(
            select(d.c.id)
            .join(w, w.c.id == d.c.webhook_id)
            .where(d.c.status == PENDING, d.c.next_attempt_at <= now, w.c.enabled.is_(True))
            .order_by(d.c.next_attempt_at)
            .limit(limit)
        )
        return [row.id for row in rows]

    async def claim(
        self, delivery_ids: Sequence[UUID], now: datetime, lease_until: datetime
    ) -> list[tuple[Delivery, Webhook]]:
        enabled = select(w.c.id).where(w.c.enabled.is_(True))
        taken = await self.session.execute(
            update(d)
            .where(
                d.c.id.in_(list(delivery_ids)),
                d.c.status == PENDING,
                d.c.next_attempt_at <= now,
                d.c.webhook_id.in_(enabled),
            )
            .values(next_attempt_at=lease_until)
            .returning(d.c.id)
        )
        ids = [row.id for row in taken]
        if not ids:
            return []
        deliveries = [
            _delivery(row) for row in await self.session.execute(select(d).where(d.c.id.in_(ids)))
        ]
        hooks = {
            x.id: x
            for x in (
                _webhook(row)
                for row in await self.session.execute(
                    _WEBHOOK.where(w.c.id.in_({x.webhook_id for x in deliveries}))
                )
            )
        }
        return [(x, hooks[x.webhook_id]) for x in deliveries]

    async def add_attempts(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:
            return
        # A webhook deleted while its deliveries were out takes them along: their tries have
        # nothing to belong to. The lock keeps the rest until this transaction ends.
        kept = {
            row.id
            for row in await self.session.execute(
                select(d.c.id)
                .where(d.c.id.in_([x.delivery_id for x in attempts]))
                .with_for_update()
            )
        }
        attempts = [x for x in attempts if x.delivery_id in kept]
        if not attempts:
            return
        await self.session.execute(
            insert(a),
            [
                {
                    "id": x.id,
                    "delivery_id": x.delivery_id,
                    "attempted_at": x.attempted_at,
                    "status_code": x.status_code,
                    "duration_ms": x.duration_ms,
                    "ok": x.ok,
                    "error": x.error[:500] if x.error else None,
                    "response_excerpt": x.response_excerpt,
                }
                for x in attempts
            ],
        )

    async def prune(self, before: datetime, limit: int) -> int:
        rows = await self.session.execute(
            select(d.c.id)
            .where(d.c.created_at < before, d.c.status != PENDING)
            .order_by(d.c.created_at)
            .limit(limit)
        )
        ids = [row.id for row in rows]
        if ids:
            await self.session.execute(delete(a).where(a.c.delivery_id.in_(ids)))
            await self.session.execute(delete(d).where(d.c.id.in_(ids)))
        return len(ids)
