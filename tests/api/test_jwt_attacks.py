"""Forged and broken access tokens are all 401 with WWW-Authenticate: Bearer."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from jose import jwt

from auth.tokens import key_id
from tests.communities_helpers import create_community
from tests.conftest import TEST_SECRET
from tests.helpers import assert_problem, register

KID = key_id(TEST_SECRET)


def claims(subject: str, **overrides):
    now = int(time.time())
    base = {
        "sub": subject,
        "iss": "leaderful",
        "aud": "leaderful-api",
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "scope": "read write",
        "tv": 0,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forge(sub: str, case: str) -> str:
    if case == "alg_none":
        return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{b64(claims(sub))}."
    if case == "other_alg":
        return jwt.encode(claims(sub), TEST_SECRET, algorithm="HS512", headers={"kid": KID})
    if case == "wrong_key":
        return jwt.encode(
            claims(sub), "another-secret-key-entirely-xx", algorithm="HS256", headers={"kid": KID}
        )
    if case == "unknown_kid":
        return jwt.encode(claims(sub), TEST_SECRET, algorithm="HS256", headers={"kid": "nope"})
    if case == "no_kid":
        return jwt.encode(claims(sub), TEST_SECRET, algorithm="HS256")
    if case == "expired":
        past = int(time.time()) - 3600
        return jwt.encode(
            claims(sub, iat=past - 600, exp=past),
            TEST_SECRET,
            algorithm="HS256",
            headers={"kid": KID},
        )
    if case.startswith("missing_"):
        field = case.removeprefix("missing_")
        return jwt.encode(
            claims(sub, **{field: None}), TEST_SECRET, algorithm="HS256", headers={"kid": KID}
        )
    if case == "wrong_aud":
        return jwt.encode(
            claims(sub, aud="someone-else"), TEST_SECRET, algorithm="HS256", headers={"kid": KID}
        )
    if case == "wrong_iss":
        return jwt.encode(
            claims(sub, iss="evil"), TEST_SECRET, algorithm="HS256", headers={"kid": KID}
        )
    if case == "unknown_user":
        return jwt.encode(
            claims(str(uuid.uuid4())), TEST_SECRET, algorithm="HS256", headers={"kid": KID}
        )
    if case == "garbage":
        return "this.is.not-a-jwt"
    raise AssertionError(case)


CASES = [
    "alg_none",
    "other_alg",
    "wrong_key",
    "unknown_kid",
    "no_kid",
    "expired",
    "missing_exp",
    "missing_aud",
    "missing_iss",
    "missing_sub",
    "missing_iat",
    "wrong_aud",
    "wrong_iss",
    "unknown_user",
    "garbage",
]


async def test_a_correctly_forged_token_is_accepted(client):
    """Control: the forging helper makes valid tokens, so the 401s below mean something."""
    account = await register(client)
    token = jwt.encode(claims(account.id), TEST_SECRET, algorithm="HS256", headers={"kid": KID})
    assert (
        await client.get("/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 200


@pytest.mark.parametrize("case", CASES)
async def test_bad_tokens_are_401(client, case):
    account = await register(client)
    response = await client.get(
        "/me", headers={"Authorization": f"Bearer {forge(account.id, case)}"}
    )
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("case", CASES)
async def test_bad_tokens_are_401_where_the_page_reads_the_account_itself(client, case):
    """The posts page, feed, a post and its thread read the caller's account themselves."""
    owner = await register(client)
    await create_community(client, owner, "Open Guild")
    post = await client.post(
        "/communities/open-guild/posts",
        json={"kind": "discussion", "title": "Hello", "body": "Hi all"},
        headers=owner.headers,
    )
    assert post.status_code == 201, post.text
    account = await register(client)
    bearer = {"Authorization": f"Bearer {forge(account.id, case)}"}
    for path in (
        "/communities/open-guild/posts",
        "/communities/no-such-guild/posts",
        "/feed",
        f"/posts/{post.json()['id']}",
        f"/posts/{post.json()['id']}/comments",
    ):
        response = await client.get(path, headers=bearer)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


async def test_missing_and_non_bearer_authorization_is_401(client):
    assert_problem(await client.get("/me"), 401)
    assert_problem(await client.get("/me", headers={"Authorization": "Basic Zm9vOmJhcg=="}), 401)


async def test_the_bearer_scheme_is_case_insensitive(client):
    account = await register(client)
    for scheme in ("bearer", "BEARER"):
        response = await client.get(
            "/me", headers={"Authorization": f"{scheme} {account.access_token}"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["id"] == account.id
