"""Who is acting. Services take an Actor; auth.principal.Principal extends it with token scopes.

An Actor is always confirmed: the request's caller is resolved (token verified, account read,
active and current) before any service runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: UUID
    is_admin: bool = False
