"""A real webhook receiver for tests: an HTTP server (uvicorn) on a free local port that records
every request and checks its signature with the `standardwebhooks` package, as a receiver in
the wild would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import uvicorn
from fastapi import FastAPI
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.helpers import FakeClock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified_with: list[str]  # the known secrets whose signature matched

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    status: int = 200
    answer: str = "thanks"
    secrets: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: uvicorn.Server | None = None
    task: asyncio.Task[None] | None = None
    # Run before each answer (a receiver that acts on the API while a delivery is out).
    on_request: Callable[[], Awaitable[None]] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def _hook(self, request: Request) -> PlainTextResponse:
        body = await request.body()
        headers = dict(request.headers)
        verified = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            verified.append(secret)
        self.received.append(Received(headers, body, verified))
        if self.on_request is not None:
            await self.on_request()
        return PlainTextResponse(self.answer, status_code=self.status)

    async def start(self) -> Receiver:
        app = Starlette(routes=[Route("/hooks", self._hook, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        if self.server is not None and self.task is not None:
            self.server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.server = None
            self.task = None

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.received if r.payload["type"] == event_type]


async def settle(app: FastAPI) -> None:
    """Wait until the webhook tasks kicked by events (and those they kicked) have run."""
    await app.state.events.drain()
    for _ in range(3):
        await app.state.broker.wait_all()


async def run_due(app: FastAPI, at: datetime) -> int:
    """The retry job, run now as if the time were `at`."""
    tried: int = await app.state.webhooks.run_due(FakeClock(at))
    return tried


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
