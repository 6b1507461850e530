"""A database out of reach answers 503 problem+json with Retry-After (never 500), an unconfirmed
commit is never acknowledged, and the lost connection is replaced: the next request succeeds.

tests/integration/test_database_restart.py restarts a real PostgreSQL under load; these tests
pin each path on its own: a refused connect, a connection lost at COMMIT, a hot read whose
connection died."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.main import create_app
from repositories.db import is_disconnect
from tests.communities_helpers import create_community
from tests.conftest import make_settings
from tests.helpers import assert_problem, register


def assert_unavailable(response: httpx.Response) -> None:
    assert_problem(response, 503)
    assert int(response.headers["Retry-After"]) >= 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port  # nothing listens once the probe is closed


async def test_a_database_that_refuses_connections_answers_503(client, tmp_path: Path):
    someone = await register(client)  # a valid token for an app on the same secret
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/nowhere"
    unreachable = create_app(make_settings(url, tmp_path))
    async with unreachable.router.lifespan_context(unreachable):
        transport = httpx.ASGITransport(app=unreachable, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver/api/v1", headers=someone.headers
        ) as http:
            # A hot read, a write, a sign-up.
            assert_unavailable(await http.get(f"/posts/{uuid.uuid4()}"))
            assert_unavailable(await http.post("/communities/x/posts", json={"title": "Hello"}))
            assert_unavailable(
                await http.post(
                    "/auth/register",
                    json={
                        "email": "n@example.com",
                        "password": "a-long-password-1",
                        "display_name": "New",
                    },
                )
            )
        assert unreachable.state.engine.pool.checkedout() == 0


@contextmanager
def connection_lost_on(app: FastAPI, event_name: str) -> Iterator[list[Any]]:
    """Terminate the driver connection the next time `event_name` fires on the engine (once)."""
    engine = app.state.engine.sync_engine
    killed: list[Any] = []

    def kill(*args: Any) -> None:
        if killed:
            return
        if event_name == "commit":
            driver = args[0].connection.driver_connection
        else:  # checkout: (dbapi_connection, record, proxy)
            driver = args[1].driver_connection
        driver.terminate()
        killed.append(driver)

    event.listen(engine, event_name, kill)
    try:
        yield killed
    finally:
        event.remove(engine, event_name, kill)


def _postgres_only(app: FastAPI) -> None:
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite connections are files nothing closes from outside")


async def test_a_commit_that_loses_its_connection_is_not_acknowledged(app: FastAPI, client):
    _postgres_only(app)
    author = await register(client)
    slug = (await create_community(client, author))["slug"]
    with connection_lost_on(app, "commit") as killed:
        response = await client.post(
            f"/communities/{slug}/posts", json={"title": "Lost at commit"}, headers=author.headers
        )
    assert killed, "the commit never ran"
    assert_unavailable(response)
    assert app.state.engine.pool.checkedout() == 0  # the dead connection went back, invalidated
    async with app.state.engine.connect() as connection:
        stored = await connection.scalar(text("SELECT count(*) FROM post"))
    assert stored == 0
    retried = await client.post(
        f"/communities/{slug}/posts", json={"title": "Lost at commit"}, headers=author.headers
    )
    assert retried.status_code == 201, retried.text


async def test_a_hot_read_that_loses_its_connection_answers_503(app: FastAPI, client):
    _postgres_only(app)
    author = await register(client)
    slug = (await create_community(client, author))["slug"]
    created = await client.post(
        f"/communities/{slug}/posts", json={"title": "Read me"}, headers=author.headers
    )
    post_id = created.json()["id"]
    with connection_lost_on(app, "checkout") as killed:
        response = await client.get(f"/posts/{post_id}", headers=author.headers)
    assert killed
    assert_unavailable(response)
    assert app.state.engine.pool.checkedout() == 0
    for _ in range(3):  # the dead connection is replaced, whichever the pool hands out
        again = await client.get(f"/posts/{post_id}", headers=author.headers)
        assert again.status_code == 200, again.text


class _Sqlstate(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _caused_by(cause: BaseException) -> Exception:
    try:
        raise RuntimeError("wrapper") from cause
    except RuntimeError as exc:
        return exc


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (ConnectionResetError(104, "reset"), True),
        (socket.gaierror("no such host"), True),
        (asyncpg.CannotConnectNowError("the database system is starting up"), True),
        (asyncpg.ConnectionDoesNotExistError("connection was closed"), True),
        (asyncpg.AdminShutdownError("terminating connection"), True),
        (asyncpg.TooManyConnectionsError("too many clients"), True),
        (_Sqlstate("08006"), True),
        (PoolTimeout("QueuePool limit reached"), True),
        (DisconnectionError("closed"), True),
        (_caused_by(asyncpg.CannotConnectNowError("shutting down")), True),
        (DBAPIError("SELECT 1", None, Exception("x"), connection_invalidated=True), True),
        # The statement was wrong, or the data: retrying will not help.
        (DBAPIError("SELECT 1", None, Exception("x")), False),
        (IntegrityError("INSERT", None, Exception("duplicate")), False),
        (asyncpg.UniqueViolationError("duplicate key"), False),
        (asyncpg.QueryCanceledError("statement timeout"), False),
        (_Sqlstate("42P01"), False),
        (FileNotFoundError("no such file"), False),
        (ValueError("bad"), False),
    ],
)
def test_which_errors_mean_the_database_is_out_of_reach(error: BaseException, unavailable: bool):
    assert is_disconnect(error) is unavailable
