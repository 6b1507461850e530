"""Notification mail, digests, the short settings and one-click unsubscribe, against a real SMTP
server (aiosmtpd) and the database under test, with a clock the tests move: the jobs run as the
scheduler would run them, at the times the tests choose."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, event

from api.jobs import mail_jobs, run_jobs_once
from api.main import create_app
from auth.unsubscribe import UnsubscribeSigner
from domain.digests.service import send_digests
from repositories.users.tables import RefreshTokenRow
from tests.communities_helpers import create_community, join
from tests.conftest import StatementCounter, draining, make_settings
from tests.helpers import Account, assert_problem, register, with_personal_token
from tests.mail_helpers import Received, SmtpSink, smtp_sink

PUBLIC = "https://leaderful.example.com"
# A Monday.
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


class MovingClock:
    """The app's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def set(self, at: datetime) -> None:
        self.current = at

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as server:
        yield server


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(MONDAY)


@dataclasses.dataclass(frozen=True)
class Mailing:
    """The app under test (on the moving clock), a client that waits for what each request
    queued, and the SMTP server the app sends to."""

    app: FastAPI
    http: httpx.AsyncClient
    sink: SmtpSink


@pytest.fixture
async def mailing(
    database_url: str, tmp_path: Path, app: FastAPI, sink: SmtpSink, clock: MovingClock
) -> AsyncIterator[Mailing]:
    settings = make_settings(
        database_url, tmp_path, smtp_url=sink.url, public_url=PUBLIC, mail_retry_attempts=2
    )
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t/api/v1", event_hooks=draining(application)
        ) as http:
            yield Mailing(application, http, sink)


async def settle(application: FastAPI) -> None:
    await application.state.events.drain()
    await application.state.mail.drain()


async def run_job(application: FastAPI, name: str) -> int:
    """Run one of the mail jobs once at the clock's time, as a tick of the scheduler would,
    then wait until the mail it queued has been handed to the SMTP server."""
    jobs = [
        job
        for job in mail_jobs(
            application.state.unsubscribe_tokens, timedelta(minutes=1), timedelta(minutes=5)
        )
        if job.name == name
    ]
    counts = await run_jobs_once(
        application.state.events.uow_factory, application.state.clock, jobs
    )
    await settle(application)
    return counts[name]


async def mail_job(application: FastAPI) -> int:
    return await run_job(application, "send_notification_mail")


async def digest_job(application: FastAPI) -> int:
    return await run_job(application, "send_digests")


async def verified(mailing: Mailing, name: str, **extra: Any) -> Account:
    """A person whose address is verified; the registration's verification mail is dropped,
    so tests see only the mail they cause."""
    application = mailing.app
    person = await register(mailing.http, name, **extra)
    async with application.state.events.uow_factory() as uow:
        user = await uow.users.get(UUID(person.id))
        assert user is not None
        user.email_verified_at = application.state.clock.now()
        await uow.users.update(user)
        await uow.commit()
    await settle(application)
    mailing.sink.forget(person.email)
    return person


