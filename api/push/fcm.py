"""Firebase Cloud Messaging, HTTP v1 API, for Android apps.

Documented at https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send:
`POST {base}/v1/projects/{project_id}/messages:send` with an OAuth2 access token obtained from
the service account (a JWT assertion signed RS256 with its private key, exchanged at its
`token_uri`, scope firebase.messaging). A 404 (UNREGISTERED) means the app was uninstalled or
the token expired: the device is forgotten.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from auth.tokens import sign_provider_jwt
from domain.devices.model import Device, PushMessage
from domain.devices.ports import DeviceGone, PushFailed, PushRejected

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GONE_CODES = frozenset({"UNREGISTERED", "NOT_FOUND"})


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    project_id: str
    client_email: str
    private_key: str
    private_key_id: str | None
    token_uri: str

    @classmethod
    def from_file(cls, path: Path) -> ServiceAccount:
        data = json.loads(path.read_text())
        return cls(
            project_id=data["project_id"],
            client_email=data["client_email"],
            private_key=data["private_key"],
            private_key_id=data.get("private_key_id"),
            token_uri=data.get("token_uri", "https://oauth2.googleapis.com/token"),
        )


def _error_code(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return ""
    codes = [str(error.get("status", ""))]
    for detail in error.get("details", []) or []:
        if isinstance(detail, dict) and "errorCode" in detail:
            codes.append(str(detail["errorCode"]))
    return ",".join(c for c in codes if c)


class FcmProvider:
    def __init__(self, account: ServiceAccount, *, base_url: str, ttl: int, timeout: float) -> None:
        self.account = account
        self.base_url = base_url.rstrip("/")
        self.ttl = ttl
        self.timeout = timeout
        self._token: tuple[str, float] | None = None

    async def _access_token(self, client: httpx.AsyncClient) -> str:
        if self._token is not None and self._token[1] > time.time() + 60:
            return self._token[0]
        now = int(time.time())
        assertion = sign_provider_jwt(
            {
                "iss": self.account.client_email,
                "scope": SCOPE,
                "aud": self.account.token_uri,
                "iat": now,
                "exp": now + 3600,
            },
            self.account.private_key,
            "RS256",
            self.account.private_key_id,
        )
        response = await client.post(
            self.account.token_uri,
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion": assertion,
            },
        )
        if response.status_code >= 500 or response.status_code == 429:
            raise PushFailed(f"token endpoint {response.status_code}")
        if response.status_code != 200:
            raise PushRejected(f"token endpoint {response.status_code}: {response.text[:200]}")
        body = response.json()
        self._token = (str(body["access_token"]), now + float(body.get("expires_in", 3600)))
        return self._token[0]

    def body(self, device: Device, message: PushMessage) -> dict[str, Any]:
        return {
            "message": {
                "token": device.address,
                "notification": {"title": message.title, "body": message.body},
                # FCM data values are strings.
                "data": {"url": message.url, "tag": message.tag, "kind": message.kind},
                "android": {"collapse_key": message.tag[:64], "ttl": f"{self.ttl}s"},
            }
        }

    async def send(self, device: Device, message: PushMessage) -> None:
        url = f"{self.base_url}/v1/projects/{self.account.project_id}/messages:send"
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                token = await self._access_token(client)
                response = await client.post(
                    url,
                    json=self.body(device, message),
                    headers={"Authorization": f"Bearer {token}"},
                )
        except httpx.HTTPError as exc:
            raise PushFailed(f"{type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status == 200:
            return
        code = _error_code(response)
        if status == 404 or any(c in GONE_CODES for c in code.split(",")):
            raise DeviceGone(f"{status} {code}")
        if status == 401:
            self._token = None  # expired or revoked: a new one next time
            raise PushFailed(f"{status} {code}")
        if status == 429 or status >= 500:
            raise PushFailed(f"{status} {code}")
        raise PushRejected(f"{status} {code}")
