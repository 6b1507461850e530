"""Registration, sign-in, refresh rotation, logout, password change, personal access tokens."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from auth.passwords import Argon2PasswordHasher
from tests.conftest import make_settings
from tests.helpers import PASSWORD, Account, assert_problem, register, with_personal_token


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": password})


async def test_register_returns_tokens_location_and_first_user_is_admin(client):
    response = await client.post(
        "/auth/register",
        json={"email": "Ada@Example.com", "password": PASSWORD, "display_name": "Ada Lovelace"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["handle"] == "ada-lovelace"
    assert body["user"]["role"] == "admin"
    assert response.headers["location"] == "/api/v1/users/ada-lovelace"
    second = await register(client, "Ada Lovelace")
    assert second.handle == "ada-lovelace-2"
    me = await client.get("/me", headers=second.headers)
    assert me.json()["role"] == "member"


async def test_duplicate_email_is_case_insensitive_conflict(client):
    await register(client, email="grace@example.com")
    response = await client.post(
        "/auth/register",
        json={"email": "GRACE@example.com", "password": PASSWORD, "display_name": "G"},
    )
    assert assert_problem(response, 409)["detail"]


async def test_duplicate_handle_conflicts(client):
    await register(client, handle="grace")
    response = await client.post(
        "/auth/register",
        json={
            "email": "g2@example.com",
            "password": PASSWORD,
            "display_name": "G",
            "handle": "grace",
        },
    )
    assert_problem(response, 409)


async def test_short_or_common_password_is_rejected(client):
    for password in ("short", "password123", "qwertyuiop", "1234567890"):
        response = await client.post(
            "/auth/register",
            json={"email": "p@example.com", "password": password, "display_name": "P"},
        )
        body = assert_problem(response, 422)
        assert body["errors"][0]["loc"] == ["body", "password"]


async def test_invalid_email_and_handle_are_422(client):
    response = await client.post(
        "/auth/register", json={"email": "not-an-email", "password": PASSWORD, "display_name": "P"}
    )
    assert_problem(response, 422)
    response = await client.post(
        "/auth/register",
        json={
            "email": "h@example.com",
            "password": PASSWORD,
            "display_name": "P",
            "handle": "Bad Handle!",
        },
    )
    assert_problem(response, 422)


async def test_login_unknown_email_and_wrong_password_answer_the_same(client):
    account = await register(client)
    wrong = await login(client, account.email, "wrong-password-123")
    unknown = await login(client, "nobody@example.com", "wrong-password-123")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == unknown.headers["www-authenticate"] == "Bearer"
    ok = await login(client, account.email.upper())
    assert ok.status_code == 200
    assert set(ok.json()) >= {"access_token", "refresh_token", "token_type", "expires_in"}


async def test_login_timing_is_comparable_for_unknown_and_known_email(client):
    account = await register(client)
    durations = {}
    for label, email in (("known", account.email), ("unknown", "ghost@example.com")):
        started = time.perf_counter()
        for _ in range(3):
            await login(client, email, "wrong-password-123")
        durations[label] = time.perf_counter() - started
    # Both paths run one argon2 verification; without the dummy hash "unknown" is ~100x faster.
    assert durations["unknown"] > durations["known"] * 0.3


async def test_refresh_rotates_and_reuse_revokes_the_family(client):
    account = await register(client)
    first = await client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200
    rotated = first.json()["refresh_token"]
    assert rotated != account.refresh_token
    me = await client.get(
        "/me", headers={"Authorization": f"Bearer {first.json()['access_token']}"}
    )
    assert me.status_code == 200
    # The old token is dead; presenting it again revokes the whole family, rotated one included.
    reuse = await client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert_problem(reuse, 401)
    after = await client.post("/auth/refresh", json={"refresh_token": rotated})
    assert_problem(after, 401)


async def test_refresh_with_garbage_or_missing_token_is_401(client):
    assert_problem(await client.post("/auth/refresh", json={"refresh_token": "lf_rt_nope"}), 401)
    assert_problem(await client.post("/auth/refresh", json={}), 401)


async def test_logout_revokes_the_refresh_family(client):
    account = await register(client)
    response = await client.post(
        "/auth/logout", json={"refresh_token": account.refresh_token}, headers=account.headers
    )
    assert response.status_code == 204
    assert_problem(
        await client.post("/auth/refresh", json={"refresh_token": account.refresh_token}), 401
    )


async def test_logout_needs_authentication(client):
    account = await register(client)
    response = await client.post("/auth/logout", json={"refresh_token": account.refresh_token})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_cookie_refresh_flow_for_browsers(client):
    account = await register(client)
    response = await client.post(
        "/auth/token",
        data={"username": account.email, "password": PASSWORD, "use_cookie": "true"},
    )
    assert response.status_code == 200
    assert response.json()["refresh_token"] is None
    cookie = response.headers["set-cookie"]
    assert "leaderful_refresh=" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/api/v1/auth" in cookie
    # Without the custom header a cross-site form could not trigger it, and neither can we.
    no_header = await client.post("/auth/refresh?use_cookie=true", json={})
    assert_problem(no_header, 403)
    refreshed = await client.post(
        "/auth/refresh?use_cookie=true", json={}, headers={"X-Requested-With": "leaderful"}
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["access_token"]
    assert refreshed.json()["refresh_token"] is None


async def test_password_change_kills_older_access_and_refresh_tokens(client):
    account = await register(client)
    response = await client.post(
        "/me/password",
        json={"current_password": PASSWORD, "new_password": "a-brand-new-secret"},
        headers=account.headers,
    )
    assert response.status_code == 204
    assert_problem(await client.get("/me", headers=account.headers), 401)
    assert_problem(
        await client.post("/auth/refresh", json={"refresh_token": account.refresh_token}), 401
    )
    assert (await login(client, account.email)).status_code == 401
    fresh = await login(client, account.email, "a-brand-new-secret")
    assert fresh.status_code == 200
    headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert (await client.get("/me", headers=headers)).status_code == 200


async def test_password_change_with_wrong_current_password_is_422(client):
    account = await register(client)
    response = await client.post(
        "/me/password",
        json={"current_password": "not-my-password", "new_password": "a-brand-new-secret"},
        headers=account.headers,
    )
    assert assert_problem(response, 422)["errors"][0]["loc"] == ["body", "current_password"]
    assert (await client.get("/me", headers=account.headers)).status_code == 200


async def test_personal_access_token_lifecycle(client):
    account = await register(client)
    created = await client.post(
        "/me/tokens",
        json={"name": "CI bot", "scopes": ["read"], "expires_in_days": 30},
        headers=account.headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("lf_pat_")
    assert body["scopes"] == ["read"]
    assert created.headers["location"].endswith(body["id"])
    pat = {"Authorization": f"Bearer {body['token']}"}
    me = await client.get("/me", headers=pat)
    assert me.status_code == 200 and me.json()["id"] == account.id
    # read-only: a mutation is forbidden, not unauthenticated
    assert_problem(await client.patch("/me", json={"title": "x"}, headers=pat), 403)
    listed = await client.get("/me/tokens", headers=account.headers)
    assert [t["name"] for t in listed.json()["items"]] == ["CI bot"]
    assert "token" not in listed.json()["items"][0]
    revoked = await client.delete(f"/me/tokens/{body['id']}", headers=account.headers)
    assert revoked.status_code == 204
    assert_problem(await client.get("/me", headers=pat), 401)
    assert (await client.get("/me/tokens", headers=account.headers)).json()["items"] == []
    assert_problem(await client.delete(f"/me/tokens/{body['id']}", headers=account.headers), 404)


async def test_write_token_can_mutate_and_admin_scope_needs_an_admin(client):
    await register(client)  # the admin
    member = await register(client)
    write = await client.post(
        "/me/tokens", json={"name": "w", "scopes": ["read", "write"]}, headers=member.headers
    )
    pat = {"Authorization": f"Bearer {write.json()['token']}"}
    assert (await client.patch("/me", json={"title": "Engineer"}, headers=pat)).status_code == 200
    admin_scope = await client.post(
        "/me/tokens", json={"name": "a", "scopes": ["admin"]}, headers=member.headers
    )
    assert_problem(admin_scope, 403)


async def test_another_users_token_cannot_be_revoked(client):
    owner = await register(client)
    other = await register(client)
    created = await client.post(
        "/me/tokens", json={"name": "x", "scopes": ["read"]}, headers=owner.headers
    )
    token_id = created.json()["id"]
    assert_problem(await client.delete(f"/me/tokens/{token_id}", headers=other.headers), 404)
    pat = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await client.get("/me", headers=pat)).status_code == 200


async def test_invalid_token_body_is_422(client):
    account = await register(client)
    for body in (
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["root"]},
        {"name": "x", "scopes": ["read"], "expires_in_days": 0},
        {"name": "", "scopes": ["read"]},
    ):
        assert_problem(await client.post("/me/tokens", json=body, headers=account.headers), 422)


async def test_register_can_set_the_refresh_cookie(client):
    response = await client.post(
        "/auth/register?use_cookie=true",
        json={"email": "cookie@example.com", "password": PASSWORD, "display_name": "Cookie"},
    )
    assert response.status_code == 201
    assert response.json()["refresh_token"] is None
    assert "leaderful_refresh=" in response.headers["set-cookie"]
    headers = {
        "Authorization": f"Bearer {response.json()['access_token']}",
        "X-Requested-With": "leaderful",
    }
    logout = await client.post("/auth/logout?use_cookie=true", json={}, headers=headers)
    assert logout.status_code == 204
    assert (
        'leaderful_refresh=""' in logout.headers["set-cookie"]
        or "Max-Age=0" in logout.headers["set-cookie"]
    )
    # the cookie's family is dead even if a copy of the cookie was kept
    client.cookies.clear()


# --- a password change and personal tokens (issue 17, item 3) ---------------------------------


async def change_password(
    client: httpx.AsyncClient, account: Account, **extra: object
) -> httpx.Response:
    body = {"current_password": account.password, "new_password": "a-brand-new-secret", **extra}
    return await client.post("/me/password", json=body, headers=account.headers)


async def test_password_change_revokes_personal_tokens_by_default(client):
    account = await register(client)
    first = await with_personal_token(client, account, ["read"])
    second = await with_personal_token(client, account, ["read", "write"])
    response = await change_password(client, account)
    assert response.status_code == 204
    assert response.headers["personal-tokens-revoked"] == "2"
    for token in (first, second):
        assert_problem(await client.get("/me", headers=token.headers), 401)
    fresh = await login(client, account.email, "a-brand-new-secret")
    session = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert (await client.get("/me/tokens", headers=session)).json()["items"] == []


async def test_password_change_can_keep_personal_tokens(client):
    account = await register(client)
    token = await with_personal_token(client, account, ["read"])
    response = await change_password(client, account, keep_personal_tokens=True)
    assert response.status_code == 204
    assert response.headers["personal-tokens-revoked"] == "0"
    assert (await client.get("/me", headers=token.headers)).status_code == 200
    # Every session still ends.
    assert_problem(await client.get("/me", headers=account.headers), 401)
    refreshed = await client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert_problem(refreshed, 401)


# --- registration costs the same whether or not the email is taken (issue 17, item 14) --------


class CountingHasher:
    """The app's hasher, counting the hashes it computes."""

    def __init__(self, inner: Argon2PasswordHasher) -> None:
        self.inner = inner
        self.hashes = 0

    async def hash(self, password: str) -> str:
        self.hashes += 1
        return await self.inner.hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self.inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)