async def post(
    http: httpx.AsyncClient,
    author: Account,
    title: str,
    body: str = "?",
    kind: str = "question",
    slug: str = "guild",
) -> dict[str, Any]:
    response = await http.post(
        f"/communities/{slug}/posts",
        json={"kind": kind, "title": title, "body": body},
        headers=author.headers,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def comment(
    http: httpx.AsyncClient, who: Account, post_id: str, body: str = "Like this."
) -> None:
    response = await http.post(
        f"/posts/{post_id}/comments", json={"body": body}, headers=who.headers
    )
    assert response.status_code == 201, response.text


async def signed_in(http: httpx.AsyncClient, who: Account) -> Account:
    """The same person signed in again (access tokens expire as the clock moves on)."""
    response = await http.post(
        "/auth/token", data={"username": who.email, "password": who.password}
    )
    assert response.status_code == 200, response.text
    return dataclasses.replace(who, access_token=response.json()["access_token"])


def unsubscribe_links(mail: Received) -> list[str]:
    header = str(mail.message["List-Unsubscribe"])
    return re.findall(r"<([^>]+)>", header)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def email_choices(http: httpx.AsyncClient, who: Account) -> dict[str, bool]:
    response = await http.get("/me/notification-preferences", headers=who.headers)
    assert response.status_code == 200, response.text
    return {p["kind"]: p["email"] for p in response.json()["preferences"]}


async def settings_of(http: httpx.AsyncClient, who: Account) -> dict[str, Any]:
    response = await http.get("/me/notification-settings", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# -- immediate notification mail -----------------------------------------------------------------


async def test_first_mail_within_a_minute_then_one_per_ten_minutes_collapsing_the_rest(
    mailing, sink, clock
):
    application, http = mailing.app, mailing.http
    ann = await verified(mailing, "Ann Asker", email="ann@example.com")
    bob = await verified(mailing, "Bob Builder", email="bob@example.com")
    await create_community(http, ann, "Guild", slug="guild")
    assert (await join(http, bob, "guild")).status_code in (200, 201)
    question = await post(http, ann, "How do we roll back a release?")

    # Bob answers Ann's question: within the minute (the next run), one mail.
    clock.advance(seconds=5)
    await comment(http, bob, question["id"], "With the previous image.")
    clock.advance(seconds=40)
    assert await mail_job(application) == 1
    (first,) = sink.to("ann@example.com")
    assert first.subject == "Bob Builder answered: How do we roll back a release?"
    assert "Answers to your questions" in first.text
    assert first.link_to(f"/posts/{question['id']}") == f"{PUBLIC}/posts/{question['id']}"
    assert sink.to("bob@example.com") == []  # Bob's new-post line is not an e-mail kind

    # Within the next ten minutes: a mention and a second answer wait, then go out as one mail.
    clock.advance(minutes=1)
    await post(http, bob, "Release checklist", body=f"@{ann.handle} have a look", kind="discussion")
    clock.advance(minutes=1)
    await comment(http, bob, question["id"], "Or flip the feature flag.")
    for _ in range(3):
        clock.advance(minutes=2)
        assert await mail_job(application) == 0
    assert len(sink.to("ann@example.com")) == 1
    clock.set(first_sent(first) + timedelta(minutes=10))
    assert await mail_job(application) == 1
    second = sink.to("ann@example.com")[1]
    assert second.subject == "2 new notifications on Leaderful"
    assert "Release checklist" in second.text and "(2 times)" in second.text
    assert "How do we roll back a release?" in second.text

    # Nothing new: nothing more, however often the job runs.
    clock.advance(minutes=30)
    assert await mail_job(application) == 0
    assert len(sink.to("ann@example.com")) == 2


def first_sent(mail: Received) -> datetime:
    # The job ran 45 s after the start; the quiet time counts from then.
    return MONDAY + timedelta(seconds=45)


async def test_read_lines_other_kinds_and_unverified_addresses_are_not_mailed(mailing, sink, clock):
    application, http = mailing.app, mailing.http
    ann = await verified(mailing, "Ann", email="ann@example.com")
    bob = await verified(mailing, "Bob", email="bob@example.com")
    cid = await register(http, "Cid Unverified", email="cid@example.com")
    async with application.state.events.uow_factory() as uow:
        user = await uow.users.get(UUID(cid.id))
        assert user is not None
        user.email_verified_at = None
        await uow.users.update(user)
        await uow.commit()
    await create_community(http, ann, "Guild", slug="guild")
    for person in (bob, cid):
        await join(http, person, "guild")
    # Ann reads her mention in the app before the job runs: no mail.
    await post(http, bob, "Read me first", body=f"@{ann.handle} see this", kind="discussion")
    inbox = (await http.get("/me/notifications", headers=ann.headers)).json()["items"]
    (mention,) = [i for i in inbox if i["kind"] == "mention"]
    read = await http.post(f"/me/notifications/{mention['id']}/read", headers=ann.headers)
    assert read.status_code == 204
    # Cid is mentioned too, but his address is not verified.
    await post(http, bob, "For Cid", body=f"@{cid.handle} see this", kind="discussion")
    # A comment on a discussion (not an answer to a question) is not mailed by default.
    discussion = await post(http, ann, "Our on-call rota", kind="discussion")
    await comment(http, bob, discussion["id"])
    clock.advance(minutes=1)
    assert await mail_job(application) == 0
    # Cid's only mail is his registration's verification link.
    assert [m.subject for m in sink.received] == ["Confirm your e-mail address for Leaderful"]
    assert (await http.get("/me/notifications/unread-count", headers=cid.headers)).json()[
        "unread"
    ] >= 1


async def test_a_kind_with_email_off_is_not_mailed(mailing, sink, clock):
    application, http = mailing.app, mailing.http
    ann = await verified(mailing, "Ann", email="ann@example.com")
    bob = await verified(mailing, "Bob", email="bob@example.com")
    await create_community(http, ann, "Guild", slug="guild")
    await join(http, bob, "guild")
    changed = await http.put(
        "/me/notification-settings", json={"email_on_mention": False}, headers=ann.headers
    )
    assert changed.status_code == 200 and changed.json()["email_on_mention"] is False
    await post(http, bob, "Psst", body=f"@{ann.handle}", kind="discussion")
    clock.advance(minutes=1)
    assert await mail_job(application) == 0
    assert sink.received == []


# -- one-click unsubscribe ---------------------------------------------------------------------


async def _mentioned(mailing, sink, clock) -> tuple[FastAPI, httpx.AsyncClient, Account, Received]:
    application, http = mailing.app, mailing.http
    ann = await verified(mailing, "Ann", email="ann@example.com")
    bob = await verified(mailing, "Bob", email="bob@example.com")
    await create_community(http, ann, "Guild", slug="guild")
    await join(http, bob, "guild")
    await post(http, bob, "Psst", body=f"@{ann.handle}", kind="discussion")
    clock.advance(minutes=1)
    assert await mail_job(application) == 1
    (mail,) = sink.to("ann@example.com")
    return application, http, ann, mail


async def test_notification_mail_carries_one_click_unsubscribe_that_turns_off_that_kind_only(
    mailing, sink, clock
):
    _, http, ann, mail = await _mentioned(mailing, sink, clock)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page, api = unsubscribe_links(mail)
    assert page.startswith(f"{PUBLIC}/unsubscribe?token=")
    assert api.startswith(f"{PUBLIC}/api/v1/unsubscribe?token=")
    assert token_of(page) == token_of(api)
    # The footer links to the same confirmation page (link scanners only GET it).
    assert page in mail.text and page in mail.html_links
    before = await email_choices(http, ann)
    assert before["mention"] is True

    # Looking at the link changes nothing.
    described = await http.get("/unsubscribe", params={"token": token_of(api)})
    assert described.status_code == 200
    assert described.json() == {
        "category": "notification:mention",
        "description": "e-mail about mentions",
        "done": False,
    }
    assert (await email_choices(http, ann))["mention"] is True

    # What a mail client sends (RFC 8058): a form POST, no sign-in.
    done = await http.post(
        "/unsubscribe",
        params={"token": token_of(api)},
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["done"] is True
    after = await email_choices(http, ann)
    assert after == {**before, "mention": False}
    assert (await settings_of(http, ann))["email_digest"] == "weekly"
    # Again: still off, nothing else changes.
    again = await http.post("/unsubscribe", params={"token": token_of(api)})
    assert again.status_code == 200
    assert await email_choices(http, ann) == after


async def test_the_pages_url_takes_the_one_click_post_too(mailing, sink, clock):
    application, http, ann, mail = await _mentioned(mailing, sink, clock)
    page, _ = unsubscribe_links(mail)
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as root:
        response = await root.post(
            "/unsubscribe",
            params={"token": token_of(page)},
            data={"List-Unsubscribe": "One-Click"},
        )
    assert response.status_code == 200, response.text
    assert (await email_choices(http, ann))["mention"] is False


@pytest.mark.parametrize("how", ["flipped", "swapped", "garbage", "empty-signature"])
async def test_a_tampered_token_is_refused(mailing, sink, clock, how):
    application, http, ann, mail = await _mentioned(mailing, sink, clock)
    token = token_of(unsubscribe_links(mail)[1])
    payload, signature = token.split(".")
    other = application.state.unsubscribe_tokens.issue(UUID(ann.id), "digest")
    forged = {
        "flipped": payload[:-2]
        + ("A" if payload[-2] != "A" else "B")
        + payload[-1]
        + "."
        + signature,
        "swapped": other.split(".")[0] + "." + signature,
        "garbage": "not-a-token",
        "empty-signature": payload + ".",
    }[how]
    for method in ("GET", "POST"):
        response = await http.request(method, "/unsubscribe", params={"token": forged})
        body = assert_problem(response, 422)
        assert "not valid" in body["detail"]
    assert (await email_choices(http, ann))["mention"] is True
    assert (await settings_of(http, ann))["email_digest"] == "weekly"


async def test_a_token_signed_with_another_secret_is_refused(mailing, sink, clock):
    _, http, ann, _ = await _mentioned(mailing, sink, clock)
    foreign = UnsubscribeSigner("another-secret-of-enough-length-for-this").issue(
        UUID(ann.id), "notification:mention"
    )
    assert_problem(await http.post("/unsubscribe", params={"token": foreign}), 422)
    assert (await email_choices(http, ann))["mention"] is True


async def test_an_access_token_is_no_unsubscribe_token(mailing, sink, clock):
    _, http, ann, _ = await _mentioned(mailing, sink, clock)
    assert_problem(await http.post("/unsubscribe", params={"token": ann.access_token}), 422)


# -- settings ----------------------------------------------------------------------------------


async def test_settings_and_per_kind_preferences_are_one_setting(mailing):
    http = mailing.http
    ann = await verified(mailing, "Ann")
    assert await settings_of(http, ann) == {
        "email_digest": "weekly",
        "email_on_mention": True,
        "email_on_mentorship": True,
    }
    changed = await http.put(
        "/me/notification-settings",
        json={"email_digest": "daily", "email_on_mentorship": False},
        headers=ann.headers,
    )
    assert changed.status_code == 200
    assert changed.json() == {
        "email_digest": "daily",
        "email_on_mention": True,
        "email_on_mentorship": False,
    }
    choices = await email_choices(http, ann)
    assert not any(
        choices[k] for k in ("mentorship_requested", "mentorship_accepted", "mentorship_declined")
    )
    assert choices["mention"] and choices["invitation"] and choices["comment_on_post"]
    # The per-kind page changes the short form too.
    await http.put(
        "/me/notification-preferences",
        json={
            "preferences": [
                {"kind": "mention", "email": False},
                {"kind": "mentorship_requested", "email": True},
                {"kind": "mentorship_accepted", "email": True},
                {"kind": "mentorship_declined", "email": True},
            ]
        },
        headers=ann.headers,
    )
    assert await settings_of(http, ann) == {
        "email_digest": "daily",
        "email_on_mention": False,
        "email_on_mentorship": True,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"email_digest": "hourly"},
        {"email_digest": None},
        {"email_on_mention": "yes"},
        {"email_on_mention": None},
        {"sms": True},
    ],
)
async def test_bad_settings_are_422(mailing, body):
    http = mailing.http
    ann = await verified(mailing, "Ann")
    assert_problem(await http.put("/me/notification-settings", json=body, headers=ann.headers), 422)


async def test_settings_need_sign_in_and_a_write_scope(mailing):
    http = mailing.http
    assert_problem(await http.get("/me/notification-settings"), 401)
    assert_problem(await http.put("/me/notification-settings", json={}), 401)
    ann = await verified(mailing, "Ann")
    reader = await with_personal_token(http, ann, ["read"])
    assert (await http.get("/me/notification-settings", headers=reader.headers)).status_code == 200
    assert_problem(
        await http.put(
            "/me/notification-settings", json={"email_digest": "off"}, headers=reader.headers
        ),
        403,
    )


# -- digests -----------------------------------------------------------------------------------


async def _digest_world(mailing: Mailing, clock: MovingClock) -> dict[str, Account]:
    """Lena (London) stewards the guild; Taro (Tokyo) joined it this week; both get a digest
    of the week's posts. Nora is in no community: her digest would be empty."""
    http = mailing.http
    clock.set(datetime(2026, 12, 9, 9, 0, tzinfo=UTC))  # the Wednesday before
    lena = await verified(mailing, "Lena", email="lena@example.com")
    taro = await verified(mailing, "Taro", email="taro@example.com")
    nora = await verified(mailing, "Nora", email="nora@example.com")
    for who, zone in ((lena, "Europe/London"), (taro, "Asia/Tokyo"), (nora, "Asia/Tokyo")):
        response = await http.patch("/me", json={"timezone": zone}, headers=who.headers)
        assert response.status_code == 200, response.text
    await create_community(http, lena, "Guild", slug="guild")
    await join(http, taro, "guild")
    await post(http, lena, "Incident review: the Tuesday outage", kind="discussion")
    await post(http, taro, "Which canary size do you use?")
    return {"lena": lena, "taro": taro, "nora": nora}


async def test_digests_go_out_at_eight_local_on_monday_once_and_not_when_empty(
    mailing, sink, clock
):
    application = mailing.app
    await _digest_world(mailing, clock)
    # Monday 08:00 in Tokyo is Sunday 23:00 UTC.
    clock.set(datetime(2026, 12, 13, 22, 55, tzinfo=UTC))
    assert await digest_job(application) == 0
    clock.set(datetime(2026, 12, 13, 23, 0, tzinfo=UTC))
    assert await digest_job(application) == 1
    (taro_mail,) = sink.to("taro@example.com")
    assert taro_mail.subject == "Your weekly Leaderful digest"
    assert "Incident review: the Tuesday outage" in taro_mail.text
    assert "Which canary size" not in taro_mail.text  # his own post
    assert taro_mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sink.to("nora@example.com") == []  # nothing for her: skipped
    assert sink.to("lena@example.com") == []  # 23:00 on Sunday in London

    # Monday 07:59 in London: not yet; 08:00: Lena's, with the steward's news.
    clock.set(datetime(2026, 12, 14, 7, 59, tzinfo=UTC))
    assert await digest_job(application) == 0
    clock.set(datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    assert await digest_job(application) == 1
    (lena_mail,) = sink.to("lena@example.com")
    assert "Which canary size do you use?" in lena_mail.text
    assert "Communities you steward" in lena_mail.text and "1 new members" in lena_mail.text
    assert lena_mail.link_to("/communities/guild") == f"{PUBLIC}/communities/guild"

    # The job runs again and again that day: no second digest for anyone.
    for minutes in (5, 60, 600):
        clock.set(datetime(2026, 12, 14, 8, 0, tzinfo=UTC) + timedelta(minutes=minutes))
        assert await digest_job(application) == 0
    assert len(sink.received) == 2
    # Tuesday is no digest day for weekly readers.
    clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=UTC))
    assert await digest_job(application) == 0


