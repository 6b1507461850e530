"""A request body must arrive whole within LEADERFUL_BODY_TIMEOUT_SECONDS, or the answer is 408."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import assert_problem


async def _client_with_deadline(
    database_url: str, tmp_path, seconds: float
) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(make_settings(database_url, tmp_path, body_timeout_seconds=seconds))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            yield http


@pytest.fixture
async def impatient(database_url, tmp_path, app) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client_with_deadline(database_url, tmp_path, 0.5):
        yield http


@pytest.fixture
async def patient(database_url, tmp_path, app) -> AsyncIterator[httpx.AsyncClient]:
    # A deadline well above the 50 ms trickle below: a loaded test machine must not turn "in
    # time" into "late".
    async for http in _client_with_deadline(database_url, tmp_path, 3):
        yield http


async def _trickle(body: bytes, pause: float) -> AsyncIterator[bytes]:
    for byte in body:
        await asyncio.sleep(pause)
        yield bytes([byte])


async def test_a_trickled_body_is_cut_off_with_408(impatient):
    body = b'{"email":"slow@example.com","password":"correct-horse-battery","display_name":"S"}'
    started = time.monotonic()
    response = await impatient.post(
        "/auth/register",
        content=_trickle(body, 0.05),
        headers={"Content-Type": "application/json", "Content-Length": str(len(body))},
    )
    assert_problem(response, 408)
    assert response.headers["connection"] == "close"
    assert time.monotonic() - started < 2  # cut at the deadline, not when the body ends


async def test_a_body_that_arrives_in_time_is_served(patient):
    body = b'{"email":"quick@example.com","password":"correct-horse-battery","display_name":"Q"}'
    response = await patient.post(
        "/auth/register",
        content=_trickle(body[:5], 0.01),
        headers={"Content-Type": "application/json"},
    )
    # A short, slightly slow body is fine (it is just not valid JSON here).
    assert response.status_code in (400, 422)
    whole = await patient.post(
        "/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    assert whole.status_code == 201, whole.text
