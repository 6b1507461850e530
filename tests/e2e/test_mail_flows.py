"""Flows that go through the mailbox, with the live server sending to a real SMTP server:
forgetting a password, and confirming an address from the banner."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    LiveServer,
    create_account,
    expect_signed_in,
    shoot,
    sign_in_as,
    sign_in_via_ui,
)
from tests.mail_helpers import SmtpSink


def banner(page: Page):
    return page.get_by_role("region", name="Your e-mail address")


def test_forgot_password_end_to_end(page: Page, live_server: LiveServer, mail_sink: SmtpSink):
    person = create_account(live_server.base_url, "Rosalind Franklin")
    page.goto("/signin")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    expect(page.get_by_role("heading", level=1, name="Forgot your password?")).to_be_visible()
    page.get_by_label("Email").fill(person.email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_text("Check your inbox.")).to_be_visible()
    shoot(page, "forgot-password-sent")

    mails = [m for m in mail_sink.wait_for(person.email, 2) if "/reset-password" in m.text]
    (mail,) = mails
    assert mail.subject == "Reset your Leaderful password"
    link = mail.link_to("/reset-password")
    assert link.startswith(f"{live_server.base_url}/reset-password?token=")

    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    new_password = "a-fresh-start-after-all"
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    shoot(page, "reset-password")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()

    # The old password no longer works; the new one does.
    old = live_server.api(
        "POST", "/auth/token", data={"username": person.email, "password": person.password}
    )
    assert old.status_code == 401
    page.get_by_role("link", name="Sign in with your new password").click()
    sign_in_via_ui(page, person.email, new_password)
    expect_signed_in(page, person.name)
    # The link works once.
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("yet-another-passphrase")
    page.get_by_label("Confirm new password").fill("yet-another-passphrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("alert")).to_contain_text("already used")


def test_verification_banner_resend_and_verify(
    page: Page, live_server: LiveServer, mail_sink: SmtpSink
):
    person = create_account(live_server.base_url, "Katherine Johnson")
    (welcome,) = mail_sink.wait_for(person.email, 1)
    assert welcome.subject == "Confirm your e-mail address for Leaderful"

    sign_in_as(page, person)
    expect(banner(page)).to_be_visible()
    expect(banner(page)).to_contain_text("Please confirm your e-mail address.")
    expect(banner(page)).to_contain_text(person.email)
    shoot(page, "verification-banner")
    banner(page).get_by_role("button", name="Resend").click()
    expect(banner(page)).to_contain_text("A new link is on its way")

    resent = mail_sink.wait_for(person.email, 2)[-1]
    link = resent.link_to("/verify-email")
    assert link.startswith(f"{live_server.base_url}/verify-email?token=")
    assert link != welcome.link_to("/verify-email")

    page.goto(link)
    expect(page.get_by_text("Your e-mail address is confirmed.")).to_be_visible()
    shoot(page, "email-verified")
    page.get_by_role("link", name="Go to Leaderful").click()
    expect_signed_in(page, person.name)
    expect(banner(page)).to_have_count(0)
    page.goto("/settings#email")
    expect(page.get_by_role("region", name="E-mail address")).to_contain_text("Verified")
    expect(banner(page)).to_have_count(0)
