"""Small helpers that keep API tests readable."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import httpx

PASSWORD = "correct-horse-battery"
PROBLEM = "application/problem+json"
_counter = itertools.count(1)


@dataclass
class Account:
    id: str
    handle: str
    email: str
    access_token: str
    refresh_token: str
    password: str = PASSWORD

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def register(client: httpx.AsyncClient, name: str | None = None, **extra: Any) -> Account:
    n = next(_counter)
    name = name or f"Person {n}"
    body = {
        "email": extra.pop("email", f"person{n}@example.com"),
        "password": extra.pop("password", PASSWORD),
        "display_name": name,
        **extra,
    }
    response = await client.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return Account(
        id=data["user"]["id"],
        handle=data["user"]["handle"],
        email=data["user"]["email"],
        access_token=data["access_token"],
        refresh_token=data["refresh_token"],
        password=body["password"],
    )


async def with_personal_token(
    client: httpx.AsyncClient, account: Account, scopes: list[str]
) -> Account:
    """The same person, calling with a new personal access token of `scopes`."""
    response = await client.post(
        "/me/tokens", json={"name": "integration", "scopes": scopes}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return replace(account, access_token=response.json()["token"])


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["type"] and "detail" in body
    assert "Traceback" not in response.text
    return body


class _HtmlAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed", "style"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if (
                name in {"href", "src"}
                and value
                and not value.startswith(("http:", "https:", "mailto:"))
                # A path on this origin (a mention's profile link), never "//host".
                and not (value.startswith("/") and not value.startswith("//"))
            ):
                self.problems.append(f"{tag}[{name}={value}]")


def assert_safe_html(html: str) -> None:
    """Parse as a browser would: no script elements, no event handlers, no non-web URLs."""
    audit = _HtmlAudit()
    audit.feed(html)
    assert audit.problems == [], audit.problems


class FakeClock:
    """A clock that says what the test set (`at`), for jobs and rules that depend on time."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at
