"""Opaque bearer secrets (refresh tokens, personal access tokens): generation and hashing.

They carry 256 bits of randomness, so a fast hash (SHA-256) is enough: there is nothing to
brute-force, and lookups by hash stay a single indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets

REFRESH_PREFIX = "lf_rt_"
PERSONAL_PREFIX = "lf_pat_"


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
