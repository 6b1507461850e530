"""Garbage-collector tuning belongs to the serving process (`leaderful serve`), never to
create_app, which tests, scripts and the OpenAPI export call too."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import create_served_app
from api.main import create_app
from tests.conftest import TEST_SECRET, make_settings


@pytest.fixture
def garbage_collector() -> Iterator[tuple[tuple[int, int, int], int]]:
    before = gc.get_threshold(), gc.get_freeze_count()
    yield before
    gc.unfreeze()
    gc.set_threshold(*before[0])


async def test_create_app_leaves_the_garbage_collector_alone(garbage_collector, tmp_path: Path):
    settings = make_settings("sqlite+aiosqlite://", tmp_path, gc_young_threshold=12345)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        assert (gc.get_threshold(), gc.get_freeze_count()) == garbage_collector
    assert (gc.get_threshold(), gc.get_freeze_count()) == garbage_collector


def test_the_served_app_tunes_the_garbage_collector(
    garbage_collector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("LEADERFUL_DATABASE_URL", "sqlite+aiosqlite://")
    monkeypatch.setenv("LEADERFUL_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("LEADERFUL_SPA_DIR", str(tmp_path / "no-spa"))
    monkeypatch.setenv("LEADERFUL_GC_YOUNG_THRESHOLD", "12345")
    create_served_app()
    assert gc.get_threshold()[0] == 12345
    assert gc.get_freeze_count() > 0
