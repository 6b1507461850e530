"""The VAPID key pair that signs Web Push requests (RFC 8292): from settings, or generated once
in development and kept under var/ (like the embedded secret key)."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid, Vapid01

from api.settings import Settings


@dataclass(frozen=True, slots=True)
class VapidKeys:
    signer: Vapid01
    # The uncompressed public point, base64url without padding: the SPA's applicationServerKey.
    public_key: str
    subject: str


def _from_text(text: str) -> Vapid01:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return Vapid.from_pem(text.encode())
    return Vapid.from_string(text)


def _generated(path: Path) -> str:
    """The development key: generated once (0600), read back afterwards."""
    if path.exists():
        return path.read_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    signer = Vapid()
    signer.generate_keys()
    pem: str = signer.private_pem().decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process got there first
        return path.read_text()
    with os.fdopen(fd, "w") as handle:
        handle.write(pem)
    return pem


def subject_for(settings: Settings) -> str:
    if settings.vapid_subject:
        return settings.vapid_subject
    if settings.public_url.startswith("https://"):
        return settings.public_url
    address = parseaddr(settings.mail_from)[1] or "no-reply@leaderful.localhost"
    return f"mailto:{address}"


def load_vapid(settings: Settings) -> VapidKeys | None:
    """The configured key; in development without one, the generated one; else None (Web Push
    is off)."""
    if settings.vapid_private_key is not None and settings.vapid_private_key.get_secret_value():
        text = settings.vapid_private_key.get_secret_value()
    elif settings.environment == "development":
        text = _generated(settings.vapid_private_key_file)
    else:
        return None
    signer = _from_text(text)
    point = signer.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    public = base64.urlsafe_b64encode(point).rstrip(b"=").decode()
    return VapidKeys(signer, public, subject_for(settings))