async def test_a_taken_email_costs_a_password_hash_like_a_new_account(
    app: FastAPI, client, monkeypatch: pytest.MonkeyPatch
):
    taken = await register(client)
    hasher = CountingHasher(app.state.auth.hasher)
    monkeypatch.setattr(app.state.auth, "hasher", hasher)
    body = {"email": taken.email.upper(), "password": PASSWORD, "display_name": "Again"}
    assert_problem(await client.post("/auth/register", json=body), 409)
    assert hasher.hashes == 1
    await register(client)
    assert hasher.hashes == 2


# --- argon2 work behind a bounded pool (issue 17, item 13) ------------------------------------


async def test_a_pool_of_one_sheds_a_burst_of_sign_ins_and_me_stays_responsive(
    app: FastAPI, database_url: str, tmp_path
):
    # `app` is requested so the per-test cleanup empties the database afterwards.
    small = create_app(
        make_settings(database_url, tmp_path, password_hash_workers=1, password_hash_queue=1)
    )
    finished: list[tuple[str, int]] = []
    async with small.router.lifespan_context(small):
        transport = httpx.ASGITransport(app=small, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v1") as http:
            account = await register(http)

            async def sign_in() -> httpx.Response:
                response = await login(http, account.email, "wrong-password-123")
                finished.append(("sign-in", response.status_code))
                return response

            async def me() -> httpx.Response:
                response = await http.get("/me", headers=account.headers)
                finished.append(("me", response.status_code))
                return response

            answers = await asyncio.gather(*[sign_in() for _ in range(16)], me())
    statuses = [status for _, status in finished]
    assert set(statuses) <= {401, 503, 200}, statuses
    shed = [a for a in answers if a.status_code == 503]
    assert shed and statuses.count(401) >= 1, statuses
    for response in shed:
        assert_problem(response, 503)
        assert int(response.headers["retry-after"]) >= 1
    # Shed requests answer at once, and /me does not wait for the password checks: all of them
    # finish before the last checked sign-in does.
    last_checked = max(i for i, (kind, status) in enumerate(finished) if status == 401)
    assert finished.index(("me", 200)) < last_checked
    assert all(i < last_checked for i, (_, status) in enumerate(finished) if status == 503)
