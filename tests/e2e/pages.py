"""What a person does in the browser, as small functions, so each e2e test reads like a story.

Everything here talks to the real server started by tests/e2e/conftest.py. The UI is driven by
its visible labels and roles (what a user and a screen reader see), never by CSS classes, so a
test breaks when the experience changes, not when the markup is refactored.

Later flows (communities, posts, skills, mentorship) should add their helpers here in the same
style: `create_community_via_ui(page, ...)`, or `api(...)` calls to set the stage quickly.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE_JS = Path(
    os.environ.get("LEADERFUL_AXE_JS", ROOT / "frontend/node_modules/axe-core/axe.min.js")
)

PASSWORD = "sturdy-e2e-passphrase-42"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 375, "height": 812}
PROBLEM_JSON = "application/problem+json"
NOT_FOUND_HEADING = "We couldn\u2019t find that page"  # the app's 404 page


def unique(prefix: str = "e2e") -> str:
    """A short unique token, for emails, handles and names that must not collide across tests."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def unique_email(prefix: str = "person") -> str:
    return f"{unique(prefix)}@example.com"


# --- direct HTTP -------------------------------------------------------------------------------


def api(
    base_url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """One call to the real API (`path` is relative to /api/v1), optionally with a bearer token.

    Use it to set the stage fast (create a community as its owner) or to check what the UI did
    from the outside (the token the UI created works; a private community answers 404).
    """
    headers = dict(kwargs.pop("headers", None) or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{base_url.rstrip('/')}/api/v1/{path.lstrip('/')}"
    with httpx.Client(timeout=15) as client:
        return client.request(method, url, headers=headers, **kwargs)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status, body
    return body


@dataclass
class Account:
    name: str
    email: str
    password: str
    handle: str
    access_token: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def create_account(
    base_url: str, name: str, *, email: str | None = None, password: str = PASSWORD
) -> Account:
    """Register through the API (fast). Use register_via_ui when registering is what's tested."""
    email = email or unique_email(name.split()[0].lower())
    response = api(
        base_url,
        "POST",
        "/auth/register",
        json={"email": email, "password": password, "display_name": name},
    )
    assert response.status_code == 201, response.text
    data = response.json()
    return Account(
        name=name,
        email=email,
        password=password,
        handle=data["user"]["handle"],
        access_token=data["access_token"],
    )


@dataclass
class LiveServer:
    """The server under test (the `live_server` fixture)."""

    base_url: str
    database_url: str
    admin: Account  # the instance's first account, so UI-registered people are plain members
    log_path: Path

    def api(self, method: str, path: str, *, token: str | None = None, **kw: Any) -> httpx.Response:
        return api(self.base_url, method, path, token=token, **kw)


# --- signing in and out ------------------------------------------------------------------------


def account_menu(page: Page, name: str) -> Locator:
    """The account button in the app's header; it shows the signed-in person's name."""
    return page.get_by_role("button", name=f"Account menu for {name}")


def expect_signed_in(page: Page, name: str) -> None:
    expect(account_menu(page, name)).to_be_visible()
    expect(account_menu(page, name)).to_contain_text(name)


def expect_sign_in_page(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/signin(\?.*)?$"))
    expect(page.get_by_role("heading", level=1, name="Sign in to Leaderful")).to_be_visible()


def register_via_ui(
    page: Page, name: str, email: str, password: str = PASSWORD, *, handle: str | None = None
) -> None:
    """Fill the registration form like a person would and wait until the app lets them in."""
    if "/register" not in page.url:
        page.goto("/register")
    expect(
        page.get_by_role("heading", level=1, name="Create your Leaderful account")
    ).to_be_visible()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    if handle is not None:
        page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Create account").click()
    expect_signed_in(page, name)


def sign_in_via_ui(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in with the form; afterwards the app has navigated away from /signin."""
    if "/signin" not in page.url:
        page.goto("/signin")
    expect(page.get_by_role("heading", level=1, name="Sign in to Leaderful")).to_be_visible()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/signin"))


def sign_in_as(page: Page, account: Account, path: str = "/") -> None:
    """Sign in without the form (fast): get the refresh cookie through the page's own cookie
    jar, exactly as the SPA's sign-in does, then open `path`. For tests about something else."""
    response = page.request.post(
        "/api/v1/auth/token",
        form={"username": account.email, "password": account.password, "use_cookie": "true"},
    )
    assert response.ok, response.text()
    page.goto(path)
    expect_signed_in(page, account.name)


def sign_out_via_ui(page: Page, name: str) -> None:
    account_menu(page, name).click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect_sign_in_page(page)


# --- keyboard ----------------------------------------------------------------------------------


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator, *, max_presses: int = 30) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would; fail if it never does."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    focused = page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? e.outerHTML.slice(0, 200) : 'nothing'; }"
    )
    raise AssertionError(
        f"{max_presses} Tab presses never reached {locator}; focus is on {focused}"
    )


def focus_is_visible(locator: Locator) -> bool:
    """The focused control shows a focus ring (outline or box-shadow) a sighted user can see."""
    return bool(
        locator.evaluate(
            """element => {
                const style = getComputedStyle(element);
                const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                return element.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
            }"""
        )
    )


# --- screenshots, layout and accessibility -----------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def shoot(page: Page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at 1280px and 375px into tests/e2e/artifacts/,
    then restore the viewport. Returns the files written."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    # From the top: a sticky header would otherwise appear mid-page in a full-page capture.
    scrolled = page.evaluate("() => [window.scrollX, window.scrollY]")
    written: list[Path] = []
    try:
        for size in (DESKTOP, MOBILE):
            page.set_viewport_size(size)
            page.evaluate("() => window.scrollTo(0, 0)")
            path = ARTIFACTS / f"{_slug(name)}-{size['width']}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            written.append(path)
    finally:
        page.set_viewport_size(original)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)
    return written


def horizontal_overflow(page: Page) -> dict[str, Any]:
    """How wide the document scrolls versus the viewport, and which elements stick out."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            const width = window.innerWidth;
            const offenders = [];
            for (const element of document.body.querySelectorAll('*')) {
                const box = element.getBoundingClientRect();
                if (box.width > 0 && box.right > width + 0.5) {
                    const classes = element.className && element.className.baseVal === undefined
                        ? `.${String(element.className).trim().split(/\\s+/).join('.')}` : '';
                    offenders.push(`${element.tagName.toLowerCase()}${classes} right=${box.right}`);
                }
            }
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                innerWidth: width,
                offenders: offenders.slice(0, 10),
            };
        }"""
    )
    return result


