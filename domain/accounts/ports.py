"""Ports of account flows: the single-use tokens that mailed links carry."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.accounts.model import AccountToken, TokenPurpose


class AccountTokenRepository(Protocol):
    async def add(self, token: AccountToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> AccountToken | None: ...

    async def use(self, token_id: UUID, at: datetime) -> bool:
        """Mark an unused token used; False when it was used already (a concurrent use)."""
        ...

    async def retire(self, user_id: UUID, purpose: TokenPurpose, at: datetime) -> None:
        """Every unused token of the person for `purpose` stops working (a newer one replaces
        them, or the purpose was fulfilled)."""
        ...

    async def created_since(
        self, user_id: UUID, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        """When the person's tokens for `purpose` made after `since` were made, oldest first."""
        ...


class AccountsRepositories(Protocol):
    @property
    def account_tokens(self) -> AccountTokenRepository: ...
