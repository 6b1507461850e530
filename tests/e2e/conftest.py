"""Browser end-to-end wiring: the real server, a real database, a real Chromium.

One session starts `uvicorn api.main:create_app --factory` as a subprocess on a free port, on
a fresh migrated database (`database_url` from tests/conftest.py: PostgreSQL under
LEADERFUL_TEST_DB=postgres, which `make test-e2e` sets), serving the built SPA from
frontend/dist. Chromium is Debian's (LEADERFUL_CHROMIUM), launched once; every test gets a
fresh browser context (no cookies), so tests are independent. Tests never share accounts: each
makes its own with `pages.create_account` or `pages.register_via_ui`.

Nothing here skips: a missing Chromium, SPA build or database fails the run with the fix.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.e2e.pages import ARTIFACTS, DESKTOP, ROOT, LiveServer, create_account
from tests.mail_helpers import SmtpSink, smtp_sink

SPA_DIR = ROOT / "frontend" / "dist"
UVICORN = ROOT / ".venv" / "bin" / "uvicorn"
CHROMIUM = os.environ.get("LEADERFUL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Importing the app alone takes over 20 s on a busy two-core machine.
STARTUP_SECONDS = int(os.environ.get("LEADERFUL_E2E_STARTUP_SECONDS", "90"))
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


def pytest_report_header() -> str:
    return f"leaderful e2e: chromium {CHROMIUM}, SPA {SPA_DIR}"


@pytest.fixture(autouse=True)
def _empty_database() -> None:
    """Replaces the async fixture of tests/conftest.py. The e2e tests share one live server and
    its database; they stay independent by using their own accounts. (The sync Playwright API
    also marks its event loop as running between calls, which async fixtures cannot share.)"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the server exited with code {process.returncode} before it was ready; "
                f"its log ({log_path}):\n{log_path.read_text()[-4000:]}",
                pytrace=False,
            )
        try:
            response = httpx.get(f"{base_url}/readyz", timeout=2)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as error:
            last = repr(error)
        time.sleep(0.2)
    _stop(process)
    pytest.fail(
        f"the server was not ready within {STARTUP_SECONDS}s (last /readyz: {last}); "
        f"its log ({log_path}):\n{log_path.read_text()[-4000:]}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/e2e/artifacts/, emptied of the previous run's screenshots (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[SmtpSink]:
    """The SMTP server the live server sends its mail to (a real one, aiosmtpd): tests read
    the links people would get from what it received."""
    with smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="session")
def live_server(database_url: str, artifacts: Path, mail_sink: SmtpSink) -> Iterator[LiveServer]:
    if not (SPA_DIR / "index.html").is_file():
        pytest.fail(
            f"{SPA_DIR / 'index.html'} is missing: build the web app first "
            "(`make frontend-build`, or `cd frontend && npm run build`).",
            pytrace=False,
        )
    if not UVICORN.is_file():
        pytest.fail(f"{UVICORN} is missing: run `make venv`.", pytrace=False)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LEADERFUL_DATABASE_URL": database_url,
        "LEADERFUL_SECRET_KEY": secrets.token_urlsafe(48),
        "LEADERFUL_RATE_LIMIT_ENABLED": "false",
        "LEADERFUL_SPA_DIR": str(SPA_DIR),
        "LEADERFUL_UPLOADS_DIR": str(artifacts / "uploads"),
        "LEADERFUL_CORS_ORIGINS": "",
        "LEADERFUL_LOG_LEVEL": "WARNING",
        "LEADERFUL_LOG_JSON": "false",
        "LEADERFUL_SMTP_URL": mail_sink.url,
        "LEADERFUL_PUBLIC_URL": base_url,
        "LEADERFUL_MAIL_RETRY_BASE_SECONDS": "0.2",
        # Webhook receivers in these tests listen on 127.0.0.1, which production refuses.
        "LEADERFUL_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    log_path = artifacts / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(UVICORN),
                "api.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_ready(process, base_url, log_path)
            admin = create_account(base_url, "Ada Admin")
            yield LiveServer(base_url, database_url, admin, log_path)
        finally:
            _stop(process)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.base_url


@pytest.fixture(scope="session")
def playwright(live_server: LiveServer) -> Iterator[Playwright]:
    # Depends on the server so that the database (set up with asyncio) exists before
    # Playwright's event loop does, and is dropped after it has stopped.
    manager = sync_playwright()
    instance = manager.start()
    try:
        yield instance
    finally:
        instance.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = Path(CHROMIUM)
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        found = shutil.which("chromium")
        pytest.fail(
            f"Chromium is not executable at LEADERFUL_CHROMIUM={CHROMIUM}"
            + (f" (there is one at {found})" if found else "")
            + ". Install Debian's package with `make chromium` "
            "(apt-get install -y chromium); these tests never download browsers.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


ContextFactory = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[ContextFactory]:
    """Make more browser contexts (another person, a phone) in one test; all close at the end.

    Keyword arguments go to `browser.new_context`, e.g. `new_context(viewport=MOBILE,
    is_mobile=True)`.
    """
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        settings: dict[str, Any] = {
            "base_url": base_url,
            "viewport": DESKTOP,
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context: ContextFactory) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh tab in a fresh context. Uncaught JavaScript errors and anything the page's
    Content-Security-Policy refused fail the test, and a failing test leaves a screenshot of where
    it stopped in artifacts/."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    tab.on(
        "console",
        lambda message: (
            errors.append(f"CSP: {message.text} ({message.location['url']})")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not tab.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        tab.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    assert not errors, f"uncaught JavaScript errors on {tab.url}: {errors}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder carries the `e2e` marker (`-m "not e2e"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
