"""One-click unsubscribe tokens (RFC 8058 links in mail): `<payload>.<signature>`, the payload
naming one person and one topic, the signature an HMAC-SHA256 under a key derived from the
app secret for this purpose only. So a token cannot be forged or altered, cannot be turned into
an access token (or the other way round), and does nothing but unsubscribe that person from
that topic. It needs no storage and does not expire: the link in an old mail keeps working."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from uuid import UUID

PURPOSE = b"leaderful/unsubscribe/v1"
VERSION = "1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UnsubscribeSigner:
    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), PURPOSE, hashlib.sha256).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, user_id: UUID, topic: str) -> str:
        payload = _b64(f"{VERSION}:{user_id.hex}:{topic}".encode())
        return f"{payload}.{self._sign(payload)}"

    def read(self, token: str) -> tuple[UUID, str] | None:
        payload, dot, signature = token.partition(".")
        if not dot or not payload.isascii() or not signature.isascii():
            return None
        if not hmac.compare_digest(self._sign(payload), signature):
            return None
        try:
            version, user_hex, topic = _unb64(payload).decode().split(":", 2)
            user_id = UUID(hex=user_hex)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if version != VERSION:
            return None
        return user_id, topic
