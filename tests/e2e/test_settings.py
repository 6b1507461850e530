"""Settings: the profile saves, and a personal access token works until it is revoked."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.pages import LiveServer, assert_problem, create_account, shoot, sign_in_as


def test_profile_title_is_saved(page: Page, live_server: LiveServer) -> None:
    account = create_account(live_server.base_url, "Mary Jackson")
    sign_in_as(page, account, "/settings")
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    shoot(page, "settings")

    profile = page.get_by_role("region", name="Profile")
    title = profile.get_by_label("Title")
    expect(title).to_have_value("")
    title.fill("Aerospace engineer")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("alert").or_(profile.get_by_role("status"))).to_contain_text(
        "Your profile is saved."
    )

    # Saved on the server, not just in the form: a reload shows it, and so does the API.
    page.reload()
    expect(page.get_by_role("region", name="Profile").get_by_label("Title")).to_have_value(
        "Aerospace engineer"
    )
    me = live_server.api("GET", "/me", token=account.access_token)
    assert me.json()["title"] == "Aerospace engineer"


def test_personal_access_token_works_until_revoked(page: Page, live_server: LiveServer) -> None:
    account = create_account(live_server.base_url, "Dorothy Vaughan")
    sign_in_as(page, account, "/settings#tokens")

    form = page.get_by_role("form", name="Create a token")
    form.get_by_label("Name").fill("Weekly report script")
    form.get_by_role("button", name="Create token").click()

    callout = page.get_by_role("region", name="Copy your new token now")
    expect(callout).to_be_visible()
    expect(callout.get_by_role("heading", name="Copy your new token now")).to_be_focused()
    secret = callout.locator("code").inner_text().strip()
    assert secret, "the one-time secret is not shown"
    shoot(page, "settings-token-created")

    me = live_server.api("GET", "/me", token=secret)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == account.email

    tokens = page.get_by_role("region", name="Your tokens")
    expect(tokens.get_by_text("Weekly report script")).to_be_visible()
    tokens.get_by_role("button", name="Revoke Weekly report script").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Revoke “Weekly report script”?")
    dialog.get_by_role("button", name="Revoke token").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("“Weekly report script” is revoked.")).to_be_visible()
    expect(tokens.get_by_text("Weekly report script")).to_have_count(0)

    assert_problem(live_server.api("GET", "/me", token=secret), 401)
