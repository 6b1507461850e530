"""The notification stream (Server-Sent Events): live delivery, unread counts, resuming with
Last-Event-ID, stream tickets, and who may read which stream. Streams are read over real HTTP
from the test app served by uvicorn; the requests that cause notifications go through the
usual in-memory client (the same app, hence the same process's streams)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from api.live import stream_events
from api.main import create_app
from domain.notifications.model import StreamListener
from domain.ports import UnitOfWork
from tests.api.test_notifications import _comment, _guild, _inbox, _post
from tests.communities_helpers import create_community, join
from tests.conftest import make_settings
from tests.helpers import Account, assert_problem, register, with_personal_token
from tests.live_helpers import EventReader, open_stream, serving

STREAM = "/me/notifications/stream"


@pytest.fixture(scope="module")
async def base_url(app: FastAPI) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


@pytest.fixture
async def http(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        yield client


async def _first_count(reader: EventReader) -> int:
    event = await reader.next()
    assert event.event == "unread_count", event
    count: int = event.json["unread"]
    return count


async def _ticket(client: httpx.AsyncClient, who: Account, path: str = "/me") -> str:
    response = await client.post(f"{path}/notifications/stream-ticket", headers=who.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"ticket", "expires_at"}
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(seconds=50) < expires - datetime.now(UTC) <= timedelta(seconds=60)
    ticket: str = body["ticket"]
    return ticket


async def test_someone_elses_comment_arrives_with_the_inbox_line_and_the_unread_count(client, http):
    asker, helper = await register(client, "Asker"), await register(client, "Helper")
    await _guild(client, asker, helper)
    post = await _post(client, asker, "guild")
    async with open_stream(http, STREAM, asker.headers) as reader:
        assert await _first_count(reader) == 0
        started = time.monotonic()
        await _comment(client, helper, post["id"])
        event = await reader.next(within=1)
        assert time.monotonic() - started < 1
        [line] = await _inbox(client, asker)
        assert event.event == "notification" and event.id == line["id"]
        assert event.json == line  # exactly what GET /me/notifications lists
        count = await reader.next(within=1)
        assert (count.event, count.json) == ("unread_count", {"unread": 1})

        # A second answer joins the line: sent again under its new id, still one unread line.
        await _comment(client, helper, post["id"], "And this.")
        joined = await reader.next(within=1)
        [line] = await _inbox(client, asker)
        assert joined.id == line["id"] != event.id and joined.json["count"] == 2
        assert (await reader.next(within=1)).json == {"unread": 1}

        # A second line: the count goes up.
        other = await _post(client, asker, "guild")
        await _comment(client, helper, other["id"])
        assert (await reader.next(within=1)).event == "notification"
        assert (await reader.next(within=1)).json == {"unread": 2}
    assert await _inbox(client, helper) == []  # the helper was told nothing of their own acts


async def test_the_alias_path_streams_too_and_the_first_count_is_current(client, http):
    asker, helper = await register(client, "Asker"), await register(client, "Helper")
    await _guild(client, asker, helper)
    post = await _post(client, asker, "guild")
    await _comment(client, helper, post["id"])
    async with open_stream(http, "/notifications/stream", asker.headers) as reader:
        assert await _first_count(reader) == 1


async def test_resuming_with_last_event_id_loses_nothing(client, http):
    asker = await register(client, "Asker")
    helpers = [await register(client, f"Helper {i}") for i in range(3)]
    await _guild(client, asker, *helpers)
    posts = [await _post(client, asker, "guild") for _ in range(3)]
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        await _comment(client, helpers[0], posts[0]["id"])
        last = await reader.next()
    # While disconnected: a new line, and an event joining the line already received.
    await _comment(client, helpers[1], posts[1]["id"])
    await _comment(client, helpers[1], posts[0]["id"])
    resumed = {**asker.headers, "Last-Event-ID": str(last.id)}
    async with open_stream(http, STREAM, resumed) as reader:
        assert await _first_count(reader) == 2

        # More events while the stream replays: each line arrives exactly once.
        async def more() -> None:
            for helper, post in zip(helpers, posts, strict=True):
                await _comment(client, helper, post["id"], "More.")

        writer = asyncio.create_task(more())
        events = []
        while True:
            try:
                events.append(await reader.next(within=1))
            except TimeoutError:
                break
        await writer
    received = [e.id for e in events if e.event == "notification"]
    assert len(received) == len(set(received))
    inbox = await _inbox(client, asker)
    newer = {line["id"] for line in inbox if uuid.UUID(line["id"]) > uuid.UUID(str(last.id))}
    # Every current line newer than the last event was received (older versions of a line that
    # changed again meanwhile were received too, under their own ids).
    assert newer <= set(received)
    assert all(uuid.UUID(i) > uuid.UUID(str(last.id)) for i in received)
    # The replayed lines come first, oldest first.
    replayed = received[:2]
    assert replayed == sorted(replayed, key=uuid.UUID)


async def test_a_bad_last_event_id_is_a_problem(client, http):
    asker = await register(client)
    response = await http.get(STREAM, headers={**asker.headers, "Last-Event-ID": "yesterday"})
    assert_problem(response, 422)


async def test_a_ticket_opens_the_stream_once(client, http):
    asker, helper = await register(client, "Asker"), await register(client, "Helper")
    await _guild(client, asker, helper)
    post = await _post(client, asker, "guild")
    ticket = await _ticket(client, asker)
    async with open_stream(http, f"{STREAM}?ticket={ticket}") as reader:
        assert await _first_count(reader) == 0
        await _comment(client, helper, post["id"])
        assert (await reader.next(within=1)).event == "notification"
        # Used: refused, even while the first stream is open.
        assert_problem(await http.get(f"{STREAM}?ticket={ticket}"), 401)
    assert_problem(await http.get(f"{STREAM}?ticket={ticket}"), 401)
    # The alias route issues tickets too.
    other = await _ticket(client, asker, "")
    async with open_stream(http, f"/notifications/stream?ticket={other}") as reader:
        assert await _first_count(reader) == 1


async def test_expired_unknown_and_token_tickets_are_401(app: FastAPI, client, http):
    asker = await register(client)
    expired = "an-expired-ticket-of-forty-three-characters"
    async with app.state.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO stream_ticket (ticket_hash, user_id, expires_at) "
                "VALUES (:hash, :user_id, :expires_at)"
            ),
            {
                "hash": hashlib.sha256(expired.encode()).hexdigest(),
                "user_id": uuid.UUID(asker.id).hex if app.state.settings.is_sqlite else asker.id,
                "expires_at": datetime.now(UTC) - timedelta(seconds=1),
            },
        )
    for bad in (expired, "no-such-ticket", asker.access_token[:100]):
        body = assert_problem(await http.get(STREAM, params={"ticket": bad}), 401)
        assert "ticket" in body["detail"]
    # The access token itself is never taken from the URL.
    refused = await http.get(STREAM, params={"access_token": asker.access_token})
    assert_problem(refused, 422)
    # Tickets are stored hashed.
    ticket = await _ticket(client, asker)
    async with app.state.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT ticket_hash FROM stream_ticket"))).all()
    assert ticket not in {row[0] for row in stored}
    assert hashlib.sha256(ticket.encode()).hexdigest() in {row[0] for row in stored}


async def test_no_one_hears_anothers_notifications_or_what_they_cannot_see(client, http):
    owner, member, outsider = [await register(client, n) for n in ("Owner", "Member", "Out")]
    await create_community(client, owner, "Inner", visibility="private", join_policy="invite")
    invite = await client.post(
        "/communities/inner/invitations", json={"handle": member.handle}, headers=owner.headers
    )
    assert invite.status_code == 201, invite.text
    assert (await join(client, member, "inner")).status_code == 201
    await _guild(client, owner, outsider, slug="open")
    async with (
        open_stream(http, STREAM, member.headers) as member_stream,
        open_stream(http, STREAM, outsider.headers) as outsider_stream,
    ):
        await _first_count(member_stream)
        await _first_count(outsider_stream)
        # A private post mentions the outsider, who cannot see it; the owner's own answer on
        # the member's post tells the member only.
        secret = await _post(client, owner, "inner", body=f"Ask @{outsider.handle}")
        await _comment(client, member, secret["id"])
        # Then something the outsider may see, as a marker.
        visible = await _post(client, outsider, "open")
        await _comment(client, owner, visible["id"])
        first = await outsider_stream.next(within=1)
        assert first.event == "notification" and first.json["post_id"] == visible["id"]
        member_events = await member_stream.quiet(0.3)
        assert all(e.json.get("post_id") != visible["id"] for e in member_events)
    assert all(line["post_id"] != secret["id"] for line in await _inbox(client, outsider))


async def test_without_a_token_the_stream_is_401(http):
    assert_problem(await http.get(STREAM), 401)
    assert_problem(await http.get("/notifications/stream"), 401)
    assert_problem(await http.get(STREAM, headers={"Authorization": "Bearer nope"}), 401)


async def test_a_deactivated_accounts_stream_ends(app: FastAPI, client, http):
    asker = await register(client)
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        await app.state.live.check_accounts()
        assert not await reader.ended(within=0.3)  # still active: still open
        async with app.state.engine.begin() as connection:
            await connection.execute(text("UPDATE user_account SET is_active = false"))
        await app.state.live.check_accounts()
        assert await reader.ended(within=1)
    assert app.state.live.connections == 0


async def _sign_in(client: httpx.AsyncClient, who: Account, password: str) -> dict[str, str]:
    response = await client.post("/auth/token", data={"username": who.email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_a_password_change_ends_the_accounts_open_streams_at_once(client, http):
    asker, other = await register(client, "Asker"), await register(client, "Other")
    ticket = await _ticket(client, asker)
    async with (
        open_stream(http, STREAM, asker.headers) as by_header,
        open_stream(http, f"/notifications/stream?ticket={ticket}") as by_ticket,
        open_stream(http, STREAM, other.headers) as bystander,
    ):
        for reader in (by_header, by_ticket, bystander):
            await _first_count(reader)
        changed = await client.post(
            "/me/password",
            json={"current_password": asker.password, "new_password": "a-brand-new-secret"},
            headers=asker.headers,
        )
        assert changed.status_code == 204, changed.text
        # No account check runs here: the change itself ends them.
        assert await by_header.ended(within=1)
        assert await by_ticket.ended(within=1)
        assert not await bystander.ended(within=0.3)  # someone else's session did not end
    # Signed in again, the new session's stream stays open.
    headers = await _sign_in(client, asker, "a-brand-new-secret")
    async with open_stream(http, STREAM, headers) as again:
        await _first_count(again)
        assert not await again.ended(within=0.3)
    # The old token no longer opens one.
    assert_problem(await http.get(STREAM, headers=asker.headers), 401)


async def test_any_use_case_that_moves_the_token_version_ends_the_streams(
    app: FastAPI, client, http
):
    """Whatever ends every session (sign-out everywhere, a promotion, a password change) does
    it by moving the account's token version in a unit of work: its commit ends the streams."""
    asker = await register(client)
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        units = app.state.units
        uow = await units.open(read_only=False)
        try:
            account = await uow.users.get(uuid.UUID(asker.id))
            account.token_version += 1
            await uow.users.update(account)
            assert not await reader.ended(within=0.2)  # not before the commit
            await uow.commit()
        finally:
            await units.close(uow)
        assert await reader.ended(within=1)


