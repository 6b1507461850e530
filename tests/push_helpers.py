"""A push service for tests: a real HTTP server on a free local port that keeps what it
received and answers the statuses a test queues; and a browser's side of a Web Push
subscription (a P-256 key pair and an auth secret) that decrypts what arrived (http-ece) and
checks the VAPID signature (RFC 8292) the way a push service does."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Arrived:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int
    arrived: list[Arrived] = field(default_factory=list)
    # Statuses to answer, in order; once empty, 201.
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[Arrived]:
        with self.lock:
            return list(self.arrived)

    def answer(self, *statuses: int) -> None:
        with self.lock:
            self.answers.extend(statuses)


Responder = Callable[[Arrived], tuple[int, dict[str, Any] | None]]


@contextmanager
def push_receiver(respond: Responder | None = None) -> Iterator[Receiver]:
    """A push service on a free port: answers queued statuses (else 201, empty), or whatever
    `respond` makes of each request (a status and a JSON body)."""
    receiver = Receiver(0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            arrived = Arrived("POST", self.path, headers, body)
            with receiver.lock:
                receiver.arrived.append(arrived)
                status = receiver.answers.pop(0) if receiver.answers else 201
            answer = b""
            if respond is not None:
                status, data = respond(arrived)
                answer = json.dumps(data).encode() if data is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class BrowserSubscription:
    """What a browser keeps for a subscription: its private key and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls, endpoint: str) -> BrowserSubscription:
        return cls(endpoint, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def json(self) -> dict[str, Any]:
        """PushSubscription.toJSON()."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }

    def decrypt(self, arrived: Arrived) -> dict[str, Any]:
        assert arrived.headers["content-encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            arrived.body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        data: dict[str, Any] = json.loads(plain)
        return data


def verify_vapid(arrived: Arrived, audience: str, public_key: str) -> dict[str, Any]:
    """Check `Authorization: vapid t=<JWT>, k=<key>` as a push service does: the key is the
    server's, the JWT is ES256-signed by it, for this push service's origin, not expired.
    Returns the claims."""
    scheme, _, params = arrived.headers["authorization"].partition(" ")
    assert scheme.lower() == "vapid", arrived.headers["authorization"]
    values = dict(p.strip().split("=", 1) for p in params.split(","))
    assert values["k"] == public_key
    header_b64, claims_b64, signature_b64 = values["t"].split(".")
    header = json.loads(unb64url(header_b64))
    assert header["alg"] == "ES256"
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims: dict[str, Any] = json.loads(unb64url(claims_b64))
    assert claims["aud"] == audience
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https://"))
    return claims
