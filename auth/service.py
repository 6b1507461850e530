"""Sign-in flows: register, password grant, refresh rotation, logout, and who a bearer token is."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from auth.passwords import Argon2PasswordHasher
from auth.personal_tokens import find_live_personal_token, note_personal_token_use
from auth.principal import Principal, TokenKind, scopes_for
from auth.refresh import issue_refresh_token, revoke_refresh_family, rotate_refresh_token
from auth.secrets import PERSONAL_PREFIX
from auth.tokens import AccessTokenCodec
from domain.accounts import service as accounts
from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Unauthenticated
from domain.ports import UnitOfWork
from domain.users import service as users
from domain.users.model import Scope, User


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class AuthService:
    def __init__(
        self,
        codec: AccessTokenCodec,
        hasher: Argon2PasswordHasher,
        clock: Clock,
        refresh_lifetime: timedelta,
    ) -> None:
        self.codec = codec
        self.hasher = hasher
        self.clock = clock
        self.refresh_lifetime = refresh_lifetime
        # Verified against when the email is unknown, so both failures cost the same time.
        self._dummy_hash = hasher.hash_sync(secrets.token_urlsafe(16))

    def _access_token(self, user: User) -> str:
        return self.codec.issue(
            user.id,
            frozenset(s.value for s in scopes_for(user)),
            user.token_version,
            self.clock.now(),
        )

    async def _pair(self, uow: UnitOfWork, user: User) -> TokenPair:
        refresh = await issue_refresh_token(uow, self.clock, user.id, self.refresh_lifetime)
        return TokenPair(
            self._access_token(user), refresh, int(self.codec.lifetime.total_seconds())
        )

    async def register(self, uow: UnitOfWork, data: users.Registration) -> tuple[User, TokenPair]:
        user = await users.register_user(uow, self.hasher, self.clock, data)
        if user.email_verified_at is None:
            await accounts.start_verification(uow, self.clock, user)
        pair = await self._pair(uow, user)
        await uow.commit()
        return user, pair

    async def login(self, uow: UnitOfWork, email: str, password: str) -> TokenPair:
        user = await users.authenticate(uow, self.hasher, email, password, self._dummy_hash)
        pair = await self._pair(uow, user)
        await uow.commit()
        return pair

    async def refresh(self, uow: UnitOfWork, raw: str) -> TokenPair:
        user_id, successor = await rotate_refresh_token(uow, self.clock, raw, self.refresh_lifetime)
        user = await uow.users.get(user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("The refresh token is invalid, expired or revoked.")
        await uow.commit()
        return TokenPair(
            self._access_token(user), successor, int(self.codec.lifetime.total_seconds())
        )

    async def logout(self, uow: UnitOfWork, actor: Actor, raw: str | None) -> None:
        if raw:
            await revoke_refresh_family(uow, self.clock, raw, actor.user_id)
            await uow.commit()

    async def principal_for(self, uow: UnitOfWork, bearer: str, needed: Scope) -> Principal:
        """Who a bearer token is, allowed `needed`, with the account read now; or
        Unauthenticated (Forbidden when the token lacks `needed`)."""
        if bearer.startswith(PERSONAL_PREFIX):
            token = await find_live_personal_token(uow, self.clock, bearer)
            if token is None:
                raise Unauthenticated("The personal access token is invalid or revoked.")
            user = await uow.users.get(token.user_id)
            if user is None or not user.is_active:
                raise Unauthenticated("The personal access token is invalid or revoked.")
            principal = Principal.for_account(user, token.scopes, TokenKind.personal, token.id)
            await note_personal_token_use(uow, self.clock, token)
            return principal.require(needed)
        claims = self.codec.verify(bearer)
        account = await uow.users.get(claims.user_id)
        return Principal.for_access_token(claims, account).require(needed)
