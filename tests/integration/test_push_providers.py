"""FCM (HTTP v1) and APNs (token auth) adapters against local HTTP servers standing in for
Google's and Apple's endpoints: the requests they make follow the documented APIs (OAuth2
assertion, message body, provider token, headers), and the answers map to delivered, gone
(the device is forgotten) or try again. The real services are not reachable from here; only
their base URLs differ."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jose import jwt

from api.push.apns import ApnsProvider
from api.push.fcm import FcmProvider, ServiceAccount
from domain.devices.model import Device, Platform, PushMessage
from domain.devices.ports import DeviceGone, PushFailed, PushRejected
from tests.push_helpers import Arrived, Receiver, push_receiver

MESSAGE = PushMessage(
    title="New answer",
    body="Bob answered: Rollbacks?",
    url="/posts/1#comment-2",
    tag="comment_on_post:1",
    kind="comment_on_post",
)
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
FCM_TOKEN = "fcm-registration-token:" + "x" * 80
APNS_TOKEN = "ab" * 32


def device(platform: Platform, token: str) -> Device:
    return Device(uuid4(), uuid4(), platform, token, None, None, NOW, NOW, uuid4())


def pem(key: Any) -> str:
    text: str = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return text


def public_pem(key: Any) -> str:
    text: str = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return text


# -- FCM ---------------------------------------------------------------------------------------


class Google:
    """Google's token endpoint and FCM's send endpoint, as documented."""

    def __init__(self, public_key: str) -> None:
        self.public_key = public_key
        self.receiver: Receiver | None = None
        self.send_status = 200
        self.send_error: dict[str, Any] | None = None

    def __call__(self, arrived: Arrived) -> tuple[int, dict[str, Any] | None]:
        assert self.receiver is not None
        if arrived.path == "/token":
            form = parse_qs(arrived.body.decode())
            assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
            claims = jwt.decode(
                form["assertion"][0],
                self.public_key,
                algorithms=["RS256"],
                audience=f"{self.receiver.origin}/token",
            )
            assert claims["iss"] == "push@leaderful-test.iam.gserviceaccount.com"
            assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
            return 200, {"access_token": "ya29.test-token", "expires_in": 3599}
        assert arrived.path == "/v1/projects/leaderful-test/messages:send"
        assert arrived.headers["authorization"] == "Bearer ya29.test-token"
        if self.send_status != 200:
            return self.send_status, self.send_error
        return 200, {"name": "projects/leaderful-test/messages/0:1"}


@pytest.fixture
def google(tmp_path: Path) -> Iterator[tuple[FcmProvider, Google, Receiver]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    service = Google(public_pem(key))
    with push_receiver(service) as receiver:
        service.receiver = receiver
        credentials = tmp_path / "service-account.json"
        credentials.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "leaderful-test",
                    "private_key_id": "key-1",
                    "private_key": pem(key),
                    "client_email": "push@leaderful-test.iam.gserviceaccount.com",
                    "token_uri": f"{receiver.origin}/token",
                }
            )
        )
        provider = FcmProvider(
            ServiceAccount.from_file(credentials), base_url=receiver.origin, ttl=3600, timeout=5
        )
        yield provider, service, receiver


async def test_fcm_gets_an_access_token_once_and_sends_the_documented_message(google):
    provider, _, receiver = google
    await provider.send(device(Platform.fcm, FCM_TOKEN), MESSAGE)
    await provider.send(device(Platform.fcm, FCM_TOKEN), MESSAGE)
    paths = [a.path for a in receiver.requests()]
    assert paths == ["/token"] + ["/v1/projects/leaderful-test/messages:send"] * 2
    message = json.loads(receiver.requests()[1].body)["message"]
    assert message == {
        "token": FCM_TOKEN,
        "notification": {"title": "New answer", "body": "Bob answered: Rollbacks?"},
        "data": {
            "url": "/posts/1#comment-2",
            "tag": "comment_on_post:1",
            "kind": "comment_on_post",
        },
        "android": {"collapse_key": "comment_on_post:1", "ttl": "3600s"},
    }


async def test_fcm_unregistered_token_is_gone_and_server_errors_are_tried_again(google):
    provider, service, _ = google
    service.send_status, service.send_error = (
        404,
        {
            "error": {
                "code": 404,
                "status": "NOT_FOUND",
                "details": [{"errorCode": "UNREGISTERED"}],
            }
        },
    )
    with pytest.raises(DeviceGone):
        await provider.send(device(Platform.fcm, FCM_TOKEN), MESSAGE)
    service.send_status, service.send_error = 503, {"error": {"status": "UNAVAILABLE"}}
    with pytest.raises(PushFailed):
        await provider.send(device(Platform.fcm, FCM_TOKEN), MESSAGE)
    service.send_status, service.send_error = 400, {"error": {"status": "INVALID_ARGUMENT"}}
    with pytest.raises(PushRejected):
        await provider.send(device(Platform.fcm, FCM_TOKEN), MESSAGE)


# -- APNs --------------------------------------------------------------------------------------


class Apple:
    def __init__(self, public_key: str) -> None:
        self.public_key = public_key
        self.status = 200
        self.reason: str | None = None

    def __call__(self, arrived: Arrived) -> tuple[int, dict[str, Any] | None]:
        scheme, token = arrived.headers["authorization"].split(" ")
        assert scheme == "bearer"
        assert jwt.get_unverified_header(token) == {
            "alg": "ES256",
            "kid": "KEY1234567",
            "typ": "JWT",
        }
        claims = jwt.decode(token, self.public_key, algorithms=["ES256"])
        assert claims["iss"] == "TEAM123456"
        assert arrived.path == f"/3/device/{APNS_TOKEN}"
        assert arrived.headers["apns-topic"] == "com.example.leaderful"
        assert arrived.headers["apns-push-type"] == "alert"
        if self.status != 200:
            return self.status, {"reason": self.reason}
        return 200, None


@pytest.fixture
def apple() -> Iterator[tuple[ApnsProvider, Apple, Receiver]]:
    key = ec.generate_private_key(ec.SECP256R1())
    service = Apple(public_pem(key))
    with push_receiver(service) as receiver:
        provider = ApnsProvider(
            pem(key),
            "KEY1234567",
            "TEAM123456",
            "com.example.leaderful",
            base_url=receiver.origin,
            ttl=3600,
            timeout=5,
        )
        yield provider, service, receiver


async def test_apns_sends_an_alert_with_a_provider_token(apple):
    provider, _, receiver = apple
    await provider.send(device(Platform.apns, APNS_TOKEN), MESSAGE)
    (arrived,) = receiver.requests()
    assert json.loads(arrived.body) == {
        "aps": {
            "alert": {"title": "New answer", "body": "Bob answered: Rollbacks?"},
            "sound": "default",
        },
        "url": "/posts/1#comment-2",
        "kind": "comment_on_post",
    }
    assert arrived.headers["apns-collapse-id"] == "comment_on_post:1"


@pytest.mark.parametrize(
    ("status", "reason", "outcome"),
    [
        (410, "Unregistered", DeviceGone),
        (400, "BadDeviceToken", DeviceGone),
        (429, "TooManyRequests", PushFailed),
        (503, "ServiceUnavailable", PushFailed),
        (400, "PayloadTooLarge", PushRejected),
    ],
)
async def test_apns_answers_map_to_gone_retry_or_refused(apple, status, reason, outcome):
    provider, service, _ = apple
    service.status, service.reason = status, reason
    with pytest.raises(outcome):
        await provider.send(device(Platform.apns, APNS_TOKEN), MESSAGE)


async def test_a_push_service_that_is_down_is_a_temporary_failure(tmp_path: Path):
    with push_receiver() as receiver:
        origin = receiver.origin
    key = ec.generate_private_key(ec.SECP256R1())
    provider = ApnsProvider(
        pem(key), "KEY1234567", "TEAM123456", "t", base_url=origin, ttl=0, timeout=2
    )
    with pytest.raises(PushFailed):
        await provider.send(device(Platform.apns, APNS_TOKEN), MESSAGE)
