"""Reading Server-Sent Events over real HTTP (an in-memory ASGI transport buffers a whole
response, so streams are read from a real server), for the stream tests and the bench."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
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
