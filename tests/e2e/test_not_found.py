"""Unknown addresses: the app's own 404 page for SPA paths, problem+json for API paths."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    NOT_FOUND_HEADING,
    LiveServer,
    assert_problem,
    create_account,
    shoot,
    sign_in_via_ui,
)


def expect_not_found_page(page: Page, path: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND_HEADING)
    expect(page.get_by_text(path, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Go to home")).to_be_visible()


def test_unknown_spa_path_shows_the_404_page(page: Page, live_server: LiveServer) -> None:
    account = create_account(live_server.base_url, "Hedy Lamarr")
    path = "/no/such/page"

    # Signed out, the address is kept through sign-in, then the app says what's wrong.
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    expect(page).to_have_url(re.compile(r"/signin\?next="))
    sign_in_via_ui(page, account.email, account.password)
    expect(page).to_have_url(f"{live_server.base_url}{path}")
    expect_not_found_page(page, path)
    shoot(page, "not-found")

    page.get_by_role("link", name="Go to home").click()
    expect(page).to_have_url(f"{live_server.base_url}/")

    # A direct visit while signed in.
    page.goto("/another/missing-page?x=1")
    expect_not_found_page(page, "/another/missing-page")


def test_unknown_api_path_is_problem_json(page: Page, live_server: LiveServer) -> None:
    # Even when a browser asks for HTML, /api/ paths never fall back to the SPA.
    body = assert_problem(live_server.api("GET", "/nope", headers={"Accept": "text/html"}), 404)
    assert body["title"]

    response = page.goto("/api/v1/nope")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert '<div id="root"' not in response.text()
