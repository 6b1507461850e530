"""Webhook delivery on PostgreSQL: N events to R subscribed receivers, and the time until every
receiver has every event.

    .venv/bin/python -m tests.perf.webhooks                        # 1,000 events, 10 receivers
    .venv/bin/python -m tests.perf.webhooks --events 200 --receivers 5

A fresh database `leaderful_hooks_<random>` is created, migrated and dropped at the end. The
receivers are real HTTP servers (uvicorn) in a child process, each checking every signature
with the `standardwebhooks` package and counting what verified. The app runs in this process as
`make run` has it (in-memory broker, the relay loop on), with R organisation webhooks, one per
receiver. The N `post.created` events are written to the outbox in one transaction (only the
webhook consumer takes them: the measure is delivery, not notification fan-out); the clock runs
from that commit until the receivers have counted N x R verified messages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn
from sqlalchemy.engine import make_url
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from api.main import create_app
from api.settings import Settings
from domain.events.model import EventType
from domain.events.service import record
from repositories.migrate import upgrade
from tests.webhook_helpers import free_port

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256"


# --- the receivers (child process) ------------------------------------------------------------


async def serve_receivers(count: int) -> None:
    """R receivers and a /count endpoint; prints their ports as JSON, then serves until killed.
    Secrets arrive by POST /secret/<i> once the webhooks exist."""
    verified = [0] * count
    rejected = [0] * count
    seen: list[set[str]] = [set() for _ in range(count)]
    secrets: list[Webhook | None] = [None] * count

    def hook(i: int) -> Any:
        async def receive(request: Request) -> PlainTextResponse:
            body = await request.body()
            headers = dict(request.headers)
            box = secrets[i]
            try:
                if box is None:
                    raise WebhookVerificationError("no secret yet")
                box.verify(body, headers)
            except WebhookVerificationError:
                rejected[i] += 1
                return PlainTextResponse("bad signature", status_code=400)
            if headers["webhook-id"] not in seen[i]:
                seen[i].add(headers["webhook-id"])
                verified[i] += 1
            return PlainTextResponse("ok")

        return receive

    async def set_secret(request: Request) -> PlainTextResponse:
        i = int(request.path_params["i"])
        secrets[i] = Webhook((await request.body()).decode())
        return PlainTextResponse("ok")

    async def counts(request: Request) -> JSONResponse:
        return JSONResponse({"verified": sum(verified), "rejected": sum(rejected)})

    ports = [free_port() for _ in range(count + 1)]
    servers = []
    for i, port in enumerate(ports[:count]):
        app = Starlette(routes=[Route("/hooks", hook(i), methods=["POST"])])
        servers.append(
            uvicorn.Server(
                uvicorn.Config(
                    app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
                )
            )
        )
    control = Starlette(
        routes=[
            Route("/count", counts),
            Route("/secret/{i}", set_secret, methods=["POST"]),
        ]
    )
    servers.append(
        uvicorn.Server(
            uvicorn.Config(
                control, host="127.0.0.1", port=ports[-1], log_level="warning", lifespan="off"
            )
        )
    )
    tasks = [asyncio.create_task(s.serve()) for s in servers]
    while not all(s.started for s in servers):  # noqa: ASYNC110 (uvicorn has no started event)
        await asyncio.sleep(0.01)
    print(json.dumps({"receivers": ports[:count], "control": ports[-1]}), flush=True)
    await asyncio.gather(*tasks)


# --- the measured app (this process) ----------------------------------------------------------


async def run(database_url: str, events: int, receivers: int) -> dict[str, Any]:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.perf.webhooks",
        "--serve-receivers",
        str(receivers),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        ports = json.loads(await child.stdout.readline())
        control = f"http://127.0.0.1:{ports['control']}"
        settings = Settings(
            database_url=database_url,
            secret_key=SECRET,
            jobs_interval_seconds=0,
            rate_limit_enabled=False,
            log_level="WARNING",
            webhook_allow_private=True,
            spa_dir=Path(tempfile.gettempdir()) / "no-spa",
            mail_dir=Path(tempfile.gettempdir()) / "bench-mail",
        )
        # Only the webhook consumer (and mail's) take events: the measure is delivery.
        app = create_app(settings, consumers=())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench/api/v1"
            ) as api,
            httpx.AsyncClient(base_url=control) as receivers_api,
        ):
            r = await api.post(
                "/auth/register",
                json={
                    "email": "admin@example.com",
                    "password": "correct-horse-battery",
                    "display_name": "Bench Admin",
                },
            )
            auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
            r = await api.post(
                "/communities",
                json={"name": "Bench Guild", "purpose": "Measure how fast webhooks go out."},
                headers=auth,
            )
            community_id = uuid.UUID(r.json()["id"])
            for i, port in enumerate(ports["receivers"]):
                r = await api.post(
                    "/webhooks",
                    json={
                        "url": f"http://127.0.0.1:{port}/hooks",
                        "event_types": ["post.created"],
                    },
                    headers=auth,
                )
                assert r.status_code == 201, r.text
                await receivers_api.post(f"/secret/{i}", content=r.json()["secret"])

            started = time.perf_counter()
            async with app.state.events.uow_factory() as uow:
                for n in range(events):
                    await record(
                        uow,
                        app.state.clock,
                        EventType.post_created,
                        actor_id=None,
                        community_id=community_id,
                        payload={
                            "post_id": uuid.uuid4(),
                            "kind": "question",
                            "title": f"Question {n}",
                            "community_name": "Bench Guild",
                            "author_name": "Bench Admin",
                        },
                    )
                await uow.commit()
            committed = time.perf_counter()
            expected = events * receivers
            counts = {"verified": 0, "rejected": 0}
            for _ in range(6000):  # at most ten minutes
                counts = (await receivers_api.get("/count")).json()
                if counts["verified"] >= expected:
                    break
                await asyncio.sleep(0.1)
            done = time.perf_counter()
        return {
            "events": events,
            "receivers": receivers,
            "messages_verified": counts["verified"],
            "messages_rejected": counts["rejected"],
            "record_seconds": round(committed - started, 2),
            "delivery_seconds": round(done - committed, 2),
            "messages_per_second": round(counts["verified"] / max(done - committed, 1e-9)),
        }
    finally:
        child.terminate()
        await child.wait()


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def measure(events: int, receivers: int) -> dict[str, Any]:
    name = f"leaderful_hooks_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        database_url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
        upgrade(database_url)
        return asyncio.run(run(database_url, events, receivers))
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--receivers", type=int, default=10)
    parser.add_argument("--serve-receivers", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_receivers:
        asyncio.run(serve_receivers(args.serve_receivers))
        return 0
    result = measure(args.events, args.receivers)
    print(json.dumps(result))
    return 0 if result["messages_verified"] == args.events * args.receivers else 1


if __name__ == "__main__":
    sys.exit(main())
