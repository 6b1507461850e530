"""Idempotency keys: the first request claims the key; its response is stored for replays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ports import StoredResponse
from repositories.tables import IdempotencyKey

keys = IdempotencyKey.__table__  # type: ignore[attr-defined]


class SqlIdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self, owner: str, key: str, request_hash: str, at: datetime
    ) -> StoredResponse | None:
        existing = await self._get(owner, key)
        if existing is not None:
            return existing
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    insert(keys).values(
                        owner=owner, key=key, request_hash=request_hash, created_at=at
                    )
                )
        except IntegrityError:
            # A concurrent request claimed it between our read and our insert.
            return await self._get(owner, key)
        return None

    async def _get(self, owner: str, key: str) -> StoredResponse | None:
        row = (
            await self.session.execute(
                select(
                    keys.c.request_hash,
                    keys.c.status_code,
                    keys.c.body,
                    keys.c.location,
                    keys.c.created_at,
                ).where(keys.c.owner == owner, keys.c.key == key)
            )
        ).first()
        if row is None:
            return None
        return StoredResponse(row[0], row[1], row[2], row[3], row[4])

    async def take_over(self, owner: str, key: str, claimed_at: datetime, at: datetime) -> bool:
        # Conditional on the claim we saw: of two retries racing for it, one wins.
        result = await self.session.execute(
            update(keys)
            .where(
                keys.c.owner == owner,
                keys.c.key == key,
                keys.c.status_code.is_(None),
                keys.c.created_at == claimed_at,
            )
            .values(created_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def complete(
        self, owner: str, key: str, status_code: int, body: bytes, location: str | None
    ) -> None:
        await self.session.execute(
            update(keys)
            .where(keys.c.owner == owner, keys.c.key == key)
            .values(status_code=status_code, body=body, location=location)
        )

    async def release(self, owner: str, key: str) -> None:
        await self.session.execute(delete(keys).where(keys.c.owner == owner, keys.c.key == key))
