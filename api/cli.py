"""The `leaderful` command: serve, migrate, openapi, create-admin (and later seed, worker)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer

from api.settings import Settings

app = typer.Typer(help="Leaderful: workplace social learning.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the API (and the built SPA) with uvicorn."""
    import uvicorn  # noqa: PLC0415  (only this command needs the server)

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
    database_url: Annotated[str | None, typer.Option(help="Overrides LEADERFUL_DATABASE_URL.")] = None,
) -> None:
    """Bring the database schema up to date (Alembic, both databases)."""
    from repositories.migrate import upgrade  # noqa: PLC0415

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
    from api.main import create_app  # noqa: PLC0415

    document = create_app(Settings(secret_key="openapi-export")).openapi()  # type: ignore[arg-type]
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
    from api.admin import create_or_promote_admin  # noqa: PLC0415

    created = asyncio.run(create_or_promote_admin(Settings(), email, display_name, password))
    typer.echo("administrator created" if created else "existing account promoted to admin")
