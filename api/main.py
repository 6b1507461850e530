"""create_app(settings): the composition root. Wires engines, services, middleware and routers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from api.broker import create_broker
from api.docs import docs_router
from api.errors import install_error_handlers
from api.events import CONSUMERS, EventBackbone
from api.jobs import Job, JobRunner, PeriodicJobs, configured_jobs
from api.live import LiveHub, live_hub
from api.log import configure_logging
from api.mail.delivery import MailDelivery
from api.mail.render import MailRenderer
from api.mail.transport import transport_for
from api.middleware import (
    CORS_EXPOSED_HEADERS,
    AccountBuckets,
    BodyGuardMiddleware,
    Metrics,
    ProblemCORSMiddleware,
    RateLimitMiddleware,
    RequestContextMiddleware,
    TrustedProxyMiddleware,
    rate_limit_storage,
)
from api.pagination import CursorCodec
from api.parameters import operation_id
from api.problems import Problem
from api.push.delivery import PushDelivery
from api.push.providers import build_providers
from api.push.vapid import VapidKeys, load_vapid
from api.routes import (
    admin,
    communities,
    devices,
    health,
    insights_health,
    ledger,
    mentorship,
    notifications,
    posts,
    skill_insights,
    skills,
    uploads,
    users,
    webhooks,
)
from api.routes import auth as auth_routes
from api.routes import sync as sync_routes
from api.settings import Settings
from api.spa import SpaFiles
from api.webhooks.delivery import WebhookDelivery
from api.webhooks.transport import WebhookUrls
from auth.passwords import Argon2PasswordHasher
from auth.service import AuthService
from auth.tokens import AccessTokenCodec, KeyRing, key_id
from auth.unsubscribe import UnsubscribeSigner
from auth.webhook_secrets import REPLAYS_INFO, FernetSecretBox
from domain.clock import Clock, SystemClock
from domain.events.model import Consumer
from domain.uploads.ports import FileStore
from repositories.db import create_engine, create_session_factory, is_disconnect
from repositories.jobs.ledger import SqlJobTicks
from repositories.unit_of_work import RequestUnits, SqlUnitOfWork, UnitFactory
from repositories.uploads.storage import LocalFileStore

API_PREFIX = "/api/v1"
# Per IP and tighter than the rest: sign-in, registration, and the mailed-link flows.
AUTH_RATE_LIMITED = frozenset(
    f"{API_PREFIX}/auth/{path}"
    for path in ("token", "register", "verify-email", "password-reset", "password-reset/confirm")
)


def build_key_ring(settings: Settings) -> KeyRing:
    algorithm = settings.jwt_algorithm
    if algorithm.startswith("HS"):
        secret = settings.resolved_secret_key
        kid = settings.jwt_key_id or key_id(secret)
        return KeyRing(algorithm, kid, secret, {kid: secret, **settings.previous_keys})
    if settings.jwt_private_key_file is None or settings.jwt_public_key_file is None:
        raise ValueError(f"{algorithm} needs JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE")
    private = settings.jwt_private_key_file.read_text()
    public = settings.jwt_public_key_file.read_text()
    kid = settings.jwt_key_id or key_id(public)
    return KeyRing(algorithm, kid, private, {kid: public, **settings.previous_keys})


def build_auth(settings: Settings, clock: Clock) -> AuthService:
    codec = AccessTokenCodec(
        build_key_ring(settings),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=timedelta(minutes=settings.access_token_minutes),
        clock=clock,
    )
    hasher = Argon2PasswordHasher(
        workers=settings.password_hash_workers, queue=settings.password_hash_queue
    )
    return AuthService(codec, hasher, clock, timedelta(days=settings.refresh_token_days))


def build_file_store(settings: Settings) -> FileStore:
    """Where uploads are kept: the S3-compatible bucket when one is named, else local disk."""
    if settings.s3_bucket:
        # Imported only when configured: boto's import costs every process a second of startup.
        from repositories.uploads.s3 import S3FileStore

        secret = settings.s3_secret_access_key
        return S3FileStore(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    return LocalFileStore(settings.uploads_dir)


def unit_factory(on_events: Callable[[], None] | None, live: LiveHub | None = None) -> UnitFactory:
    """How every unit of work of a process is built (requests, periodic jobs, event consumers;
    the server and `leaderful worker` alike): whatever a unit of work needs wired in is wired
    here, once."""

    def make(
        session_factory: async_sessionmaker[AsyncSession], *, read_only: bool = False
    ) -> SqlUnitOfWork:
        return SqlUnitOfWork(session_factory, read_only=read_only, on_events=on_events, live=live)

    return make


def build_mail(
    settings: Settings, broker: AsyncBroker, uow_factory: Callable[[], SqlUnitOfWork], clock: Clock
) -> MailDelivery:
    """The mail task on `broker`: SMTP when `SMTP_URL` is set, else .eml files in `MAIL_DIR`."""
    smtp_url = settings.smtp_url.get_secret_value() if settings.smtp_url else None
    return MailDelivery(
        broker,
        uow_factory,
        clock,
        transport_for(smtp_url, settings.mail_dir, settings.smtp_timeout_seconds),
        MailRenderer(settings.public_url, settings.mail_from, clock),
        attempts=settings.mail_retry_attempts,
        base_seconds=settings.mail_retry_base_seconds,
        batch=settings.mail_batch_size,
        lease_seconds=settings.mail_lease_seconds,
    )


def build_webhooks(
    settings: Settings, broker: AsyncBroker, uow_factory: Callable[[], SqlUnitOfWork], clock: Clock
) -> WebhookDelivery:
    """The webhook task on `broker`: secrets sealed under the instance key, receivers checked by
    LEADERFUL_WEBHOOK_ALLOW_PRIVATE's rules."""
    previous = settings.previous_keys.values()
    return WebhookDelivery(
        broker,
        uow_factory,
        clock,
        FernetSecretBox(settings.resolved_secret_key, previous),
        WebhookUrls(settings.webhook_allow_private),
    )


