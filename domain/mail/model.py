"""Mail: what a feature asks to send (a `MailMessage`), and who may receive it at send time.

A message names its recipient by user id (their current address) or by an explicit address,
a template, the template's context, a category, and optional extra headers. Whether it goes out
is decided when it is sent, not when it is queued: an address that became undeliverable or
changed meanwhile is respected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.users.model import User


class MailCategory(StrEnum):
    """Why a person gets a message; the footer says so, and later preferences key on it.
    `account` mail (verification, password reset, address change) is sent to unverified
    addresses too; every other category only to verified ones."""

    account = "account"
    notification = "notification"
    digest = "digest"


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One message to send. `to_user_id`, `to_address` or both: with both, the message goes to
    `to_address` on behalf of that person (a notice to their previous address)."""

    template: str
    category: MailCategory
    to_user_id: UUID | None = None
    to_address: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.to_user_id is None and self.to_address is None:
            raise ValueError("a message needs to_user_id or to_address")

    def to_payload(self) -> dict[str, Any]:
        """JSON for the outbox (the context must be JSON-ready: strings, numbers, lists)."""
        return {
            "template": self.template,
            "category": self.category.value,
            "to_user_id": str(self.to_user_id) if self.to_user_id else None,
            "to_address": self.to_address,
            "context": dict(self.context),
            "headers": dict(self.headers),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> MailMessage:
        user_id = payload.get("to_user_id")
        return cls(
            template=str(payload["template"]),
            category=MailCategory(payload["category"]),
            to_user_id=UUID(str(user_id)) if user_id else None,
            to_address=payload.get("to_address"),
            context=dict(payload.get("context") or {}),
            headers=dict(payload.get("headers") or {}),
        )


class Skip(StrEnum):
    """Why a queued message was not sent."""

    no_account = "no_account"
    unverified = "unverified"
    undeliverable = "undeliverable"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a message goes: the address, the person (when known) and whether a permanent
    failure there marks that person's address undeliverable (only their current address)."""

    address: str
    user: User | None
    marks_account: bool


def email_status(user: User) -> str:
    """`verified`, `unverified` or `undeliverable`, as the settings page shows it."""
    if user.email_undeliverable_at is not None:
        return "undeliverable"
    return "verified" if user.email_verified_at is not None else "unverified"


def may_receive(user: User, category: MailCategory) -> bool:
    """Whether mail of `category` may go to the person's current address now: an active
    account, an address not marked undeliverable, and (except for account mail) verified.
    Features that decide *whether* to write to someone (notification mail, digests) ask this."""
    if not user.is_active or user.email_undeliverable_at is not None:
        return False
    return category is MailCategory.account or user.email_verified_at is not None


def recipient_for(message: MailMessage, user: User | None) -> Recipient | Skip:
    """The send-time decision for `message`, `user` being its `to_user_id` read now."""
    if message.to_user_id is None:
        assert message.to_address is not None
        return Recipient(message.to_address, None, marks_account=False)
    if user is None or not user.is_active:
        return Skip.no_account
    if message.to_address is not None and message.to_address != user.email:
        # A notice to an address the person no longer uses: it is not theirs to mark.
        if message.category is not MailCategory.account:
            return Skip.unverified
        return Recipient(message.to_address, user, marks_account=False)
    if user.email_undeliverable_at is not None:
        return Skip.undeliverable
    if message.category is not MailCategory.account and user.email_verified_at is None:
        return Skip.unverified
    return Recipient(user.email, user, marks_account=True)


@dataclass(frozen=True, slots=True)
class Undeliverable:
    """A permanent refusal of `address` (an SMTP 5xx): recorded on the account while it still
    uses that address."""

    user_id: UUID
    address: str
    reason: str
    at: datetime


# -- the queue ----------------------------------------------------------------------------------

# The event consumer (and dead-letter name) of queued mail.
MAIL_SENDER = "mail.send"


class MailStatus(StrEnum):
    """Where a queued message is: waiting (or being tried), or finished one way or another."""

    pending = "pending"
    sent = "sent"
    skipped = "skipped"
    undeliverable = "undeliverable"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class QueuedMail:
    """A claimed message; `attempts` counts this try."""

    id: UUID
    message: MailMessage
    attempts: int


@dataclass(frozen=True, slots=True)
class MailOutcome:
    """What became of one try of a queued message. `pending` with `retry_at`: a temporary
    failure, tried again then; `failed`: a temporary failure on its last try (dead-lettered);
    `undeliverable` with `mark`: a permanent refusal of the person's current address."""

    id: UUID
    status: MailStatus
    attempts: int
    error: str | None = None
    retry_at: datetime | None = None
    mark: Undeliverable | None = None
