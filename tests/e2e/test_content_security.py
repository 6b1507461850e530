"""The app and the API docs work in a real browser under their Content-Security-Policy, and the
docs need nothing from the internet. (Every e2e test also fails on any CSP violation: see the
`page` fixture.)"""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.e2e.pages import LiveServer, create_account, expect_signed_in, sign_in_as


def _offline(page: Page, base_url: str) -> list[str]:
    """Refuse every request to another origin, as on a network without internet."""
    refused: list[str] = []

    def handle(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return refused


def test_the_app_runs_under_its_policy(page: Page, live_server: LiveServer) -> None:
    refused = _offline(page, live_server.base_url)
    response = page.goto("/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    account = create_account(live_server.base_url, "Grace Hopper")
    sign_in_as(page, account)
    expect_signed_in(page, "Grace Hopper")
    assert refused == []


def test_the_api_docs_work_offline_under_their_policy(page: Page, live_server: LiveServer) -> None:
    refused = _offline(page, live_server.base_url)
    response = page.goto("/api/docs")
    assert response is not None
    assert "script-src 'self';" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Leaderful API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert refused == []
