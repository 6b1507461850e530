"""Signing up, staying signed in across a reload, signing out, and signing in by keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    PASSWORD,
    LiveServer,
    create_account,
    expect_sign_in_page,
    expect_signed_in,
    focus_is_visible,
    is_focused,
    register_via_ui,
    shoot,
    sign_out_via_ui,
    tab_to,
    unique_email,
)


def test_register_reload_and_sign_out(page: Page, live_server: LiveServer) -> None:
    page.goto("/")
    expect_sign_in_page(page)
    expect(page).to_have_title(re.compile("Sign in"))
    shoot(page, "signin")

    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    shoot(page, "register")

    email = unique_email("grace")
    register_via_ui(page, "Grace Hopper", email)
    expect(page).to_have_url(f"{live_server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hello, Grace. Everyone here can lead."
    )
    expect_signed_in(page, "Grace Hopper")
    shoot(page, "home")

    # The access token lives in memory only; the httpOnly refresh cookie keeps the session.
    page.reload()
    expect_signed_in(page, "Grace Hopper")
    expect(page).to_have_url(f"{live_server.base_url}/")

    # The account is a plain member: the instance's first account (admin) already exists.
    me = live_server.api("POST", "/auth/token", data={"username": email, "password": PASSWORD})
    assert me.status_code == 200, me.text
    profile = live_server.api("GET", "/me", token=me.json()["access_token"]).json()
    assert profile["display_name"] == "Grace Hopper"
    assert profile["role"] != "admin"

    sign_out_via_ui(page, "Grace Hopper")
    # Signed out for real: a reload or a direct visit does not bring the session back.
    page.reload()
    expect_sign_in_page(page)
    page.goto("/settings")
    expect_sign_in_page(page)


def test_sign_in_with_the_keyboard_only(page: Page, live_server: LiveServer) -> None:
    account = create_account(live_server.base_url, "Katherine Johnson")
    page.goto("/signin")
    expect_sign_in_page(page)

    email = page.get_by_label("Email", exact=True)
    password = page.get_by_label("Password", exact=True)
    tab_to(page, email)
    assert focus_is_visible(email), "the focused email field shows no focus ring"
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    assert is_focused(password), "Tab from the email field should reach the password field"
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hello, Katherine. Everyone here can lead."
    )
    expect_signed_in(page, account.name)
