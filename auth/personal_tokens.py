"""Personal access tokens (`lf_pat_...`): long-lived, scoped, revocable, stored as hashes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from auth.secrets import PERSONAL_PREFIX, hash_secret, new_secret
from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Forbidden, NotFound, ValidationFailed
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.users.model import PersonalToken, Scope

MAX_TOKEN_DAYS = 3650


async def create_personal_token(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    name: str,
    scopes: frozenset[Scope],
    expires_in_days: int | None,
) -> tuple[PersonalToken, str]:
    if not name.strip():
        raise ValidationFailed("The token needs a name.", field="name")
    if not scopes:
        raise ValidationFailed("Choose at least one scope.", field="scopes")
    if Scope.admin in scopes and not actor.is_admin:
        raise Forbidden("Only administrators can grant the admin scope.")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            f"expires_in_days must be between 1 and {MAX_TOKEN_DAYS}.", field="expires_in_days"
        )
    raw = new_secret(PERSONAL_PREFIX)
    now = clock.now()
    token = PersonalToken(
        id=uuid.uuid4(),
        user_id=actor.user_id,
        name=name.strip(),
        scopes=scopes,
        token_hash=hash_secret(raw),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    await uow.personal_tokens.add(token)
    await uow.commit()
    return token, raw


async def list_personal_tokens(
    uow: UnitOfWork, actor: Actor, page: PageRequest
) -> PageResult[PersonalToken]:
    return await uow.personal_tokens.list_for_user(actor.user_id, page)


async def revoke_personal_token(
    uow: UnitOfWork, clock: Clock, actor: Actor, token_id: uuid.UUID
) -> None:
    if not await uow.personal_tokens.revoke(actor.user_id, token_id, clock.now()):
        raise NotFound("Token not found.")
    await uow.commit()


async def find_live_personal_token(uow: UnitOfWork, clock: Clock, raw: str) -> PersonalToken | None:
    token = await uow.personal_tokens.get_by_hash(hash_secret(raw))
    now = clock.now()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token
