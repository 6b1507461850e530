"""Every pooled connection busy: a request waits for one at most LEADERFUL_DATABASE_WAIT_SECONDS,
then gets 503 problem+json with Retry-After instead of waiting for ever."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from repositories.unit_of_work import RequestUnits
from tests.conftest import make_settings
from tests.helpers import assert_problem, register


@pytest.fixture
async def one_connection_app(
    app: FastAPI, database_url: str, tmp_path: Path
) -> AsyncIterator[FastAPI]:
    """On the test database: the session's `app` empties it after the test."""
    settings = make_settings(
        database_url, tmp_path, db_pool_size=1, db_max_overflow=0, database_wait_seconds=0.3
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_a_request_that_finds_the_pool_held_gets_503_with_retry_after(
    one_connection_app: FastAPI,
):
    transport = httpx.ASGITransport(app=one_connection_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as client:
        someone = await register(client)
        units: RequestUnits = one_connection_app.state.units
        held = await units.open(read_only=True)  # another request's unit, holding the only slot
        try:
            busy = await client.get("/me", headers=someone.headers)
        finally:
            await units.close(held)
        assert_problem(busy, 503)
        assert busy.headers["Retry-After"] == "2"
        # The slot is free again: the same request is served.
        assert (await client.get("/me", headers=someone.headers)).status_code == 200

        # A slot freed within the wait serves the waiting request.
        held = await units.open(read_only=False)
        waiting = asyncio.create_task(client.get("/me", headers=someone.headers))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        await units.close(held)
        assert (await waiting).status_code == 200
