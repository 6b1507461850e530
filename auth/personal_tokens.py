"""Personal access tokens (`lf_pat_...`): long-lived, scoped, revocable, stored as hashes."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from auth.secrets import PERSONAL_PREFIX, hash_secret, new_secret
from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Forbidden, NotFound, RateLimited, ValidationFailed
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.users.model import PersonalToken, Scope

MAX_TOKEN_DAYS = 3650
# Caps per account, so a stolen session cannot mint tokens without bound.
CREATED_PER_WINDOW = 20  # tokens created (revoked ones too) ...
CREATION_WINDOW = timedelta(hours=1)  # ... in any window this long
MAX_ACTIVE_TOKENS = 100  # unrevoked and unexpired at once
# last_used_at is written at most this often per token, so using a token costs no write per
# request; finer precision would tell the owner nothing more.
LAST_USED_PRECISION = timedelta(minutes=1)


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
    now = clock.now()
    await _check_caps(uow, actor, now)
    raw = new_secret(PERSONAL_PREFIX)
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


async def _check_caps(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
    # Serialises this account's token creations, so parallel requests cannot pass the caps.
    await uow.personal_tokens.lock_owner(actor.user_id)
    since = now - CREATION_WINDOW
    created, oldest = await uow.personal_tokens.created_since(actor.user_id, since)
    if created >= CREATED_PER_WINDOW and oldest is not None:
        wait = (oldest - since).total_seconds()
        raise RateLimited(
            f"At most {CREATED_PER_WINDOW} personal access tokens can be created per hour.",
            retry_after=max(1, math.ceil(wait)),
        )
    if await uow.personal_tokens.count_active(actor.user_id, now) >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed(
            f"You have {MAX_ACTIVE_TOKENS} active personal access tokens, the most allowed; "
            "revoke one you no longer use first.",
            code="too_many_tokens",
        )


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


async def note_personal_token_use(uow: UnitOfWork, clock: Clock, token: PersonalToken) -> None:
    """Record when `token` was last used, at most once per LAST_USED_PRECISION.

    The token's row was just read, so most requests see a recent `last_used_at` and write
    nothing; the repository's conditional update settles races between requests and processes.
    In a read-only unit of work the update is its own autocommitted statement; otherwise it is
    part of the request's transaction.
    """
    now = clock.now()
    stale_before = now - LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at > stale_before:
        return
    if await uow.personal_tokens.mark_used(token.id, now, stale_before):
        token.last_used_at = now
