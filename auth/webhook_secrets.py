"""Webhook secrets at rest: encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived
from the instance's secret key. A signing secret must be readable to sign, so it cannot be
hashed like a token; encrypted, a copy of the database alone does not let anyone forge
deliveries. Keys named in LEADERFUL_JWT_PREVIOUS_KEYS still open what they sealed, so the
instance key can be rotated without losing the webhooks."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"leaderful webhook secrets v1"
# Stored answers to idempotent requests (api/idempotency.py): a key of their own.
REPLAYS_INFO = b"leaderful idempotent replays v1"


def _fernet(secret_key: str, info: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


class FernetSecretBox:
    """Seals with the current key; opens with the current key or any previous one. `info`
    separates the keys of different uses of the same instance key."""

    def __init__(
        self, secret_key: str, previous_keys: Iterable[str] = (), *, info: bytes = INFO
    ) -> None:
        self._box = MultiFernet(
            [_fernet(secret_key, info), *(_fernet(k, info) for k in previous_keys)]
        )

    def seal(self, secret: str) -> str:
        return self._box.encrypt(secret.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        return self._box.decrypt(sealed.encode("ascii")).decode()

    def seal_bytes(self, data: bytes) -> bytes:
        return self._box.encrypt(data)

    def open_bytes(self, sealed: bytes) -> bytes:
        """Raises cryptography.fernet.InvalidToken when no known key sealed it."""
        return self._box.decrypt(sealed)
