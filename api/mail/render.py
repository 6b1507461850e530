"""Mail templates (Jinja2, autoescaped HTML) rendered to a multipart/alternative message.

Each template `<name>` is a pair under templates/: `<name>.txt` (plain text; it sets the
subject with `{% set subject = "…" %}`) and `<name>.html` (extends `base.html`). Both get the
message's context plus:
- `url(path, **query)`: an absolute link under PUBLIC_URL (mail clients have no base URL);
- `recipient_name`, `recipient_address`, `public_url`, `preferences_url`, `settings_url`;
- `reason`: why the person got this message (the footer says it, with the link to change it);
- `unsubscribe_url`: with `unsubscribe_token` in the context (notification mail, digests), the
  page that confirms a one-click unsubscribe; the message then carries `List-Unsubscribe` (that
  page and the API's POST URL) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.clock import Clock
from domain.mail.model import MailCategory

TEMPLATES = Path(__file__).parent / "templates"
PREFERENCES_PATH = "/settings/notifications"
SETTINGS_PATH = "/settings"
UNSUBSCRIBE_PATH = "/unsubscribe"
# Where mail clients POST a one-click unsubscribe (RFC 8058); the page above answers a POST too.
UNSUBSCRIBE_API_PATH = "/api/v1/unsubscribe"

REASONS: dict[MailCategory, str] = {
    MailCategory.account: (
        "You received this e-mail because it concerns your Leaderful account and its address. "
        "Account e-mails cannot be turned off; you can change your address in your account "
        "settings."
    ),
    MailCategory.notification: (
        "You received this e-mail because you chose e-mail for this kind of notification on "
        "Leaderful. You can change that in your notification preferences."
    ),
    MailCategory.digest: (
        "You received this digest because you subscribed to it on Leaderful. You can change "
        "how often it comes, or turn it off, in your notification preferences."
    ),
}


class MailRenderer:
    def __init__(
        self, public_url: str, sender: str, clock: Clock, templates: Path = TEMPLATES
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.sender = sender
        self.clock = clock
        self.env = Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals["url"] = self.url

    def url(self, path: str, **query: Any) -> str:
        """An absolute link to `path` of the web app, with `query` encoded."""
        if not path.startswith("/"):
            path = "/" + path
        link = self.public_url + path
        return f"{link}?{urlencode(query)}" if query else link

    def render(
        self,
        template: str,
        category: MailCategory,
        to_address: str,
        context: Mapping[str, Any],
        *,
        recipient_name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Message:
        token = context.get("unsubscribe_token")
        unsubscribe_url = self.url(UNSUBSCRIBE_PATH, token=token) if token else None
        values: dict[str, Any] = {
            "unsubscribe_url": unsubscribe_url,
            "unsubscribe_what": None,
            "public_url": self.public_url,
            "preferences_url": self.url(PREFERENCES_PATH),
            "settings_url": self.url(SETTINGS_PATH),
            "recipient_name": recipient_name,
            "recipient_address": to_address,
            "reason": REASONS[category],
            "category": category.value,
            **context,
        }
        text_module = self.env.get_template(f"{template}.txt").make_module(values)
        subject = str(getattr(text_module, "subject", "")).strip()
        if not subject:
            raise ValueError(f"mail template {template}.txt sets no subject")
        html = self.env.get_template(f"{template}.html").render(values, subject=subject)
        # The legacy (compat32) message classes: headers are kept as given, not parsed into
        # objects and folded again on output, which makes a message several times cheaper to
        # build and flatten (a digest run renders tens of thousands). Non-ASCII is encoded
        # (RFC 2047 headers, UTF-8 bodies) all the same.
        message = MIMEMultipart("alternative")
        message["Subject"] = _header(subject)
        message["From"] = _address(self.sender)
        message["To"] = _address(to_address)
        message["Date"] = format_datetime(self.clock.now())
        message["Message-ID"] = make_msgid(domain=urlsplit(self.public_url).hostname or None)
        message["Auto-Submitted"] = "auto-generated"
        for name, value in (headers or {}).items():
            message[name] = _header(value)
        if unsubscribe_url and "List-Unsubscribe" not in message:
            api_url = self.url(UNSUBSCRIBE_API_PATH, token=token)
            message["List-Unsubscribe"] = f"<{unsubscribe_url}>, <{api_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.attach(MIMEText(str(text_module), "plain", "utf-8"))
        message.attach(MIMEText(html, "html", "utf-8"))
        return message


def _header(value: str) -> str:
    """A header value, as RFC 2047 encoded words when it is not ASCII."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(value: str) -> str:
    """An address header, its display name encoded when it is not ASCII."""
    if value.isascii():
        return value
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")
