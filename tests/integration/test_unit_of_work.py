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
from sqlalchemy import event, func, literal, select, text

from repositories.compiled import CompiledQuery
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


@pytest.mark.parametrize("first", ["compiled", "ordinary", "compiled only"])
async def test_a_read_only_unit_of_work_runs_on_one_pooled_connection(app: FastAPI, first: str):
    """Hot reads run straight on asyncpg, other statements through the session: whichever comes
    first, both use the one connection the unit checked out, and it goes back to the pool."""
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads have no driver path")
    backend_pid = select(func.pg_backend_pid().label("pid"))
    compiled = CompiledQuery(backend_pid)
    checkouts: list[object] = []

    def checked_out(*_args: object) -> None:
        checkouts.append(_args)

    event.listen(engine.sync_engine, "checkout", checked_out)
    try:
        async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:

            async def by_driver() -> int:
                row = await compiled.first(uow.session)
                assert row is not None
                return int(row["pid"])

            async def by_session() -> int:
                return int((await uow.session.execute(backend_pid)).scalar_one())

            reads = {
                "compiled": [by_driver, by_session],
                "ordinary": [by_session, by_driver],
                "compiled only": [by_driver],  # the session itself never begins
            }[first]
            pids = [await read() for read in reads + reads]
            assert await uow.users.get(uuid.uuid4()) is None
            assert engine.pool.checkedout() == 1
    finally:
        event.remove(engine.sync_engine, "checkout", checked_out)
    assert len(set(pids)) == 1, pids
    assert len(checkouts) == 1
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
    its microseconds and UTC must survive, on the driver path and through SQLAlchemy alike."""
    value = select(literal(moment, UTCDateTime()).label("t"))
    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        row = await CompiledQuery(value).first(uow.session)
        assert row is not None
        read = [row["t"], (await uow.session.execute(value)).scalar_one()]
    for got in read:
        assert got == moment
        assert got.utcoffset() == timedelta(0)
        assert got.astimezone(UTC).microsecond == moment.astimezone(UTC).microsecond


async def test_postgresql_sessions_speak_utc_and_iso(app: FastAPI):
    engine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no session time zone")
    async with engine.connect() as connection:
        zone = (await connection.execute(text("SHOW TimeZone"))).scalar_one()
        style = (await connection.execute(text("SHOW DateStyle"))).scalar_one()
    assert (zone, style.split(",")[0]) == ("UTC", "ISO")
