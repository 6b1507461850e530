"""Access-token codec: issue/verify, key rotation by kid, asymmetric algorithms pinned."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jose import jwt

from auth.tokens import AccessTokenCodec, KeyRing
from domain.clock import Clock, SystemClock
from domain.errors import Unauthenticated

NOW = datetime.now(UTC)


def codec(ring: KeyRing, clock: Clock | None = None) -> AccessTokenCodec:
    return AccessTokenCodec(
        ring,
        issuer="leaderful",
        audience="leaderful-api",
        lifetime=timedelta(minutes=15),
        clock=clock or SystemClock(),
    )


@dataclass
class FakeClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


def test_issue_and_verify_carries_the_claims():
    ring = KeyRing("HS256", "k1", "secret-one-" * 4, {"k1": "secret-one-" * 4})
    user = uuid.uuid4()
    claims = codec(ring).verify(codec(ring).issue(user, frozenset({"read"}), 3, NOW))
    assert claims.user_id == user and claims.scopes == {"read"} and claims.token_version == 3
    assert claims.expires_at - claims.issued_at == timedelta(minutes=15)


def test_rotation_accepts_old_kid_until_it_is_dropped():
    old = KeyRing("HS256", "old", "old-secret-" * 4, {"old": "old-secret-" * 4})
    token = codec(old).issue(uuid.uuid4(), frozenset({"read"}), 0, NOW)
    rotated = KeyRing(
        "HS256", "new", "new-secret-" * 4, {"new": "new-secret-" * 4, "old": "old-secret-" * 4}
    )
    assert codec(rotated).verify(token)
    dropped = KeyRing("HS256", "new", "new-secret-" * 4, {"new": "new-secret-" * 4})
    with pytest.raises(Unauthenticated):
        codec(dropped).verify(token)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_signed_with(secret: str, claims: dict) -> str:
    signing_input = (
        _b64(json.dumps({"alg": "HS256", "kid": "a1"}).encode())
        + "."
        + _b64(json.dumps(claims).encode())
    )
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def _pem_pair(private_key) -> tuple[str, str]:
    private = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.mark.parametrize(
    ("algorithm", "key"),
    [
        ("RS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
    ],
)
def test_asymmetric_keys_verify_with_the_public_key_only(algorithm, key):
    private, public = _pem_pair(key())
    signer = codec(KeyRing(algorithm, "a1", private, {"a1": public}))
    token = signer.issue(uuid.uuid4(), frozenset({"read"}), 0, NOW)
    verifier = codec(KeyRing(algorithm, "a1", private, {"a1": public}))
    assert verifier.verify(token).scopes == {"read"}
    # An HS256 token "signed" with the public key (the classic confusion attack) is refused.
    confused = _hs256_signed_with(
        public,
        {
            "sub": str(uuid.uuid4()),
            "iss": "leaderful",
            "aud": "leaderful-api",
            "iat": 1,
            "exp": 2**31,
            "jti": "x",
            "scope": "admin",
        },
    )
    with pytest.raises(Unauthenticated):
        verifier.verify(confused)


def test_unsupported_algorithm_is_refused_at_configuration():
    with pytest.raises(ValueError):
        KeyRing("none", "k", "x", {"k": "x"})


def test_a_remembered_token_expires_by_the_injected_clock_and_a_forged_one_is_never_remembered():
    ring = KeyRing("HS256", "k1", "secret-one-" * 4, {"k1": "secret-one-" * 4})
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    one = codec(ring, clock)
    token = one.issue(uuid.uuid4(), frozenset({"read"}), 0, clock.moment)
    first = one.verify(token)
    assert one.verify(token) is first  # remembered
    header, payload, signature = token.split(".")
    # Change the first character: it carries six bits of the signature, whereas the last one's
    # low bits are padding, so rewriting the end can decode to the same bytes (1 run in 256).
    forged = f"{header}.{payload}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            one.verify(forged)
    clock.moment = first.expires_at - timedelta(seconds=1)
    assert one.verify(token) is first
    # Expired by the clock the app runs on, whatever the wall clock says: remembered or decoded
    # afresh, the token is refused from its `exp` on.
    clock.moment = first.expires_at
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            one.verify(token)
    with pytest.raises(Unauthenticated):
        codec(ring, clock).verify(token)


def test_expiry_follows_the_apps_clock_not_the_hosts():
    """A token is good for its lifetime on the clock that issued it, whatever the host's clock
    says (tests and replays run on a moved clock; the host's clock never decides)."""
    ring = KeyRing("HS256", "k1", "secret-one-" * 4, {"k1": "secret-one-" * 4})
    issued = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)  # long before the host's "now"
    user = uuid.uuid4()
    token = codec(ring).issue(user, frozenset({"read"}), 0, issued)

    within = FakeClock(issued + timedelta(minutes=14))
    assert codec(ring, within).verify(token).user_id == user

    for after in (timedelta(minutes=15), timedelta(days=400)):
        with pytest.raises(Unauthenticated):
            codec(ring, FakeClock(issued + after)).verify(token)


@pytest.mark.parametrize("claim", ["exp", "iat", "iss", "aud", "sub", "jti"])
def test_a_well_signed_token_without_a_required_claim_is_refused(claim):
    ring = KeyRing("HS256", "k1", "secret-one-" * 4, {"k1": "secret-one-" * 4})
    claims = {
        "sub": str(uuid.uuid4()),
        "iss": "leaderful",
        "aud": "leaderful-api",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(minutes=15)).timestamp()),
        "jti": uuid.uuid4().hex,
        "scope": "read",
    }
    signed = jwt.encode(claims, ring.signing_key, algorithm="HS256", headers={"kid": "k1"})
    assert codec(ring).verify(signed).scopes == {"read"}
    del claims[claim]
    token = jwt.encode(claims, ring.signing_key, algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        codec(ring).verify(token)
