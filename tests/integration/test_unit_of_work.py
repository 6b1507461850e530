"""Units of work and their connections: reads run without a transaction and cannot write,
writes are one transaction, and a pooled connection the server closed is replaced."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import String, cast, event, func, literal, literal_column, select, text

from repositories.db import EARLIEST, LATEST
from repositories.types import UTCDateTime
from repositories.unit_of_work import SqlUnitOfWork
from tests.helpers import register


async def test_a_read_only_unit_of_work_refuses_to_commit(app: FastAPI):
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        assert await uow.users.get(uuid.uuid4()) is None
        with pytest.raises(RuntimeError, match="read-only"):
            await uow.commit()


async def test_reads_see_committed_writes_only(app: FastAPI, client):
    user_id = uuid.UUID((await register(client, "Ada Reader")).id)

    async def name_read() -> str:
        async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as reader:
            user = await reader.users.get(user_id)
        assert user is not None
        return user.display_name

    async def rename(name: str, *, commit: bool) -> None:
        async with SqlUnitOfWork(app.state.session_factory) as writer:
            user = await writer.users.get(user_id)
            assert user is not None
            await writer.users.update(replace(user, display_name=name))
            if commit:
                await writer.commit()
            else:
                await writer.rollback()

    assert await name_read() == "Ada Reader"
    await rename("Never saved", commit=False)
    assert await name_read() == "Ada Reader"
    await rename("Ada Writer", commit=True)
    assert await name_read() == "Ada Writer"


async def test_a_connection_the_server_closed_is_replaced_without_an_error(app: FastAPI, client):
    """No pre-ping round trip, yet a pooled connection the server killed never fails a request."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite connections are files nothing closes from outside")

    async def pids() -> set[int]:
        async with engine.connect() as first, engine.connect() as second:
            return {
                (await first.exec_driver_sql("SELECT pg_backend_pid()")).scalar(),
                (await second.exec_driver_sql("SELECT pg_backend_pid()")).scalar(),
            }

    someone = await register(client)
    pooled = await pids()  # two connections, both back in the pool now
    async with engine.connect() as killer:
        mine = (await killer.exec_driver_sql("SELECT pg_backend_pid()")).scalar()
        victim = next(pid for pid in pooled if pid != mine)
        await killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(victim)})")
    await asyncio.sleep(0.2)  # the event loop sees the socket close
    for _ in range(3):  # whichever pooled connection comes first, every request succeeds
        response = await client.get("/me", headers=someone.headers)
        assert response.status_code == 200, response.text
    assert victim not in await pids()


async def test_a_read_only_unit_of_work_runs_in_autocommit_on_one_pooled_connection(
    app: FastAPI,
):
    """A read holds no transaction open (no BEGIN, no ROLLBACK round trips): each statement is
    its own. It checks out one connection and gives it back."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: transaction ids are PostgreSQL's")
    statement = select(func.pg_backend_pid(), func.txid_current())
    checkouts: list[object] = []

    def checked_out(*args: object) -> None:
        checkouts.append(args)

    event.listen(engine.sync_engine, "checkout", checked_out)
    try:
        async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
            rows = [(await uow.session.execute(statement)).one() for _ in range(3)]
            assert await uow.users.get(uuid.uuid4()) is None
            assert engine.pool.checkedout() == 1
        async with SqlUnitOfWork(app.state.session_factory) as uow:
            written = [(await uow.session.execute(statement)).one() for _ in range(2)]
    finally:
        event.remove(engine.sync_engine, "checkout", checked_out)
    assert len({pid for pid, _ in rows}) == 1, rows
    assert len({txid for _, txid in rows}) == 3, rows  # autocommit: a transaction per statement
    assert len({txid for _, txid in written}) == 1, written  # a write: one transaction
    assert len(checkouts) == 2
    assert engine.pool.checkedout() == 0


MOMENTS = [
    datetime(2026, 11, 28, 16, 42, 0, 123456, tzinfo=UTC),
    # Summer time: the day before, in UTC.
    datetime(2026, 7, 1, 0, 30, 59, 999999, tzinfo=ZoneInfo("Europe/London")),
    datetime(1999, 12, 31, 23, 0, 0, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(2026, 1, 1, tzinfo=UTC),  # PostgreSQL writes no fraction then
]


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
async def test_timestamps_come_back_as_the_same_instant_in_utc(app: FastAPI, moment: datetime):
    """On PostgreSQL, timestamps travel as text both ways (repositories/db.py): the instant,
    its microseconds and UTC must survive."""
    value = select(literal(moment, UTCDateTime()).label("t"))
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        got = (await uow.session.execute(value)).scalar_one()
    assert got == moment
    assert got.utcoffset() == timedelta(0)
    assert got.astimezone(UTC).microsecond == moment.astimezone(UTC).microsecond


@pytest.mark.parametrize(("sql", "moment"), [("infinity", LATEST), ("-infinity", EARLIEST)])
async def test_infinite_timestamps_are_the_ends_of_the_datetime_range(
    app: FastAPI, sql: str, moment: datetime
):
    """PostgreSQL's `infinity` and `-infinity` read as datetime.max / datetime.min (aware, UTC)
    and are written back as themselves."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no infinite timestamps")
    stored = literal_column(f"'{sql}'::timestamptz", UTCDateTime())
    written = literal(moment, UTCDateTime())
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        read, same, text_form = (
            await uow.session.execute(select(stored, written == stored, cast(written, String)))
        ).one()
    assert read == moment and read.tzinfo is UTC
    assert same is True and text_form == sql


async def test_postgresql_sessions_speak_utc_and_iso(app: FastAPI):
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no session time zone")
    async with engine.connect() as connection:
        zone = (await connection.execute(text("SHOW TimeZone"))).scalar_one()
        style = (await connection.execute(text("SHOW DateStyle"))).scalar_one()
    assert (zone, style.split(",")[0]) == ("UTC", "ISO")
