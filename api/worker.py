"""`leaderful worker`: takes tasks from the Redis Stream (LEADERFUL_BROKER_URL) and runs them
(event consumers, periodic jobs), relays the outbox like the servers do (a sweeper for whatever a
server's nudge missed), and schedules the periodic jobs. Start as many as the load needs: each
delivery is acknowledged once it ran, and each periodic job still runs once per tick."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from prometheus_client import start_http_server
from taskiq import AsyncBroker
from taskiq.api import run_receiver_task

from api.jobs import Job
from api.live import live_hub
from api.main import build_backbone, build_periodic_jobs
from api.middleware import Metrics
from api.push.vapid import load_vapid
from api.settings import Settings
from domain.clock import Clock, SystemClock
from repositories.db import create_engine, create_session_factory
from repositories.unit_of_work import SqlUnitOfWork

log = logging.getLogger("leaderful.worker")


async def run_worker(
    settings: Settings,
    clock: Clock | None = None,
    *,
    broker: AsyncBroker | None = None,
    jobs: Sequence[Job] | None = None,
    schedule: bool = True,
) -> None:
    """Run until cancelled. `broker`, `clock` and `jobs` replace the configured ones (tests);
    `schedule=False` only runs tasks."""
    if not settings.broker_url:
        raise ValueError(
            "leaderful worker takes tasks from a broker: set LEADERFUL_BROKER_URL "
            "(without it, the server runs events and periodic jobs itself)"
        )
    clock = clock or SystemClock()
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    session_factory = create_session_factory(engine)
    read_session_factory = create_session_factory(engine, read_only=True)
    # The notifications the consumers write reach the servers' streams through Redis pub/sub
    # (LEADERFUL_REDIS_URL); without it only this process would hear of them.
    live = live_hub(
        lambda: SqlUnitOfWork(read_session_factory, read_only=True),
        settings.redis_url,
        check_seconds=0,
    )
    # Events are handled here, so their counters live here: served on a port of the worker's
    # own when one is set (the servers' /metrics only see what they relayed).
    metrics = Metrics()
    backbone, make_unit, _mail, webhooks, _push = build_backbone(
        settings,
        session_factory,
        clock,
        metrics,
        broker=broker,
        live=live,
        vapid=load_vapid(settings),
    )
    periodic = build_periodic_jobs(
        settings,
        backbone.broker,
        session_factory,
        clock,
        jobs,
        make_unit=make_unit,
        webhooks=webhooks,
    )
    backbone.broker.is_worker_process = True
    exporter = None
    if settings.worker_metrics_port is not None:
        exporter, _ = start_http_server(
            settings.worker_metrics_port, settings.worker_metrics_host, metrics.registry
        )
        log.info(
            "worker metrics served",
            extra={"host": settings.worker_metrics_host, "port": settings.worker_metrics_port},
        )
    await live.start()
    try:
        await backbone.start(relay=settings.events_relay)
        if schedule:
            periodic.start()
        log.info("worker started", extra={"queue": settings.broker_queue, "schedule": schedule})
        await run_receiver_task(
            backbone.broker, run_startup=False, max_async_tasks=settings.events_concurrency * 4
        )
    finally:
        await periodic.stop()
        await backbone.stop()
        await webhooks.close()
        await live.stop()
        await engine.dispose()
        if exporter is not None:
            exporter.shutdown()
            exporter.server_close()
