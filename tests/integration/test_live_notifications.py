"""Notifications written by a unit of work reach open streams after it commits, never when it
rolls back; concurrent events on one subject never write two unread lines."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from api.live import LiveHub, LiveMessage, Stream
from domain.clock import SystemClock
from domain.notifications import service as notifications
from domain.notifications.model import NotificationKind, StreamListener
from repositories.unit_of_work import SqlUnitOfWork
from tests.conftest import BACKEND
from tests.helpers import register


async def _notify(uow: SqlUnitOfWork, recipient: uuid.UUID, actor: uuid.UUID, subject: uuid.UUID):
    return await notifications.notify(
        uow,
        SystemClock(),
        [recipient],
        NotificationKind.endorsement_received,
        actor,
        "user",
        subject,
        "Endorsed for incident review",
        "/people/x",
    )


async def _next(stream: Stream, within: float = 1.0) -> LiveMessage | None:
    async with asyncio.timeout(within):
        return await stream.next()


async def test_only_committed_notifications_are_published(app: FastAPI, client):
    hub: LiveHub = app.state.live
    recipient = uuid.UUID((await register(client, "Recipient")).id)
    actor = uuid.UUID((await register(client, "Actor")).id)
    stream = hub.connect(StreamListener(recipient))
    try:
        async with SqlUnitOfWork(app.state.session_factory, live=hub) as uow:
            assert len(await _notify(uow, recipient, actor, uuid.uuid4())) == 1
            await uow.rollback()
        with pytest.raises(RuntimeError):
            async with SqlUnitOfWork(app.state.session_factory, live=hub) as uow:
                await _notify(uow, recipient, actor, uuid.uuid4())
                raise RuntimeError("the service failed before committing")
        with pytest.raises(TimeoutError):
            await _next(stream, 0.3)

        async with SqlUnitOfWork(app.state.session_factory, live=hub) as uow:
            [written] = await _notify(uow, recipient, actor, uuid.uuid4())
            await uow.commit()
        message = await _next(stream)
        assert message is not None and message.notification_id == written.notification_id
        assert message.unread == 1 and message.notification is not None
        assert str(written.notification_id) in message.notification
    finally:
        hub.disconnect(stream)


async def test_notify_writes_and_publishes_in_a_constant_number_of_statements(
    app: FastAPI, client, count_statements
):
    hub: LiveHub = app.state.live
    actor = uuid.UUID((await register(client, "Actor")).id)
    people = [uuid.UUID((await register(client)).id) for _ in range(6)]
    streams = [hub.connect(StreamListener(person)) for person in people]
    try:
        for group in (people[:2], people):
            count_statements.statements.clear()
            async with SqlUnitOfWork(app.state.session_factory, live=hub) as uow:
                written = await notifications.notify(
                    uow,
                    SystemClock(),
                    group,
                    NotificationKind.endorsement_received,
                    actor,
                    "user",
                    uuid.uuid4(),
                    "Endorsed",
                    "/people/x",
                )
                writes = [s for s in count_statements.statements if "notification" in s]
                # One statement filters the recipients, one upserts them all (500 a statement).
                assert len(writes) == 2, writes
                assert len(written) == len(group)
                await uow.commit()
            for stream in streams[: len(group)]:
                assert await _next(stream) is not None
            reads = [s for s in count_statements.statements if s.lstrip().startswith("SELECT")]
            # Filter, then for every recipient at once: the lines, their actors, unread counts.
            assert len(reads) == 4, reads
    finally:
        for stream in streams:
            hub.disconnect(stream)


@pytest.mark.skipif(BACKEND != "postgres", reason="concurrent writers (LEADERFUL_TEST_DB=postgres)")
async def test_concurrent_events_on_one_subject_make_one_unread_line(app: FastAPI, client):
    recipient = uuid.UUID((await register(client, "Recipient")).id)
    first, second = [uuid.UUID((await register(client)).id) for _ in range(2)]
    subject = uuid.uuid4()
    async with (
        SqlUnitOfWork(app.state.session_factory) as one,
        SqlUnitOfWork(app.state.session_factory) as other,
    ):
        await _notify(one, recipient, first, subject)  # not committed yet

        async def concurrently() -> None:
            await _notify(other, recipient, second, subject)
            await other.commit()

        racing = asyncio.create_task(concurrently())
        await asyncio.sleep(0.3)
        # The second writer waits on the unread line the first one has not committed yet.
        assert not racing.done()
        await one.commit()
        await racing
    async with app.state.engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT group_count, actor_ids FROM notification "
                    "WHERE user_id = :user_id AND read_at IS NULL"
                ),
                {"user_id": recipient},
            )
        ).all()
    assert len(rows) == 1
    assert rows[0].group_count == 2
    assert rows[0].actor_ids == f"{second.hex},{first.hex}"