def require_axe() -> None:
    """Fail (never skip) when axe-core is not installed locally."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE_JS}. It is a frontend devDependency: run "
            "`cd frontend && npm ci` (or set LEADERFUL_AXE_JS to an axe.min.js).",
            pytrace=False,
        )


def axe_violations(page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run axe-core on the current page and return the violations with the given impacts."""
    require_axe()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's policy refuses inline scripts.
        page.evaluate(AXE_JS.read_text())
    # Colours measured mid-transition (a theme switch, a hover) are neither the old nor the new
    # ones: wait until every finite transition or animation has finished (spinners never do).
    page.wait_for_function(
        """() => document.getAnimations().every(
            (a) => a.playState !== "running"
                || a.effect?.getComputedTiming().iterations === Infinity
        )"""
    )
    results: dict[str, Any] = page.evaluate(
        "async () => await window.axe.run(document, { resultTypes: ['violations'] })"
    )
    return [v for v in results["violations"] if v.get("impact") in impacts]


def describe_violations(violations: list[Any]) -> str:
    lines = []
    for violation in violations:
        targets = [json.dumps(node.get("target")) for node in violation.get("nodes", [])[:5]]
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}\n"
            f"  {violation.get('helpUrl', '')}\n  at {', '.join(targets)}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page, label: str) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {label} ({page.url}):\n{describe_violations(violations)}"


# --- communities, posts, skills, mentorship ----------------------------------------------------

PURPOSE = "We help each other write better Python and share what works in our teams."


def create_community_via_ui(page: Page, name: str, purpose: str = PURPOSE) -> str:
    """Fill /communities/new (public, anyone can join) and return the new community's slug."""
    page.goto("/communities/new")
    expect(
        page.get_by_role("heading", level=1, name="Start a community of practice")
    ).to_be_visible()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Purpose").fill(purpose)
    page.get_by_role("button", name="Create community").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    match = re.search(r"/communities/([a-z0-9-]+)", page.url)
    assert match, page.url
    return match.group(1)


def create_community_via_api(
    server: LiveServer, owner: Account, name: str, **fields: Any
) -> dict[str, Any]:
    response = server.api(
        "POST",
        "/communities",
        token=owner.access_token,
        json={"name": name, "purpose": PURPOSE, **fields},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def create_post_via_api(
    server: LiveServer, author: Account, slug: str, kind: str, title: str, body: str, **fields: Any
) -> dict[str, Any]:
    response = server.api(
        "POST",
        f"/communities/{slug}/posts",
        token=author.access_token,
        json={"kind": kind, "title": title, "body": body, **fields},
    )
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    return post


def ask_question_via_ui(page: Page, title: str, body: str, tags: str) -> str:
    """On a community's Posts tab: open the composer, post a question, open it; return its id."""
    page.get_by_role("button", name="Ask a question").click()
    form = page.get_by_role("form", name="New post")
    expect(form).to_be_visible()
    form.get_by_label("Title").fill(title)
    form.get_by_label("Details").fill(body)
    form.get_by_label("Tags").fill(tags)
    form.get_by_role("button", name="Post question").click()
    page.get_by_role("link", name="View your post").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    match = re.search(r"/posts/([0-9a-f-]{36})", page.url)
    assert match, page.url
    return match.group(1)
