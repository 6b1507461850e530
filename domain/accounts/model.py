"""Account tokens: the single-use links mailed for e-mail verification and password reset.

A token is 256 random bits, so a fast hash is enough; only the hash is stored, with its purpose,
the address it was sent to, an expiry and when it was used. Using one is a compare-and-set on
`used_at`, so of two concurrent uses only one wins.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.errors import LinkRefused


class TokenPurpose(StrEnum):
    verify_email = "verify_email"
    reset_password = "reset_password"  # noqa: S105 (a purpose, not a password)


PREFIXES = {TokenPurpose.verify_email: "lf_ve_", TokenPurpose.reset_password: "lf_pr_"}
LIFETIMES = {
    TokenPurpose.verify_email: timedelta(hours=24),
    TokenPurpose.reset_password: timedelta(hours=1),
}
# Verification mails an account may ask for (registration and address changes included).
VERIFICATION_MAILS_PER_HOUR = 5


def new_token(purpose: TokenPurpose) -> str:
    return PREFIXES[purpose] + secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(slots=True)
class AccountToken:
    id: UUID
    user_id: UUID
    purpose: TokenPurpose
    token_hash: str
    email: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


LINK_INVALID = "This link is not valid. Check that you copied all of it, or ask for a new one."
LINK_USED = "This link was already used. Ask for a new one if you still need it."
LINK_EXPIRED = "This link has expired. Ask for a new one."
LINK_STALE = "This link is for an address your account no longer uses."


def check_usable(token: AccountToken | None, purpose: TokenPurpose, now: datetime) -> AccountToken:
    """The token, if it can be used now for `purpose`; else LinkRefused saying why."""
    if token is None or token.purpose is not purpose:
        raise LinkRefused(LINK_INVALID, code="token_invalid")
    if token.used_at is not None:
        raise LinkRefused(LINK_USED, code="token_used")
    if token.expires_at <= now:
        raise LinkRefused(LINK_EXPIRED, code="token_expired")
    return token
