"""Wire models for devices that receive push notifications, and the Web Push public key."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import InputModel, OutputModel, Text
from domain.devices.model import Device, Platform

DEVICES_PATH = "/api/v1/me/devices"
DeviceName = Annotated[
    Text | None,
    Field(max_length=100, description='What the person calls the device ("Work laptop").'),
]


class SubscriptionKeys(InputModel):
    p256dh: Annotated[
        str,
        Field(
            max_length=88,
            pattern=r"^B[A-P][A-Za-z0-9_-]{85}=?$",
            description="The subscription's P-256 public key (65 bytes uncompressed, so it "
            "starts with 0x04), base64url.",
        ),
    ]
    auth: Annotated[
        str,
        Field(
            max_length=24,
            pattern=r"^[A-Za-z0-9_-]{22}(==)?$",
            description="The subscription's 16-byte auth secret, base64url.",
        ),
    ]


class WebPushSubscription(InputModel):
    """`PushSubscription.toJSON()` as the browser gives it."""

    endpoint: Annotated[
        str,
        Field(
            max_length=1000,
            pattern=r"^https?://\S+$",
            description="The push service URL: https (http only where the server allows it "
            "for tests), with a host and no user name.",
        ),
    ]
    keys: SubscriptionKeys
    expirationTime: float | None = Field(
        default=None, description="Ignored; given by some browsers."
    )


class WebPushDeviceCreate(InputModel):
    platform: Literal["webpush"]
    subscription: WebPushSubscription
    name: DeviceName = None


class FcmDeviceCreate(InputModel):
    platform: Literal["fcm"]
    token: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9_:-]{20,1000}$",
            description="The app's FCM registration token.",
        ),
    ]
    name: DeviceName = None


class ApnsDeviceCreate(InputModel):
    platform: Literal["apns"]
    token: Annotated[
        str,
        Field(
            pattern=r"^[0-9a-fA-F]{64,200}$",
            description="The app's APNs device token, hexadecimal.",
        ),
    ]
    name: DeviceName = None


DeviceCreate = Annotated[
    WebPushDeviceCreate | FcmDeviceCreate | ApnsDeviceCreate, Field(discriminator="platform")
]


class DevicePublic(OutputModel):
    """A device that receives your pushes. `endpoint` for Web Push; the end of the token for
    native apps (the token itself is not shown again)."""

    id: UUID
    platform: Literal["webpush", "fcm", "apns"]
    name: str | None
    endpoint: str | None
    token_hint: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, device: Device) -> DevicePublic:
        web = device.platform is Platform.webpush
        return cls(
            id=device.id,
            platform=device.platform.value,
            name=device.name,
            endpoint=device.address if web else None,
            token_hint=None if web else "…" + device.address[-8:],
            created_at=device.created_at,
            updated_at=device.updated_at,
        )


class VapidPublicKey(OutputModel):
    public_key: str = Field(
        description="The VAPID public key (uncompressed P-256 point, base64url): the "
        "`applicationServerKey` of `PushManager.subscribe`."
    )
