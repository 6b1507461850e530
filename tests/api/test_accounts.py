"""Account flows through the mailbox, against a real SMTP server: e-mail verification at
registration and after a change, resending, changing the address, and password reset."""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from tests.helpers import PASSWORD, Account, assert_problem, register, with_personal_token
from tests.mail_helpers import PUBLIC, SmtpSink, mail_app, smtp_sink


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


def token_in(link: str) -> str:
    (token,) = parse_qs(urlsplit(link).query)["token"]
    return token


def last_link(sink: SmtpSink, address: str, path: str) -> str:
    mails = [m for m in sink.to(address) if path in m.text]
    assert mails, f"no mail to {address} links to {path}"
    return mails[-1].link_to(path)


async def me(http: httpx.AsyncClient, account: Account) -> dict:
    response = await http.get("/me", headers=account.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def expire_tokens(application: FastAPI) -> None:
    async with application.state.engine.begin() as connection:
        await connection.execute(
            text("UPDATE account_token SET expires_at = :past"),
            {"past": application.state.clock.now().replace(year=2000)},
        )


async def first_and_second(http: httpx.AsyncClient) -> tuple[Account, Account]:
    first = await register(http, "First Admin", email="first@example.com")
    second = await register(http, "Second Person", email="second@example.com")
    return first, second


# --- verification ------------------------------------------------------------------------------


async def test_registration_mails_a_verification_link_that_verifies_once(mailing, sink):
    _, http = mailing
    first, person = await first_and_second(http)
    # The first account of an empty instance is verified and gets no link.
    assert (await me(http, first))["email_verified"] is True
    assert sink.to("first@example.com") == []
    profile = await me(http, person)
    assert profile["email_verified"] is False
    assert profile["email_status"] == "unverified"
    (mail,) = sink.to("second@example.com")
    link = mail.link_to("/verify-email")
    assert link.startswith(f"{PUBLIC}/verify-email?token=")
    assert "24 hours" in mail.text
    # The link works without signing in.
    verified = await http.post("/auth/verify-email", json={"token": token_in(link)})
    assert verified.status_code == 204, verified.text
    profile = await me(http, person)
    assert profile["email_verified"] is True
    assert profile["email_status"] == "verified"
    again = await http.post("/auth/verify-email", json={"token": token_in(link)})
    assert assert_problem(again, 422)["code"] == "token_used"


async def test_bad_verification_tokens_are_clear_problems(mailing, sink):
    application, http = mailing
    await first_and_second(http)
    unknown = await http.post("/auth/verify-email", json={"token": "lf_ve_nothing-like-it"})
    refusal = assert_problem(unknown, 422)
    assert refusal["code"] == "token_invalid"
    # A refusal of what the token names, not of the request's form: no field is blamed.
    assert refusal["type"].endswith("/link-refused")
    assert "errors" not in refusal
    link = last_link(sink, "second@example.com", "/verify-email")
    await expire_tokens(application)
    expired = await http.post("/auth/verify-email", json={"token": token_in(link)})
    body = assert_problem(expired, 422)
    assert body["code"] == "token_expired"
    assert "expired" in body["detail"]
    empty = await http.post("/auth/verify-email", json={"token": ""})
    assert assert_problem(empty, 422)["errors"][0]["loc"] == ["body", "token"]  # its form


async def test_resend_sends_a_new_link_retires_the_old_and_is_limited(mailing, sink):
    _, http = mailing
    first, person = await first_and_second(http)
    assert_problem(await http.post("/me/email/verification"), 401)
    already = await http.post("/me/email/verification", headers=first.headers)
    assert assert_problem(already, 409)["code"] == "already_verified"
    old = last_link(sink, "second@example.com", "/verify-email")
    resent = await http.post("/me/email/verification", headers=person.headers)
    assert resent.status_code == 202, resent.text
    new = last_link(sink, "second@example.com", "/verify-email")
    assert new != old
    stale = await http.post("/auth/verify-email", json={"token": token_in(old)})
    assert_problem(stale, 422)
    # Five verification mails an hour, registration's included.
    for _ in range(3):
        assert (
            await http.post("/me/email/verification", headers=person.headers)
        ).status_code == 202
    limited = await http.post("/me/email/verification", headers=person.headers)
    assert_problem(limited, 429)
    assert int(limited.headers["retry-after"]) > 0
    assert len(sink.to("second@example.com")) == 5
    ok = await http.post(
        "/auth/verify-email",
        json={"token": token_in(last_link(sink, "second@example.com", "/verify-email"))},
    )
    assert ok.status_code == 204


# --- changing the address ---------------------------------------------------------------------


async def test_changing_the_address_needs_the_password_and_a_free_address(mailing, sink):
    _, http = mailing
    _, person = await first_and_second(http)
    body = {"email": "new@example.com", "current_password": PASSWORD}
    assert_problem(await http.put("/me/email", json=body), 401)
    wrong = await http.put(
        "/me/email", json={**body, "current_password": "not-the-password"}, headers=person.headers
    )
    assert assert_problem(wrong, 422)["detail"] == "The current password is wrong."
    taken = await http.put(
        "/me/email", json={**body, "email": "FIRST@example.com"}, headers=person.headers
    )
    assert assert_problem(taken, 409)["code"] == "email_taken"
    same = await http.put(
        "/me/email", json={**body, "email": "second@example.com"}, headers=person.headers
    )
    assert_problem(same, 422)
    bad = await http.put(
        "/me/email", json={**body, "email": "not an address"}, headers=person.headers
    )
    assert_problem(bad, 422)
    robot = await with_personal_token(http, person, ["read", "write"])
    assert_problem(await http.put("/me/email", json=body, headers=robot.headers), 403)
    assert (await me(http, person))["email"] == "second@example.com"


async def test_an_email_change_honours_if_match(mailing):
    _, http = mailing
    _, person = await first_and_second(http)
    read = await http.get("/me", headers=person.headers)
    tag = read.headers["etag"]
    renamed = await http.patch("/me", json={"title": "Lead"}, headers=person.headers)
    assert renamed.status_code == 200
    body = {"email": "second.moved@example.com", "current_password": PASSWORD}
    stale = await http.put("/me/email", json=body, headers={**person.headers, "If-Match": tag})
    assert_problem(stale, 412)
    assert (await me(http, person))["email"] == "second@example.com"
    fresh = {**person.headers, "If-Match": renamed.headers["etag"]}
    moved = await http.put("/me/email", json=body, headers=fresh)
    assert moved.status_code == 200, moved.text
    assert moved.json()["email"] == "second.moved@example.com"
    assert moved.headers["etag"] != renamed.headers["etag"]


async def test_a_new_address_is_unverified_gets_a_link_and_the_old_one_a_notice(mailing, sink):
    _, http = mailing
    first, _ = await first_and_second(http)
    changed = await http.put(
        "/me/email",
        json={"email": "First.New@Example.com", "current_password": PASSWORD},
        headers=first.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == "first.new@example.com"
    assert changed.json()["email_verified"] is False
    (notice,) = sink.to("first@example.com")
    assert "first.new@example.com" in notice.text and "first.new@example.com" in notice.html
    assert notice.link_to("/forgot-password") == f"{PUBLIC}/forgot-password"
    link = last_link(sink, "first.new@example.com", "/verify-email")
    assert (
        await http.post("/auth/verify-email", json={"token": token_in(link)})
    ).status_code == 204
    assert (await me(http, first))["email_status"] == "verified"
    # The old address no longer signs in; the new one does.
    old = await http.post(
        "/auth/token", data={"username": "first@example.com", "password": PASSWORD}
    )
    assert old.status_code == 401
    new = await http.post(
        "/auth/token", data={"username": "first.new@example.com", "password": PASSWORD}
    )
    assert new.status_code == 200


async def test_a_new_address_clears_the_undeliverable_mark(mailing, sink):
    _, http = mailing
    _, person = await first_and_second(http)
    sink.handler.refuse["second.next@example.com"] = "550 5.1.1 No such user"
    await http.put(
        "/me/email",
        json={"email": "second.next@example.com", "current_password": PASSWORD},
        headers=person.headers,
    )
    profile = await me(http, person)
    assert profile["email_status"] == "undeliverable"
    assert "550" in profile["email_undeliverable_reason"]
    fixed = await http.put(
        "/me/email",
        json={"email": "second.fixed@example.com", "current_password": PASSWORD},
        headers=person.headers,
    )
    assert fixed.status_code == 200
    assert fixed.json()["email_status"] == "unverified"
    assert fixed.json()["email_undeliverable_reason"] is None
    assert len(sink.to("second.fixed@example.com")) == 1


# --- password reset ----------------------------------------------------------------------------


async def test_password_reset_end_to_end_ends_every_session(mailing, sink):
    _, http = mailing
    _, person = await first_and_second(http)
    robot = await with_personal_token(http, person, ["read"])
    asked = await http.post("/auth/password-reset", json={"email": "Second@Example.com"})
    assert asked.status_code == 202
    link = last_link(sink, "second@example.com", "/reset-password")
    assert link.startswith(f"{PUBLIC}/reset-password?token=")
    token = token_in(link)
    weak = await http.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": "password123"}
    )
    assert assert_problem(weak, 422)
    new_password = "a-brand-new-passphrase"
    done = await http.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": new_password}
    )
    assert done.status_code == 204, done.text
    # Every session ended, personal tokens included.
    assert_problem(await http.get("/me", headers=person.headers), 401)
    assert_problem(await http.get("/me", headers=robot.headers), 401)
    refresh = await http.post("/auth/refresh", json={"refresh_token": person.refresh_token})
    assert_problem(refresh, 401)
    old = await http.post("/auth/token", data={"username": person.email, "password": PASSWORD})
    assert old.status_code == 401
    signed_in = await http.post(
        "/auth/token", data={"username": person.email, "password": new_password}
    )
    assert signed_in.status_code == 200
    # Reading the mail proved the address.
    fresh = Account(**{**person.__dict__, "access_token": signed_in.json()["access_token"]})
    assert (await me(http, fresh))["email_verified"] is True
    again = await http.post(
        "/auth/password-reset/confirm", json={"token": token, "new_password": "yet-another-one-9"}
    )
    assert assert_problem(again, 422)["code"] == "token_used"


