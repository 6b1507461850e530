"""Signed webhooks against real receivers (uvicorn servers started here, verifying signatures
with the `standardwebhooks` package): subscriptions and who may manage them, what reaches whom
(a private community's events never reach an organisation webhook unless an administrator
includes them), retries with backoff (a fake clock runs the due tries), a receiver that comes
back, disabling after three days of failures, secret rotation, ping and redelivery."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from api.main import create_app
from api.schemas.webhooks import PAYLOADS
from domain.actor import Actor
from domain.webhooks import service as webhooks_service
from domain.webhooks.service import prune_deliveries
from repositories.tables import metadata
from tests.communities_helpers import create_community, join, make_role
from tests.conftest import StatementCounter, make_settings
from tests.helpers import Account, FakeClock, assert_problem, register
from tests.webhook_helpers import Receiver, parse_time, run_due, settle


@pytest.fixture(scope="module")
async def app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FastAPI]:
    """The app with LEADERFUL_WEBHOOK_ALLOW_PRIVATE=true: the receivers are on 127.0.0.1."""
    settings = make_settings(
        database_url, tmp_path_factory.mktemp("webhooks"), webhook_allow_private=True
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


async def subscribe(
    client: httpx.AsyncClient,
    who: Account,
    url: str,
    slug: str | None = None,
    types: tuple[str, ...] = ("post.created",),
    **extra: Any,
) -> dict[str, Any]:
    base = f"/communities/{slug}/webhooks" if slug else "/webhooks"
    r = await client.post(
        base, json={"url": url, "event_types": list(types), **extra}, headers=who.headers
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def post(client: httpx.AsyncClient, who: Account, slug: str, title: str = "Hi") -> str:
    r = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": "question", "title": title, "body": "How do you run game days?"},
        headers=who.headers,
    )
    assert r.status_code == 201, r.text
    post_id: str = r.json()["id"]
    return post_id


async def deliveries(
    client: httpx.AsyncClient, who: Account, hook: dict[str, Any]
) -> list[dict[str, Any]]:
    community = hook["community"]
    base = f"/communities/{community['slug']}/webhooks" if community else "/webhooks"
    r = await client.get(f"{base}/{hook['id']}/deliveries", headers=who.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_a_community_webhook_receives_a_signed_event_and_shows_its_delivery(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    await register(client, "Ada Admin")
    steward = await register(client, "Sam Steward")
    community = await create_community(client, steward, "Chaos Guild")
    slug = community["slug"]
    hook = await subscribe(client, steward, receiver.url, slug, description="to our bot")
    assert hook["secret"].startswith("whsec_")
    assert hook["community"]["slug"] == slug and hook["enabled"] is True
    receiver.secrets.append(hook["secret"])

    # The secret is shown once: never again, neither alone nor in the list.
    got = await client.get(f"/communities/{slug}/webhooks/{hook['id']}", headers=steward.headers)
    assert got.status_code == 200 and "secret" not in got.json() and got.headers["ETag"]
    listed = await client.get(f"/communities/{slug}/webhooks", headers=steward.headers)
    assert [w["id"] for w in listed.json()["items"]] == [hook["id"]]
    assert "secret" not in listed.json()["items"][0]

    post_id = await post(client, steward, slug, "Game days?")
    await settle(app)

    [message] = receiver.received
    assert message.verified_with == [hook["secret"]]
    assert message.headers["content-type"] == "application/json"
    body = message.payload
    assert body["type"] == "post.created" and body["version"] == 1
    assert body["data"]["post"]["id"] == post_id
    assert body["data"]["post"]["title"] == "Game days?"
    assert body["data"]["community"]["slug"] == slug
    assert body["data"]["author"]["display_name"] == "Sam Steward"
    PAYLOADS["post.created"].model_validate(body)

    [delivery] = await deliveries(client, steward, hook)
    assert delivery["id"] == message.headers["webhook-id"]
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 1
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 200 and attempt["ok"] is True
    assert attempt["duration_ms"] >= 0 and attempt["response_excerpt"] == "thanks"


async def test_every_catalog_event_matches_its_documented_payload(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    author = await register(client, "Alex Author")
    helper = await register(client, "Hana Helper")
    community = await create_community(client, author, "Ops Guild", join_policy="approval")
    slug = community["slug"]
    types = tuple(t for t in PAYLOADS if t != "webhook.ping")
    hook = await subscribe(client, admin, receiver.url, types=types)
    receiver.secrets.append(hook["secret"])

    assert (await join(client, helper, slug)).status_code == 202
    r = await client.patch(
        f"/communities/{slug}/members/{helper.handle}",
        json={"status": "active"},
        headers=author.headers,
    )
    assert r.status_code == 200, r.text
    post_id = await post(client, author, slug)
    r = await client.post(
        f"/posts/{post_id}/comments", json={"body": "Start small."}, headers=helper.headers
    )
    assert r.status_code == 201, r.text
    comment_id = r.json()["id"]
    r = await client.put(
        f"/posts/{post_id}/accepted-answer", json={"comment_id": comment_id}, headers=author.headers
    )
    assert r.status_code == 200, r.text
    r = await client.put(f"/posts/{post_id}/reactions/helpful", headers=helper.headers)
    assert r.status_code == 204, r.text
    await settle(app)

    seen = {m.payload["type"]: m for m in receiver.received}
    assert set(seen) == set(types)
    for event_type, message in seen.items():
        assert message.verified_with == [hook["secret"]]
        PAYLOADS[event_type].model_validate(message.payload)
    assert seen["comment.created"].payload["data"]["comment"]["id"] == comment_id
    assert seen["answer.accepted"].payload["data"]["answer_author"]["id"] == helper.id
    assert seen["membership.approved"].payload["data"]["member"]["id"] == helper.id
    assert seen["reaction.added"].payload["data"]["kind"] == "helpful"


async def test_a_private_community_never_reaches_an_organisation_webhook_unless_included(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await register(client, "Ada Admin")
    steward = await register(client, "Sam Steward")
    public = await create_community(client, steward, "Open Guild")
    private = await create_community(
        client, steward, "Closed Circle", visibility="private", join_policy="invite"
    )
    org, everything, neighbour = Receiver(), Receiver(), Receiver()
    for each in (org, everything, neighbour):
        await each.start()
    try:
        await subscribe(client, admin, org.url)
        await subscribe(client, admin, everything.url, include_private_communities=True)
        await subscribe(client, steward, neighbour.url, public["slug"])
        # Only organisation webhooks may include private communities.
        r = await client.post(
            f"/communities/{private['slug']}/webhooks",
            json={
                "url": org.url,
                "event_types": ["post.created"],
                "include_private_communities": True,
            },
            headers=steward.headers,
        )
        assert assert_problem(r, 422)["errors"][0]["loc"] == ["body", "include_private_communities"]

        await post(client, steward, private["slug"], "Secret plans")
        await post(client, steward, public["slug"], "Open question")
        await settle(app)

        titles = [m.payload["data"]["post"]["title"] for m in org.received]
        assert titles == ["Open question"]
        assert "Secret plans" not in str([m.body for m in org.received + neighbour.received])
        assert [m.payload["data"]["post"]["title"] for m in neighbour.received] == ["Open question"]
        assert sorted(m.payload["data"]["post"]["title"] for m in everything.received) == [
            "Open question",
            "Secret plans",
        ]
    finally:
        for each in (org, everything, neighbour):
            await each.stop()


async def test_a_receiver_that_is_down_gets_the_event_once_it_is_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await register(client, "Ada Admin")
    community = await create_community(client, admin, "Night Shift")
    receiver = Receiver()  # not started: nothing listens on its port
    hook = await subscribe(client, admin, receiver.url, community["slug"])
    receiver.secrets.append(hook["secret"])
    await post(client, admin, community["slug"], "Anyone awake?")
    await settle(app)

    [delivery] = await deliveries(client, admin, hook)
    [first] = delivery["attempts"]
    assert delivery["status"] == "pending" and first["status_code"] is None and first["error"]
    retry_at = parse_time(delivery["next_attempt_at"])
    assert (
        timedelta(seconds=10) < retry_at - parse_time(first["attempted_at"]) < timedelta(seconds=20)
    )

    await receiver.start()
    try:
        assert await run_due(app, retry_at - timedelta(seconds=1)) == 0  # not due yet
        assert await run_due(app, retry_at) == 1
        assert await run_due(app, retry_at + timedelta(days=2)) == 0  # nothing left to send
        [message] = receiver.received
        assert message.verified_with == [hook["secret"]]
        assert message.payload["data"]["post"]["title"] == "Anyone awake?"
        [delivery] = await deliveries(client, admin, hook)
        assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 2
        assert message.headers["webhook-id"] == delivery["id"]
    finally:
        await receiver.stop()


async def test_a_receiver_answering_500_sees_the_backoff_for_about_a_day(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    community = await create_community(client, admin, "Flaky Guild")
    receiver.status, receiver.answer = 500, "x" * 3000
    hook = await subscribe(client, admin, receiver.url)
    await post(client, admin, community["slug"])
    await settle(app)

    for _ in range(10):
        [delivery] = await deliveries(client, admin, hook)
        if delivery["next_attempt_at"] is None:
            break
        await run_due(app, parse_time(delivery["next_attempt_at"]))
    assert delivery["status"] == "failed" and delivery["attempt_count"] == 8
    times = [parse_time(a["attempted_at"]) for a in delivery["attempts"]]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert all(later > 2.5 * earlier for earlier, later in itertools.pairwise(gaps))
    assert timedelta(hours=15) < times[-1] - times[0] < timedelta(hours=30)
    assert len(receiver.received) == 8
    assert {m.headers["webhook-id"] for m in receiver.received} == {delivery["id"]}
    assert all(a["status_code"] == 500 for a in delivery["attempts"])
    assert len(delivery["attempts"][0]["response_excerpt"]) == 1024


async def test_a_webhook_failing_for_three_days_is_disabled_and_its_stewards_told(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    await register(client, "Ada Admin")
    steward = await register(client, "Sam Steward")
    community = await create_community(client, steward, "Broken Pipes")
    slug = community["slug"]
    receiver.status = 503
    hook = await subscribe(client, steward, receiver.url, slug)
    await post(client, steward, slug)
    await settle(app)
    [delivery] = await deliveries(client, steward, hook)
    first = parse_time(delivery["attempts"][0]["attempted_at"])

    # Two days later it still fails, but is not given up on yet.
    await run_due(app, first + timedelta(days=2))
    got = await client.get(f"/communities/{slug}/webhooks/{hook['id']}", headers=steward.headers)
    assert got.json()["enabled"] is True and got.json()["failing_since"] is not None
    await run_due(app, first + timedelta(days=3, minutes=1))
    got = await client.get(f"/communities/{slug}/webhooks/{hook['id']}", headers=steward.headers)
    assert got.json()["enabled"] is False and "3 days" in got.json()["disabled_reason"]
    tried = len(receiver.received)
    assert await run_due(app, first + timedelta(days=4)) == 0  # disabled: nothing more is sent
    assert len(receiver.received) == tried

    inbox = await client.get("/notifications", headers=steward.headers)
    kinds = [n["kind"] for n in inbox.json()["items"]]
    assert "webhook_disabled" in kinds

    # Enabled again by its steward, it starts afresh.
    r = await client.patch(
        f"/communities/{slug}/webhooks/{hook['id']}",
        json={"enabled": True},
        headers={**steward.headers, "If-Match": got.headers["ETag"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["enabled"] is True and r.json()["failing_since"] is None


async def test_rotation_signs_with_both_secrets_for_a_day_then_the_new_one(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    community = await create_community(client, admin, "Key Keepers")
    hook = await subscribe(client, admin, receiver.url)
    old = hook["secret"]
    r = await client.post(f"/webhooks/{hook['id']}/rotate-secret", headers=admin.headers)
    assert r.status_code == 200, r.text
    new = r.json()["secret"]
    assert new.startswith("whsec_") and new != old
    assert r.json()["previous_secret_expires_at"] is not None
    receiver.secrets.extend([old, new])

    r = await client.post(f"/webhooks/{hook['id']}/ping", headers=admin.headers)
    assert r.status_code == 202, r.text
    await settle(app)
    [ping] = receiver.received
    assert ping.payload["type"] == "webhook.ping"
    assert len(ping.headers["webhook-signature"].split(" ")) == 2
    assert sorted(ping.verified_with) == sorted([old, new])

    # A day later only the new secret signs (a retry of a failed delivery, sent then).
    receiver.status = 500
    await post(client, admin, community["slug"])
    await settle(app)
    receiver.status = 200
    [delivery] = [
        d for d in await deliveries(client, admin, hook) if d["event_type"] != "webhook.ping"
    ]
    later = datetime.now(UTC) + timedelta(hours=25)
    assert await run_due(app, max(later, parse_time(delivery["next_attempt_at"]))) == 1
    last = receiver.received[-1]
    assert last.payload["type"] == "post.created"
    assert " " not in last.headers["webhook-signature"] and last.verified_with == [new]


async def test_redeliver_sends_the_same_message_again(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    community = await create_community(client, admin, "Replay Guild")
    hook = await subscribe(client, admin, receiver.url)
    await post(client, admin, community["slug"])
    await settle(app)
    [delivery] = await deliveries(client, admin, hook)
    r = await client.post(
        f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver", headers=admin.headers
    )
    assert r.status_code == 202, r.text
    await settle(app)
    first, again = receiver.received
    assert first.body == again.body
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == delivery["id"]
    [delivery] = await deliveries(client, admin, hook)
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 2
    r = await client.post(
        f"/webhooks/{hook['id']}/deliveries/{hook['id']}/redeliver", headers=admin.headers
    )
    assert_problem(r, 404)


async def stored_answers(app: FastAPI, key: str) -> list[bytes]:
    """The answers the idempotency table holds for `key`, as stored."""
    keys = metadata.tables["idempotency_key"]
    async with app.state.engine.connect() as connection:
        found = await connection.execute(select(keys.c.body).where(keys.c.key == key))
        return [bytes(row[0]) for row in found]


async def test_create_honours_idempotency_keys_and_update_honours_if_match(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    body = {"url": receiver.url, "event_types": ["post.created"]}
    key = {"Idempotency-Key": "create-hook-1"}
    first = await client.post("/webhooks", json=body, headers={**admin.headers, **key})
    again = await client.post("/webhooks", json=body, headers={**admin.headers, **key})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    # The replay shows the signing secret again, yet the stored answer does not hold it in clear.
    secret = first.json()["secret"]
    assert again.json()["secret"] == secret and again.content == first.content
    stored = await stored_answers(app, "create-hook-1")
    assert len(stored) == 1
    assert secret.encode() not in stored[0] and b"whsec_" not in stored[0]
    assert first.json()["id"].encode() not in stored[0]
    listed = await client.get("/webhooks", headers=admin.headers)
    assert len(listed.json()["items"]) == 1

    hook_id = first.json()["id"]
    read = await client.get(f"/webhooks/{hook_id}", headers=admin.headers)
    etag = read.headers["ETag"]
    assert (
        await client.get(f"/webhooks/{hook_id}", headers={**admin.headers, "If-None-Match": etag})
    ).status_code == 304
    r = await client.patch(
        f"/webhooks/{hook_id}",
        json={"description": "CRM sync", "event_types": ["comment.created", "post.created"]},
        headers={**admin.headers, "If-Match": etag},
    )
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "CRM sync" and r.json()["version"] == 2
    stale = await client.patch(
        f"/webhooks/{hook_id}",
        json={"description": "lost update"},
        headers={**admin.headers, "If-Match": etag},
    )
    assert_problem(stale, 412)
    bad = await client.patch(
        f"/webhooks/{hook_id}",
        json={"event_types": ["password_reset.requested"]},
        headers=admin.headers,
    )
    assert assert_problem(bad, 422)["errors"][0]["loc"][:2] == ["body", "event_types"]
    r = await client.delete(f"/webhooks/{hook_id}", headers=admin.headers)
    assert r.status_code == 204
    assert_problem(await client.get(f"/webhooks/{hook_id}", headers=admin.headers), 404)


async def test_lists_are_keyset_pages(client: httpx.AsyncClient, receiver: Receiver) -> None:
    admin = await register(client, "Ada Admin")
    made = [(await subscribe(client, admin, receiver.url))["id"] for _ in range(3)]
    page = await client.get("/webhooks?limit=2", headers=admin.headers)
    assert [w["id"] for w in page.json()["items"]] == made[::-1][:2]
    cursor = page.json()["next_cursor"]
    rest = await client.get(f"/webhooks?limit=2&cursor={cursor}", headers=admin.headers)
    assert [w["id"] for w in rest.json()["items"]] == made[:1]
    assert rest.json()["next_cursor"] is None


def _routes(base: str, hook_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    one = f"{base}/{hook_id}"
    body = {"url": "http://127.0.0.1:9/hooks", "event_types": ["post.created"]}
    return [
        ("POST", base, body),
        ("GET", base, None),
        ("GET", one, None),
        ("PATCH", one, {"description": "mine now"}),
        ("DELETE", one, None),
        ("POST", f"{one}/rotate-secret", None),
        ("GET", f"{one}/deliveries", None),
        ("POST", f"{one}/deliveries/{hook_id}/redeliver", None),
        ("POST", f"{one}/ping", None),
    ]


async def test_who_may_manage_which_webhooks(client: httpx.AsyncClient, receiver: Receiver) -> None:
    admin = await register(client, "Ada Admin")
    steward = await register(client, "Sam Steward")
    member = await register(client, "Mia Member")
    moderator = await register(client, "Mo Moderator")
    outsider = await register(client, "Otto Outsider")
    public = await create_community(client, steward, "Public Guild")
    private = await create_community(
        client, steward, "Private Circle", visibility="private", join_policy="invite"
    )
    other = await create_community(client, outsider, "Other Guild")
    await join(client, member, public["slug"])
    await join(client, moderator, public["slug"])
    await make_role(client, steward, public["slug"], moderator, "moderator")
    org_hook = await subscribe(client, admin, receiver.url)
    public_hook = await subscribe(client, steward, receiver.url, public["slug"])
    private_hook = await subscribe(client, steward, receiver.url, private["slug"])
    other_hook = await subscribe(client, outsider, receiver.url, other["slug"])

    async def call(who: Account | None, method: str, path: str, body: Any) -> httpx.Response:
        headers = who.headers if who else {}
        return await client.request(method, path, json=body, headers=headers)

    # Organisation webhooks: administrators only.
    for method, path, body in _routes("/webhooks", org_hook["id"]):
        assert_problem(await call(steward, method, path, body), 403)
        assert_problem(await call(None, method, path, body), 401)
    # A public community's: its stewards; members and moderators are refused (403).
    for who in (member, moderator, outsider):
        for method, path, body in _routes(
            f"/communities/{public['slug']}/webhooks", public_hook["id"]
        ):
            assert_problem(await call(who, method, path, body), 403)
    # A private community's: invisible to outsiders (404), whatever the route.
    for method, path, body in _routes(
        f"/communities/{private['slug']}/webhooks", private_hook["id"]
    ):
        assert_problem(await call(outsider, method, path, body), 404)
    # Another community's webhook (or the organisation's) is not found under this community.
    for foreign in (other_hook, org_hook):
        for method, path, body in _routes(f"/communities/{public['slug']}/webhooks", foreign["id"])[
            2:
        ]:
            assert_problem(await call(steward, method, path, body), 404)
    for method, path, body in _routes("/webhooks", public_hook["id"])[2:]:
        assert_problem(await call(admin, method, path, body), 404)
    # Administrators act as stewards everywhere.
    r = await client.get(f"/communities/{private['slug']}/webhooks", headers=admin.headers)
    assert [w["id"] for w in r.json()["items"]] == [private_hook["id"]]
    # Nothing above changed anything.
    r = await client.get(f"/communities/{public['slug']}/webhooks", headers=steward.headers)
    assert [w["description"] for w in r.json()["items"]] == [""]


async def test_the_delivery_log_costs_the_same_statements_for_any_page_and_old_entries_go(
    app: FastAPI,
    client: httpx.AsyncClient,
    receiver: Receiver,
    count_statements: StatementCounter,
) -> None:
    admin = await register(client, "Ada Admin")
    community = await create_community(client, admin, "Counted Guild")
    hook = await subscribe(client, admin, receiver.url)
    await post(client, admin, community["slug"])
    await settle(app)
    count_statements.statements.clear()
    assert len(await deliveries(client, admin, hook)) == 1
    one = count_statements.count
    for n in range(3):
        await post(client, admin, community["slug"], f"Question {n}")
    await settle(app)
    count_statements.statements.clear()
    assert len(await deliveries(client, admin, hook)) == 4
    assert count_statements.count == one

    async with app.state.events.uow_factory() as uow:
        later = FakeClock(datetime.now(UTC) + timedelta(days=31))
        assert await prune_deliveries(uow, later) == 4
    assert await deliveries(client, admin, hook) == []


async def test_a_webhook_deleted_while_its_delivery_is_out_takes_the_delivery_along(
    app: FastAPI, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    admin = await register(client, "Ada Admin")
    hook = await subscribe(client, admin, receiver.url)

    async def delete_it() -> None:
        r = await client.delete(f"/webhooks/{hook['id']}", headers=admin.headers)
        assert r.status_code == 204, r.text

    receiver.on_request = delete_it
    hooks = app.state.webhooks
    async with hooks.uow_factory() as uow:
        ping = await webhooks_service.ping(
            uow, app.state.clock, Actor(uuid.UUID(admin.id), True), None, uuid.UUID(hook["id"])
        )
        # Sent here rather than by the task: what the task would do, but its outcome is seen.
        sent = await webhooks_service.deliver(
            uow, app.state.clock, hooks.box, hooks.sender, [ping.id]
        )
    assert sent == 1
    assert len(receiver.received) == 1
    assert_problem(await client.get(f"/webhooks/{hook['id']}", headers=admin.headers), 404)
