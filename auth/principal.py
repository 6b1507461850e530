"""The authenticated caller: a domain Actor plus what the presented token allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from domain.actor import Actor
from domain.users.model import Scope, User


class TokenKind(StrEnum):
    access = "access"
    personal = "personal"


@dataclass(frozen=True, slots=True)
class Principal(Actor):
    scopes: frozenset[Scope] = frozenset()
    token_kind: TokenKind = TokenKind.access
    token_id: UUID | None = None
    # The account as loaded while checking the token, so a request need not read it twice.
    user: User | None = field(default=None, compare=False, repr=False)

    def allows(self, scope: Scope) -> bool:
        if scope is Scope.admin:
            return self.is_admin and Scope.admin in self.scopes
        return scope in self.scopes

    @property
    def rate_limit_key(self) -> str:
        return f"user:{self.user_id}"