async def test_password_reset_for_an_unknown_address_answers_the_same_and_mails_nobody(
    mailing, sink
):
    _, http = mailing
    await first_and_second(http)
    asked = await http.post("/auth/password-reset", json={"email": "nobody@example.com"})
    assert asked.status_code == 202
    assert asked.content == b""
    assert sink.received == [] or all(
        "nobody@example.com" not in m.recipients for m in sink.received
    )
    assert_problem(await http.post("/auth/password-reset", json={"email": "not-an-address"}), 422)


async def test_bad_reset_tokens_are_clear_problems(mailing, sink):
    application, http = mailing
    await first_and_second(http)
    await http.post("/auth/password-reset", json={"email": "second@example.com"})
    first_link = last_link(sink, "second@example.com", "/reset-password")
    await http.post("/auth/password-reset", json={"email": "second@example.com"})
    second_link = last_link(sink, "second@example.com", "/reset-password")
    body = {"new_password": "a-brand-new-passphrase"}
    superseded = await http.post(
        "/auth/password-reset/confirm", json={**body, "token": token_in(first_link)}
    )
    assert_problem(superseded, 422)
    # A verification token is no reset token.
    verify = last_link(sink, "second@example.com", "/verify-email")
    wrong_kind = await http.post(
        "/auth/password-reset/confirm", json={**body, "token": token_in(verify)}
    )
    assert assert_problem(wrong_kind, 422)["code"] == "token_invalid"
    await expire_tokens(application)
    expired = await http.post(
        "/auth/password-reset/confirm", json={**body, "token": token_in(second_link)}
    )
    assert assert_problem(expired, 422)["code"] == "token_expired"


async def test_password_reset_takes_the_same_time_whether_or_not_the_account_exists(
    app: FastAPI, client
):
    await register(client, "Known Person", email="known@example.com")
    transport = httpx.ASGITransport(app=app)
    # No draining: only the request itself is timed, as a client sees it.
    async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
        times: dict[str, list[float]] = {"known@example.com": [], "unknown@example.com": []}
        for _ in range(12):
            for address, samples in times.items():
                started = time.perf_counter()
                response = await http.post("/auth/password-reset", json={"email": address})
                samples.append(time.perf_counter() - started)
                assert response.status_code == 202
    known = statistics.median(times["known@example.com"])
    unknown = statistics.median(times["unknown@example.com"])
    # The same work either way; the bound is loose so that a busy machine cannot fail it.
    assert abs(known - unknown) < max(0.02, 0.5 * min(known, unknown)), (known, unknown)