async def test_a_rolled_back_token_version_change_ends_nothing(app: FastAPI, client, http):
    asker = await register(client)
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        units = app.state.units
        uow = await units.open(read_only=False)
        try:
            account = await uow.users.get(uuid.UUID(asker.id))
            account.token_version += 1
            await uow.users.update(account)
        finally:
            await units.close(uow)  # never committed
        assert not await reader.ended(within=0.5)


async def test_a_token_version_moved_behind_the_apps_back_ends_the_stream_at_the_check(
    app: FastAPI, client, http
):
    asker = await register(client)
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        async with app.state.engine.begin() as connection:
            await connection.execute(
                text("UPDATE user_account SET token_version = token_version + 1")
            )
        assert not await reader.ended(within=0.2)
        await app.state.live.check_accounts()
        assert await reader.ended(within=1)


async def test_reading_sends_the_new_count_to_every_open_stream(client, http):
    asker, helper, other = [await register(client, n) for n in ("Asker", "Helper", "Other")]
    await _guild(client, asker, helper, other)
    for _ in range(3):
        post = await _post(client, asker, "guild")
        await _comment(client, helper, post["id"])
    newest, middle, _oldest = await _inbox(client, asker)
    ticket = await _ticket(client, asker)
    async with (
        open_stream(http, STREAM, asker.headers) as tab,
        open_stream(http, f"/notifications/stream?ticket={ticket}") as other_tab,
        open_stream(http, STREAM, other.headers) as bystander,
    ):
        assert await _first_count(tab) == await _first_count(other_tab) == 3
        await _first_count(bystander)
        for path, expected in (
            (f"/me/notifications/{middle['id']}/read", 2),
            (f"/notifications/{newest['id']}/read", 1),
        ):
            read = await client.post(path, headers=asker.headers)
            assert read.status_code == 204, read.text
            for reader in (tab, other_tab):
                event = await reader.next(within=1)
                assert (event.event, event.json) == ("unread_count", {"unread": expected})
        for path in ("/me/notifications/read-all", "/notifications/read-all"):
            read = await client.post(path, json={"up_to": newest["id"]}, headers=asker.headers)
            assert read.status_code == 204, read.text
            if path == "/me/notifications/read-all":
                for reader in (tab, other_tab):
                    event = await reader.next(within=1)
                    assert (event.event, event.json) == ("unread_count", {"unread": 0})
        # Nothing left to read: the second read-all sends nothing; nobody else hears a thing.
        assert await tab.quiet(0.3) == []
        assert await bystander.quiet(0.1) == []
    assert (await client.get("/me/notifications/unread-count", headers=asker.headers)).json() == {
        "unread": 0
    }