async def test_daily_digest_and_unsubscribing_from_it(mailing, sink, clock):
    application, http = mailing.app, mailing.http
    people = await _digest_world(mailing, clock)
    lena = people["lena"]
    await http.put(
        "/me/notification-settings", json={"email_digest": "daily"}, headers=lena.headers
    )
    clock.set(datetime(2026, 12, 10, 8, 1, tzinfo=UTC))  # Thursday 08:01 in London
    assert await digest_job(application) == 1
    (mail,) = sink.to("lena@example.com")
    assert mail.subject == "Your daily Leaderful digest"
    _, api = unsubscribe_links(mail)
    done = await http.post(
        "/unsubscribe", params={"token": token_of(api)}, data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200 and done.json()["category"] == "digest"
    lena = await signed_in(http, lena)
    assert await settings_of(http, lena) == {
        "email_digest": "off",
        "email_on_mention": True,
        "email_on_mentorship": True,
    }
    clock.set(datetime(2026, 12, 11, 8, 1, tzinfo=UTC))
    await post(http, await signed_in(http, people["taro"]), "Friday question")
    assert await digest_job(application) == 0


async def test_people_who_never_signed_in_get_no_digest_by_default(mailing, sink, clock):
    application, http = mailing.app, mailing.http
    people = await _digest_world(mailing, clock)
    async with application.state.engine.begin() as connection:
        await connection.execute(
            delete(RefreshTokenRow.__table__).where(  # type: ignore[attr-defined]
                RefreshTokenRow.__table__.c.user_id == UUID(people["taro"].id)  # type: ignore[attr-defined]
            )
        )
    # (asked with the access token still valid: no new sign-in)
    assert (await settings_of(http, people["taro"]))["email_digest"] == "off"
    clock.set(datetime(2026, 12, 13, 23, 0, tzinfo=UTC))
    assert await digest_job(application) == 0
    assert sink.received == []


class Interrupting:
    """Unsubscribe tokens that fail on the n-th digest: the job stops half way, as a process
    killed in the middle of a run would."""

    def __init__(self, tokens: Any, fail_at: int) -> None:
        self.tokens = tokens
        self.fail_at = fail_at
        self.issued = 0

    def issue(self, user_id: UUID, topic: str) -> str:
        self.issued += 1
        if self.issued == self.fail_at:
            raise RuntimeError("the process stops here")
        token: str = self.tokens.issue(user_id, topic)
        return token

    def read(self, token: str) -> tuple[UUID, str] | None:
        found: tuple[UUID, str] | None = self.tokens.read(token)
        return found


async def test_a_run_interrupted_half_way_and_run_again_sends_each_digest_once(
    mailing, sink, clock
):
    application, http = mailing.app, mailing.http
    await _digest_world(mailing, clock)
    for n in range(3):
        extra = await verified(mailing, f"Extra {n}", email=f"extra{n}@example.com")
        await join(http, extra, "guild")
    # 08:00 in London and in UTC (the extras set no time zone): four digests due.
    clock.set(datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    tokens = Interrupting(application.state.unsubscribe_tokens, fail_at=3)
    with pytest.raises(RuntimeError):
        async with application.state.events.uow_factory() as uow:
            await send_digests(uow, clock, tokens, batch=1)
    await settle(application)
    assert len(sink.received) == 2  # the two batches committed before the failure
    # The next run (another tick, or another process) sends the rest, and nothing twice.
    assert await digest_job(application) == 2
    assert await digest_job(application) == 0
    addresses = sorted(a for r in sink.received for a in r.recipients)
    assert addresses == sorted(
        ["lena@example.com", "extra0@example.com", "extra1@example.com", "extra2@example.com"]
    )


async def test_a_digest_whose_slot_was_missed_for_hours_is_skipped_not_sent_late(
    mailing, sink, clock
):
    """The workers were down on Monday morning: Lena's 08:00 digest is still sent at 10:59
    (inside the grace window), Taro's Tokyo slot (08:00 there, 23:00 UTC on Sunday) is long
    gone by then and skipped; his next digest comes at his next 08:00, a week later, and
    covers that week only."""
    application, http = mailing.app, mailing.http
    people = await _digest_world(mailing, clock)
    clock.set(datetime(2026, 12, 14, 10, 59, tzinfo=UTC))  # 10:59 London, 19:59 Tokyo
    assert await digest_job(application) == 1
    assert [a for r in sink.received for a in r.recipients] == ["lena@example.com"]
    clock.set(datetime(2026, 12, 14, 11, 0, tzinfo=UTC))  # three hours late: nobody's slot
    sink.handler.received.clear()
    await post(http, await signed_in(http, people["lena"]), "Late Monday news", kind="discussion")
    assert await digest_job(application) == 0
    # Later that day and on Tuesday, nothing goes out late either.
    for at in (datetime(2026, 12, 14, 16, 0, tzinfo=UTC), datetime(2026, 12, 15, 0, 0, tzinfo=UTC)):
        clock.set(at)
        assert await digest_job(application) == 0
    assert sink.received == []
    # The next Monday 08:00 in Tokyo (Sunday 23:00 UTC): Taro's digest, of that week only.
    clock.set(datetime(2026, 12, 20, 23, 0, tzinfo=UTC))
    assert await digest_job(application) == 1
    (taro_mail,) = sink.to("taro@example.com")
    assert "Late Monday news" in taro_mail.text
    assert "Incident review" not in taro_mail.text  # the week before: not his slot now


async def test_digests_cost_the_same_statements_for_more_people_and_share_one_connection(
    mailing, sink, clock
):
    """Digests are built for a batch of people with a fixed number of statements, whatever its
    size, and the batch's mail goes to the SMTP server over one connection."""
    application, http = mailing.app, mailing.http
    people = await _digest_world(mailing, clock)
    response = await http.put(
        "/me/notification-settings", json={"email_digest": "off"}, headers=people["taro"].headers
    )
    assert response.status_code == 200, response.text

    async def digests_at(at: datetime) -> tuple[int, int]:
        clock.set(at)
        counter = StatementCounter()
        engine = application.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            async with application.state.events.uow_factory() as uow:
                queued = await send_digests(uow, clock, application.state.unsubscribe_tokens)
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        await settle(application)
        return queued, counter.count

    # Week one: Lena (London) and one more reader.
    one = await verified(mailing, "Reader 0", email="reader0@example.com")
    await join(http, one, "guild")
    monday = datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    few, statements_for_few = await digests_at(monday)
    assert few == 2
    # Week two: five more readers and a new post.
    for n in range(1, 6):
        reader = await verified(mailing, f"Reader {n}", email=f"reader{n}@example.com")
        await join(http, reader, "guild")
    clock.set(monday + timedelta(days=3))
    await post(
        http,
        await signed_in(http, people["lena"]),
        "Postmortem template, second draft",
        kind="discussion",
    )
    sink.handler.received.clear()
    many, statements_for_many = await digests_at(monday + timedelta(days=7))
    assert many == 7
    assert statements_for_many == statements_for_few
    assert len(sink.received) == 7
    assert {r.connection for r in sink.received} == {sink.received[0].connection}
