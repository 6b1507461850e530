"""Users: the entity, handle and password rules, roles and scopes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from uuid import UUID

from domain.errors import ValidationFailed
from domain.users.common_passwords import COMMON_PASSWORDS


class Role(StrEnum):
    admin = "admin"
    member = "member"


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{1,28}[a-z0-9])$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When someone is at work, in their own time zone: ISO weekdays (1 = Monday) and a daily
    window. An end before the start means the window crosses midnight (22:00-06:00): the hours
    after midnight belong to the day the shift started."""

    days: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(1, 8)):
            raise ValidationFailed(
                "Working days are ISO weekdays from 1 (Monday) to 7 (Sunday), at least one.",
                field="working_hours",
            )
        if self.start == self.end:
            raise ValidationFailed(
                "Working hours need a start and an end that differ.", field="working_hours"
            )

    def includes(self, local: datetime) -> bool:
        """Whether the local wall-clock time `local` falls inside these hours."""
        at = local.time().replace(tzinfo=None)
        day = local.isoweekday()
        if self.start < self.end:
            return day in self.days and self.start <= at < self.end
        if at >= self.start:
            return day in self.days
        previous = 7 if day == 1 else day - 1
        return at < self.end and previous in self.days


# Whoever has not said otherwise works Monday to Friday, nine to five, in their own time zone.
DEFAULT_WORKING_HOURS = WorkingHours(frozenset({1, 2, 3, 4, 5}), time(9), time(17))


@dataclass(slots=True)
class User:
    id: UUID
    email: str
    handle: str
    display_name: str
    role: Role
    password_hash: str
    created_at: datetime
    updated_at: datetime
    title: str | None = None
    bio: str | None = None
    location: str | None = None
    timezone: str | None = None
    avatar_url: str | None = None
    # None: DEFAULT_WORKING_HOURS.
    working_hours: WorkingHours | None = None
    is_active: bool = True
    # Bumped on password change or deactivation; access tokens carry it, so older ones die at once.
    token_version: int = 0
    version: int = 1
    # When the current address was confirmed (None: not yet); notification mail waits for it.
    email_verified_at: datetime | None = None
    # A permanent SMTP refusal of the current address: no mail until the address changes.
    email_undeliverable_at: datetime | None = None
    email_undeliverable_reason: str | None = None


@dataclass(frozen=True, slots=True)
class UserRef:
    """The public summary of a person, as other features show them next to their content."""

    id: UUID
    handle: str
    display_name: str
    title: str | None = None
    avatar_url: str | None = None


@dataclass(frozen=True, slots=True)
class UserStats:
    posts: int = 0
    accepted_answers: int = 0
    endorsements_received: int = 0
    mentees: int = 0


@dataclass(frozen=True, slots=True)
class UserProfile:
    """What `/users/{handle}` shows: the user plus parts other features fill in."""

    user: User
    skills: list[object] = field(default_factory=list)
    mentor_profile: object | None = None
    stats: UserStats = field(default_factory=UserStats)


def normalize_email(email: str) -> str:
    """Emails are case-insensitive for identity; we keep one canonical form."""
    return email.strip().lower()


def validate_handle(handle: str) -> str:
    handle = handle.strip().lower()
    if not HANDLE_RE.match(handle):
        raise ValidationFailed(
            "A handle is 3-30 characters of lowercase letters, digits, '-' or '_', "
            "starting and ending with a letter or digit.",
            field="handle",
        )
    return handle


def handle_base(display_name: str, email: str) -> str:
    """A readable handle candidate from the display name, falling back to the email's local part."""
    for source in (display_name, email.split("@", 1)[0]):
        ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
        candidate = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-_")[:24].strip("-_")
        if len(candidate) >= 3:
            return candidate
    return "member"


def check_password_policy(password: str, *, email: str, handle: str | None = None) -> None:
    """Length plus a deny-list; composition rules are deliberately absent (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The password must have at most {MAX_PASSWORD_LENGTH} characters.", field="password"
        )
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        raise ValidationFailed("This password is too common; choose another.", field="password")
    local = normalize_email(email).split("@", 1)[0]
    if lowered in {normalize_email(email), local} or (handle and lowered == handle.lower()):
        raise ValidationFailed(
            "The password must not repeat your email or handle.", field="password"
        )


def scopes_allow(granted: frozenset[Scope], needed: Scope) -> bool:
    return needed in granted


@dataclass(slots=True)
class RefreshToken:
    """One link in a rotation chain. Only the hash of the opaque secret is stored."""

    id: UUID
    family_id: UUID
    user_id: UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(slots=True)
class PersonalToken:
    id: UUID
    user_id: UUID
    name: str
    scopes: frozenset[Scope]
    token_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