async def test_the_heartbeat_is_a_comment(app: FastAPI, client, http, monkeypatch):
    asker = await register(client)
    monkeypatch.setattr(app.state.settings, "stream_heartbeat_seconds", 0.1)
    async with open_stream(http, STREAM, asker.headers) as reader:
        await _first_count(reader)
        assert await reader.quiet(0.35) == []
        assert reader.comments >= 2


# Who may use the stream routes (the GETs are read over HTTP, the POSTs in memory).
STREAM_ROUTES = [
    ("POST", "/me/notifications/stream-ticket"),
    ("POST", "/notifications/stream-ticket"),
    ("GET", "/me/notifications/stream"),
    ("GET", "/notifications/stream"),
]
STREAM_EXPECTED = {
    "anonymous": [401, 401, 401, 401],
    "owner": [201, 201, 200, 200],
    "reader": [403, 403, 200, 200],  # a read-only personal token streams, asks no ticket
}


@pytest.mark.parametrize("caller", list(STREAM_EXPECTED))
async def test_stream_authorization(client, http, caller):
    owner = await register(client, "Owner")
    callers = {
        "anonymous": {},
        "owner": owner.headers,
        "reader": (await with_personal_token(client, owner, ["read"])).headers,
    }
    got = []
    for method, path in STREAM_ROUTES:
        if method == "POST":
            response = await client.post(path, headers=callers[caller])
            got.append(response.status_code)
            continue
        async with http.stream("GET", path, headers=callers[caller]) as streamed:
            got.append(streamed.status_code)
            if streamed.status_code >= 400:
                await streamed.aread()
                assert streamed.headers["content-type"].startswith("application/problem+json")
    assert got == STREAM_EXPECTED[caller]


