"""The inbox: listing, grouping, reasons and links, marking read, watching, preferences and
visibility of notifications."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register, with_personal_token


async def _post(
    client: httpx.AsyncClient, author: Account, slug: str, kind: str = "question", body: str = "?"
) -> dict[str, Any]:
    response = await client.post(
        f"/communities/{slug}/posts",
        json={"kind": kind, "title": "How do we roll back?", "body": body},
        headers=author.headers,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _comment(
    client: httpx.AsyncClient, who: Account, post_id: str, body: str = "Like this."
) -> dict[str, Any]:
    response = await client.post(
        f"/posts/{post_id}/comments", json={"body": body}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _inbox(client: httpx.AsyncClient, who: Account, query: str = "") -> list[dict[str, Any]]:
    response = await client.get(f"/me/notifications{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _unread(client: httpx.AsyncClient, who: Account) -> int:
    response = await client.get("/me/notifications/unread-count", headers=who.headers)
    assert response.status_code == 200, response.text
    count: int = response.json()["unread"]
    return count


async def _people(client: httpx.AsyncClient, *names: str) -> list[Account]:
    return [await register(client, name) for name in names]


async def _guild(client: httpx.AsyncClient, *people: Account, slug: str = "guild") -> None:
    owner, *others = people
    await create_community(client, owner, slug.title())
    for person in others:
        assert (await join(client, person, slug)).status_code == 201


async def test_an_answer_reaches_the_asker_with_why_and_where(client):
    asker, helper = await register(client, "Asker"), await register(client, "Helper")
    await _guild(client, asker, helper)
    post = await _post(client, asker, "guild")
    comment = await _comment(client, helper, post["id"])
    assert await _unread(client, asker) == 1
    [item] = await _inbox(client, asker)
    assert item["kind"] == "comment_on_post" and item["reason"] == "asked"
    assert item["actor"]["handle"] == helper.handle and item["count"] == 1
    assert item["post_id"] == post["id"] and item["comment_id"] == comment["id"]
    assert item["link"] == f"/posts/{post['id']}#comment-{comment['id']}"
    assert item["subject"]["type"] == "post" and item["read_at"] is None
    assert item["community_id"] is not None
    assert await _inbox(client, helper) == []  # nobody hears of their own action

    read = await client.post(f"/me/notifications/{item['id']}/read", headers=asker.headers)
    assert read.status_code == 204
    again = await client.post(f"/me/notifications/{item['id']}/read", headers=asker.headers)
    assert again.status_code == 204  # idempotent
    assert await _unread(client, asker) == 0
    assert await _inbox(client, asker, "?unread=true") == []
    assert (await _inbox(client, asker))[0]["read_at"] is not None
    # Someone else's notification, and one that does not exist, are the same 404.
    foreign = await client.post(f"/me/notifications/{item['id']}/read", headers=helper.headers)
    missing = await client.post(f"/me/notifications/{uuid.uuid4()}/read", headers=helper.headers)
    assert assert_problem(foreign, 404) == assert_problem(missing, 404)


async def test_repeated_answers_collapse_into_one_line(client):
    asker = await register(client, "Asker")
    helpers = [await register(client, f"Helper {i}") for i in range(4)]
    await _guild(client, asker, *helpers)
    post = await _post(client, asker, "guild")
    for helper in helpers:
        await _comment(client, helper, post["id"])
    [line] = await _inbox(client, asker)
    assert line["count"] == 4
    assert line["actor"]["handle"] == helpers[-1].handle
    # The latest three actors, newest first.
    assert [a["handle"] for a in line["actors"]] == [h.handle for h in reversed(helpers[1:])]
    assert await _unread(client, asker) == 1
    # Once read, the next answer starts a new line.
    await client.post(f"/me/notifications/{line['id']}/read", headers=asker.headers)
    await _comment(client, helpers[0], post["id"])
    fresh, old = await _inbox(client, asker)
    assert fresh["count"] == 1 and fresh["read_at"] is None and old["id"] == line["id"]


async def test_read_all_up_to_leaves_what_arrived_meanwhile_unread(client):
    asker, helper, other = await _people(client, "Asker", "Helper", "Other")
    await _guild(client, asker, helper, other)
    first = await _post(client, asker, "guild")
    second = await _post(client, asker, "guild")
    await _comment(client, helper, first["id"])
    seen = await _inbox(client, asker)
    await _comment(client, helper, second["id"])  # arrives after the client looked
    await _comment(client, other, first["id"])  # joins the line the client saw
    response = await client.post(
        "/me/notifications/read-all", json={"up_to": seen[0]["id"]}, headers=asker.headers
    )
    assert response.status_code == 204
    assert await _unread(client, asker) == 2
    [moved, newer] = await _inbox(client, asker, "?unread=true")
    assert moved["count"] == 2 and newer["count"] == 1
    assert (await client.post("/me/notifications/read-all", headers=asker.headers)).status_code == (
        204
    )
    assert await _unread(client, asker) == 0
    for bad in ({"up_to": "nope"}, {"up_to": 7}, {"until": seen[0]["id"]}):
        assert_problem(
            await client.post("/me/notifications/read-all", json=bad, headers=asker.headers), 422
        )


async def test_the_inbox_pages_by_keyset_at_a_constant_statement_count(client, count_statements):
    asker = await register(client, "Asker")
    helpers = [await register(client) for _ in range(3)]
    await _guild(client, asker, *helpers)
    for _ in range(4):
        post = await _post(client, asker, "guild")
        for helper in helpers:
            await _comment(client, helper, post["id"])
    everything = await _inbox(client, asker)
    assert len(everything) == 4
    seen, url = [], "/me/notifications?limit=1"
    while url:
        page = (await client.get(url, headers=asker.headers)).json()
        seen += [i["id"] for i in page["items"]]
        url = (
            f"/me/notifications?limit=1&cursor={page['next_cursor']}" if page["next_cursor"] else ""
        )
    assert seen == [i["id"] for i in everything]
    counts = {}
    for limit in (1, 50):
        count_statements.statements.clear()
        response = await client.get(f"/me/notifications?limit={limit}", headers=asker.headers)
        assert response.status_code == 200
        counts[limit] = count_statements.count
    assert counts[1] == counts[50], counts
    assert_problem(await client.get("/me/notifications?cursor=bogus", headers=asker.headers), 400)
    assert_problem(await client.get("/me/notifications?limit=0", headers=asker.headers), 422)
    assert_problem(await client.get("/me/notifications?unread=maybe", headers=asker.headers), 422)


async def test_watchers_hear_of_new_comments(client):
    author, commenter, reader, late = await _people(client, "Au", "Co", "Re", "La")
    await _guild(client, author, commenter, reader, late)
    post = await _post(client, author, "guild", kind="discussion")
    await _comment(client, commenter, post["id"])  # commenting watches the post
    assert (
        await client.put(f"/posts/{post['id']}/watch", headers=reader.headers)
    ).status_code == 204
    await _comment(client, late, post["id"])
    for who in (commenter, reader):
        [line] = await _inbox(client, who)
        assert line["reason"] == "watching" and line["kind"] == "comment_on_post"
    assert [i["reason"] for i in await _inbox(client, author)] == ["authored"]

    # Unwatching sticks, even when commenting again.
    for who in (reader, commenter):
        response = await client.delete(f"/posts/{post['id']}/watch", headers=who.headers)
        assert response.status_code == 204
    await _comment(client, commenter, post["id"])
    await _comment(client, late, post["id"])
    assert [i["count"] for i in await _inbox(client, reader)] == [1]
    assert [i["count"] for i in await _inbox(client, commenter)] == [1]
    assert (await _inbox(client, author))[0]["count"] == 4


async def test_watching_a_post_you_cannot_see_is_404(client):
    owner, outsider = await register(client), await register(client)
    await create_community(client, owner, "Hidden", visibility="private", join_policy="invite")
    post = await _post(client, owner, "hidden")
    for method in ("GET", "PUT", "DELETE"):
        for post_id in (post["id"], str(uuid.uuid4())):
            response = await client.request(
                method, f"/posts/{post_id}/watch", headers=outsider.headers
            )
            assert_problem(response, 404)
        assert (
            await client.request(method, f"/posts/{post['id']}/watch", headers=owner.headers)
        ).status_code == (200 if method == "GET" else 204)
    assert_problem(await client.get("/posts/not-a-uuid/watch", headers=owner.headers), 422)


async def _watch(client, who, post_id: str) -> dict:
    response = await client.get(f"/posts/{post_id}/watch", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


async def test_the_watch_state_says_whether_and_why(client, count_statements):
    author, commenter, reader, late = await _people(client, "Au", "Co", "Re", "La")
    await _guild(client, author, commenter, reader, late)
    post = await _post(client, author, "guild", kind="discussion")
    await _comment(client, commenter, post["id"])
    await client.put(f"/posts/{post['id']}/watch", headers=reader.headers)
    expected = {
        author.handle: {"watching": True, "reason": "author"},
        commenter.handle: {"watching": True, "reason": "commenter"},
        reader.handle: {"watching": True, "reason": "explicit"},
        late.handle: {"watching": False, "reason": None},
    }
    for who in (author, commenter, reader, late):
        assert await _watch(client, who, post["id"]) == expected[who.handle]
    # Unwatching shows at once, and sticks when commenting again.
    for who in (author, commenter):
        await client.delete(f"/posts/{post['id']}/watch", headers=who.headers)
        assert await _watch(client, who, post["id"]) == {"watching": False, "reason": None}
    await _comment(client, commenter, post["id"])
    assert (await _watch(client, commenter, post["id"]))["watching"] is False
    # Watching again by choice: the first reason that applies.
    await client.put(f"/posts/{post['id']}/watch", headers=commenter.headers)
    assert await _watch(client, commenter, post["id"]) == {"watching": True, "reason": "commenter"}
    # One statement for the state, whoever asks.
    counts = set()
    for who in (author, late):
        count_statements.statements.clear()
        await _watch(client, who, post["id"])
        counts.add(count_statements.count)
    assert len(counts) == 1, counts


async def test_preferences_have_defaults_and_in_app_off_writes_nothing(client):
    author, fan = await register(client, "Author"), await register(client, "Fan")
    await _guild(client, author, fan)
    prefs = (await client.get("/me/notification-preferences", headers=fan.headers)).json()
    by_kind = {p["kind"]: p for p in prefs["preferences"]}
    assert by_kind["mention"] == {"kind": "mention", "in_app": True, "email": True, "push": False}
    assert by_kind["new_post"]["email"] is False and by_kind["invitation"]["email"] is True
    assert all(p["in_app"] and not p["push"] for p in prefs["preferences"])

    changed = await client.put(
        "/me/notification-preferences",
        json={"preferences": [{"kind": "mention", "in_app": False}]},
        headers=fan.headers,
    )
    assert changed.status_code == 200, changed.text
    mention = {p["kind"]: p for p in changed.json()["preferences"]}["mention"]
    assert mention == {"kind": "mention", "in_app": False, "email": True, "push": False}
    await _post(client, author, "guild", body=f"Thoughts, @{fan.handle}?")
    assert await _inbox(client, fan) == []
    stored = (await client.get("/me/notification-preferences", headers=fan.headers)).json()
    assert {p["kind"]: p for p in stored["preferences"]}["mention"] == mention

    twice = await client.put(
        "/me/notification-preferences",
        json={"preferences": [{"kind": "invitation", "push": True}, {"kind": "invitation"}]},
        headers=fan.headers,
    )
    invitation = {p["kind"]: p for p in twice.json()["preferences"]}["invitation"]
    assert invitation == {"kind": "invitation", "in_app": True, "email": True, "push": False}
    for bad in (
        {"preferences": [{"kind": "gossip"}]},
        {"preferences": [{"kind": "mention", "sms": True}]},
        {"preferences": [{"kind": "mention", "email": "yes"}]},
        {},
    ):
        assert_problem(
            await client.put("/me/notification-preferences", json=bad, headers=fan.headers), 422
        )


async def test_nobody_is_notified_of_what_they_cannot_see(client):
    owner, member, outsider = await _people(client, "Owner", "Member", "Out")
    await create_community(client, owner, "Circle", visibility="private", join_policy="invite")
    invited = await client.post(
        "/communities/circle/invitations", json={"handle": member.handle}, headers=owner.headers
    )
    assert invited.status_code == 201
    assert [i["kind"] for i in await _inbox(client, member)] == ["invitation"]
    assert (await join(client, member, "circle")).status_code == 201
    post = await _post(client, member, "circle", body=f"@{outsider.handle} and @{owner.handle}?")
    assert "mention" in [i["kind"] for i in await _inbox(client, owner)]
    assert await _inbox(client, outsider) == []
    assert (
        await client.put(f"/posts/{post['id']}/watch", headers=outsider.headers)
    ).status_code == (404)


async def test_leaving_a_private_community_stops_and_hides_its_notifications(client):
    owner, member = await register(client, "Owner"), await register(client, "Member")
    await create_community(client, owner, "Circle", visibility="private", join_policy="invite")
    await client.post(
        "/communities/circle/invitations", json={"handle": member.handle}, headers=owner.headers
    )
    await join(client, member, "circle")
    post = await _post(client, member, "circle")
    await _comment(client, owner, post["id"])
    lines = await _inbox(client, member)
    assert {i["kind"] for i in lines} == {"invitation", "comment_on_post"}
    assert (
        await client.delete("/communities/circle/members/me", headers=member.headers)
    ).status_code == 204
    assert await _inbox(client, member) == [] and await _unread(client, member) == 0
    assert_problem(
        await client.post(f"/me/notifications/{lines[0]['id']}/read", headers=member.headers), 404
    )
    await _comment(client, owner, post["id"])  # the member still watches, but may not see it
    assert await _inbox(client, member) == []


async def test_community_notify_level_all_still_announces_new_posts(client):
    owner, member = await register(client), await register(client)
    await _guild(client, owner, member)
    level = await client.patch(
        "/communities/guild/members/me", json={"notify_level": "all"}, headers=member.headers
    )
    assert level.status_code == 200
    post = await _post(client, owner, "guild")
    [line] = await _inbox(client, member)
    assert line["kind"] == "new_post" and line["reason"] == "community_setting"
    assert line["post_id"] == post["id"] and line["link"] == f"/posts/{post['id']}"


ROUTES = [
    ("GET", "/me/notifications", None),
    ("GET", "/me/notifications/unread-count", None),
    ("POST", "/me/notifications/{notification}/read", None),
    ("POST", "/me/notifications/read-all", {"up_to": "{notification}"}),
    ("GET", "/me/notification-preferences", None),
    ("PUT", "/me/notification-preferences", {"preferences": [{"kind": "mention"}]}),
    ("PUT", "/posts/{post}/watch", None),
    ("DELETE", "/posts/{post}/watch", None),
    ("GET", "/posts/{post}/watch", None),
    # The same inbox under the paths API.md names.
    ("GET", "/notifications", None),
    ("GET", "/notifications/unread-count", None),
    ("POST", "/notifications/{notification}/read", None),
    ("POST", "/notifications/read-all", {"up_to": "{notification}"}),
    # The e-mail digest and switches.
    ("GET", "/me/notification-settings", None),
    ("PUT", "/me/notification-settings", {"email_digest": "weekly"}),
]
# caller -> expected status per route (same order as ROUTES). The owner is the notification's
# recipient; `reader` holds a read-only token; `stranger` sees the post (public community) but
# does not own the notification.
EXPECTED = {
    "anonymous": [401] * 15,
    "owner": [200, 200, 204, 204, 200, 200, 204, 204, 200, 200, 200, 204, 204, 200, 200],
    "reader": [200, 200, 403, 403, 200, 403, 403, 403, 200, 200, 200, 403, 403, 200, 403],
    "stranger": [200, 200, 404, 204, 200, 200, 204, 204, 200, 200, 200, 404, 204, 200, 200],
}


@pytest.mark.parametrize("caller", list(EXPECTED))
async def test_authorization(client, caller):
    owner, helper = await register(client, "Owner"), await register(client, "Helper")
    await _guild(client, owner, helper)
    post = await _post(client, owner, "guild")
    await _comment(client, helper, post["id"])
    [notification] = await _inbox(client, owner)
    callers = {
        "anonymous": {},
        "owner": owner.headers,
        "reader": (await with_personal_token(client, owner, ["read"])).headers,
        "stranger": (await register(client)).headers,
    }
    names = {"notification": notification["id"], "post": post["id"]}
    failures = []
    for (method, path, body), want in zip(ROUTES, EXPECTED[caller], strict=True):
        json_body = {"up_to": names["notification"]} if body and "up_to" in body else body
        response = await client.request(
            method, path.format(**names), json=json_body, headers=callers[caller]
        )
        if response.status_code != want:
            failures.append(f"{method} {path}: {response.status_code} != {want}")
        elif want >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
    assert failures == []


def test_every_notification_route_has_a_rule(app):
    document = app.openapi()["paths"]
    routes = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in document.items()
        for method in item
        # The stream's routes have their rules in tests/api/test_notification_stream.py; the
        # one-click unsubscribe's rule is its signed token (tests/api/test_notification_mail.py).
        if "notifications" in item[method]["tags"]
        and "/stream" not in path
        and path != "/api/v1/unsubscribe"
    }
    covered = {
        (method, path.replace("{notification}", "{notification_id}").replace("{post}", "{post_id}"))
        for method, path, _ in ROUTES
    }
    assert routes == covered


async def test_the_inbox_answers_at_the_paths_the_contract_names_too(client):
    owner, helper = await register(client, "Owner"), await register(client, "Helper")
    await _guild(client, owner, helper)
    post = await _post(client, owner, "guild")
    await _comment(client, helper, post["id"])
    listed = (await client.get("/notifications?unread=true", headers=owner.headers)).json()
    assert [item["kind"] for item in listed["items"]] == ["comment_on_post"]
    assert (
        listed == (await client.get("/me/notifications?unread=true", headers=owner.headers)).json()
    )
    count = await client.get("/notifications/unread-count", headers=owner.headers)
    assert count.json() == {"unread": 1}
    notification_id = listed["items"][0]["id"]
    read = await client.post(f"/notifications/{notification_id}/read", headers=owner.headers)
    assert read.status_code == 204
    after = await client.get("/me/notifications/unread-count", headers=owner.headers)
    assert after.json() == {"unread": 0}


async def test_settings_and_watches_honour_if_match(client):
    """Two tabs: the second's save, made from a copy the first has since changed, is a 412 and
    changes nothing; the answer's ETag is what the next read answers."""
    author, reader = await _people(client, "Author", "Reader")
    await _guild(client, author, reader)
    post = await _post(client, author, "guild", kind="discussion")
    writes = [
        (
            "/me/notification-preferences",
            "/me/notification-preferences",
            {"preferences": [{"kind": "mention", "email": False}]},
            {"preferences": [{"kind": "mention", "push": True}]},
        ),
        (
            "/me/notification-settings",
            "/me/notification-settings",
            {"email_digest": "off"},
            {"email_digest": "daily"},
        ),
        (f"/posts/{post['id']}/watch", f"/posts/{post['id']}/watch", None, None),
    ]
    for read_path, write_path, first, second in writes:
        before = await client.get(read_path, headers=reader.headers)
        tag = before.headers["etag"]
        saved = await client.put(
            write_path, json=first, headers={**reader.headers, "If-Match": tag}
        )
        assert saved.status_code in (200, 204), saved.text
        after = await client.get(read_path, headers=reader.headers)
        assert after.headers["etag"] == saved.headers["etag"] != tag
        stale = await client.put(
            write_path, json=second, headers={**reader.headers, "If-Match": tag}
        )
        assert_problem(stale, 412)
        unchanged = await client.get(read_path, headers=reader.headers)
        assert unchanged.content == after.content
        # Without If-Match the write is still accepted, as it always was.
        again = await client.put(write_path, json=second, headers=reader.headers)
        assert again.status_code in (200, 204), again.text
