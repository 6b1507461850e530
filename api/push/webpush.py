"""Web Push (RFC 8030) with VAPID (RFC 8292) through pywebpush: the payload is encrypted for the
subscription's keys (RFC 8291, aes128gcm) and POSTed to its endpoint."""

from __future__ import annotations

import json
import logging

import aiohttp
from pywebpush import WebPushException, webpush_async

from api.push.vapid import VapidKeys
from domain.devices.model import Device, PushMessage
from domain.devices.ports import DeviceGone, PushFailed, PushRejected

log = logging.getLogger("leaderful.push")

GONE = frozenset({404, 410})


def classify(status: int, detail: str) -> Exception:
    """What a push service's refusal means for us."""
    if status in GONE:
        return DeviceGone(f"{status}: {detail}")
    if status == 429 or status >= 500:
        return PushFailed(f"{status}: {detail}")
    return PushRejected(f"{status}: {detail}")


class WebPushProvider:
    def __init__(self, keys: VapidKeys, *, ttl: int, timeout: float) -> None:
        self.keys = keys
        self.ttl = ttl
        self.timeout = timeout

    async def send(self, device: Device, message: PushMessage) -> None:
        try:
            await webpush_async(
                device.subscription(),
                json.dumps(message.payload()),
                vapid_private_key=self.keys.signer,
                # A new dict each time: pywebpush writes `aud` and `exp` into it.
                vapid_claims={"sub": self.keys.subject},
                content_encoding="aes128gcm",
                ttl=self.ttl,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"Urgency": "normal", "Topic": _topic(message)},
            )
        except WebPushException as exc:
            response = exc.response
            status = getattr(response, "status", None)
            if status is None:
                raise PushFailed(str(exc)) from exc
            raise classify(int(status), str(exc.message)[:200]) from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise PushFailed(f"{type(exc).__name__}: {exc}") from exc


def _topic(message: PushMessage) -> str:
    """RFC 8030 Topic (at most 32 base64url characters): a newer push about the same line
    replaces an undelivered older one."""
    return "".join(c for c in message.tag if c.isalnum() or c in "-_")[-32:]
