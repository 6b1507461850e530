"""Notification mail and digests: who gets which mail when, and what a one-click unsubscribe
turns off. Pure rules; the jobs in service.py apply them to everybody at once.

Immediate notification mail: the kinds a person chose for the e-mail channel; the first mail
goes out at the next minute's run; after a mail, at most one more per person per
`MAIL_INTERVAL`, collapsing what arrived meanwhile; nothing already read in the app.

Digests: daily or weekly (the default for people who ever signed in), at `DIGEST_HOUR` in the
person's own time zone (UTC without one), weekly on Mondays; a slot missed by more than
`DIGEST_GRACE` is skipped, not sent late. A digest is keyed by its period
(the local date, or the ISO week), recorded once per person and period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.notifications.model import NotificationKind

# After a notification mail, the next one waits at least this long (what arrives meanwhile is
# collapsed into it).
MAIL_INTERVAL = timedelta(minutes=10)
# A person's first notification mail never reaches further back than this (the feature turned
# on for an inbox full of old unread lines, or a long outage).
MAIL_LOOKBACK = timedelta(days=1)
# Lines listed in one notification mail; the rest are counted.
MAIL_ITEMS = 20
DIGEST_HOUR = time(8, 0)
# A digest goes out in the hours after DIGEST_HOUR local, never later: a slot missed for longer
# (the workers were down) is skipped, and the next slot is the next one.
DIGEST_GRACE = timedelta(hours=3)
# What a digest lists of each section.
DIGEST_POSTS = 5
DIGEST_QUESTIONS = 5
# An active mentorship without a session logged for this long has one due.
SESSION_DUE_AFTER = timedelta(days=14)

MENTORSHIP_KINDS: frozenset[NotificationKind] = frozenset(
    {
        NotificationKind.mentorship_requested,
        NotificationKind.mentorship_accepted,
        NotificationKind.mentorship_declined,
    }
)


class DigestFrequency(StrEnum):
    off = "off"
    daily = "daily"
    weekly = "weekly"


def default_frequency(ever_signed_in: bool) -> DigestFrequency:
    """Weekly for people who use the app; off for accounts nobody ever signed in to."""
    return DigestFrequency.weekly if ever_signed_in else DigestFrequency.off


def zone_of(name: str | None) -> tzinfo:
    """The person's time zone; UTC when unset or unknown to this machine."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@dataclass(frozen=True, slots=True)
class DigestPeriod:
    """One digest's period: `key` names it (`2026-12-07`, `2026-W50`), `due_at` is when it goes
    out (08:00 local on its first day) and `starts_at` the beginning of what it covers when no
    earlier digest was sent."""

    frequency: DigestFrequency
    key: str
    due_at: datetime
    starts_at: datetime


def current_period(frequency: DigestFrequency, zone: tzinfo, now: datetime) -> DigestPeriod | None:
    """The period whose digest is due now in `zone`: from 08:00 on its first local day for
    DIGEST_GRACE. A slot missed by more than that (the workers down for hours) is skipped: the
    digest is not sent late in the day, and the next one goes out at its own 08:00. None when
    nothing is due now."""
    if frequency is DigestFrequency.off:
        return None
    local = now.astimezone(zone)
    day = local.date()
    slot = datetime.combine(day, DIGEST_HOUR, tzinfo=zone)
    if not slot <= local < slot + DIGEST_GRACE:
        return None
    if frequency is DigestFrequency.daily:
        key, length = day.isoformat(), timedelta(days=1)
    else:
        if day.isoweekday() != 1:
            return None
        year, week, _ = day.isocalendar()
        key, length = f"{year}-W{week:02d}", timedelta(days=7)
    due = datetime.combine(day, DIGEST_HOUR, tzinfo=zone).astimezone(UTC)
    return DigestPeriod(frequency, key, due, due - length)


class UnsubscribeKind(StrEnum):
    digest = "digest"
    notification = "notification"


@dataclass(frozen=True, slots=True)
class MailTopic:
    """What one mail is about, as its one-click unsubscribe names it: the digest, or the
    notification kinds it carries (unsubscribing turns off their e-mail channel)."""

    kind: UnsubscribeKind
    notification_kinds: tuple[NotificationKind, ...] = ()

    @property
    def value(self) -> str:
        if self.kind is UnsubscribeKind.digest:
            return self.kind.value
        return f"{self.kind.value}:" + ",".join(k.value for k in self.notification_kinds)

    @classmethod
    def parse(cls, text: str) -> MailTopic | None:
        if text == UnsubscribeKind.digest.value:
            return cls(UnsubscribeKind.digest)
        prefix, _, rest = text.partition(":")
        if prefix != UnsubscribeKind.notification.value or not rest:
            return None
        try:
            kinds = tuple(NotificationKind(part) for part in rest.split(","))
        except ValueError:
            return None
        return cls(UnsubscribeKind.notification, kinds)


DIGEST_TOPIC = MailTopic(UnsubscribeKind.digest)


def notification_topic(kinds: Iterable[NotificationKind]) -> MailTopic:
    return MailTopic(UnsubscribeKind.notification, tuple(sorted(set(kinds))))


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """A verified one-click unsubscribe: this person, this topic."""

    user_id: UUID
    topic: MailTopic


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """The short form of the preferences (API.md's /me/notification-settings): the digest, and
    e-mail for mentions and for mentorship, kept in the per-kind preferences."""

    email_digest: DigestFrequency
    email_on_mention: bool
    email_on_mentorship: bool


@dataclass(frozen=True, slots=True)
class SettingsChange:
    email_digest: DigestFrequency | None = None
    email_on_mention: bool | None = None
    email_on_mentorship: bool | None = None


# -- what the jobs read and write -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MailLine:
    """One inbox line to mail."""

    kind: NotificationKind
    title: str
    url: str
    count: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PendingMail:
    """A person with unread, unmailed lines of kinds they want by e-mail."""

    user_id: UUID
    lines: list[MailLine]
    total: int


@dataclass(frozen=True, slots=True)
class DigestPerson:
    """Someone whose digest is due: the period and where the digest starts from (their last
    digest, or the period's start)."""

    user_id: UUID
    period: DigestPeriod
    since: datetime


@dataclass(frozen=True, slots=True)
class DigestPost:
    title: str
    url: str
    community: str
    score: int
    comments: int


@dataclass(frozen=True, slots=True)
class StewardNews:
    community: str
    url: str
    new_members: int
    pending_requests: int


@dataclass(frozen=True, slots=True)
class SessionDue:
    other: str
    skill: str
    url: str
    last_session_on: date | None


@dataclass
class DigestContent:
    top_posts: list[DigestPost] = field(default_factory=list)
    questions: list[DigestPost] = field(default_factory=list)
    stewarding: list[StewardNews] = field(default_factory=list)
    sessions: list[SessionDue] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.top_posts or self.questions or self.stewarding or self.sessions)
