"""Refresh tokens: opaque, single use, rotated on every refresh, grouped in families.

A family starts at login. Each refresh marks the presented token used and issues its successor
in the same family. Presenting a used token again means it leaked: the whole family is revoked.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from uuid import UUID

from auth.secrets import REFRESH_PREFIX, hash_secret, new_secret
from domain.clock import Clock
from domain.errors import Unauthenticated
from domain.ports import UnitOfWork
from domain.users.model import RefreshToken


async def issue_refresh_token(
    uow: UnitOfWork, clock: Clock, user_id: UUID, lifetime: timedelta, family_id: UUID | None = None
) -> str:
    raw = new_secret(REFRESH_PREFIX)
    now = clock.now()
    await uow.refresh_tokens.add(
        RefreshToken(
            id=uuid.uuid4(),
            family_id=family_id or uuid.uuid4(),
            user_id=user_id,
            token_hash=hash_secret(raw),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return raw


async def rotate_refresh_token(
    uow: UnitOfWork, clock: Clock, raw: str, lifetime: timedelta
) -> tuple[UUID, str]:
    """Spend `raw` and return (user_id, successor). Reuse revokes the family (committed)."""
    dead = Unauthenticated("The refresh token is invalid, expired or revoked.")
    token = await uow.refresh_tokens.get_by_hash(hash_secret(raw))
    now = clock.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise dead
    if token.used_at is not None or not await uow.refresh_tokens.mark_used(token.id, now):
        await uow.refresh_tokens.revoke_family(token.family_id, now)
        await uow.commit()  # the revocation must survive the error we are about to raise
        raise dead
    successor = await issue_refresh_token(uow, clock, token.user_id, lifetime, token.family_id)
    return token.user_id, successor


async def revoke_refresh_family(uow: UnitOfWork, clock: Clock, raw: str, user_id: UUID) -> None:
    """Logout: revoke the family of `raw` when it belongs to the caller; silent otherwise."""
    token = await uow.refresh_tokens.get_by_hash(hash_secret(raw))
    if token is not None and token.user_id == user_id:
        await uow.refresh_tokens.revoke_family(token.family_id, clock.now())
