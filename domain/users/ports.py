"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.pagination import PageRequest, PageResult
from domain.users.model import PersonalToken, RefreshToken, User


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class UserRepository(Protocol):
    async def get(self, user_id: UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def get_by_handle(self, handle: str) -> User | None: ...

    async def handles_taken(self, candidates: list[str]) -> set[str]: ...

    async def count(self) -> int: ...

    async def add(self, user: User) -> None: ...

    async def update(self, user: User) -> None: ...

    async def lock(self, user_id: UUID) -> None:
        """Hold the account until the unit of work ends (checks followed by a write)."""
        ...

    async def search(self, q: str | None, page: PageRequest) -> PageResult[User]: ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_used(self, token_id: UUID, at: datetime) -> bool:
        """Atomically mark an unused token used; False when someone else used it first."""
        ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> None: ...

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> None: ...


class PersonalTokenRepository(Protocol):
    async def add(self, token: PersonalToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> PersonalToken | None: ...

    async def list_for_user(
        self, user_id: UUID, page: PageRequest
    ) -> PageResult[PersonalToken]: ...

    async def revoke(self, user_id: UUID, token_id: UUID, at: datetime) -> bool: ...

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> int:
        """Revoke every live token of the user; how many were live."""
        ...

    async def lock_owner(self, user_id: UUID) -> None:
        """Hold the owner's account until the unit of work ends, so that checks of the
        owner's tokens followed by a write do not interleave with another request's."""
        ...

    async def created_since(self, user_id: UUID, since: datetime) -> tuple[int, datetime | None]:
        """How many tokens the user created after `since` (revoked ones too), and the oldest."""
        ...

    async def count_active(self, user_id: UUID, now: datetime) -> int: ...

    async def mark_used(self, token_id: UUID, at: datetime, stale_before: datetime) -> bool:
        """Set last_used_at to `at` unless it is already at or after `stale_before` (or the row
        is being written by another transaction right now); True when this call wrote it."""
        ...


class SessionsEnded(Protocol):
    """Told, once a unit of work has committed, of each account whose token version it changed
    (a password change, or anything else that ends every session): the account's open
    notification streams end, in this process or any other."""

    def sessions_ended(self, user_id: UUID, token_version: int) -> None:
        """Returns at once and never raises."""
        ...


class UsersRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def personal_tokens(self) -> PersonalTokenRepository: ...
