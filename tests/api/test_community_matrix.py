"""Authorization matrix: every community route, every kind of caller, public and private.

Each cell runs against a fresh community so that mutations in one cell cannot leak into another.
A route without a row here fails `test_every_community_route_has_a_rule`.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.communities_helpers import PURPOSE, make_role
from tests.helpers import Account, register, with_personal_token

# `admin_no_admin_scope`: the administrator through a personal token scoped `read write`, which
# carries no administrator powers, so it is answered exactly as an outsider is.
KINDS = [
    "anonymous",
    "outsider",
    "invitee",
    "pending",
    "member",
    "moderator",
    "steward",
    "admin",
    "admin_no_admin_scope",
]
_seq = itertools.count()

# route -> (method, path, body, {kind: (public status, private status)})
P, Q = "public", "private"


def row(
    anon: int,
    outsider: tuple[int, int],
    invitee: tuple[int, int],
    pending: tuple[int, int],
    member: tuple[int, int],
    moderator: tuple[int, int],
    steward: tuple[int, int],
    admin: tuple[int, int],
) -> dict[str, tuple[int, int]]:
    return {
        "anonymous": (anon, anon),
        "outsider": outsider,
        "invitee": invitee,
        "pending": pending,
        "member": member,
        "moderator": moderator,
        "steward": steward,
        "admin": admin,
        "admin_no_admin_scope": outsider,
    }


MATRIX: dict[str, tuple[str, str, Any, dict[str, tuple[int, int]]]] = {
    "get": (
        "GET",
        "/communities/{slug}",
        None,
        row(
            401, (200, 404), (200, 200), (200, 404), (200, 200), (200, 200), (200, 200), (200, 200)
        ),
    ),
    "edit": (
        "PATCH",
        "/communities/{slug}",
        {"name": "Renamed"},
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "archive": (
        "DELETE",
        "/communities/{slug}",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (204, 204), (204, 204)
        ),
    ),
    "members": (
        "GET",
        "/communities/{slug}/members",
        None,
        row(
            401, (200, 404), (200, 404), (200, 404), (200, 200), (200, 200), (200, 200), (200, 200)
        ),
    ),
    "join": (
        "POST",
        "/communities/{slug}/members",
        None,
        row(
            401, (202, 404), (201, 201), (202, 404), (200, 200), (200, 200), (200, 200), (202, 403)
        ),
    ),
    "leave": (
        "DELETE",
        "/communities/{slug}/members/me",
        None,
        row(
            401, (404, 404), (404, 404), (204, 404), (204, 204), (204, 204), (409, 409), (404, 404)
        ),
    ),
    "notify": (
        "PATCH",
        "/communities/{slug}/members/me",
        {"notify_level": "all"},
        row(
            401, (404, 404), (404, 404), (403, 404), (200, 200), (200, 200), (200, 200), (404, 404)
        ),
    ),
    "change_role": (
        "PATCH",
        "/communities/{slug}/members/{member}",
        {"role": "moderator"},
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "approve": (
        "PATCH",
        "/communities/{slug}/members/{member}",
        {"status": "active"},
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (200, 200), (200, 200), (200, 200)
        ),
    ),
    "remove": (
        "DELETE",
        "/communities/{slug}/members/{member}",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (204, 204), (204, 204), (204, 204)
        ),
    ),
    "invite": (
        "POST",
        "/communities/{slug}/invitations",
        {"handle": "{guest}"},
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (201, 403), (201, 201), (201, 201)
        ),
    ),
    "invitations": (
        "GET",
        "/communities/{slug}/invitations",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "revoke": (
        "DELETE",
        "/communities/{slug}/invitations/{invitee}",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (204, 204), (204, 204)
        ),
    ),
    "nominate": (
        "POST",
        "/communities/{slug}/nominations",
        {"handle": "{peer}", "role": "steward"},
        row(
            401, (403, 404), (403, 404), (403, 404), (201, 201), (201, 201), (201, 201), (201, 201)
        ),
    ),
    "nominations": (
        "GET",
        "/communities/{slug}/nominations",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "accept": (
        "POST",
        "/communities/{slug}/nominations/{nomination}/accept",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "decline": (
        "POST",
        "/communities/{slug}/nominations/{nomination}/decline",
        None,
        row(
            401, (403, 404), (403, 404), (403, 404), (403, 403), (403, 403), (200, 200), (200, 200)
        ),
    ),
    "stats": (
        "GET",
        "/communities/{slug}/stats",
        None,
        row(
            401, (200, 404), (200, 404), (200, 404), (200, 200), (200, 200), (200, 200), (200, 200)
        ),
    ),
    "audit": (
        "GET",
        "/communities/{slug}/audit-log",
        None,
        row(
            401, (200, 404), (200, 404), (200, 404), (200, 200), (200, 200), (200, 200), (200, 200)
        ),
    ),
}


async def _world(
    client: httpx.AsyncClient, people: dict[str, Account], visibility: str
) -> dict[str, str]:
    """A fresh community with one caller of each kind; returns the path placeholders."""
    owner = people["steward"]
    slug = f"matrix-{next(_seq)}"
    policy = "approval" if visibility == P else "invite"
    response = await client.post(
        "/communities",
        json={
            "name": slug,
            "slug": slug,
            "purpose": PURPOSE,
            "visibility": visibility,
            "join_policy": policy,
        },
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text

    async def invite(who: Account) -> None:
        r = await client.post(
            f"/communities/{slug}/invitations", json={"handle": who.handle}, headers=owner.headers
        )
        assert r.status_code == 201, r.text

    # The peer is a member who never calls: nominating them is never a self-nomination.
    for kind in ("member", "moderator", "peer"):
        who = people[kind]
        await invite(who)
        assert (
            await client.post(f"/communities/{slug}/members", headers=who.headers)
        ).status_code == 201
    await make_role(client, owner, slug, people["moderator"], "moderator")
    await invite(people["invitee"])
    if visibility == P:
        r = await client.post(f"/communities/{slug}/members", headers=people["pending"].headers)
        assert r.status_code == 202
    nomination = await client.post(
        f"/communities/{slug}/nominations",
        json={"handle": people["member"].handle, "role": "moderator"},
        headers=people["moderator"].headers,
    )
    assert nomination.status_code == 201, nomination.text
    return {
        "slug": slug,
        "member": people["member"].handle,
        "moderator": people["moderator"].handle,
        "guest": people["guest"].handle,
        "invitee": people["invitee"].handle,
        "peer": people["peer"].handle,
        "nomination": nomination.json()["id"],
    }


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize("visibility", [P, Q])
async def test_authorization_matrix(client, visibility):
    people = {"admin": await register(client, "Admin Person")}  # first account: administrator
    for kind in (
        "steward",
        "moderator",
        "member",
        "peer",
        "pending",
        "invitee",
        "outsider",
        "guest",
    ):
        people[kind] = await register(client, f"{kind} person")
    people["admin_no_admin_scope"] = await with_personal_token(
        client, people["admin"], ["read", "write"]
    )
    failures = []
    column = 0 if visibility == P else 1
    for name, (method, path, body, expected) in MATRIX.items():
        for kind in KINDS:
            names = await _world(client, people, visibility)
            headers = {} if kind == "anonymous" else people[kind].headers
            response = await client.request(
                method, _fill(path, names), json=_fill(body, names), headers=headers
            )
            want = expected[kind][column]
            if response.status_code != want:
                failures.append(
                    f"{name} as {kind}: {response.status_code} != {want} {response.text[:120]}"
                )
            elif want >= 400:
                assert response.headers["content-type"].startswith("application/problem+json")
    assert failures == []


def test_every_community_route_has_a_rule(app: FastAPI):
    covered = {(method, path) for method, path, _, _ in MATRIX.values()}
    covered_templates = {
        (
            method,
            path.replace("{member}", "{handle}")
            .replace("{invitee}", "{handle}")
            .replace("{nomination}", "{nomination_id}"),
        )
        for method, path in covered
    }
    document = app.openapi()["paths"]
    routes = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in document.items()
        for method in item
        if path.startswith("/api/v1/communities/{slug}") and "communities" in item[method]["tags"]
    }
    assert routes - covered_templates == set()
