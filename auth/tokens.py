"""JWT access tokens. The only module that imports jose: algorithms pinned, claims required."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from jose import jwt
from jose.exceptions import JOSEError

from domain.clock import Clock
from domain.errors import Unauthenticated

SYMMETRIC = frozenset({"HS256", "HS384", "HS512"})
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")
# Tokens already verified by this process, until they expire: a client sends the same token with
# every request, and decoding it again cost more than the database read of the caller's account.
VERIFIED_CACHE_SIZE = 4096


def key_id(key: str) -> str:
    """A stable, non-secret id for a key, used as `kid` when none is configured."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The signing key and every key still accepted for verification, by `kid`.

    Rotation: add the new key as the signing key and keep the old one in `verify_keys`
    until the last token signed with it has expired.
    """

    algorithm: str
    signing_kid: str
    signing_key: str
    verify_keys: dict[str, str]

    def __post_init__(self) -> None:
        if self.algorithm not in SYMMETRIC | ASYMMETRIC:
            raise ValueError(f"Unsupported JWT algorithm {self.algorithm!r}")
        if self.signing_kid not in self.verify_keys:
            raise ValueError("The signing key must also be a verification key.")


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    scopes: frozenset[str]
    token_version: int
    jti: str
    issued_at: datetime
    expires_at: datetime


class AccessTokenCodec:
    def __init__(
        self, keys: KeyRing, *, issuer: str, audience: str, lifetime: timedelta, clock: Clock
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self.lifetime = lifetime
        # What "expired" means, for remembered tokens and freshly decoded ones alike.
        self.clock = clock
        self._verified: dict[str, AccessClaims] = {}  # insertion-ordered: oldest first

    def issue(
        self, user_id: UUID, scopes: frozenset[str], token_version: int, now: datetime
    ) -> str:
        claims = {
            "sub": str(user_id),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
            "scope": " ".join(sorted(scopes)),
            "tv": token_version,
        }
        return str(
            jwt.encode(
                claims,
                self._keys.signing_key,
                algorithm=self._keys.algorithm,
                headers={"kid": self._keys.signing_kid},
            )
        )

    def verify(self, token: str) -> AccessClaims:
        """Every failure is the same Unauthenticated: attackers learn nothing from the answer.

        Only successes are remembered (the exact token string, until its `exp` by the injected
        clock), so a forged or altered token is always checked in full.
        """
        now = self.clock.now()
        known = self._verified.get(token)
        if known is not None and known.expires_at > now:
            return known
        self._verified.pop(token, None)
        claims = self._decode(token)
        if claims.expires_at <= now:
            raise Unauthenticated("The access token is invalid or expired.")
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = claims
        return claims

    def _decode(self, token: str) -> AccessClaims:
        invalid = Unauthenticated("The access token is invalid or expired.")
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise invalid from exc
        # Pinning: the header's alg must be exactly ours (rejects "none" and alg confusion).
        if header.get("alg") != self._keys.algorithm:
            raise invalid
        key = self._keys.verify_keys.get(str(header.get("kid", "")))
        if key is None:
            raise invalid
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self._keys.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                # Expiry is checked by `verify` against the app's injected clock, the one clock
                # that issued the token, not the host's. python-jose turns `require_exp` into a
                # check on the host's clock, so `exp` is required below (a KeyError is refused).
                options={f"require_{name}": True for name in REQUIRED_CLAIMS if name != "exp"}
                | {"verify_exp": False},
            )
            return AccessClaims(
                user_id=UUID(str(claims["sub"])),
                scopes=frozenset(str(claims.get("scope", "")).split()),
                token_version=int(claims.get("tv", 0)),
                jti=str(claims["jti"]),
                issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except (JOSEError, ValueError, KeyError, TypeError) as exc:
            raise invalid from exc


# Algorithms the push providers' credentials use: FCM service accounts sign RS256, APNs keys
# ES256. Pinned like the access tokens' (never `none`, never chosen by the key).
PROVIDER_ALGORITHMS = frozenset({"RS256", "ES256"})


def sign_provider_jwt(
    claims: dict[str, object], private_key_pem: str, algorithm: str, kid: str | None = None
) -> str:
    """A JWT that authenticates this server to a push provider (an FCM OAuth2 assertion, an
    APNs provider token)."""
    if algorithm not in PROVIDER_ALGORITHMS:
        raise ValueError(f"Unsupported provider JWT algorithm {algorithm!r}")
    headers = {"kid": kid} if kid else None
    token: str = jwt.encode(claims, private_key_pem, algorithm=algorithm, headers=headers)
    return token
