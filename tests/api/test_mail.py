"""Mail delivery against a real SMTP server (aiosmtpd on a free port): what people receive,
retries of temporary failures, permanent refusals marking the address undeliverable, and the
.eml files written when no SMTP server is configured."""

from __future__ import annotations

import asyncio
import email
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from api.jobs import mail_jobs, run_jobs_once
from auth.unsubscribe import UnsubscribeSigner
from domain.mail.model import MailCategory, MailMessage
from domain.mail.service import send_mail
from tests.helpers import Account, FakeClock, assert_problem, register
from tests.mail_helpers import PUBLIC, SENDER, SmtpSink, free_port, mail_app, smtp_sink


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as server:
        yield server


@pytest.fixture
async def mailing(
    database_url: str, tmp_path: Path, app: FastAPI, sink: SmtpSink
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async with mail_app(database_url, tmp_path, sink.url) as pair:
        yield pair


async def queue(application: FastAPI, *messages: MailMessage) -> None:
    """What a feature does: queue in its unit of work and commit; then wait for the jobs."""
    async with application.state.events.uow_factory() as uow:
        for message in messages:
            await send_mail(uow, application.state.clock, message)
        await uow.commit()
    await application.state.events.drain()
    await application.state.mail.drain()


async def mark_verified(application: FastAPI, account: Account) -> None:
    async with application.state.events.uow_factory() as uow:
        user = await uow.users.get(UUID(account.id))
        user.email_verified_at = application.state.clock.now()
        await uow.users.update(user)
        await uow.commit()


async def me(http: httpx.AsyncClient, account: Account) -> dict[str, Any]:
    response = await http.get("/me", headers=account.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def notice(account: Account, category: MailCategory = MailCategory.notification, **extra):
    return MailMessage(
        template="verify_email",
        category=category,
        to_user_id=UUID(account.id),
        context={"token": "tok-123"},
        **extra,
    )


async def test_a_message_arrives_multipart_with_absolute_links_and_a_footer(mailing, sink):
    application, http = mailing
    person = await register(http, "Ann <b>Bold</b>", email="ann@example.com")
    await mark_verified(application, person)
    unsubscribe = f"<{PUBLIC}/unsubscribe?token=x>"
    await queue(
        application,
        notice(
            person,
            headers={
                "List-Unsubscribe": unsubscribe,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ),
    )
    (mail,) = sink.received
    assert mail.recipients == ["ann@example.com"]
    assert mail.message["To"] == "ann@example.com"
    assert mail.message["From"] == SENDER
    assert mail.subject == "Confirm your e-mail address for Leaderful"
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.message["List-Unsubscribe"] == unsubscribe
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.message["Message-ID"].endswith("@leaderful.example.com>")
    # Every link is absolute, under the public URL; both parts carry the same action link.
    assert mail.html_links and all(link.startswith(PUBLIC + "/") for link in mail.html_links)
    assert all(link.startswith(PUBLIC + "/") for link in mail.text_links)
    assert mail.link_to("/verify-email") == f"{PUBLIC}/verify-email?token=tok-123"
    # The footer says why, and links to the preferences page, in both parts.
    for part in (mail.text, mail.html):
        assert "because you chose e-mail for this kind of notification" in part
        assert f"{PUBLIC}/settings/notifications" in part
    # The HTML part escapes what people typed; the text part keeps it as typed.
    assert "Ann &lt;b&gt;Bold&lt;/b&gt;" in mail.html
    assert "<b>Bold" not in mail.html
    assert "Hi Ann <b>Bold</b>," in mail.text


async def test_notification_mail_waits_for_a_verified_address_account_mail_does_not(mailing, sink):
    application, http = mailing
    person = await register(http, email="fresh@example.com")
    await mark_unverified(application, person)
    await queue(application, notice(person), notice(person, MailCategory.digest))
    assert sink.received == []
    await queue(application, notice(person, MailCategory.account))
    assert len(sink.to("fresh@example.com")) == 1
    assert (await me(http, person))["email_verified"] is False


async def mark_unverified(application: FastAPI, account: Account) -> None:
    async with application.state.events.uow_factory() as uow:
        user = await uow.users.get(UUID(account.id))
        user.email_verified_at = None
        await uow.users.update(user)
        await uow.commit()


async def test_a_permanent_refusal_marks_the_address_undeliverable_and_stops_later_mail(
    mailing, sink
):
    application, http = mailing
    person = await register(http, email="gone@example.com")
    await mark_verified(application, person)
    sink.handler.refuse["gone@example.com"] = "550 5.1.1 No such user here"
    await queue(application, notice(person))
    assert sink.received == []
    assert sink.handler.attempts["gone@example.com"] == 1  # a 5xx is not retried
    profile = await me(http, person)
    assert profile["email_status"] == "undeliverable"
    assert "550" in profile["email_undeliverable_reason"]
    # Later mail, account mail included, is not even attempted while the address stays.
    del sink.handler.refuse["gone@example.com"]
    await queue(application, notice(person), notice(person, MailCategory.account))
    assert sink.received == []
    assert sink.handler.attempts["gone@example.com"] == 1


async def test_a_temporary_refusal_is_retried_until_accepted(mailing, sink):
    application, http = mailing
    person = await register(http, email="busy@example.com")
    await mark_verified(application, person)
    sink.handler.defer["busy@example.com"] = 2
    await queue(application, notice(person))
    assert sink.handler.attempts["busy@example.com"] == 3
    assert len(sink.to("busy@example.com")) == 1
    assert (await me(http, person))["email_status"] == "verified"


async def test_a_temporary_refusal_that_lasts_gives_up_without_marking(mailing, sink):
    application, http = mailing
    person = await register(http, email="full@example.com")
    await mark_verified(application, person)
    sink.handler.refuse["full@example.com"] = "452 4.2.2 Mailbox full"
    await queue(application, notice(person))
    assert sink.handler.attempts["full@example.com"] == 3  # mail_retry_attempts
    assert sink.received == []
    assert (await me(http, person))["email_status"] == "verified"


async def test_a_message_that_fails_its_last_try_is_a_failed_job_the_admin_can_replay(
    mailing, sink
):
    """The real SMTP server answers 4xx to every try: after the last one the message is listed
    among the failed jobs (what it is, how often it was tried, the server's last answer), and
    replaying it once the mailbox takes mail again delivers it once."""
    application, http = mailing
    admin = await register(http, "Ada Admin", email="ada@example.com")  # the first account
    person = await register(http, email="full@example.com")
    await mark_verified(application, person)
    sink.forget("full@example.com")  # the registration's verification link
    sink.handler.attempts.clear()
    sink.handler.refuse["full@example.com"] = "452 4.2.2 Mailbox full"
    await queue(application, notice(person))
    assert sink.handler.attempts["full@example.com"] == 3  # mail_retry_attempts
    listed = await http.get("/admin/jobs/failed", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    (job,) = listed.json()["items"]
    assert job["event_type"] == "mail.requested"
    assert job["consumer"] == "mail.send"
    assert job["attempts"] == 3
    assert "452" in job["error"] and "Mailbox full" in job["error"]
    # Members do not see it.
    assert_problem(await http.get("/admin/jobs/failed", headers=person.headers), 403)

    del sink.handler.refuse["full@example.com"]
    replay = await http.post(f"/admin/jobs/failed/{job['id']}/retry", headers=admin.headers)
    assert replay.status_code == 202, replay.text
    await application.state.events.drain()
    await application.state.mail.drain()
    (mail,) = sink.to("full@example.com")
    assert mail.subject == "Confirm your e-mail address for Leaderful"
    assert (await http.get("/admin/jobs/failed", headers=admin.headers)).json()["items"] == []
    # The same dead letter cannot be replayed twice.
    again = await http.post(f"/admin/jobs/failed/{job['id']}/retry", headers=admin.headers)
    assert_problem(again, 404)


async def test_a_batch_shares_one_connection_and_goes_on_over_a_new_one_when_it_drops(
    mailing, sink
):
    """Messages queued together go over one SMTP connection; the server hangs up after every
    second message, and the sender connects again and goes on: each arrives exactly once."""
    application, http = mailing
    people = [await register(http, email=f"crowd{n}@example.com") for n in range(6)]
    for person in people:
        await mark_verified(application, person)
    sink.handler.received.clear()
    sink.handler.hang_up_after = 2
    await queue(application, *(notice(person) for person in people))
    addresses = sorted(a for r in sink.received for a in r.recipients)
    assert addresses == sorted(f"crowd{n}@example.com" for n in range(6))
    assert len({r.connection for r in sink.received}) == 3

    sink.handler.received.clear()
    sink.handler.hang_up_after = None
    await queue(application, *(notice(person) for person in people))
    assert len(sink.received) == 6
    assert len({r.connection for r in sink.received}) == 1


async def test_a_batch_held_by_a_sender_that_stopped_goes_out_after_its_lease(mailing, sink):
    """A sender claimed a message and stopped before sending it: nobody else takes it while
    its lease lasts; once it has run out, the periodic job wakes a sender and it goes out."""
    application, http = mailing
    person = await register(http, email="later@example.com")
    await mark_verified(application, person)
    sink.forget("later@example.com")
    clock = application.state.clock
    async with application.state.events.uow_factory() as uow:
        await send_mail(uow, clock, notice(person))
        await uow.commit()
    async with application.state.events.uow_factory() as uow:
        held = await uow.mail.claim(clock.now(), clock.now() + timedelta(seconds=1), 10)
        await uow.commit()
    assert len(held) == 1
    await application.state.events.drain()
    await application.state.mail.drain()
    assert sink.to("later@example.com") == []  # held by the stopped sender
    jobs = [
        j
        for j in mail_jobs(UnsubscribeSigner("x" * 40), timedelta(minutes=1), timedelta(minutes=5))
        if j.name == "resume_mail"
    ]
    assert await run_jobs_once(application.state.events.uow_factory, clock, jobs) == {
        "resume_mail": 0
    }
    await asyncio.sleep(1.1)
    assert await run_jobs_once(application.state.events.uow_factory, clock, jobs) == {
        "resume_mail": 1
    }
    await application.state.events.drain()
    await application.state.mail.drain()
    assert len(sink.to("later@example.com")) == 1


async def test_a_connection_failure_is_retried(database_url, tmp_path, app):
    """The SMTP server hangs up on the first connection, then comes back: the mail arrives."""
    port = free_port()
    hang_ups = 0
    first = asyncio.Event()

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal hang_ups
        hang_ups += 1
        writer.close()
        first.set()

    flaky = await asyncio.start_server(hang_up, "127.0.0.1", port)
    async with mail_app(
        database_url,
        tmp_path,
        f"smtp://127.0.0.1:{port}?starttls=false",
        mail_retry_base_seconds=0.5,
    ) as (application, http):
        person = await register(http, email="later@example.com")
        await mark_verified(application, person)
        sending = asyncio.create_task(queue(application, notice(person)))
        await asyncio.wait_for(first.wait(), 10)
        flaky.close()
        await flaky.wait_closed()
        with smtp_sink(port) as back:
            await asyncio.wait_for(sending, 20)
            assert len(back.to("later@example.com")) == 1
        assert hang_ups == 1
        assert (await me(http, person))["email_status"] == "verified"


def eml_files(directory: Path) -> set[Path]:
    return set(directory.glob("*.eml")) if directory.exists() else set()


def read_eml(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_without_smtp_each_message_is_an_eml_file_and_its_subject_logged(
    app: FastAPI, client, caplog
):
    directory: Path = app.state.settings.mail_dir
    before = eml_files(directory)
    person = await register(client, email="local@example.com")
    mail_log = logging.getLogger("leaderful.mail")
    mail_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="leaderful.mail"):
            await queue(app, notice(person, MailCategory.account))
    finally:
        mail_log.removeHandler(caplog.handler)
    (path,) = eml_files(directory) - before
    parsed = read_eml(path)
    assert parsed["To"] == "local@example.com"
    assert parsed["Subject"] == "Confirm your e-mail address for Leaderful"
    assert parsed.get_body(("plain",)) is not None and parsed.get_body(("html",)) is not None
    written = [r for r in caplog.records if r.getMessage().startswith("mail written")]
    assert [getattr(r, "subject", None) for r in written] == [parsed["Subject"]]
    assert getattr(written[0], "path", None) == str(path)


async def test_sent_mail_is_forgotten_after_a_week_and_not_before(mailing, sink):
    """The daily prune keeps a finished message for 7 days, then deletes it, once."""
    application, http = mailing
    person = await register(http, email="kept@example.com")
    await queue(application, notice(person, MailCategory.account))
    assert len(sink.to("kept@example.com")) >= 1
    sent_at = application.state.clock.now()
    jobs = [
        j
        for j in mail_jobs(UnsubscribeSigner("x" * 40), timedelta(minutes=1), timedelta(minutes=5))
        if j.name == "prune_mail"
    ]
    units = application.state.events.uow_factory

    assert await run_jobs_once(units, FakeClock(sent_at + timedelta(days=6)), jobs) == {
        "prune_mail": 0
    }
    pruned = await run_jobs_once(units, FakeClock(sent_at + timedelta(days=8)), jobs)
    assert pruned["prune_mail"] >= 1  # the verification mail and this message
    assert await run_jobs_once(units, FakeClock(sent_at + timedelta(days=8)), jobs) == {
        "prune_mail": 0
    }
