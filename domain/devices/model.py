"""Devices that receive push notifications (Web Push subscriptions, FCM and APNs tokens), what
is pushed to them, and when: the `push` channel of the person's preferences, inside their
working hours (except the mentorship decisions they asked for)."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import ValidationFailed
from domain.notifications.model import NotificationKind, time_ordered_id
from domain.users.model import DEFAULT_WORKING_HOURS, WorkingHours


class Platform(StrEnum):
    webpush = "webpush"
    fcm = "fcm"
    apns = "apns"


# A person keeps at most this many devices; registering one more replaces the least recently
# registered (a phone replaced, a browser profile reset: old registrations pile up otherwise).
MAX_DEVICES = 20
MAX_ADDRESS = 1000  # a Web Push endpoint URL or a native token
P256DH_BYTES = 65  # an uncompressed P-256 point (RFC 8291)
AUTH_BYTES = 16  # the subscription's authentication secret (RFC 8291)
# Lines older than this are never pushed (a device that was offline, a job that did not run).
LOOKBACK = timedelta(minutes=30)
# Notifications the mentee asked for: pushed whatever the hour.
ASKED_FOR: frozenset[NotificationKind] = frozenset(
    {NotificationKind.mentorship_accepted, NotificationKind.mentorship_declined}
)
DEVICE_NOT_FOUND = "Device not found."
B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")

PUSH_TEXT: dict[NotificationKind, str] = {
    NotificationKind.new_post: "New post",
    NotificationKind.question_for_you: "A question for you",
    NotificationKind.comment_on_post: "New answer",
    NotificationKind.reply_to_comment: "New reply",
    NotificationKind.mention: "You were mentioned",
    NotificationKind.answer_accepted: "Your answer was accepted",
    NotificationKind.join_request: "Join request",
    NotificationKind.membership_approved: "You're in",
    NotificationKind.invitation: "You're invited",
    NotificationKind.nomination: "Nomination",
    NotificationKind.nominations_open: "Nominations are open",
    NotificationKind.mentorship_requested: "Mentorship request",
    NotificationKind.mentorship_accepted: "Mentorship accepted",
    NotificationKind.mentorship_declined: "Mentorship declined",
    NotificationKind.endorsement_received: "New endorsement",
    NotificationKind.report_filed: "New report",
}


def b64url_decode(value: str) -> bytes | None:
    """base64url with or without padding; None when it is not."""
    if not B64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class WebPushKeys:
    p256dh: str
    auth: str

    @classmethod
    def checked(cls, p256dh: str, auth: str) -> WebPushKeys:
        key = b64url_decode(p256dh)
        if key is None or len(key) != P256DH_BYTES or key[0] != 0x04:
            raise ValidationFailed(
                "keys.p256dh must be an uncompressed P-256 public key (65 bytes), base64url.",
                field="subscription.keys.p256dh",
            )
        secret = b64url_decode(auth)
        if secret is None or len(secret) != AUTH_BYTES:
            raise ValidationFailed(
                "keys.auth must be the 16-byte authentication secret, base64url.",
                field="subscription.keys.auth",
            )
        return cls(p256dh, auth)


@dataclass(frozen=True, slots=True)
class DeviceDraft:
    """What a client registers: a Web Push subscription (`address` is its endpoint) or a
    native token (FCM registration token, APNs device token)."""

    platform: Platform
    address: str
    keys: WebPushKeys | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Device:
    id: UUID
    user_id: UUID
    platform: Platform
    address: str
    keys: WebPushKeys | None
    name: str | None
    created_at: datetime
    updated_at: datetime
    # The newest notification line already considered for this device (ids are time-ordered).
    pushed_upto: UUID

    def subscription(self) -> dict[str, Any]:
        """The Web Push subscription as browsers give it (PushSubscription.toJSON())."""
        assert self.keys is not None
        return {
            "endpoint": self.address,
            "keys": {"p256dh": self.keys.p256dh, "auth": self.keys.auth},
        }


@dataclass(frozen=True, slots=True)
class PendingLine:
    """An unread line a device has not been offered yet, with what decides whether it goes."""

    device_id: UUID
    notification_id: UUID
    kind: NotificationKind
    title: str
    url: str
    count: int
    timezone: str | None
    working_hours: WorkingHours | None


@dataclass(frozen=True, slots=True)
class PushMessage:
    """What a device shows: a title, a line of text, where a tap goes. `tag` lets a newer push
    about the same line replace the older one on the device."""

    title: str
    body: str
    url: str
    tag: str
    kind: str

    def payload(self) -> dict[str, str]:
        return {
            "title": self.title,
            "body": self.body,
            "url": self.url,
            "tag": self.tag,
            "kind": self.kind,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> PushMessage:
        return cls(
            title=str(payload["title"]),
            body=str(payload["body"]),
            url=str(payload["url"]),
            tag=str(payload["tag"]),
            kind=str(payload["kind"]),
        )


def start_mark(at: datetime) -> UUID:
    """The mark of a device registered at `at`: below every line written from `at` on (the
    smallest time-ordered id of that instant), so it hears of those and of nothing older."""
    return UUID(int=time_ordered_id(at).int & ~((1 << 62) - 1))


def at_work(timezone: str | None, hours: WorkingHours | None, now: datetime) -> bool:
    """Inside the person's working hours now. Without a (known) time zone, hours are read in
    UTC."""
    try:
        zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return (hours or DEFAULT_WORKING_HOURS).includes(now.astimezone(zone))


def may_push(line: PendingLine, now: datetime) -> bool:
    """Nothing outside working hours, except the mentorship decisions the person asked for."""
    return line.kind in ASKED_FOR or at_work(line.timezone, line.working_hours, now)


def message_for(lines: list[PendingLine]) -> PushMessage:
    """One push for what a device has waiting: the newest line, and how many more there are."""
    newest = max(lines, key=lambda line: line.notification_id)
    body = newest.title
    if newest.count > 1:
        body += f" ({newest.count} updates)"
    if len(lines) > 1:
        body += f", and {len(lines) - 1} more"
    return PushMessage(
        title=PUSH_TEXT.get(newest.kind, "Leaderful"),
        body=body[:300],
        url=newest.url,
        tag=f"{newest.kind.value}:{newest.notification_id}",
        kind=newest.kind.value,
    )


APNS_TOKEN = re.compile(r"[0-9a-fA-F]{64,200}")
FCM_TOKEN = re.compile(r"[A-Za-z0-9_:\-]{20,1000}")


def web_push_draft(
    endpoint: str, p256dh: str, auth: str, name: str | None, *, allow_http: bool
) -> DeviceDraft:
    """A Web Push subscription as a browser gives it. Push services are https; plain http only
    where the instance allows it (tests, closed networks)."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        host = None
    schemes = {"https", "http"} if allow_http else {"https"}
    if host is None or parts.scheme not in schemes or parts.username or parts.password:
        raise ValidationFailed(
            "The subscription endpoint must be an https URL of a push service.",
            field="subscription.endpoint",
        )
    if len(endpoint) > MAX_ADDRESS:
        raise ValidationFailed(
            f"The subscription endpoint may have at most {MAX_ADDRESS} characters.",
            field="subscription.endpoint",
        )
    return DeviceDraft(Platform.webpush, endpoint, WebPushKeys.checked(p256dh, auth), name)


def native_draft(platform: Platform, token: str, name: str | None) -> DeviceDraft:
    """An FCM registration token or an APNs device token (hexadecimal)."""
    pattern = APNS_TOKEN if platform is Platform.apns else FCM_TOKEN
    if platform is Platform.webpush or not pattern.fullmatch(token):
        what = "hexadecimal, 64 characters or more" if platform is Platform.apns else "an FCM token"
        raise ValidationFailed(f"The device token must be {what}.", field="token")
    return DeviceDraft(platform, token.lower() if platform is Platform.apns else token, None, name)
