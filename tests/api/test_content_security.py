"""Content-Security-Policy on every page, Swagger UI without a CDN, Markdown image hosts."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi import FastAPI

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import register


def _policy(response: httpx.Response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["content-security-policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict_page_policy(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


async def test_the_app_page_has_a_strict_policy(database_url, tmp_path, app):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/app.js"></script>'
    )
    (dist / "assets" / "app.js").write_text("console.log(1)")
    settings = make_settings(database_url, tmp_path, spa_dir=dist, image_hosts="images.example.com")
    application = create_app(settings)
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for path in ("/", "/communities/some-guild"):
            page = await http.get(path)
            assert page.status_code == 200
            policy = _policy(page)
            _assert_strict_page_policy(policy)
            assert policy["img-src"] == ["'self'", "data:", "blob:", "https://images.example.com"]
            assert policy["worker-src"] == ["'self'"]


async def test_the_push_service_worker_is_served_from_the_root_as_javascript(
    database_url, tmp_path, app
):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Leaderful</title>")
    # The real worker, as the build copies it from frontend/public.
    worker = Path(__file__).parents[2] / "frontend" / "public" / "sw.js"
    (dist / "sw.js").write_text(worker.read_text())
    application = create_app(make_settings(database_url, tmp_path, spa_dir=dist))
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    assert _policy(response)["default-src"] == ["'self'"]
    assert 'addEventListener("push"' in response.text
    assert 'addEventListener("notificationclick"' in response.text


async def test_the_placeholder_page_has_the_policy_too(app: FastAPI):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        page = await http.get("/")
    assert "web app has not been built" in page.text
    policy = _policy(page)
    _assert_strict_page_policy(policy)
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert "style=" not in page.text  # no inline style for the policy to block


def test_the_built_app_has_no_inline_script():
    index = Path(__file__).resolve().parents[2] / "frontend" / "index.html"
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", index.read_text(), re.S):
        assert not script.strip(), "inline scripts are refused by script-src 'self'"


async def test_api_responses_load_nothing_and_are_never_framed(client):
    response = await client.get("/users")
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )


async def test_swagger_ui_is_served_from_the_installed_package(app: FastAPI):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        docs = await http.get("/api/docs")
        assert docs.status_code == 200
        _assert_strict_page_policy(_policy(docs))
        assert "cdn" not in docs.text and "https://" not in docs.text
        sources = re.findall(r'<script src="([^"]+)"></script>', docs.text)
        assert len(sources) == docs.text.count("<script") == 2  # no inline script
        links = re.findall(r'<link rel="[^"]+"(?: type="[^"]+")? href="([^"]+)">', docs.text)
        for path in [*sources, *links]:
            asset = await http.get(path)
            assert asset.status_code == 200, path
            assert len(asset.content) > 100
        bundle = await http.get("/api/docs/swagger-ui-bundle.js")
        assert bundle.headers["content-type"].startswith("text/javascript")
        assert "SwaggerUIBundle" in bundle.text
        assert (await http.get("/api/docs/..%2F..%2Fpyproject.toml")).status_code == 404
        assert (await http.get("/api/docs/__init__.py")).status_code == 404


async def test_post_images_follow_the_configured_hosts(database_url, tmp_path, app):
    settings = make_settings(database_url, tmp_path, image_hosts="Images.Example.com")
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            author = await register(http)
            created = await http.post(
                "/communities",
                json={"name": "Charts Guild", "purpose": "Share charts that explain things."},
                headers=author.headers,
            )
            assert created.status_code == 201, created.text
            posted = await http.post(
                "/communities/charts-guild/posts",
                json={
                    "kind": "resource",
                    "title": "Two charts",
                    "body": "![ok](https://images.example.com/a.png) "
                    "![pixel](https://tracker.example/p.gif)",
                    "tags": ["charts"],
                },
                headers=author.headers,
            )
    assert posted.status_code == 201, posted.text
    html = posted.json()["body_html"]
    assert (
        '<img src="https://images.example.com/a.png" alt="ok" '
        'referrerpolicy="no-referrer" loading="lazy">' in html
    )
    assert '<a href="https://tracker.example/p.gif" rel="nofollow noopener">pixel</a>' in html
