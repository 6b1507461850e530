"""The `leaderful` command: serve, migrate, openapi, create-admin (and later seed, worker)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from api.admin import create_or_promote_admin
from api.main import create_app
from api.seed import DEMO_PASSWORD, seed_demo
from api.settings import Settings
from repositories.migrate import upgrade

app = typer.Typer(help="Leaderful: workplace social learning.", no_args_is_help=True)


def export_openapi() -> dict[str, Any]:
    """The document as the app serves it, independent of local configuration."""
    settings = Settings(
        secret_key="openapi-export",  # noqa: S106 (not a secret)
        database_url="sqlite+aiosqlite://",
    )
    return create_app(settings).openapi()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the API (and the built SPA) with uvicorn."""
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        log_level="warning",
    )


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
    users: Annotated[int, typer.Option(min=1, max=10_000, help="Demo people to create.")] = 8,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the instance has users.")
    ] = False,
) -> None:
    """Load demo data (the first demo person becomes the administrator)."""
    report = asyncio.run(seed_demo(Settings(), users=users, if_empty=if_empty))
    if report.created_skills:
        typer.echo(f"loaded {report.created_skills} skills into the taxonomy")
    if report.skipped:
        typer.echo("the instance already has data; nothing seeded")
        return
    typer.echo(
        f"seeded {report.created_users} demo people; sign in as "
        f"amara.okafor@demo.leaderful.dev with the password {DEMO_PASSWORD!r}"
    )