def build_backbone(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,
    metrics: Metrics | None = None,
    consumers: Sequence[Consumer] = CONSUMERS,
    broker: AsyncBroker | None = None,
    live: LiveHub | None = None,
    vapid: VapidKeys | None = None,
) -> tuple[EventBackbone, UnitFactory, MailDelivery, WebhookDelivery, PushDelivery]:
    """The event backbone on `broker` (the configured one by default), the unit-of-work
    factory whose commits nudge its relay, and the mail, webhook and push tasks on the same
    broker (their consumers join `consumers`: queued mail, webhook deliveries and pushes travel
    as events). `vapid` is the process's Web Push key (None: Web Push is off), loaded once by
    the caller with `load_vapid`."""
    backbone: EventBackbone | None = None

    def nudge() -> None:
        if backbone is not None:
            backbone.nudge()

    make = unit_factory(nudge, live)
    broker = broker or create_broker(settings)
    mail = build_mail(settings, broker, lambda: make(session_factory), clock)
    webhooks = build_webhooks(settings, broker, lambda: make(session_factory), clock)
    push = PushDelivery(
        broker,
        lambda: make(session_factory),
        build_providers(settings, vapid),
        attempts=settings.push_retry_attempts,
        base_seconds=settings.push_retry_base_seconds,
    )
    backbone = EventBackbone(
        broker,
        lambda: make(session_factory),
        clock,
        (*consumers, mail.consumer, webhooks.consumer, push.consumer),
        relay_interval=settings.relay_interval_seconds,
        retry_attempts=settings.events_retry_attempts,
        retry_base_seconds=settings.events_retry_base_seconds,
        concurrency=settings.events_concurrency,
        metrics=metrics,
    )
    return backbone, make, mail, webhooks, push


