"""Webhooks in the web app: a steward connects a community to a real receiver (an HTTP server
started here that checks each delivery's signature with the `standardwebhooks` package), copies
the signing secret shown once, sends a ping and sees its delivery with the receiver's answer.
The live server runs with LEADERFUL_WEBHOOK_ALLOW_PRIVATE=true, so 127.0.0.1 is allowed."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    MOBILE,
    LiveServer,
    assert_accessible,
    create_account,
    create_community_via_api,
    create_post_via_api,
    horizontal_overflow,
    shoot,
    sign_in_as,
    unique,
)
from tests.webhook_helpers import Receiver


@contextmanager
def receiver_running() -> Iterator[Receiver]:
    """The tests' webhook receiver, served by its own event loop in a thread (the browser's
    API is synchronous)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    receiver = Receiver(status=202, answer="pong from the e2e receiver")
    try:
        asyncio.run_coroutine_threadsafe(receiver.start(), loop).result(timeout=15)
        yield receiver
    finally:
        asyncio.run_coroutine_threadsafe(receiver.stop(), loop).result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


def test_steward_connects_a_receiver_and_pings_it(page: Page, live_server: LiveServer) -> None:
    steward = create_account(live_server.base_url, "Katherine Johnson")
    name = f"Orbital Mechanics {unique('')}"
    slug = create_community_via_api(live_server, steward, name)["slug"]

    with receiver_running() as receiver:
        # The way in: the community's settings, for stewards.
        sign_in_as(page, steward, f"/communities/{slug}/edit")
        page.get_by_role("link", name="Manage webhooks").click()
        expect(page.get_by_role("heading", level=1, name="Webhooks")).to_be_visible()
        expect(page.get_by_text("No webhooks yet")).to_be_visible()
        assert_accessible(page, "the empty webhooks page")

        form = page.get_by_role("form", name="Add a webhook")
        form.get_by_label("Payload URL").fill(receiver.url)
        form.get_by_label("Description").fill("Launch desk bot")
        form.get_by_role("checkbox", name=re.compile("New comment")).check()
        form.get_by_role("button", name="Add webhook").click()

        # The secret, once, with a copy button; focus moves to it.
        callout = page.get_by_role("region", name="Copy the signing secret now")
        expect(callout).to_be_visible()
        expect(callout.get_by_role("heading", name="Copy the signing secret now")).to_be_focused()
        expect(callout).to_contain_text("You will not see this secret again")
        expect(callout.get_by_role("button", name="Copy secret")).to_be_visible()
        secret = callout.locator(".secret-callout__value code").inner_text().strip()
        assert secret.startswith("whsec_"), secret
        receiver.secrets.append(secret)

        item = page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", level=3, name=receiver.url)
        )
        expect(item).to_contain_text("Enabled")
        expect(item).to_contain_text("New post")
        expect(item).to_contain_text("New comment")
        expect(item).to_contain_text("No deliveries yet.")
        assert_accessible(page, "the webhooks page with a new webhook and its secret")
        shoot(page, "webhooks-created")

        callout.get_by_role("button", name="I\u2019ve saved it").click()
        expect(callout).to_be_hidden()
        assert secret not in (page.text_content("body") or "")

        # A ping reaches the receiver, signed with that secret, and its delivery shows.
        item.get_by_role("button", name="Send ping").click()
        expect(item.get_by_text("Ping sent.")).to_be_visible()
        deliveries = item.get_by_role("region", name="Deliveries")
        row = deliveries.get_by_role("listitem").filter(has_text="Ping").first
        expect(row).to_contain_text("Delivered", timeout=20_000)
        expect(row).to_contain_text("HTTP 202")
        expect(row).to_contain_text("1 attempt")
        expect(item).to_contain_text("Last delivery: Ping")

        pings = receiver.of_type("webhook.ping")
        assert len(pings) == 1, [r.payload for r in receiver.received]
        assert pings[0].verified_with == [secret], "not signed with the secret the page showed"

        row.locator("summary").click()
        expect(row).to_contain_text("pong from the e2e receiver")
        assert_accessible(page, "the webhooks page with its deliveries")
        shoot(page, "webhooks-deliveries")

        page.set_viewport_size(MOBILE)
        overflow = horizontal_overflow(page)
        assert overflow["scrollWidth"] <= MOBILE["width"], overflow


