"""Who is acting. Services take an Actor; auth.principal.Principal extends it with token scopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.users.model import User


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: UUID
    is_admin: bool = False


class Caller(Protocol):
    """Who is asking, as the busiest reads know them before the caller's account is read.

    A verified access token names its user, but only the account says whether that user is still
    active and what they may do. Those reads fetch the account in their own statement when
    `account_needed`, then `confirm` it: one round trip fewer on every request. Until then there is
    no Actor, so no rule can run on an unconfirmed caller.
    """

    @property
    def user_id(self) -> UUID: ...

    @property
    def account_needed(self) -> bool: ...

    def confirm(self, account: User | None) -> Actor:
        """The Actor, given the account read for `user_id` (None when there is none); raises
        Unauthenticated or Forbidden as reading it first would have."""
        ...
