"""Apple Push Notification service, token-based authentication, for iOS apps.

Documented at https://developer.apple.com/documentation/usernotifications/sending-notification-
requests-to-apns: `POST {base}/3/device/{token}` over HTTP/2 with `authorization: bearer <JWT>`
(ES256, `kid` = the key id, `iss` = the team id, `iat`; renewed every 50 minutes, Apple refuses
one older than an hour), `apns-topic` (the bundle id) and `apns-push-type: alert`. A 410, or a 400
saying BadDeviceToken, means the token is no longer valid: the device is forgotten.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from auth.tokens import sign_provider_jwt
from domain.devices.model import Device, PushMessage
from domain.devices.ports import DeviceGone, PushFailed, PushRejected

TOKEN_LIFETIME = 50 * 60
GONE_REASONS = frozenset({"BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic"})


class ApnsProvider:
    def __init__(
        self,
        key_pem: str,
        key_id: str,
        team_id: str,
        topic: str,
        *,
        base_url: str,
        ttl: int,
        timeout: float,
    ) -> None:
        self.key_pem = key_pem
        self.key_id = key_id
        self.team_id = team_id
        self.topic = topic
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl
        self.timeout = timeout
        self._token: tuple[str, float] | None = None

    def provider_token(self) -> str:
        now = time.time()
        if self._token is None or self._token[1] + TOKEN_LIFETIME < now:
            token = sign_provider_jwt(
                {"iss": self.team_id, "iat": int(now)}, self.key_pem, "ES256", self.key_id
            )
            self._token = (token, now)
        return self._token[0]

    def body(self, message: PushMessage) -> dict[str, Any]:
        return {
            "aps": {"alert": {"title": message.title, "body": message.body}, "sound": "default"},
            "url": message.url,
            "kind": message.kind,
        }

    async def send(self, device: Device, message: PushMessage) -> None:
        headers = {
            "authorization": f"bearer {self.provider_token()}",
            "apns-topic": self.topic,
            "apns-push-type": "alert",
            "apns-priority": "10",
            "apns-expiration": str(int(time.time()) + self.ttl if self.ttl else 0),
            "apns-collapse-id": message.tag[:64],
        }
        try:
            async with httpx.AsyncClient(
                http2=True, timeout=self.timeout, follow_redirects=False
            ) as client:
                response = await client.post(
                    f"{self.base_url}/3/device/{device.address}",
                    json=self.body(message),
                    headers=headers,
                )
        except httpx.HTTPError as exc:
            raise PushFailed(f"{type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status == 200:
            return
        try:
            reason = str(response.json().get("reason", ""))
        except ValueError:
            reason = ""
        if status == 410 or reason in GONE_REASONS:
            raise DeviceGone(f"{status} {reason}")
        if status == 403 and reason == "ExpiredProviderToken":
            self._token = None
            raise PushFailed(f"{status} {reason}")
        if status == 429 or status >= 500:
            raise PushFailed(f"{status} {reason}")
        raise PushRejected(f"{status} {reason}")
