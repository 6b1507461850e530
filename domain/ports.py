"""Ports: the Protocols the domain needs; repositories/ implements them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
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


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What an Idempotency-Key remembers: the request's fingerprint and, once done, the answer."""

    request_hash: str
    status_code: int | None
    body: bytes | None
    location: str | None


class IdempotencyRepository(Protocol):
    async def claim(
        self, owner: str, key: str, request_hash: str, at: datetime
    ) -> StoredResponse | None:
        """Claim the key; returns the existing record when it was claimed before."""
        ...

    async def complete(
        self, owner: str, key: str, status_code: int, body: bytes, location: str | None
    ) -> None: ...

    async def release(self, owner: str, key: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction. Repositories are read-only attributes so implementations may narrow them."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def personal_tokens(self) -> PersonalTokenRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
