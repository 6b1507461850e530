"""Reading Server-Sent Events over real HTTP (an in-memory ASGI transport buffers a whole
response, so streams are read from a real server), for the stream tests and the bench; and
real `leaderful serve` / `leaderful worker` processes for the tests that need them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI


@dataclass(frozen=True)
class Event:
    event: str
    data: str
    id: str | None

    @property
    def json(self) -> Any:
        return json.loads(self.data)


class EventReader:
    """The events of one open stream, one at a time, read by a task of its own (so a timed-out
    wait loses nothing); comments (heartbeats) are counted and skipped."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.comments = 0
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._pump = asyncio.create_task(self._read())

    async def _read(self) -> None:
        event, data, event_id = "message", list[str](), None
        try:
            async for line in self.response.aiter_lines():
                if line == "":
                    if data:
                        self._events.put_nowait(Event(event, "\n".join(data), event_id))
                    event, data, event_id = "message", list[str](), None
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    field, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if field == "event":
                        event = value
                    elif field == "data":
                        data.append(value)
                    elif field == "id":
                        event_id = value
        except httpx.HTTPError:
            pass
        finally:
            self._events.put_nowait(None)

    async def next(self, within: float = 2.0) -> Event:
        async with asyncio.timeout(within):
            event = await self._events.get()
        if event is None:
            self._events.put_nowait(None)
            raise EOFError("the stream ended")
        return event

    async def ended(self, within: float = 2.0) -> bool:
        """True when the server closes the stream (before any further event) in time."""
        try:
            await self.next(within)
        except EOFError:
            return True
        except TimeoutError:
            return False
        return False

    async def quiet(self, seconds: float) -> list[Event]:
        """Every event that arrives within `seconds`."""
        got: list[Event] = []
        deadline = asyncio.get_running_loop().time() + seconds
        with contextlib.suppress(TimeoutError, EOFError):
            while True:
                got.append(await self.next(deadline - asyncio.get_running_loop().time()))
        return got

    async def close(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._pump


@contextlib.asynccontextmanager
async def open_stream(
    http: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[EventReader]:
    async with http.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200, (await response.aread()).decode()
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = EventReader(response)
        try:
            yield reader
        finally:
            await reader.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """`app` (lifespan already running) served over HTTP on a free port of 127.0.0.1, in this
    event loop; yields the API's base URL."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:  # noqa: ASYNC110 (uvicorn offers a flag, not an event)
                await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.should_exit = True
        await task


# -- leaderful processes ---------------------------------------------------------------------

LEADERFUL = Path(sys.executable).with_name("leaderful")


@dataclass
class Process:
    """A `leaderful` process started by a test: its output goes to `log`."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    base: str | None  # the API's base URL, for processes that serve HTTP

    @property
    def output(self) -> str:
        return self.log.read_text()


def serve_command(port: int) -> list[str]:
    return [str(LEADERFUL), "serve", "--host", "127.0.0.1", "--port", str(port)]


def worker_command(port: int) -> list[str]:
    return [str(LEADERFUL), "worker"]


# A role: the command given a free port, and whether it serves HTTP (then it is waited for).
Role = tuple[Callable[[int], list[str]], bool]


def leaderful_env(**settings: str) -> dict[str, str]:
    """This environment without any LEADERFUL_ setting of the developer's, plus `settings`
    (names without the prefix: `DATABASE_URL=…`)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LEADERFUL_")},
        **{f"LEADERFUL_{name}": value for name, value in settings.items()},
    }


def _wait_healthy(started: Process, within: float = 30) -> None:
    deadline = time.monotonic() + within
    health = f"{str(started.base).removesuffix('/api/v1')}/healthz"
    while True:
        assert started.process.poll() is None, started.output
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(health, timeout=1).status_code == 200:
                return
        assert time.monotonic() < deadline, f"{started.name} did not start"
        time.sleep(0.1)


def _stop(started: Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(started.process.pid, signal.SIGTERM)
    try:
        started.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(started.process.pid, signal.SIGKILL)
        started.process.wait(timeout=10)


@contextlib.contextmanager
def leaderful_processes(
    roles: Mapping[str, Role], env: Mapping[str, str], workdir: Path
) -> Iterator[dict[str, Process]]:
    """Start one `leaderful` process per role (in `workdir`: no developer .env, no var/ of the
    checkout; each in a session of its own, its output in `<workdir>/<name>.log`), wait until
    those that serve HTTP answer /healthz, and stop them all (SIGTERM, then SIGKILL) at the
    end."""
    running: dict[str, Process] = {}
    try:
        for name, (command, serves) in roles.items():
            port = free_port()
            log = workdir / f"{name}.log"
            with log.open("w") as out:
                popen = subprocess.Popen(
                    command(port),
                    cwd=workdir,
                    env=dict(env),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            base = f"http://127.0.0.1:{port}/api/v1" if serves else None
            running[name] = Process(name, popen, log, base)
        for started in running.values():
            if started.base is not None:
                _wait_healthy(started)
        yield running
    finally:
        for started in running.values():
            _stop(started)
