"""axe-core finds nothing serious or critical on the main pages, at desktop and phone widths.

One test per page (and per state worth checking, like an open dialog), so a report lists every
page's problems at once. Add new pages to VISITS. axe-core comes from frontend/node_modules (a
devDependency, or LEADERFUL_AXE_JS), never from the internet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.pages import (
    DESKTOP,
    MOBILE,
    NOT_FOUND_HEADING,
    LiveServer,
    account_menu,
    assert_accessible,
    create_account,
    expect_sign_in_page,
    require_axe,
    sign_in_as,
)

USER = "Alan Turing"


@dataclass(frozen=True)
class Visit:
    path: str
    signed_in: bool
    ready: Callable[[Page], None]


def _heading(text: str) -> Callable[[Page], None]:
    def ready(page: Page) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(text)

    return ready


def _settings_loaded(page: Page) -> None:
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    expect(page.get_by_role("region", name="Your tokens")).to_contain_text("No tokens yet")


def _account_menu_open(page: Page) -> None:
    _heading("Hello, Alan.")(page)
    account_menu(page, USER).click()
    expect(page.get_by_role("menuitem", name="Sign out")).to_be_visible()


def _revoke_dialog_open(page: Page) -> None:
    _settings_loaded(page)
    form = page.get_by_role("form", name="Create a token")
    form.get_by_label("Name").fill("CI pipeline")
    form.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("region", name="Copy your new token now")).to_be_visible()
    page.get_by_role("button", name="Revoke CI pipeline").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()


VISITS = {
    "sign-in": Visit("/signin", signed_in=False, ready=expect_sign_in_page),
    "register": Visit("/register", False, _heading("Create your Leaderful account")),
    "home": Visit("/", True, _heading("Hello, Alan.")),
    "home, account menu open": Visit("/", True, _account_menu_open),
    "settings": Visit("/settings", True, _settings_loaded),
    "settings, new token and revoke dialog": Visit("/settings", True, _revoke_dialog_open),
    "404": Visit("/this/page/does-not-exist", True, _heading(NOT_FOUND_HEADING)),
}


@pytest.mark.parametrize("name", list(VISITS))
def test_no_serious_axe_violations(name: str, page: Page, live_server: LiveServer) -> None:
    require_axe()
    visit = VISITS[name]
    if visit.signed_in:
        sign_in_as(page, create_account(live_server.base_url, USER), visit.path)
    else:
        page.goto(visit.path)
    visit.ready(page)
    problems = []
    for size in (DESKTOP, MOBILE):
        page.set_viewport_size(size)
        try:
            assert_accessible(page, f"the {name} page at {size['width']}px")
        except AssertionError as error:
            problems.append(str(error))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


# Dark mode: the same pages with the device set to dark (the theme's System default).
DARK = ["sign-in", "home", "home, account menu open", "settings", "404"]


@pytest.mark.parametrize("name", DARK)
def test_no_serious_axe_violations_in_dark_mode(
    name: str, new_context: ContextFactory, live_server: LiveServer
) -> None:
    require_axe()
    visit = VISITS[name]
    page = new_context(color_scheme="dark").new_page()
    if visit.signed_in:
        sign_in_as(page, create_account(live_server.base_url, USER), visit.path)
    else:
        page.goto(visit.path)
    visit.ready(page)
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert_accessible(page, f"the {name} page in dark mode")
