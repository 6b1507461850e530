"""Live notifications: publishing committed inbox lines to the recipients' open streams.

A unit of work that wrote notifications hands them to the process's hub once it has committed
(`publish`, which only queues). The hub's publisher task reads, for a whole batch of lines at
once, each line as its recipient's inbox lists it and each recipient's unread count (two
statements however many recipients), serializes each line once, and sends one small message
per recipient: straight to this process's streams (`InProcessLive`, the embedded default), or
through one Redis pub/sub channel that every server process subscribes to once (`RedisLive`,
when LEADERFUL_REDIS_URL is set). Each process dispatches a message to the queues of the
recipient's connections, so a stream never queries the database for a live event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import redis.asyncio as redis
from sse_starlette import ServerSentEvent

from api.schemas.notifications import NotificationPublic, UnreadCount
from domain.notifications import service as notifications
from domain.notifications.model import StreamListener, WrittenNotification
from domain.ports import UnitOfWork

log = logging.getLogger("leaderful.live")

UnitFactory = Callable[[], AbstractAsyncContextManager[UnitOfWork]]

# Lines read and sent per batch. One event for 2,000 streams (`make bench-stream`, one run
# each on a busy 2-core machine): read in one batch, the last stream had it about 640 ms after
# the commit; in four batches of 500, about 1,000 ms (each batch pays its own round trips).
PUBLISH_BATCH = 2000
# A connection that falls this far behind is closed: its client resumes with Last-Event-ID.
STREAM_BACKLOG = 1000
CHANNEL = "leaderful:notifications"


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """One recipient's news: the line (NotificationPublic JSON; None when the line is no longer
    visible, or when only the count changed, e.g. read in another tab) and their unread count
    after it."""

    user_id: UUID
    notification_id: UUID | None
    notification: str | None
    unread: int

    def encode(self) -> str:
        return json.dumps(
            {
                "u": self.user_id.hex,
                "i": self.notification_id.hex if self.notification_id else None,
                "n": self.notification,
                "c": self.unread,
            }
        )


@dataclass(frozen=True, slots=True)
class SessionsEnd:
    """An account's sessions ended (its token version moved to `token_version`): its streams
    opened with an older version close."""

    user_id: UUID
    token_version: int

    def encode(self) -> str:
        return json.dumps({"u": self.user_id.hex, "v": self.token_version})


def decode(raw: str | bytes) -> LiveMessage | SessionsEnd:
    data = json.loads(raw)
    user_id = UUID(hex=data["u"])
    if "v" in data:
        return SessionsEnd(user_id, int(data["v"]))
    notification_id = UUID(hex=data["i"]) if data["i"] else None
    return LiveMessage(user_id, notification_id, data["n"], int(data["c"]))


class Stream:
    """One open connection's queue; `None` in it ends the stream."""

    __slots__ = ("queue", "token_version", "user_id")

    def __init__(self, user_id: UUID, token_version: int) -> None:
        self.user_id = user_id
        self.token_version = token_version
        self.queue: asyncio.Queue[LiveMessage | None] = asyncio.Queue()

    def put(self, message: LiveMessage | None) -> bool:
        """False when the connection has fallen too far behind (it is then ended)."""
        if message is not None and self.queue.qsize() >= STREAM_BACKLOG:
            self.queue.put_nowait(None)
            return False
        self.queue.put_nowait(message)
        return True

    async def next(self) -> LiveMessage | None:
        return await self.queue.get()