def test_members_see_no_way_in(page: Page, live_server: LiveServer) -> None:
    steward = create_account(live_server.base_url, "Mary Winston")
    member = create_account(live_server.base_url, "Christine Darden")
    slug = create_community_via_api(live_server, steward, f"Sonic Boom {unique('')}")["slug"]
    joined = live_server.api("POST", f"/communities/{slug}/members", token=member.access_token)
    assert joined.status_code in (200, 201), joined.text

    sign_in_as(page, member, f"/communities/{slug}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Webhooks")).to_have_count(0)

    page.goto(f"/communities/{slug}/webhooks")
    expect(page.get_by_role("heading", level=1)).to_contain_text("You can\u2019t manage")
    expect(page.get_by_role("form", name="Add a webhook")).to_have_count(0)


def test_administrator_connects_the_organisation_and_a_new_post_is_delivered(
    page: Page, live_server: LiveServer
) -> None:
    """The organisation's webhooks, from the administrator's settings: a post in any public
    community reaches the receiver, signed with the secret the page showed, and the page says
    so as its last delivery."""
    steward = create_account(live_server.base_url, "Dorothy Vaughan")
    slug = create_community_via_api(live_server, steward, f"Flight Research {unique('')}")["slug"]

    with receiver_running() as receiver:
        sign_in_as(page, live_server.admin, "/settings")
        page.get_by_role("link", name="Manage organisation webhooks").click()
        expect(page.get_by_role("heading", level=1, name="Organisation webhooks")).to_be_visible()
        expect(page.get_by_text("No webhooks yet")).to_be_visible()

        form = page.get_by_role("form", name="Add a webhook")
        form.get_by_label("Payload URL").fill(receiver.url)
        form.get_by_label("Description").fill("Every community's new posts, for the digest bot")
        expect(form.get_by_role("checkbox", name="Include private communities")).not_to_be_checked()
        form.get_by_role("button", name="Add webhook").click()

        callout = page.get_by_role("region", name="Copy the signing secret now")
        secret = callout.locator(".secret-callout__value code").inner_text().strip()
        assert secret.startswith("whsec_"), secret
        receiver.secrets.append(secret)
        callout.get_by_role("button", name="I\u2019ve saved it").click()
        item = page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", level=3, name=receiver.url)
        )
        expect(item).to_contain_text("No deliveries yet.")

        title = f"Wind tunnel slots for next week {unique('')}"
        create_post_via_api(live_server, steward, slug, "discussion", title, "Who needs one?")

        # The post's delivery shows as the last one, and the line follows it until it is tried.
        page.reload()
        expect(item).to_contain_text("Last delivery: New post", timeout=20_000)
        expect(item).to_contain_text("Delivered", timeout=20_000)
        expect(item).to_contain_text("HTTP 202")
        [delivered] = receiver.of_type("post.created")
        assert delivered.verified_with == [secret], "not signed with the secret the page showed"
        assert delivered.payload["data"]["post"]["title"] == title
        assert delivered.payload["data"]["community"]["slug"] == slug
        assert_accessible(page, "the organisation webhooks page with a delivery")
        shoot(page, "organisation-webhooks")

    # The receiver is gone: later tests' posts must not queue deliveries to it.
    admin = live_server.admin.access_token
    for webhook in live_server.api("GET", "/webhooks", token=admin).json()["items"]:
        removed = live_server.api("DELETE", f"/webhooks/{webhook['id']}", token=admin)
        assert removed.status_code == 204, removed.text


def test_only_administrators_reach_the_organisation_webhooks(
    page: Page, live_server: LiveServer
) -> None:
    member = create_account(live_server.base_url, "Annie Easley")
    sign_in_as(page, member, "/settings")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Manage organisation webhooks")).to_have_count(0)

    page.goto("/settings/webhooks")
    expect(page.get_by_text("Administrators only")).to_be_visible()
    expect(page.get_by_role("form", name="Add a webhook")).to_have_count(0)
    refused = live_server.api("GET", "/webhooks", token=member.access_token)
    assert refused.status_code == 403, refused.text
