"""Reaching a webhook receiver safely: the URL rules (no private, loopback, link-local,
multicast or cloud metadata targets unless LEADERFUL_WEBHOOK_ALLOW_PRIVATE=true), one DNS
lookup whose checked address is the one connected to, and Standard Webhooks signatures.

The name is resolved once and every address it resolves to must pass (a name that also points
inside is refused, so a second lookup can never pick another address). The request then goes to
that address: the URL names the IP, the Host header names the host, and for https the TLS
server name (SNI) and the certificate check use the host name through httpx's `sni_hostname`
request extension. Redirects are not followed, and no proxy from the environment is used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook as StandardWebhook

from domain.errors import ValidationFailed
from domain.webhooks.model import RESPONSE_EXCERPT_BYTES, TIMEOUT_SECONDS, SendResult
from domain.webhooks.ports import OutgoingMessage

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Instance metadata services (AWS, GCP, Azure, DigitalOcean, OpenStack: 169.254.169.254; AWS
# IPv6; ECS task metadata; Alibaba; Oracle). Refused even when private targets are allowed: no
# test or closed network needs to post there, and it is where credentials leak.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "fd00:ec2::254",
        "169.254.170.2",
        "100.100.100.200",
        "192.0.0.192",
    )
)
USER_AGENT = "Leaderful-Webhooks/1"
# A name that takes longer to resolve counts as unresolvable (a slow resolver must not hold a
# request or a delivery).
RESOLVE_SECONDS = 5.0
MAX_URL = 2000


def refusal(ip: IPAddress, allow_private: bool) -> str | None:
    """Why a receiver may not be at `ip` (None: it may)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "a cloud metadata address"
    if allow_private:
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True, slots=True)
class Target:
    """Where a URL's request goes: the checked address, and the names the server expects."""

    url: httpx.URL
    ip: IPAddress
    host: str
    port: int

    @property
    def ip_url(self) -> httpx.URL:
        return self.url.copy_with(host=str(self.ip))

    @property
    def host_header(self) -> str:
        default = 443 if self.url.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def _bad(detail: str) -> ValidationFailed:
    return ValidationFailed(detail, field="url", code="webhook_url")


class WebhookUrls:
    """The URL rules. `allow_private`: LEADERFUL_WEBHOOK_ALLOW_PRIVATE (tests, closed networks):
    http and private, loopback and link-local targets are allowed (metadata addresses never)."""

    def __init__(self, allow_private: bool, resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def parse(self, raw: str) -> httpx.URL:
        if len(raw) > MAX_URL:
            raise _bad(f"A webhook URL has at most {MAX_URL} characters.")
        try:
            url = httpx.URL(raw)
        except (httpx.InvalidURL, ValueError):
            raise _bad("This is not a URL.") from None
        schemes = {"https", "http"} if self.allow_private else {"https"}
        if url.scheme not in schemes:
            raise _bad(
                "A webhook URL must use https."
                if not self.allow_private
                else "A webhook URL must use https or http."
            )
        if not url.host:
            raise _bad("A webhook URL names a host.")
        if url.userinfo:
            raise _bad("A webhook URL carries no user name or password; sign-in is the signature.")
        if url.fragment:
            raise _bad("A webhook URL has no #fragment.")
        return url

    async def resolve(self, raw: str) -> Target:
        url = self.parse(raw)
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            literal: IPAddress | None = ipaddress.ip_address(url.host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            try:
                async with asyncio.timeout(RESOLVE_SECONDS):
                    found = await self.resolver(url.host, port)
            except (OSError, UnicodeError, TimeoutError):
                raise _bad(f"{url.host} does not resolve.") from None
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in found]
            if not addresses:
                raise _bad(f"{url.host} does not resolve.")
        for address in addresses:
            why = refusal(address, self.allow_private)
            if why is not None:
                raise _bad(f"{url.host} resolves to {why} ({address}); webhooks go elsewhere.")
        return Target(url, addresses[0], url.host, port)

    async def check(self, url: str) -> None:
        await self.resolve(url)


def signature_headers(message: OutgoingMessage, at: datetime) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature (one `v1,…` per secret, separated by
    spaces: during a rotation receivers holding either secret verify)."""
    signatures = [
        StandardWebhook(s).sign(message.message_id, at, message.body) for s in message.secrets
    ]
    return {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


class HttpxSender:
    """One try of one message. Connections over TLS are not kept alive: a pooled connection is
    keyed by the address, and one opened for another host name on the same address must never
    carry this one's request."""

    def __init__(self, urls: WebhookUrls, timeout: float = TIMEOUT_SECONDS) -> None:
        self.urls = urls
        self.timeout = timeout
        common = {"follow_redirects": False, "trust_env": False, "timeout": httpx.Timeout(timeout)}
        self._plain = httpx.AsyncClient(**common)  # type: ignore[arg-type]
        self._tls = httpx.AsyncClient(
            limits=httpx.Limits(max_keepalive_connections=0),
            **common,  # type: ignore[arg-type]
        )

    async def send(self, message: OutgoingMessage) -> SendResult:
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            target = await self.urls.resolve(message.url)
        except ValidationFailed as exc:
            return SendResult(None, elapsed(), error=f"refused: {exc.detail}")
        headers = {
            **signature_headers(message, datetime.now(UTC)),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "host": target.host_header,
        }
        tls = target.url.scheme == "https"
        client = self._tls if tls else self._plain
        extensions = {"sni_hostname": target.host} if tls else {}
        try:
            async with asyncio.timeout(self.timeout):
                request = client.build_request(
                    "POST",
                    target.ip_url,
                    content=message.body.encode(),
                    headers=headers,
                    extensions=extensions,
                )
                response = await client.send(request, stream=True)
                try:
                    excerpt = b""
                    async for chunk in response.aiter_raw():
                        excerpt += chunk
                        if len(excerpt) >= RESPONSE_EXCERPT_BYTES:
                            break
                finally:
                    await response.aclose()
        except TimeoutError:
            return SendResult(None, elapsed(), error=f"no answer within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return SendResult(None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])
        text = excerpt[:RESPONSE_EXCERPT_BYTES].decode("utf-8", "replace")
        return SendResult(response.status_code, elapsed(), response_excerpt=text)

    async def close(self) -> None:
        await self._plain.aclose()
        await self._tls.aclose()
