"""Pure ASGI middleware: request context (id, access log, metrics, security headers), body
limits and content types, rate limits. Pure ASGI (not BaseHTTPMiddleware) keeps requests cheap."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import close_units_of_work
from api.problems import problem
from auth.secrets import PERSONAL_PREFIX, hash_secret
from domain.clock import Clock
from domain.markdown import image_hosts as markdown_image_hosts

access_log = logging.getLogger("leaderful.access")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    # JSON and errors load nothing and are never framed; HTML pages (the SPA, the API docs)
    # set their own policy, which this one does not replace.
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


class Metrics:
    """Prometheus collectors in their own registry (several apps can live in one test process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "leaderful_http_requests_total",
            "HTTP requests by route template, method and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "leaderful_http_request_duration_seconds",
            "HTTP request latency by route template and method.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.events = Counter(
            "leaderful_events_total",
            "Domain events by outcome: published (relayed to the broker), handled (every "
            "consumer done), retried (a try failed, another follows), dead (dead-lettered).",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in ("published", "handled", "retried", "dead"):
            self.events.labels(outcome)


API_PREFIX = "/api/v1"


def _route_template(scope: Scope) -> str:
    """The matched route's template (bounded label cardinality), with the router's prefix."""
    path: str | None = getattr(scope.get("route"), "path", None)
    if not path:
        return "unmatched"
    if scope["path"].startswith(API_PREFIX) and not path.startswith(API_PREFIX):
        return API_PREFIX + path
    return path


class RequestContextMiddleware:
    """X-Request-ID in and out, one JSON access-log line, metrics, security headers, and the
    deployment's Markdown image hosts for whatever the request renders."""

    def __init__(
        self, app: ASGIApp, metrics: Metrics | None, image_hosts: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.image_hosts = image_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        api_path = scope["path"].startswith("/api/v1")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                if api_path and "cache-control" not in headers:
                    # Per-caller data: revalidate every time (ETag), never share between users.
                    headers["Cache-Control"] = "private, no-cache"
                    headers["Vary"] = "Authorization"
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.raw.append((name, value))
            await send(message)

        try:
            if self.image_hosts:
                with markdown_image_hosts(self.image_hosts):
                    await self.app(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            await close_units_of_work(scope)
            duration = time.perf_counter() - started
            route = _route_template(scope)
            if self.metrics is not None:
                self.metrics.requests.labels(scope["method"], route, str(status)).inc()
                self.metrics.latency.labels(scope["method"], route).observe(duration)
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(duration * 1000, 2),
                },
            )


# Response headers a browser script on an allowed origin may read.
CORS_EXPOSED_HEADERS = [
    "ETag",
    "Location",
    "X-Request-ID",
    "Idempotent-Replayed",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "Personal-Tokens-Revoked",
]


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, except that a refused preflight is a 403 problem+json like every other
    error (Starlette answers 400 in plain text)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        return problem(
            403,
            f"Cross-origin request refused ({refused}): this origin may not call the API "
            "from a browser.",
            slug="cors-refused",
            headers={"Vary": "Origin"},
        )


# Where a form body is taken: the OAuth2 token endpoint, and the one-click unsubscribe that mail
# clients POST as a form (RFC 8058).
FORM_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/unsubscribe"})
UPLOAD_PATHS = frozenset({"/api/v1/uploads"})
# A multipart body carries its file and a few hundred bytes of boundaries and part headers.
MULTIPART_OVERHEAD = 16 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _is_form(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in {"application/x-www-form-urlencoded", "multipart/form-data"}


class BodyGuardMiddleware:
    """413 before a large body is read whole; 415 for a body of a type the route does not take;
    408 when the body has not arrived whole within `body_timeout` seconds of the request (a
    client trickling it must not hold a worker and a connection for ever).

    Uploads take a multipart body up to `max_upload_bytes` (plus its boundaries), counted as it
    arrives like any other body; the route checks the file's own size as it reads it."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        body_timeout: float,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.max_upload_body = (
            max_upload_bytes + MULTIPART_OVERHEAD if max_upload_bytes else max_body_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length_header = headers.get("content-length")
        path: str = scope["path"]
        upload = path in UPLOAD_PATHS
        max_body = self.max_upload_body if upload else self.max_body_bytes
        too_large = problem(413, f"The body is larger than {max_body} bytes.")
        if length_header is not None:
            try:
                length = int(length_header)
            except ValueError:
                await problem(400, "Invalid Content-Length.")(scope, receive, send)
                return
            if length > max_body:
                await too_large(scope, receive, send)
                return
        has_body = (length_header not in (None, "0")) or "transfer-encoding" in headers
        if has_body and path.startswith("/api/"):
            content_type = headers.get("content-type", "")
            if path in FORM_PATHS or upload:
                allowed, expected = _is_form(content_type), "a form"
            else:
                allowed, expected = _is_json(content_type), "application/json"
            if not allowed:
                await problem(415, f"Send the body as {expected}.")(scope, receive, send)
                return

        received = 0
        state = {"started": False, "rejected": False, "body_done": False}
        deadline = asyncio.get_running_loop().time() + self.body_timeout

        async def reject(response: Response) -> Message:
            # Answer now and tell the app the client left, so it stops reading.
            state["rejected"] = True
            await response(scope, receive, send)
            return {"type": "http.disconnect"}

        async def limited_receive() -> Message:
            nonlocal received
            if state["rejected"]:
                return {"type": "http.disconnect"}
            if state["body_done"]:
                return await receive()  # only a disconnect can come now: no deadline
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                if state["started"]:
                    return {"type": "http.disconnect"}
                return await reject(
                    problem(
                        408,
                        f"The request body did not arrive within {self.body_timeout:g} seconds.",
                        headers={"Connection": "close"},
                    )
                )
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if not message.get("more_body", False):
                    state["body_done"] = True
                if received > max_body and not state["started"]:
                    return await reject(too_large)
            return message

        async def guarded_send(message: Message) -> None:
            if state["rejected"]:
                return  # we already answered 413 or 408
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxyMiddleware:
    """X-Forwarded-For / X-Forwarded-Proto, believed only when the socket's peer is a trusted
    proxy (LEADERFUL_TRUSTED_PROXIES); from anyone else they are ignored, so a client cannot pick
    the address its rate limits are counted against.

    The client is the rightmost X-Forwarded-For entry that is not itself a trusted proxy: entries
    to its left were written by the client and prove nothing.
    """

    def __init__(self, app: ASGIApp, trusted: list[Network]) -> None:
        self.app = app
        self.trusted = trusted

    def _is_trusted(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and self._is_trusted(client[0]):
            headers = Headers(scope=scope)
            forwarded = headers.get("x-forwarded-for")
            if forwarded:
                host = client[0]
                for hop in reversed([part.strip() for part in forwarded.split(",")]):
                    try:
                        ipaddress.ip_address(hop)
                    except ValueError:
                        break  # garbage: keep the last address we could vouch for
                    host = hop
                    if not self._is_trusted(hop):
                        break
                scope["client"] = (host, 0)
            proto = headers.get("x-forwarded-proto", "").strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                if scope["type"] == "websocket":
                    scope["scheme"] = "wss" if secure else "ws"
                else:
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


class AccountBuckets:
    """Which rate-limit bucket a bearer credential is charged to: its account's (`user:<id>`,
    shared by all of the account's tokens) once the credential is known to verify, else none,
    and the request counts against its IP.

    An access token verifies by its signature alone. A personal token verifies only against the
    database, which the limiter must not reach for every made-up token; so the limiter reads a
    small in-process map of token hash -> account, filled when a request's principal resolved
    the token (`remember`). A personal token's first request after start or expiry counts
    against its IP; every later one against its account.
    """

    def __init__(
        self,
        verify_access: Callable[[str], UUID],
        clock: Clock,
        *,
        ttl: timedelta = timedelta(minutes=5),
        capacity: int = 10_000,
    ) -> None:
        self.verify_access = verify_access
        self.clock = clock
        self.ttl = ttl
        self.capacity = capacity
        self._personal: OrderedDict[str, tuple[UUID, datetime]] = OrderedDict()

    def key_for(self, bearer: str) -> str | None:
        if bearer.startswith(PERSONAL_PREFIX):
            known = self._personal.get(hash_secret(bearer))
            if known is None or known[1] <= self.clock.now():
                return None
            return f"user:{known[0]}"
        try:
            return f"user:{self.verify_access(bearer)}"
        except Exception:
            return None  # any failure to verify: the IP pays

    def remember(self, bearer: str, user_id: UUID) -> None:
        """A personal token that just verified: charge its account from now on."""
        if not bearer.startswith(PERSONAL_PREFIX):
            return
        digest = hash_secret(bearer)
        self._personal.pop(digest, None)
        self._personal[digest] = (user_id, self.clock.now() + self.ttl)
        while len(self._personal) > self.capacity:
            self._personal.popitem(last=False)  # the oldest entry: bounded memory


class RateLimitMiddleware:
    """Per account (per IP when anonymous or unverified) limits with RateLimit-* headers; sign-in
    and registration are tighter, per IP."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(
        self,
        app: ASGIApp,
        *,
        storage: Storage,
        default: str,
        auth: str,
        accounts: AccountBuckets,
        auth_paths: frozenset[str],
    ) -> None:
        self.app = app
        self.limiter = MovingWindowRateLimiter(storage)
        self.default: RateLimitItem = parse(default)
        self.auth: RateLimitItem = parse(auth)
        self.accounts = accounts
        self.auth_paths = auth_paths

    def _key(self, scope: Scope) -> tuple[RateLimitItem, str]:
        client = scope.get("client")
        ip = client[0] if client else "unknown"
        if scope["path"] in self.auth_paths:
            return self.auth, f"auth:{ip}"
        authorization = Headers(scope=scope).get("authorization", "")
        if authorization[:7].lower() == "bearer ":
            account = self.accounts.key_for(authorization[7:].strip())
            if account:
                return self.default, account
        return self.default, f"ip:{ip}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] == "OPTIONS"
            or scope["path"].startswith(self.EXEMPT)
        ):
            await self.app(scope, receive, send)
            return
        item, key = self._key(scope)
        allowed = await self.limiter.hit(item, key)
        stats = await self.limiter.get_window_stats(item, key)
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        limit_headers = {
            "RateLimit-Limit": str(item.amount),
            "RateLimit-Remaining": str(max(0, stats.remaining)),
            "RateLimit-Reset": str(reset),
        }
        if not allowed:
            limit_headers["Retry-After"] = str(max(1, reset))
            response = problem(
                429, "Too many requests; slow down and retry later.", headers=limit_headers
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in limit_headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def rate_limit_storage(redis_url: str | None) -> Storage:
    if redis_url:
        scheme_url = redis_url if redis_url.startswith("async+") else "async+" + redis_url
        storage = storage_from_string(scheme_url)
        assert isinstance(storage, Storage)
        return storage
    return MemoryStorage()
