"""`leaderful worker`: takes event tasks from the Redis Stream (LEADERFUL_BROKER_URL) and runs
their consumers, and relays the outbox like the servers do (a sweeper for whatever a server's
nudge missed). Start as many as the load needs; each delivery is acknowledged once it ran."""

from __future__ import annotations

import logging

from taskiq.api import run_receiver_task

from api.main import build_backbone
from api.settings import Settings
from domain.clock import Clock, SystemClock
from repositories.db import create_engine, create_session_factory

log = logging.getLogger("leaderful.worker")


async def run_worker(settings: Settings, clock: Clock | None = None) -> None:
    """Run until cancelled."""
    if not settings.broker_url:
        raise ValueError(
            "leaderful worker takes tasks from a broker: set LEADERFUL_BROKER_URL "
            "(without it, the server runs events itself)"
        )
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    backbone, _ = build_backbone(settings, create_session_factory(engine), clock or SystemClock())
    backbone.broker.is_worker_process = True
    try:
        await backbone.start(relay=settings.events_relay)
        log.info("worker started", extra={"queue": settings.broker_queue})
        await run_receiver_task(
            backbone.broker, run_startup=False, max_async_tasks=settings.events_concurrency * 4
        )
    finally:
        await backbone.stop()
        await engine.dispose()