class LiveHub:
    """The process's streams by user id, the publisher task and the account check. Subclasses
    say how messages travel (`_send`, and `_listen` for a shared channel)."""

    def __init__(self, units: UnitFactory, *, check_seconds: float = 15) -> None:
        self._units = units
        self._check_seconds = check_seconds
        self._streams: dict[UUID, set[Stream]] = {}
        self._pending: list[WrittenNotification] = []
        self._pending_unread: set[UUID] = set()
        self._pending_ends: dict[UUID, int] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    # --- the port (domain.notifications.ports.LiveNotifications) ------------------------------

    def publish(self, written: Sequence[WrittenNotification]) -> None:
        self._pending.extend(written)
        self._wake.set()

    def publish_unread(self, user_ids: Collection[UUID]) -> None:
        self._pending_unread.update(user_ids)
        self._wake.set()

    # --- domain.users.ports.SessionsEnded ---------------------------------------------------------

    def sessions_ended(self, user_id: UUID, token_version: int) -> None:
        self.end_sessions(user_id, token_version)  # this process's streams: at once
        pending = self._pending_ends.get(user_id, token_version)
        self._pending_ends[user_id] = max(pending, token_version)
        self._wake.set()

    # --- streams --------------------------------------------------------------------------------

    def connect(self, listener: StreamListener) -> Stream:
        user_id = listener.user_id
        stream = Stream(user_id, listener.token_version)
        self._streams.setdefault(user_id, set()).add(stream)
        return stream

    def disconnect(self, stream: Stream) -> None:
        streams = self._streams.get(stream.user_id)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self._streams[stream.user_id]

    @property
    def connections(self) -> int:
        return sum(len(s) for s in self._streams.values())

    def deliver(self, message: LiveMessage) -> None:
        for stream in list(self._streams.get(message.user_id, ())):
            if not stream.put(message):
                self.disconnect(stream)

    def end_streams_of(self, user_id: UUID) -> None:
        for stream in self._streams.pop(user_id, set()):
            stream.put(None)

    def end_sessions(self, user_id: UUID, token_version: int) -> None:
        """End the user's streams opened under an older token version than `token_version`."""
        for stream in list(self._streams.get(user_id, ())):
            if stream.token_version < token_version:
                stream.put(None)
                self.disconnect(stream)

    def receive(self, message: LiveMessage | SessionsEnd) -> None:
        if isinstance(message, SessionsEnd):
            self.end_sessions(message.user_id, message.token_version)
        else:
            self.deliver(message)

    async def check_accounts(self) -> None:
        """End the streams of accounts deactivated (or deleted) since they connected, and of
        sessions ended meanwhile (a token version moved on) that no message told of: one
        statement for every connected user of the process."""
        connected = list(self._streams)
        if not connected:
            return
        async with self._units() as uow:
            active = await notifications.still_active(uow, connected)
        for user_id in connected:
            if user_id not in active:
                self.end_streams_of(user_id)
            else:
                self.end_sessions(user_id, active[user_id])

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._publishing(), name="live-publisher"))
        if self._check_seconds > 0:
            self._tasks.append(asyncio.create_task(self._checking(), name="live-accounts"))

    async def stop(self) -> None:
        for streams in list(self._streams.values()):
            for stream in streams:
                stream.put(None)
        self._streams.clear()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def _publishing(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            read_by, self._pending_unread = self._pending_unread, set()
            ends, self._pending_ends = self._pending_ends, {}
            try:
                await self._send_ends(ends)
            except Exception:
                # Every process's account check still ends those streams.
                log.exception("publishing ended sessions failed")
            for start in range(0, len(batch), PUBLISH_BATCH):
                try:
                    await self._publish_now(batch[start : start + PUBLISH_BATCH])
                except Exception:
                    # The lines are committed: a stream that missed them finds them on resuming.
                    log.exception("publishing live notifications failed")
            try:
                await self._publish_unread(read_by)
            except Exception:
                # Only a count: the next event or reconnect brings the right one.
                log.exception("publishing unread counts failed")

    async def _publish_unread(self, user_ids: set[UUID]) -> None:
        wanted = self._worth_counting(user_ids)
        if not wanted:
            return
        async with self._units() as uow:
            counts = await notifications.unread_counts(uow, wanted)
        await self._send([LiveMessage(u, None, None, count) for u, count in counts.items()])

    def _worth_counting(self, user_ids: set[UUID]) -> list[UUID]:
        return list(user_ids)

    async def _send_ends(self, ends: dict[UUID, int]) -> None:
        """Other processes' streams (this process ended its own when told)."""

    async def _publish_now(self, written: list[WrittenNotification]) -> None:
        written = self._worth_sending(written)
        if not written:
            return
        async with self._units() as uow:
            lives = await notifications.live_notifications(uow, written)
        await self._send(
            [
                LiveMessage(
                    live.user_id,
                    live.notification_id,
                    NotificationPublic.of(live.item).model_dump_json() if live.item else None,
                    live.unread,
                )
                for live in lives
            ]
        )

    def _worth_sending(self, written: list[WrittenNotification]) -> list[WrittenNotification]:
        return written

    async def _checking(self) -> None:
        while True:
            await asyncio.sleep(self._check_seconds)
            try:
                await self.check_accounts()
            except Exception:
                log.exception("checking the accounts of open streams failed")

    async def _send(self, messages: Sequence[LiveMessage]) -> None:
        raise NotImplementedError


class InProcessLive(LiveHub):
    """One server process: messages go straight to its streams, and only lines whose
    recipients are connected here are read at all."""

    def _worth_sending(self, written: list[WrittenNotification]) -> list[WrittenNotification]:
        return [w for w in written if w.user_id in self._streams]

    def _worth_counting(self, user_ids: set[UUID]) -> list[UUID]:
        return [u for u in user_ids if u in self._streams]

    async def _send(self, messages: Sequence[LiveMessage]) -> None:
        for message in messages:
            self.deliver(message)


class RedisLive(LiveHub):
    """Several processes: every message goes through one Redis pub/sub channel (all of a
    batch in one round trip), and each process subscribes once and dispatches locally."""

    def __init__(
        self, units: UnitFactory, url: str, *, check_seconds: float = 15, channel: str = CHANNEL
    ) -> None:
        super().__init__(units, check_seconds=check_seconds)
        self._redis: Any = redis.Redis.from_url(url)
        self._channel = channel
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        await super().start()
        self._tasks.append(asyncio.create_task(self._listening(), name="live-subscriber"))
        # Serve only once subscribed: a stream opened here must not miss a message.
        async with asyncio.timeout(10):
            await self._subscribed.wait()

    async def stop(self) -> None:
        await super().stop()
        await self._redis.aclose()

    async def _send(self, messages: Sequence[LiveMessage | SessionsEnd]) -> None:
        if not messages:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.publish(self._channel, message.encode())
            await pipe.execute()

    async def _send_ends(self, ends: dict[UUID, int]) -> None:
        await self._send([SessionsEnd(u, v) for u, v in ends.items()])

    async def _listening(self) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._subscribed.set()
                    async for raw in pubsub.listen():
                        if raw.get("type") == "message":
                            self.receive(decode(raw["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the live notifications subscription failed; resubscribing")
                await asyncio.sleep(1)


def live_hub(units: UnitFactory, redis_url: str | None, *, check_seconds: float) -> LiveHub:
    if redis_url:
        return RedisLive(units, redis_url, check_seconds=check_seconds)
    return InProcessLive(units, check_seconds=check_seconds)


def _unread_event(unread: int) -> bytes:
    data = UnreadCount(unread=unread).model_dump_json()
    return ServerSentEvent(data, event="unread_count").encode()


def _notification_event(notification_id: UUID, data: str) -> bytes:
    return ServerSentEvent(data, event="notification", id=str(notification_id)).encode()


async def stream_events(
    hub: LiveHub, units: UnitFactory, actor: StreamListener, after: UUID | None
) -> AsyncGenerator[bytes, None]:
    """The events of one connection: the unread count, what it missed since `after` (read
    after subscribing, so nothing falls between the two), then live news; a line both replayed
    and received live is sent once. Events are encoded here, and a line and the count after it
    leave in one write. Subscribing happens here, in the response, so that a response that
    never starts (HEAD, a client gone at once) leaves no subscription behind. The stream ends
    when the account's sessions end (logout everywhere, a password change) or it is
    deactivated."""
    stream = hub.connect(actor)
    try:
        async with units() as uow:
            # Sessions that ended between signing in and subscribing were announced before
            # this stream could hear it: read the version again, now that it listens.
            current = await notifications.still_active(uow, [actor.user_id])
            if current.get(actor.user_id) != actor.token_version:
                return
            unread = await notifications.unread_count(uow, actor)
            missed = await notifications.replay(uow, actor, after) if after else []
        yield _unread_event(unread)
        replayed: set[UUID] = set()
        for item in missed:
            replayed.add(item.id)
            yield _notification_event(item.id, NotificationPublic.of(item).model_dump_json())
        while True:
            message = await stream.next()
            if message is None:
                # Sessions ended, the account was deactivated, the server stops, or the client
                # lagged.
                return
            line_id = message.notification_id
            seen = (
                line_id is None or line_id in replayed or (after is not None and line_id <= after)
            )
            count = _unread_event(message.unread)
            if line_id is not None and message.notification is not None and not seen:
                yield _notification_event(line_id, message.notification) + count
            else:
                yield count
    finally:
        hub.disconnect(stream)
