"""Opaque, signed keyset cursors and the Page[T] response envelope."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel
from pydantic_core import to_json

from domain.pagination import Position

T = TypeVar("T")
MAX_CURSOR_CHARS = 1024


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class InvalidCursor(ValueError):
    """A cursor that we did not issue (or that was tampered with)."""


def _encode_value(value: Any) -> list[Any]:
    if value is None:
        return ["n"]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, datetime):
        return ["d", value.isoformat()]
    if isinstance(value, UUID):
        return ["u", value.hex]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, float):
        return ["f", value]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode_value(item: Any) -> Any:
    if not isinstance(item, list) or not item:
        raise InvalidCursor("bad cursor value")
    tag, *rest = item
    match tag, rest:
        case "n", []:
            return None
        case "b", [bool() as b]:
            return b
        case "d", [str() as text]:
            return datetime.fromisoformat(text)
        case "u", [str() as text]:
            return UUID(hex=text)
        case "i", [int() as number]:
            return number
        case "f", [float() | int() as number]:
            return float(number)
        case "s", [str() as text]:
            return text
    raise InvalidCursor("bad cursor value")


class CursorCodec:
    """Cursors are `base64url(json).base64url(hmac)`; the scope binds a cursor to one listing."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("cursor:" + secret).encode()).digest()

    def _sign(self, scope: str, payload: bytes) -> bytes:
        # hmac.digest: the one-shot form, without an HMAC object per cursor.
        return hmac.digest(self._key, scope.encode() + b"\0" + payload, "sha256")[:16]

    def encode(self, scope: str, position: Position) -> str:
        # Compact JSON, as json.dumps(separators=(",", ":")) writes it, without a new encoder
        # object per cursor.
        payload = to_json([_encode_value(v) for v in position], inf_nan_mode="constants")
        sig = self._sign(scope, payload)
        return _b64(payload) + "." + _b64(sig)

    def decode(self, scope: str, cursor: str) -> Position:
        try:
            if len(cursor) > MAX_CURSOR_CHARS:
                raise InvalidCursor("cursor too long")
            payload_text, sig_text = cursor.split(".", 1)
            payload, sig = _unb64(payload_text), _unb64(sig_text)
            if not hmac.compare_digest(sig, self._sign(scope, payload)):
                raise InvalidCursor("signature mismatch")
            values = json.loads(payload)
            if not isinstance(values, list):
                raise InvalidCursor("bad cursor")
            return tuple(_decode_value(v) for v in values)
        except InvalidCursor:
            raise
        except (ValueError, TypeError) as exc:
            raise InvalidCursor("bad cursor") from exc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
