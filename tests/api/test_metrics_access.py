"""/metrics is for the scraper holding LEADERFUL_METRICS_TOKEN only; everyone else gets 404."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import assert_problem

TOKEN = "scrape-token-0123456789abcdef0123456789"


@pytest.fixture
async def raw_client(database_url, tmp_path, app) -> AsyncIterator[httpx.AsyncClient]:
    scraped = create_app(make_settings(database_url, tmp_path, metrics_token=TOKEN))
    async with scraped.router.lifespan_context(scraped):
        transport = httpx.ASGITransport(app=scraped)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


async def test_metrics_with_the_token(raw_client):
    await raw_client.get("/api/v1/me")
    metrics = await raw_client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert metrics.status_code == 200
    assert (
        'leaderful_http_requests_total{method="GET",route="/api/v1/me",status="401"}'
        in metrics.text
    )
    assert "leaderful_http_request_duration_seconds_bucket" in metrics.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ],
)
async def test_metrics_without_the_token_is_404(raw_client, headers):
    response = await raw_client.get("/metrics", headers=headers)
    assert_problem(response, 404)
    assert "leaderful_http" not in response.text


async def test_metrics_are_404_when_no_token_is_configured(app: FastAPI):
    assert app.state.settings.metrics_token is None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"}):
            assert_problem(await http.get("/metrics", headers=headers), 404)