def test_every_stream_route_has_a_rule(app: FastAPI):
    document = app.openapi()["paths"]
    routes = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in document.items()
        for method in item
        if "/stream" in path
    }
    assert routes == set(STREAM_ROUTES)


async def test_a_stream_outlives_the_request_body_timeout(database_url: str, tmp_path):
    """The body deadline bounds how long a request body may take, never how long a response
    may stream."""
    application = create_app(
        make_settings(
            database_url, tmp_path, body_timeout_seconds=0.3, stream_heartbeat_seconds=0.2
        )
    )
    async with (
        application.router.lifespan_context(application),
        serving(application) as url,
        httpx.AsyncClient(base_url=url, timeout=5) as http,
    ):
        asker = await register(http)
        async with open_stream(http, STREAM, asker.headers) as reader:
            await _first_count(reader)
            assert await reader.quiet(1.0) == []
            assert reader.comments >= 3
            assert not await reader.ended(within=0.1)


async def test_a_stream_whose_session_ended_while_it_was_opening_ends_at_once(app: FastAPI, client):
    """The token was checked, then the sessions ended before the stream subscribed (so the
    announcement missed it): the stream reads the version again once subscribed."""
    asker = await register(client)
    units = app.state.units
    opening = StreamListener(uuid.UUID(asker.id), token_version=0)  # as the token was checked
    async with app.state.engine.begin() as connection:
        await connection.execute(text("UPDATE user_account SET token_version = token_version + 1"))

    @contextlib.asynccontextmanager
    async def unit() -> AsyncIterator[UnitOfWork]:
        uow = await units.open(read_only=True)
        try:
            yield uow
        finally:
            await units.close(uow)

    events = [event async for event in stream_events(app.state.live, unit, opening, None)]
    assert events == []
    assert app.state.live.connections == 0
    # A listener with the current version gets its count.
    current = StreamListener(uuid.UUID(asker.id), token_version=1)
    async with contextlib.aclosing(stream_events(app.state.live, unit, current, None)) as stream:
        assert b"unread_count" in await anext(stream)
