"""Devices through the API: registering a Web Push subscription or a native token, the same one
twice, listing, reading and removing one's own, other people's devices (404), bad input (422),
and the Web Push public key."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.helpers import Account, assert_problem, register
from tests.push_helpers import BrowserSubscription, b64url

ENDPOINT = "https://push.example.com/send/abc"
APNS_TOKEN = "a1" * 32


def webpush(endpoint: str = ENDPOINT, **keys: str) -> dict[str, Any]:
    subscription = BrowserSubscription.new(endpoint).json()
    subscription["keys"].update(keys)
    return {"platform": "webpush", "subscription": subscription}


async def register_device(
    client: httpx.AsyncClient, who: Account, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post("/me/devices", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/me/devices/{response.json()['id']}"
    device: dict[str, Any] = response.json()
    return device


async def test_register_list_read_and_remove_devices(client: httpx.AsyncClient):
    alice = await register(client)
    web = await register_device(client, alice, {**webpush(), "name": "Work laptop"})
    assert web["platform"] == "webpush" and web["endpoint"] == ENDPOINT
    assert web["name"] == "Work laptop" and web["token_hint"] is None
    phone = await register_device(client, alice, {"platform": "apns", "token": APNS_TOKEN})
    assert phone["endpoint"] is None and phone["token_hint"] == "…" + APNS_TOKEN[-8:]
    android = await register_device(client, alice, {"platform": "fcm", "token": "fcm:" + "x" * 60})

    listed = (await client.get("/me/devices", headers=alice.headers)).json()
    assert [d["id"] for d in listed["items"]] == [android["id"], phone["id"], web["id"]]
    page = (await client.get("/me/devices?limit=2", headers=alice.headers)).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    got = await client.get(f"/me/devices/{web['id']}", headers=alice.headers)
    assert got.status_code == 200 and got.json() == web

    removed = await client.delete(f"/me/devices/{web['id']}", headers=alice.headers)
    assert removed.status_code == 204
    assert_problem(await client.get(f"/me/devices/{web['id']}", headers=alice.headers), 404)
    assert_problem(await client.delete(f"/me/devices/{web['id']}", headers=alice.headers), 404)


async def test_the_same_subscription_twice_updates_it(client: httpx.AsyncClient):
    alice = await register(client)
    first = await register_device(client, alice, webpush())
    # The browser renewed its keys for the same endpoint.
    again = await register_device(client, alice, {**webpush(), "name": "Renamed"})
    assert again["id"] == first["id"] and again["name"] == "Renamed"
    assert len((await client.get("/me/devices", headers=alice.headers)).json()["items"]) == 1
    # The browser is now signed in as someone else: the registration moves to them.
    bob = await register(client)
    moved = await register_device(client, bob, webpush())
    assert moved["id"] == first["id"]
    assert (await client.get("/me/devices", headers=alice.headers)).json()["items"] == []


async def test_another_persons_device_is_not_found(client: httpx.AsyncClient):
    alice, mallory = await register(client), await register(client)
    device = await register_device(client, alice, webpush())
    assert_problem(await client.get(f"/me/devices/{device['id']}", headers=mallory.headers), 404)
    assert_problem(await client.delete(f"/me/devices/{device['id']}", headers=mallory.headers), 404)
    assert (await client.get("/me/devices", headers=mallory.headers)).json()["items"] == []
    assert (
        await client.get(f"/me/devices/{device['id']}", headers=alice.headers)
    ).status_code == 200


async def test_devices_need_a_signed_in_caller(client: httpx.AsyncClient):
    assert_problem(await client.get("/me/devices"), 401)
    assert_problem(await client.post("/me/devices", json=webpush()), 401)
    assert_problem(await client.get("/push/vapid-public-key"), 401)


async def test_bad_subscriptions_and_tokens_are_422(client: httpx.AsyncClient):
    alice = await register(client)
    short_key = b64url(b"\x04" + b"k" * 30)
    bad = [
        webpush("http://push.example.com/send/abc"),  # not https
        webpush("https://user:pw@push.example.com/x"),
        webpush("ftp://push.example.com/x"),
        webpush("not a url"),
        webpush(p256dh=short_key),
        webpush(p256dh="***"),
        webpush(auth=b64url(b"short")),
        {"platform": "webpush", "subscription": {"endpoint": ENDPOINT}},
        {"platform": "webpush", "token": APNS_TOKEN},
        {"platform": "apns", "token": "not-hex-at-all"},
        {"platform": "apns", "token": "ab" * 10},
        {"platform": "fcm", "token": "short"},
        {"platform": "fcm", "token": "x" * 40, "extra": 1},
        {"platform": "carrier-pigeon", "token": "x" * 40},
        {"platform": "fcm"},
    ]
    for body in bad:
        response = await client.post("/me/devices", json=body, headers=alice.headers)
        assert_problem(response, 422)
    assert (await client.get("/me/devices", headers=alice.headers)).json()["items"] == []


async def test_the_web_push_public_key_is_the_one_pushes_are_signed_with(
    app: FastAPI, client: httpx.AsyncClient
):
    alice = await register(client)
    response = await client.get("/push/vapid-public-key", headers=alice.headers)
    assert response.status_code == 200, response.text
    key = response.json()["public_key"]
    assert key == app.state.vapid.public_key
    assert len(key) == 87 and "=" not in key  # 65 bytes, base64url without padding
