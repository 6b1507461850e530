"""What one statement costs in this process at each layer a request goes through, against an
existing database that `leaderful seed` filled: the caller's account read (one row by primary
key, the statement every signed-in request runs first), repeated on one connection.

    LEADERFUL_DATABASE_URL=postgresql+asyncpg://... .venv/bin/python -m tests.perf.layers

Prints the process CPU time and the wall time per execution of:
- the statement prepared once on a raw asyncpg connection (what the bench's row floor runs);
- SQLAlchemy's AsyncConnection.execute on a connection held open;
- AsyncSession.execute on a session held open;
- a new read session per execution (a pool checkout, the statement, the return), as each read
  request's unit of work does.

The differences are what the framework layers cost per statement and per request, whatever the
database does; the database's own work is the same in every line. Never part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from uuid import UUID

from sqlalchemy import select

from api.seed import DEMO_PEOPLE_EMAILS
from repositories.db import create_engine, create_session_factory
from repositories.users.queries import ACCOUNT
from repositories.users.tables import UserAccount

users = UserAccount.__table__  # type: ignore[attr-defined]


async def _timed(label: str, repeat: int, once: Callable[[], Awaitable[object]]) -> None:
    for _ in range(max(50, repeat // 10)):
        await once()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        await once()
    cpu_us = 1e6 * (time.process_time() - cpu) / repeat
    wall_us = 1e6 * (time.perf_counter() - wall) / repeat
    print(f"{label:52s} cpu {cpu_us:6.0f} µs   wall {wall_us:6.0f} µs", flush=True)


async def run(database_url: str, repeat: int) -> None:
    engine = create_engine(database_url, pool_size=2, max_overflow=0)
    reads = create_session_factory(engine, read_only=True)
    try:
        async with reads() as session:
            found = await session.execute(
                select(users.c.id).where(users.c.email == DEMO_PEOPLE_EMAILS[0])
            )
            user_id: UUID = found.scalar_one()
        params = {"user_id": user_id}

        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            prepared = await driver.prepare(str(ACCOUNT.compile(dialect=engine.dialect)))
            await _timed(
                "raw asyncpg, prepared statement", repeat, lambda: prepared.fetchrow(user_id)
            )

        async with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:

            async def on_connection() -> object:
                return (await connection.execute(ACCOUNT, params)).first()

            await _timed("SQLAlchemy AsyncConnection.execute", repeat, on_connection)

        async with reads() as session:

            async def on_session() -> object:
                return (await session.execute(ACCOUNT, params)).first()

            await _timed("SQLAlchemy AsyncSession.execute", repeat, on_session)

        async def per_request() -> object:
            async with reads() as session:
                return (await session.execute(ACCOUNT, params)).first()

        await _timed("a read session per execution (checkout + statement)", repeat, per_request)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3000)
    args = parser.parse_args()
    asyncio.run(run(os.environ["LEADERFUL_DATABASE_URL"], args.repeat))


if __name__ == "__main__":
    main()
