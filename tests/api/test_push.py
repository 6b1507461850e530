"""Push notifications end to end: devices registered through the API, the push job and task,
and a real HTTP push service started by the test, which decrypts what it gets with the
subscription's keys (http-ece, RFC 8291) and checks the VAPID signature (RFC 8292)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from api.jobs import push_jobs, run_jobs_once
from api.main import create_app
from tests.communities_helpers import create_community, join
from tests.conftest import draining, make_settings
from tests.helpers import Account, assert_problem, register
from tests.push_helpers import (
    Arrived,
    BrowserSubscription,
    Receiver,
    push_receiver,
    verify_vapid,
)

MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday, 10:00 UTC


class MovingClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def set(self, at: datetime) -> None:
        self.current = at


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with push_receiver() as server:
        yield server


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(MONDAY_MORNING)


@pytest.fixture
async def pushing(
    database_url: str, tmp_path: Path, app: FastAPI, clock: MovingClock
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    # No VAPID key configured: development generates one under the (test's) var directory.
    settings = make_settings(
        database_url,
        tmp_path,
        push_allow_http=True,
        push_retry_attempts=3,
        push_retry_base_seconds=0.01,
    )
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t/api/v1", event_hooks=draining(application)
        ) as http:
            yield application, http


async def push_job(application: FastAPI) -> int:
    """One tick of the push job at the clock's time, then wait until its pushes were sent."""
    counts = await run_jobs_once(
        application.state.events.uow_factory,
        application.state.clock,
        push_jobs(timedelta(seconds=5)),
    )
    await application.state.events.drain()
    await application.state.push.drain()
    return counts["queue_pushes"]