def build_periodic_jobs(
    settings: Settings,
    broker: AsyncBroker,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,
    jobs: Sequence[Job] | None = None,
    make_unit: UnitFactory | None = None,
    webhooks: WebhookDelivery | None = None,
) -> PeriodicJobs:
    """The periodic jobs (by default those the settings schedule) as tasks of `broker`, claiming
    their ticks in this database. `make_unit` builds their units of work (the backbone's, so that
    the events a job records are relayed at once)."""
    make = make_unit or unit_factory(None)
    runner = JobRunner(lambda: make(session_factory), clock, SqlJobTicks(session_factory))
    if jobs is None:
        jobs = configured_jobs(settings, build_file_store(settings))
        if webhooks is not None and jobs:
            jobs = (*jobs, *webhooks.jobs(timedelta(seconds=settings.webhook_retry_every_seconds)))
    return PeriodicJobs(broker, runner, jobs)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    consumers: Sequence[Consumer] = CONSUMERS,
) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)
    clock = clock or SystemClock()
    auth = build_auth(settings, clock)
    metrics = Metrics() if settings.metrics_enabled else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
        )
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        app.state.read_session_factory = create_session_factory(engine, read_only=True)
        # Every unit of work built here (requests, jobs, event consumers) publishes the
        # notifications it wrote to the open streams once it commits.
        live = live_hub(
            lambda: SqlUnitOfWork(app.state.read_session_factory, read_only=True),
            settings.redis_url,
            check_seconds=settings.stream_account_check_seconds,
        )
        app.state.live = live
        await live.start()
        # The Web Push key the web app subscribes with and pushes are signed with (None: Web
        # Push is off); loaded here, once, so building the app (e.g. for `leaderful openapi`)
        # reads or writes no key file.
        app.state.vapid = load_vapid(settings)
        events, make_unit, mail, webhooks, push = build_backbone(
            settings,
            app.state.session_factory,
            clock,
            metrics,
            consumers,
            live=live,
            vapid=app.state.vapid,
        )
        app.state.events = events
        app.state.mail = mail
        app.state.webhooks = webhooks
        app.state.push = push
        app.state.units = RequestUnits(
            app.state.session_factory,
            app.state.read_session_factory,
            slots=settings.db_pool_size + settings.db_max_overflow,
            wait_seconds=settings.database_wait_seconds,
            make_unit=make_unit,
        )

        async def ping() -> None:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        app.state.database_ping = ping
        # One broker per process carries the events' and the periodic jobs' tasks. Without a
        # broker URL they run here (in-memory broker), and so does the scheduler; with one,
        # `leaderful worker` runs them and schedules the jobs, and this process only relays.
        jobs = build_periodic_jobs(
            settings,
            events.broker,
            app.state.session_factory,
            clock,
            make_unit=make_unit,
            webhooks=webhooks,
        )
        app.state.broker = events.broker
        app.state.jobs = jobs
        await events.start(relay=settings.events_relay)
        if not settings.broker_url:
            jobs.start()
        try:
            yield
        finally:
            await jobs.stop()
            await events.stop()
            await webhooks.close()
            await live.stop()
            await engine.dispose()

    app = FastAPI(
        title="Leaderful API",
        version="1.0.0",
        description="Workplace social learning for distributed leadership: communities of "
        "practice, posts and answers, skills, mentorship. Errors are RFC 9457 problem+json.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.auth = auth
    app.state.file_store = build_file_store(settings)
    app.state.cursors = CursorCodec(settings.resolved_secret_key)
    app.state.unsubscribe_tokens = UnsubscribeSigner(settings.resolved_secret_key)
    # Stored answers to Idempotency-Key requests are sealed: some carry a secret shown once.
    app.state.replay_box = FernetSecretBox(
        settings.resolved_secret_key, settings.previous_keys.values(), info=REPLAYS_INFO
    )
    app.state.metrics_registry = metrics.registry if metrics else None
    app.state.account_buckets = AccountBuckets(
        lambda token: auth.codec.verify(token).user_id, clock
    )

    install_error_handlers(app, database_unavailable=is_disconnect)
    # Busiest first: FastAPI offers a request to each route in turn (about 17,000 instructions
    # a route that does not match; an ApiRouter refuses a request for none of its paths with
    # one substring test, api/routing.py), and /me (users' first route, a router of 8), the
    # posts and a community are most of the traffic. No two routers serve the same path, so the
    # order changes nothing else.
    app.include_router(users.router, prefix=API_PREFIX)
    app.include_router(posts.router, prefix=API_PREFIX)
    app.include_router(communities.router, prefix=API_PREFIX)
    # Skills before sign-in: auth's few requests are rare.
    app.include_router(skills.router, prefix=API_PREFIX)
    app.include_router(auth_routes.router, prefix=API_PREFIX)
    app.include_router(skill_insights.router, prefix=API_PREFIX)
    app.include_router(mentorship.router, prefix=API_PREFIX)
    app.include_router(notifications.router, prefix=API_PREFIX)
    app.include_router(uploads.router, prefix=API_PREFIX)
    app.include_router(webhooks.router, prefix=API_PREFIX)
    app.webhooks.include_router(webhooks.catalog)
    app.include_router(ledger.router, prefix=API_PREFIX)
    app.include_router(insights_health.router, prefix=API_PREFIX)
    app.include_router(sync_routes.router, prefix=API_PREFIX)
    app.include_router(devices.router, prefix=API_PREFIX)
    app.include_router(admin.router, prefix=API_PREFIX)
    app.include_router(health.router)
    app.include_router(notifications.page_router)

    app.include_router(docs_router(f"{API_PREFIX}/openapi.json", "Leaderful API"))

    app.state.spa = SpaFiles(Path(settings.spa_dir), settings.image_hosts)
    _add_problem_schema(app)

    # Outermost first: request context sees everything, including 413/415/429 answers.
    if settings.rate_limit_enabled:
        app.add_middleware(
            RateLimitMiddleware,
            storage=rate_limit_storage(settings.redis_url),
            default=settings.rate_limit_default,
            auth=settings.rate_limit_auth,
            accounts=app.state.account_buckets,
            auth_paths=AUTH_RATE_LIMITED,
        )
    app.add_middleware(
        BodyGuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout_seconds,
        max_upload_bytes=settings.max_upload_bytes,
    )
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=CORS_EXPOSED_HEADERS,
        )
    app.add_middleware(
        RequestContextMiddleware, metrics=metrics, image_hosts=frozenset(settings.image_hosts)
    )
    if settings.trusted_proxies:
        # Outermost: everything inside (rate limits, logs) sees the client the proxy vouches for.
        app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """Make `Problem` a named component and drop FastAPI's default 422 HTTPValidationError."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(
            {name: body for name, body in _problem_components().items() if name not in components}
        )
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                _document_common_errors(operation)
        # The webhooks section describes requests we send: a receiver's own errors are not ours.
        for hook in schema.get("webhooks", {}).values():
            for operation in hook.values():
                operation.get("responses", {}).pop("422", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_common_errors(operation: dict[str, Any]) -> None:
    """Errors any operation can answer with, by what it takes: body, parameters, auth."""
    responses = operation.setdefault("responses", {})
    statuses = {429, 500}
    if operation.get("requestBody"):
        statuses |= {400, 413, 415, 422}
    if operation.get("parameters"):
        statuses |= {400, 422}
    if operation.get("security"):
        statuses |= {401, 403}
    for status in sorted(statuses):
        responses.setdefault(str(status), {"description": HTTPStatus(status).phrase})
    for status, response in responses.items():
        if re.fullmatch(r"[45]\d\d", status):
            response["content"] = {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }


def _problem_components() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {"Problem": schema, **defs}
