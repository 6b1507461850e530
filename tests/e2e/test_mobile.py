"""On a 375px phone the pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.pages import (
    MOBILE,
    LiveServer,
    create_account,
    expect_sign_in_page,
    horizontal_overflow,
    sign_in_as,
)


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    context = new_context(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


def assert_no_horizontal_scroll(page: Page, label: str) -> None:
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= MOBILE["width"], (
        f"{label} scrolls sideways at {MOBILE['width']}px: scrollWidth "
        f"{overflow['scrollWidth']}; sticking out: {overflow['offenders']}"
    )


def test_pages_fit_a_375px_screen(phone: Page, live_server: LiveServer) -> None:
    phone.goto("/signin")
    expect_sign_in_page(phone)
    assert_no_horizontal_scroll(phone, "the sign-in page")

    phone.goto("/register")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Create your Leaderful account")
    assert_no_horizontal_scroll(phone, "the register page")

    account = create_account(live_server.base_url, "Margaret Hamilton")
    sign_in_as(phone, account, "/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Hello, Margaret.")
    assert_no_horizontal_scroll(phone, "the home page")

    phone.goto("/settings")
    expect(phone.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    assert_no_horizontal_scroll(phone, "the settings page")
