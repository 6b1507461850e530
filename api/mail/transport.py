"""Where a rendered message goes: an SMTP server (aiosmtplib), or, without one, an .eml file
under var/mail/ (its subject logged) so that anyone running the app locally can read it.

Failures are sorted for the sender: a permanent refusal of the recipient (a 5xx to RCPT TO or to
the message) marks the address undeliverable; anything else (4xx, connection refused, timeouts,
a server that refuses our login or sender: our configuration, not their address) is retried.
A batch of messages shares one connection; `ConnectionLost` says the connection itself failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

log = logging.getLogger("leaderful.mail")

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


class TemporaryFailure(Exception):
    """Try again later."""


class PermanentFailure(Exception):
    """The server refused the recipient for good (an SMTP 5xx)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = f"{code} {reason}".strip()


class ConnectionLost(TemporaryFailure):
    """The connection to the SMTP server failed or went away: whatever was not sent on it is
    tried again on a new one."""


class MailConnection(Protocol):
    async def send(self, message: Message, recipient: str) -> None:
        """Deliver or raise TemporaryFailure (ConnectionLost) / PermanentFailure."""
        ...


class MailTransport(Protocol):
    def connect(self) -> AbstractAsyncContextManager[MailConnection]:
        """One connection for a batch of messages (ConnectionLost when it cannot be made)."""
        ...


class SmtpTransport:
    """SMTP from a URL: smtp://user:pass@host:587?starttls=true, smtps://user:pass@host:465.
    Without a `starttls` parameter, STARTTLS is used when the server offers it. A batch of
    messages goes over one connection (greeting, TLS and login once)."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://…")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        starttls = query.get("starttls")
        self.hostname = parts.hostname
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.start_tls: bool | None = (
            True if starttls in TRUE else False if starttls in FALSE else None
        )
        self.timeout = timeout

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[MailConnection]:
        client = aiosmtplib.SMTP(
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=self.timeout,
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # Refused, timed out, or the server refused our TLS or login: our side, retried.
            raise ConnectionLost(f"{type(exc).__name__}: {exc}") from exc
        try:
            yield SmtpConnection(client)
        finally:
            if client.is_connected:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                    await client.quit()
                client.close()


class SmtpConnection:
    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self.client = client

    async def send(self, message: Message, recipient: str) -> None:
        try:
            await self.client.send_message(message, recipients=[recipient])
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refusal = exc.recipients[0] if exc.recipients else None
            code = refusal.code if refusal is not None else 550
            text = refusal.message if refusal is not None else "recipient refused"
            raise _by_code(code, text) from exc
        except aiosmtplib.SMTPRecipientRefused as exc:
            raise _by_code(exc.code, exc.message) from exc
        except aiosmtplib.SMTPDataError as exc:
            raise _by_code(exc.code, exc.message) from exc
        except (aiosmtplib.SMTPServerDisconnected, OSError, TimeoutError) as exc:
            raise ConnectionLost(f"{type(exc).__name__}: {exc}") from exc
        except aiosmtplib.SMTPException as exc:
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc


def _by_code(code: int, text: str) -> Exception:
    if 500 <= code < 600:
        return PermanentFailure(code, text)
    return TemporaryFailure(f"{code} {text}")


class FileTransport:
    """Writes each message to `directory` as `<time>-<id>.eml` and logs its subject."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[MailConnection]:
        yield self

    async def send(self, message: Message, recipient: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        await asyncio.to_thread(self._write, path, message.as_bytes())
        log.info(
            "mail written to a file (no SMTP_URL)",
            extra={"to": recipient, "subject": str(message["Subject"]), "path": str(path)},
        )

    def _write(self, path: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def transport_for(smtp_url: str | None, mail_dir: Path, timeout: float = 30) -> MailTransport:
    return SmtpTransport(smtp_url, timeout) if smtp_url else FileTransport(mail_dir)
