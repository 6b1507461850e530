"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps what it received,
and can refuse chosen recipients for good (5xx) or for now (4xx)."""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from api.main import create_app
from tests.conftest import draining, make_settings

LINK = re.compile(r"""href=["']([^"']+)["']""")
URL = re.compile(r"https?://[^\s<>\"']+")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    # Which SMTP connection brought it (the client's address and port).
    connection: str = ""

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        assert body.get_content_type() == f"text/{subtype}"
        return str(body.get_content())

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")

    @property
    def html_links(self) -> list[str]:
        return LINK.findall(self.html)

    @property
    def text_links(self) -> list[str]:
        return URL.findall(self.text)

    def link_to(self, path: str) -> str:
        (link,) = {u for u in self.text_links if path in u}
        assert link in self.html_links, "the text and HTML parts link to different places"
        return link


@dataclass
class SinkHandler:
    received: list[Received] = field(default_factory=list)
    # address -> SMTP reply for RCPT TO: permanent ("550 …") or temporary ("451 …")
    refuse: dict[str, str] = field(default_factory=dict)
    # address -> how many more times to answer 451 before accepting
    defer: dict[str, int] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    # Hang up on the client after accepting this many messages on one connection (None: never).
    hang_up_after: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        with self.lock:
            self.attempts[address] = self.attempts.get(address, 0) + 1
            if address in self.refuse:
                return self.refuse[address]
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, str(session.peer))
            )
            on_this = sum(1 for r in self.received if r.connection == str(session.peer))
        if self.hang_up_after is not None and on_this >= self.hang_up_after:
            # Right after this reply goes out, as a server restarting would.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, handler: SinkHandler, port: int) -> None:
        self.handler = handler
        self.port = port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?starttls=false"

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]

    def forget(self, address: str) -> None:
        """Drop what was received for `address` (e.g. its registration's verification link)."""
        with self.handler.lock:
            self.handler.received[:] = [
                r for r in self.handler.received if address not in r.recipients
            ]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[Received]:
        """Blocks (for tests in other threads and processes, e.g. e2e)."""
        deadline = time.monotonic() + timeout
        while len(found := self.to(address)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} mail(s) to {address} did not arrive: {found}")
            time.sleep(0.05)
        return found


PUBLIC = "https://leaderful.example.com"
SENDER = "Leaderful <no-reply@leaderful.example.com>"


@asynccontextmanager
async def mail_app(
    database_url: str, tmp_path: Path, smtp_url: str, **overrides: Any
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An app that sends mail to `smtp_url`, links under PUBLIC, and a client that waits for
    the events and mail each request queued."""
    settings = make_settings(
        database_url,
        tmp_path,
        smtp_url=smtp_url,
        public_url=PUBLIC,
        mail_from=SENDER,
        mail_retry_attempts=3,
        **overrides,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t/api/v1", event_hooks=draining(application)
        ) as http:
            yield application, http


@contextmanager
def smtp_sink(port: int | None = None) -> Iterator[SmtpSink]:
    handler = SinkHandler()
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpSink(handler, port)
    finally:
        controller.stop()
