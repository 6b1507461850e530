"""Account tokens in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.model import AccountToken, TokenPurpose
from repositories.accounts.tables import AccountTokenRow
from repositories.rows import fields

tokens = AccountTokenRow.__table__  # type: ignore[attr-defined]


def _token(row: Row[Any]) -> AccountToken:
    m = fields(row)
    return AccountToken(
        id=m["id"],
        user_id=m["user_id"],
        purpose=TokenPurpose(m["purpose"]),
        token_hash=m["token_hash"],
        email=m["email"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        used_at=m["used_at"],
    )


class SqlAccountTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: AccountToken) -> None:
        await self.session.execute(
            insert(tokens).values(
                id=token.id,
                user_id=token.user_id,
                purpose=token.purpose.value,
                token_hash=token.token_hash,
                email=token.email,
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
        )

    async def get_by_hash(self, token_hash: str) -> AccountToken | None:
        row = (
            await self.session.execute(select(tokens).where(tokens.c.token_hash == token_hash))
        ).first()
        return _token(row) if row else None

    async def use(self, token_id: UUID, at: datetime) -> bool:
        result = await self.session.execute(
            update(tokens)
            .where(tokens.c.id == token_id, tokens.c.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def retire(self, user_id: UUID, purpose: TokenPurpose, at: datetime) -> None:
        await self.session.execute(
            update(tokens)
            .where(
                tokens.c.user_id == user_id,
                tokens.c.purpose == purpose.value,
                tokens.c.used_at.is_(None),
            )
            .values(used_at=at)
        )

    async def created_since(
        self, user_id: UUID, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        rows = await self.session.execute(
            select(tokens.c.created_at)
            .where(
                tokens.c.user_id == user_id,
                tokens.c.purpose == purpose.value,
                tokens.c.created_at > since,
            )
            .order_by(tokens.c.created_at)
        )
        return [r[0] for r in rows]
