"""The `leaderful` command: serve, worker, migrate, seed, openapi, create-admin."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import signal
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI

from api.admin import create_or_promote_admin
from api.log import configure_logging
from api.main import create_app
from api.seed import (
    DEFAULT_COMMUNITIES,
    DEFAULT_POSTS,
    DEFAULT_USERS,
    DEMO_PASSWORD,
    DEMO_PEOPLE_EMAILS,
    seed_demo,
)
from api.settings import Settings
from api.worker import run_worker
from repositories.migrate import upgrade

app = typer.Typer(help="Leaderful: workplace social learning.", no_args_is_help=True)


def export_openapi() -> dict[str, Any]:
    """The document as the app serves it, independent of local configuration."""
    settings = Settings(
        secret_key="openapi-export",  # noqa: S106 (not a secret)
        database_url="sqlite+aiosqlite://",
    )
    return create_app(settings).openapi()


def tune_garbage_collector(young_threshold: int) -> None:
    """For a long-running server process: start-up objects (routes, schemas, table metadata)
    live for ever, so keep them out of every collection (`gc.freeze`), and collect young objects
    less often. Request garbage is freed by reference counting; collecting every 700 allocations
    cost a page request more time than its SQL (measured with `make bench`)."""
    if young_threshold:
        gc.freeze()
        _, middle, old = gc.get_threshold()
        gc.set_threshold(young_threshold, middle, old)


def create_served_app() -> FastAPI:
    """The app as `serve` runs it in each worker process: `create_app`, then the process tuned
    for serving. The tuning is process-wide, so it lives here rather than in `create_app`, which
    tests, scripts and the OpenAPI export also call."""
    settings = Settings()
    application = create_app(settings)
    tune_garbage_collector(settings.gc_young_threshold)
    return application


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the API (and the built SPA) with uvicorn.

    Meant to run behind a reverse proxy with header and body timeouts (deploy/nginx.conf); on its
    own it still bounds idle keep-alive connections and the connections it takes at once.
    """
    settings = Settings()
    if workers > 1 and not settings.redis_url:
        # Each worker would only stream the notifications its own requests wrote.
        typer.echo(
            "warning: several workers without LEADERFUL_REDIS_URL: a notification stream "
            "only receives what the worker holding it wrote",
            err=True,
        )
    uvicorn.run(
        "api.cli:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # Forwarding headers are the app's business (LEADERFUL_TRUSTED_PROXIES); uvicorn's own
        # handling would trust 127.0.0.1 by default.
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=settings.server_keep_alive_seconds,
        limit_concurrency=settings.server_limit_concurrency,
        # A request head larger than this is refused rather than buffered.
        h11_max_incomplete_event_size=16 * 1024,
        access_log=False,
        log_level="warning",
    )


def start_worker(settings: Settings, *, schedule: bool = True) -> None:
    """Run a worker in this process until interrupted (the `worker` command's body)."""
    if not settings.broker_url:
        raise typer.BadParameter(
            "a worker takes its tasks from LEADERFUL_BROKER_URL; without one, `leaderful serve`"
            " runs the tasks and periodic jobs itself",
            param_hint="LEADERFUL_BROKER_URL",
        )
    configure_logging(settings.log_level, settings.log_json)

    async def until_stopped() -> None:
        # SIGTERM (docker stop, systemd) and Ctrl-C stop the worker the same way: the scheduler
        # and receiver are cancelled, then the broker and the database pool are closed.
        worker = asyncio.current_task()
        assert worker is not None
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, worker.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await run_worker(settings, schedule=schedule)

    asyncio.run(until_stopped())


@app.command()
def worker(
    schedule: Annotated[
        bool, typer.Option(help="Also send the periodic jobs' ticks (safe in every worker).")
    ] = True,
) -> None:
    """Run tasks from the broker (LEADERFUL_BROKER_URL): event consumers and periodic jobs;
    relay the outbox and schedule the periodic jobs.

    Start as many as the load needs: each periodic job still runs once per tick. Without a
    broker, `serve` runs all of this in the server."""
    start_worker(Settings(), schedule=schedule)


@app.command()
def migrate(
    database_url: Annotated[
        str | None, typer.Option(help="Overrides LEADERFUL_DATABASE_URL.")
    ] = None,
) -> None:
    """Bring the database schema up to date (Alembic, both databases)."""
    url = database_url or Settings().database_url
    upgrade(url)
    typer.echo("database is up to date")


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document.")] = Path(
        "openapi/openapi.json"
    ),
) -> None:
    """Write the OpenAPI document that clients are generated from."""
    document = export_openapi()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
    typer.echo(f"wrote {output}")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    display_name: Annotated[str, typer.Option(prompt=True)] = "Administrator",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create an administrator, or promote the existing account with this email."""
    created = asyncio.run(create_or_promote_admin(Settings(), email, display_name, password))
    typer.echo("administrator created" if created else "existing account promoted to admin")


@app.command()
def seed(
    users: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="People to create (demo people first).")
    ] = DEFAULT_USERS,
    communities: Annotated[
        int, typer.Option(min=0, max=1_000_000, help="Communities of practice to create.")
    ] = DEFAULT_COMMUNITIES,
    posts: Annotated[
        int, typer.Option(min=0, max=10_000_000, help="Posts, with their threads and reactions.")
    ] = DEFAULT_POSTS,
    random_seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")
    ] = 1,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the instance has users.")
    ] = False,
) -> None:
    """Load demo data: people, communities, posts, threads, reactions, skills (fast, in bulk)."""
    if posts and not communities:
        raise typer.BadParameter("posts need at least one community", param_hint="--posts")
    big = posts >= 100_000 or users >= 100_000

    def progress(message: str) -> None:
        if big:
            typer.echo(f"  {message}", err=True)

    report = asyncio.run(
        seed_demo(
            Settings(),
            users=users,
            communities=communities,
            posts=posts,
            if_empty=if_empty,
            seed=random_seed,
            progress=progress,
        )
    )
    if report.created_skills:
        typer.echo(f"loaded {report.created_skills} skills into the taxonomy")
    if report.skipped:
        typer.echo("the instance already has data; nothing seeded")
        return
    rows = report.rows
    typer.echo(
        f"seeded {report.created_users} demo people, {rows.get('community', 0)} communities,"
        f" {rows.get('post', 0)} posts, {rows.get('comment', 0)} comments and"
        f" {rows.get('reaction', 0)} reactions in {report.seconds:.1f} s"
    )
    email = report.admin_email or DEMO_PEOPLE_EMAILS[0]
    typer.echo(f"sign in as {email} with the password {DEMO_PASSWORD!r}")
