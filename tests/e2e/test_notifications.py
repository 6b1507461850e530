"""The inbox in a real browser: an answer rings the asker's bell while the page stays open, and
the notification leads to the answer. Screens of the inbox and its settings at 1280 and 375 px,
in light and dark mode, go to artifacts/.

The bell follows the live stream (`POST /me/notifications/stream-ticket`, then
`GET /me/notifications/stream`); without it, the count is only polled every minute, so the
first test needs the stream to pass within its timeout.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.pages import (
    MOBILE,
    Account,
    LiveServer,
    assert_accessible,
    create_account,
    create_community_via_api,
    create_post_via_api,
    focus_is_visible,
    horizontal_overflow,
    shoot,
    sign_in_as,
    tab_to,
    unique,
)

LIVE_MS = 10_000


def _question_with_a_member(server: LiveServer, token: str) -> tuple[Account, Account, str, str]:
    """Ann's community and question, and Ben, who has joined it. Returns them, the post id and
    its title."""
    ann = create_account(server.base_url, f"Ann {token}")
    ben = create_account(server.base_url, f"Ben {token}")
    community: dict[str, Any] = create_community_via_api(server, ann, f"Data folk {token}")
    slug = community["slug"]
    joined = server.api("POST", f"/communities/{slug}/members", token=ben.access_token)
    assert joined.status_code == 201, joined.text
    title = f"How do we review a data model {token}?"
    asked = create_post_via_api(server, ann, slug, "question", title, "Before it ships, that is.")
    return ann, ben, asked["id"], title


def _answer(server: LiveServer, ben: Account, post_id: str) -> str:
    answered = server.api(
        "POST",
        f"/posts/{post_id}/comments",
        token=ben.access_token,
        json={"body": "Walk through it with the people who will query it."},
    )
    assert answered.status_code == 201, answered.text
    comment_id: str = answered.json()["id"]
    return comment_id


def _open_from_inbox(page: Page, ben: Account, title: str, post_id: str, comment_id: str) -> None:
    """Follow the line to the post: it opens at the answer, focused and highlighted, and the
    line is read."""
    line = page.get_by_role("link", name=re.compile(f"{ben.name} answered: {re.escape(title)}"))
    expect(line).to_contain_text("because you asked")
    expect(line).to_have_class(re.compile("inbox-line--unread"))
    line.click()
    expect(page).to_have_url(re.compile(f"/posts/{post_id}#comment-{comment_id}$"))
    answer = page.get_by_role("article", name=f"answer by {ben.name}")
    expect(answer).to_have_class(re.compile("comment--highlighted"))
    expect(answer).to_be_focused()
    expect(answer).to_be_in_viewport()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_an_answer_rings_the_bell_without_a_reload(
    live_server: LiveServer, new_context: ContextFactory
) -> None:
    server = live_server
    ann, ben, post_id, title = _question_with_a_member(server, unique("n"))
    page = new_context().new_page()
    counts: list[str] = []
    page.on(
        "request",
        lambda request: counts.append(request.url) if "unread-count" in request.url else None,
    )
    with page.expect_response(
        lambda response: "/notifications/stream?ticket=" in response.url
    ) as opened:
        sign_in_as(page, ann, "/")
    assert opened.value.status == 200, opened.value.status
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    # The stream subscribes as its response starts; leave it a moment before the answer.
    page.wait_for_timeout(500)
    asked_before = len(counts)

    comment_id = _answer(server, ben, post_id)

    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible(timeout=LIVE_MS)
    # The stream said so: the page neither reloaded nor asked for the count again.
    assert len(counts) == asked_before, counts
    page.get_by_role("link", name="Notifications, 1 unread").click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    _open_from_inbox(page, ben, title, post_id, comment_id)


def test_the_inbox_leads_to_the_answer_and_its_settings(
    live_server: LiveServer, new_context: ContextFactory
) -> None:
    server = live_server
    ann, ben, post_id, title = _question_with_a_member(server, unique("m"))
    comment_id = _answer(server, ben, post_id)
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    sign_in_as(page, ann, "/")

    # The bell is in the header, reachable by keyboard, with the count in its name.
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    tab_to(page, bell)
    assert focus_is_visible(bell)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"{ben.name} answered"))).to_be_visible()
    assert_accessible(page, "the notifications page")
    shoot(page, "notifications page")

    _open_from_inbox(page, ben, title, post_id, comment_id)
    shoot(page, "notifications post at the answer")

    # Read now: the Unread filter is empty.
    page.goto("/notifications?filter=unread")
    expect(page.get_by_text("You\u2019re all caught up")).to_be_visible()

    # The settings: kinds by name, a labelled checkbox per channel; saving confirms.
    page.get_by_role("button", name="All", exact=True).click()
    page.get_by_role("link", name="Notification settings").click()
    expect(page.get_by_role("heading", level=1, name="Notification settings")).to_be_visible()
    push = page.get_by_role("checkbox", name="Mentions of you: Push")
    expect(push).not_to_be_checked()
    push.check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    saved = server.api("GET", "/me/notification-preferences", token=ann.access_token).json()
    mention = next(row for row in saved["preferences"] if row["kind"] == "mention")
    assert mention["push"] is True, mention
    assert_accessible(page, "the notification settings page")
    shoot(page, "notification settings page")

    # Watch toggle on the post (the server's state, with the reason), the notify level in the
    # community header.
    page.goto(f"/posts/{post_id}")
    watching = page.get_by_role("button", name="Watching")
    expect(watching).to_have_attribute("aria-pressed", "true")
    expect(watching).to_have_accessible_description("You wrote this post.")
    shoot(page, "post watch toggle")
    watching.click()
    expect(page.get_by_role("button", name="Watch", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    page.reload()  # the choice is the server's, not the page's
    expect(page.get_by_role("button", name="Watch", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=re.compile("Data folk")
    ).click()
    level = page.get_by_role("combobox", name="Notify me of")
    level.select_option(label="Muted")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    expect(level).to_have_value("muted")
    shoot(page, "community notify level")
    assert not errors, f"uncaught JavaScript errors: {errors}"


def test_the_inbox_in_dark_mode_and_on_a_phone(
    live_server: LiveServer, new_context: ContextFactory
) -> None:
    server = live_server
    ann, ben, post_id, _title = _question_with_a_member(server, unique("d"))
    _answer(server, ben, post_id)
    dark = new_context(color_scheme="dark").new_page()
    sign_in_as(dark, ann, "/notifications")
    expect(dark.get_by_role("link", name=re.compile(f"{ben.name} answered"))).to_be_visible()
    assert_accessible(dark, "the notifications page in dark mode")
    shoot(dark, "notifications page dark")
    dark.goto("/settings/notifications")
    expect(dark.get_by_role("checkbox", name="Mentions of you: E-mail")).to_be_visible()
    assert_accessible(dark, "the notification settings page in dark mode")
    shoot(dark, "notification settings page dark")

    phone = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in_as(phone, ben, "/")
    for path in ("/notifications", "/settings/notifications", f"/posts/{post_id}"):
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        overflow = horizontal_overflow(phone)
        assert overflow["scrollWidth"] <= MOBILE["width"], (path, overflow)