async def want_push(http: httpx.AsyncClient, who: Account, *kinds: str) -> None:
    response = await http.put(
        "/me/notification-preferences",
        json={"preferences": [{"kind": kind, "push": True} for kind in kinds]},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text


async def subscribe(
    http: httpx.AsyncClient, who: Account, subscription: BrowserSubscription
) -> dict[str, Any]:
    response = await http.post(
        "/me/devices",
        json={"platform": "webpush", "subscription": subscription.json(), "name": "Laptop"},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    device: dict[str, Any] = response.json()
    return device


async def question_answered(
    http: httpx.AsyncClient, asker: Account, answerer: Account, title: str
) -> None:
    community = await create_community(http, asker, "Reliability Guild")
    assert (await join(http, answerer, community["slug"])).status_code == 201
    response = await http.post(
        f"/communities/{community['slug']}/posts",
        json={"kind": "question", "title": title, "body": "?"},
        headers=asker.headers,
    )
    assert response.status_code == 201, response.text
    response = await http.post(
        f"/posts/{response.json()['id']}/comments",
        json={"body": "Flip the flag back first."},
        headers=answerer.headers,
    )
    assert response.status_code == 201, response.text


async def test_a_new_answer_is_pushed_encrypted_and_signed_to_the_subscribed_browser(
    pushing: tuple[FastAPI, httpx.AsyncClient], receiver: Receiver
) -> None:
    application, http = pushing
    alice, bob = await register(http, "Alice"), await register(http, "Bob")
    key = await http.get("/push/vapid-public-key", headers=alice.headers)
    assert key.status_code == 200, key.text
    browser = BrowserSubscription.new(f"{receiver.origin}/push/alice-laptop")
    await want_push(http, alice, "comment_on_post")
    await subscribe(http, alice, browser)

    await question_answered(http, alice, bob, "How do we roll back a release?")
    assert await push_job(application) == 1

    (arrived,) = receiver.requests()
    assert arrived.path == "/push/alice-laptop"
    claims = verify_vapid(arrived, receiver.origin, key.json()["public_key"])
    assert claims["aud"] == receiver.origin
    assert int(arrived.headers["ttl"]) == 24 * 3600
    shown = browser.decrypt(arrived)
    assert shown["title"] == "New answer"
    assert shown["body"] == "Bob answered: How do we roll back a release?"
    assert shown["url"].startswith("/")
    # Pushed once: the next tick finds nothing new.
    assert await push_job(application) == 0
    assert len(receiver.requests()) == 1


async def test_only_kinds_with_push_on_are_pushed(
    pushing: tuple[FastAPI, httpx.AsyncClient], receiver: Receiver
) -> None:
    application, http = pushing
    alice, bob = await register(http, "Alice"), await register(http, "Bob")
    await subscribe(http, alice, BrowserSubscription.new(f"{receiver.origin}/push/a"))
    # Push is off by default for every kind.
    await question_answered(http, alice, bob, "Anyone?")
    assert await push_job(application) == 0
    assert receiver.requests() == []


async def test_outside_working_hours_nothing_is_pushed(
    pushing: tuple[FastAPI, httpx.AsyncClient], receiver: Receiver, clock: MovingClock
) -> None:
    application, http = pushing
    alice, bob = await register(http, "Alice"), await register(http, "Bob")
    response = await http.patch(
        "/me",
        json={
            "time_zone": "Asia/Tokyo",
            "working_hours": {"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00"},
        },
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    await want_push(http, alice, "comment_on_post")
    await subscribe(http, alice, BrowserSubscription.new(f"{receiver.origin}/push/a"))
    # Monday 10:00 UTC is 19:00 in Tokyo: after work.
    await question_answered(http, alice, bob, "Late question")
    assert await push_job(application) == 0
    assert receiver.requests() == []
    # What came after hours is not saved up for the morning (the inbox has it).
    clock.set(datetime(2026, 12, 8, 0, 30, tzinfo=UTC))  # Tuesday 09:30 in Tokyo
    assert await push_job(application) == 0
    assert receiver.requests() == []


async def test_a_push_service_answering_410_removes_the_device(
    pushing: tuple[FastAPI, httpx.AsyncClient], receiver: Receiver
) -> None:
    application, http = pushing
    alice, bob = await register(http, "Alice"), await register(http, "Bob")
    await want_push(http, alice, "comment_on_post")
    device = await subscribe(http, alice, BrowserSubscription.new(f"{receiver.origin}/push/a"))
    receiver.answer(410)
    await question_answered(http, alice, bob, "Gone?")
    assert await push_job(application) == 1
    assert len(receiver.requests()) == 1
    assert_problem(await http.get(f"/me/devices/{device['id']}", headers=alice.headers), 404)
    assert (await http.get("/me/devices", headers=alice.headers)).json()["items"] == []


async def test_a_failing_push_service_is_tried_again_with_backoff(
    pushing: tuple[FastAPI, httpx.AsyncClient], receiver: Receiver
) -> None:
    application, http = pushing
    alice, bob = await register(http, "Alice"), await register(http, "Bob")
    await want_push(http, alice, "comment_on_post")
    browser = BrowserSubscription.new(f"{receiver.origin}/push/a")
    device = await subscribe(http, alice, browser)
    receiver.answer(503, 500)
    await question_answered(http, alice, bob, "Flaky?")
    assert await push_job(application) == 1
    tries = receiver.requests()
    assert len(tries) == 3  # 503, 500, then accepted
    assert {browser.decrypt(t)["body"] for t in tries} == {"Bob answered: Flaky?"}
    # The device stays: a temporary failure is no reason to forget it.
    assert (await http.get(f"/me/devices/{device['id']}", headers=alice.headers)).status_code == 200


async def test_an_android_app_gets_its_push_through_fcm_until_its_token_is_unregistered(
    database_url: str, tmp_path: Path, app: FastAPI, clock: MovingClock
) -> None:
    """The FCM provider wired from settings: a service account file and a base URL (here a
    local server standing in for Google's token and send endpoints)."""
    sent: list[dict[str, Any]] = []

    def google(arrived: Arrived) -> tuple[int, dict[str, Any] | None]:
        if arrived.path == "/token":
            return 200, {"access_token": "ya29.t", "expires_in": 3600}
        message = json.loads(arrived.body)["message"]
        sent.append(message)
        if len(sent) > 1:
            return 404, {
                "error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}
            }
        return 200, {"name": "projects/p/messages/1"}

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with push_receiver(google) as receiver:
        credentials = tmp_path / "fcm.json"
        credentials.write_text(
            json.dumps(
                {
                    "project_id": "p",
                    "client_email": "push@p.iam.gserviceaccount.com",
                    "private_key": key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ).decode(),
                    "token_uri": f"{receiver.origin}/token",
                }
            )
        )
        settings = make_settings(
            database_url,
            tmp_path,
            fcm_credentials_file=credentials,
            fcm_base_url=receiver.origin,
            push_retry_base_seconds=0.01,
        )
        application = create_app(settings, clock=clock)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://t/api/v1", event_hooks=draining(application)
            ) as http:
                alice, bob = await register(http, "Alice"), await register(http, "Bob")
                await want_push(http, alice, "comment_on_post")
                token = "android-token:" + "a" * 60
                response = await http.post(
                    "/me/devices", json={"platform": "fcm", "token": token}, headers=alice.headers
                )
                assert response.status_code == 201, response.text
                await question_answered(http, alice, bob, "First")
                assert await push_job(application) == 1
                assert sent[0]["token"] == token
                assert sent[0]["notification"]["body"] == "Bob answered: First"
                # The app was uninstalled: FCM says UNREGISTERED and the device is forgotten.
                clock.set(MONDAY_MORNING + timedelta(minutes=1))
                response = await http.post(
                    "/posts/" + (await _a_post_of(http, alice)) + "/comments",
                    json={"body": "Another answer."},
                    headers=bob.headers,
                )
                assert response.status_code == 201, response.text
                assert await push_job(application) == 1
                assert len(sent) == 2
                devices = await http.get("/me/devices", headers=alice.headers)
                assert devices.json()["items"] == []


async def _a_post_of(http: httpx.AsyncClient, who: Account) -> str:
    response = await http.get("/me/notifications", headers=who.headers)
    subject: str = response.json()["items"][0]["subject"]["id"]
    return subject
