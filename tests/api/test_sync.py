"""Delta sync: a client that syncs page by page while others write ends with exactly what a
fresh read shows it, never sees what it may not, and is told to resync after the retention."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from api.jobs import DEFAULT_JOBS, run_jobs_once
from repositories.unit_of_work import SqlUnitOfWork
from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register

Copy = dict[tuple[str, str], dict[str, Any]]


class Client:
    """A mobile client's copy: applies changes as the README tells clients to."""

    def __init__(self, http: httpx.AsyncClient, who: Account) -> None:
        self.http = http
        self.who = who
        self.copy: Copy = {}
        self.token: str | None = None
        self.pages = 0

    def apply(self, change: dict[str, Any]) -> None:
        key = (change["type"], change["id"])
        if not change["deleted"]:
            self.copy[key] = change["data"]
            return
        held = self.copy.pop(key, None)
        if change["type"] == "community" and held is not None:
            # The community leaves with its posts and their comments.
            gone = {
                k[1]
                for k, v in self.copy.items()
                if k[0] == "post" and v["community"]["slug"] == held["slug"]
            }
            for k in [
                k
                for k, v in self.copy.items()
                if (k[0] == "post" and k[1] in gone) or (k[0] == "comment" and v["post_id"] in gone)
            ]:
                del self.copy[k]

    async def page(self, limit: int = 3) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if self.token is not None:
            params["since"] = self.token
        response = await self.http.get("/sync", params=params, headers=self.who.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        for change in body["changes"]:
            self.apply(change)
        self.token = body["next"]
        self.pages += 1
        return body

    async def catch_up(self, limit: int = 3) -> None:
        while (await self.page(limit))["has_more"]:
            pass

    def ids(self, kind: str) -> set[str]:
        return {k[1] for k in self.copy if k[0] == kind}


async def _post(http: httpx.AsyncClient, who: Account, slug: str, title: str) -> dict[str, Any]:
    response = await http.post(
        f"/communities/{slug}/posts",
        json={"kind": "discussion", "title": title, "body": f"About {title}."},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def _comment(http: httpx.AsyncClient, who: Account, post_id: str, body: str) -> str:
    response = await http.post(
        f"/posts/{post_id}/comments", json={"body": body}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _private(http: httpx.AsyncClient, steward: Account, *members: Account) -> str:
    slug = (
        await create_community(
            http, steward, "Incident Review", visibility="private", join_policy="invite"
        )
    )["slug"]
    for member in members:
        invited = await http.post(
            f"/communities/{slug}/invitations",
            json={"handle": member.handle},
            headers=steward.headers,
        )
        assert invited.status_code == 201, invited.text
        assert (await join(http, member, slug)).status_code == 201
    return str(slug)


async def _fresh_read(http: httpx.AsyncClient, client: Client) -> None:
    """Everything in the copy is what its GET shows now; nothing the copy lacks is visible."""
    me = client.who.headers
    for (kind, id_), data in client.copy.items():
        match kind:
            case "post":
                assert (await http.get(f"/posts/{id_}", headers=me)).json() == data
            case "comment":
                thread = await http.get(f"/posts/{data['post_id']}/comments", headers=me)
                assert data in thread.json()["items"]
            case "profile":
                assert (await http.get("/me", headers=me)).json() == data
            case "community":
                assert (await http.get(f"/communities/{data['slug']}", headers=me)).json() == data
            case "notification":
                inbox = (await http.get("/notifications", headers=me)).json()["items"]
                assert data in inbox
            case "mentorship":
                assert (await http.get(f"/mentorships/{id_}", headers=me)).json() == data


async def test_a_client_syncing_while_others_write_ends_with_a_fresh_read(client):
    steward, reader, outsider = [await register(client) for _ in range(3)]
    public = (await create_community(client, steward))["slug"]
    for who in (reader, outsider):
        assert (await join(client, who, public)).status_code == 201
    private = await _private(client, steward, reader)
    first = await _post(client, steward, public, "Runbooks")
    secret = await _post(client, steward, private, "Postmortem draft")
    theirs = await _post(client, reader, public, "How do you page?")

    mobile = Client(client, reader)
    snapshot = await mobile.page()
    assert snapshot["has_more"] is False
    assert mobile.ids("post") == {first["id"], secret["id"], theirs["id"]}
    assert mobile.ids("community") == mobile.ids("membership")
    assert len(mobile.ids("community")) == 2
    assert mobile.ids("profile") == {reader.id}
    await _fresh_read(client, mobile)

    # Others write while the client pages, three changes at a time.
    more = [await _post(client, steward, public, f"Tip {n}") for n in range(5)]
    await mobile.page()
    edited = await client.patch(
        f"/posts/{first['id']}", json={"title": "Runbooks, revised"}, headers=steward.headers
    )
    assert edited.status_code == 200
    assert (
        await client.delete(f"/posts/{more[0]['id']}", headers=steward.headers)
    ).status_code == 204
    answer = await _comment(client, steward, theirs["id"], "We rotate weekly.")
    doomed = await _comment(client, steward, first["id"], "Deleted soon.")
    await _comment(client, reader, secret["id"], "Inside the circle.")
    await mobile.page()
    assert (await client.delete(f"/comments/{doomed}", headers=steward.headers)).status_code == 204
    assert (
        await client.patch("/me", json={"title": "On call"}, headers=reader.headers)
    ).status_code == 200
    # Leaving the private community takes it, its posts and comments out of the copy; what is
    # posted there afterwards never reaches the client.
    left = await client.delete(f"/communities/{private}/members/me", headers=reader.headers)
    assert left.status_code == 204
    later_secret = await _post(client, steward, private, "After you left")
    await mobile.catch_up()

    assert mobile.ids("post") == {first["id"], theirs["id"]} | {p["id"] for p in more[1:]}
    assert mobile.ids("comment") == {answer}
    assert len(mobile.ids("community")) == 1 == len(mobile.ids("membership"))
    assert mobile.copy[("profile", reader.id)]["title"] == "On call"
    assert mobile.copy[("post", first["id"])]["title"] == "Runbooks, revised"
    # The steward's answer on the reader's question notified the reader.
    assert any(
        v["kind"] == "comment_on_post" for k, v in mobile.copy.items() if k[0] == "notification"
    )
    await _fresh_read(client, mobile)
    assert later_secret["id"] not in str(mobile.copy)

    # A client of someone who was never in the private community sees none of it, ever.
    stranger = Client(client, outsider)
    await stranger.catch_up()
    stranger.token = None
    await stranger.page()
    await _fresh_read(client, stranger)
    seen = str(stranger.copy)
    for post in (secret, later_secret):
        assert post["id"] not in seen
    assert private not in seen


async def test_a_client_that_is_current_gets_no_changes_and_keeps_its_token_moving(client):
    who = await register(client)
    mobile = Client(client, who)
    await mobile.page()
    empty = await mobile.page()
    assert empty == {"changes": [], "next": empty["next"], "has_more": False}
    slug = (await create_community(client, who))["slug"]
    await mobile.catch_up()
    assert {v["slug"] for k, v in mobile.copy.items() if k[0] == "community"} == {slug}


async def test_tampered_or_foreign_tokens_are_400_and_limits_are_checked(client):
    who, other = await register(client), await register(client)
    token = (await client.get("/sync", headers=who.headers)).json()["next"]
    payload, signature = token.split(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "AB") + "." + signature
    for bad in (tampered, "not-a-token", token + "x"):
        response = await client.get("/sync", params={"since": bad}, headers=who.headers)
        assert_problem(response, 400)
    # A token is its account's: someone else's is refused, not read.
    assert_problem(await client.get("/sync", params={"since": token}, headers=other.headers), 400)
    for limit in (0, 501):
        assert_problem(await client.get("/sync", params={"limit": limit}, headers=who.headers), 422)
    assert_problem(await client.get("/sync"), 401)


@contextmanager
def _clock_at(app: FastAPI, at: datetime) -> Iterator[None]:
    class At:
        def now(self) -> datetime:
            return at

    original = app.state.clock
    app.state.clock = At()
    try:
        yield
    finally:
        app.state.clock = original


async def test_a_token_older_than_the_retention_answers_410_resync(app: FastAPI, client):
    who = await register(client)
    token = (await client.get("/sync", headers=who.headers)).json()["next"]
    now = datetime.now(UTC)
    with _clock_at(app, now + timedelta(days=29)):
        fresh = await client.get("/sync", params={"since": token}, headers=who.headers)
        assert fresh.status_code == 200
    with _clock_at(app, now + timedelta(days=31)):
        body = assert_problem(
            await client.get("/sync", params={"since": token}, headers=who.headers), 410
        )
        assert "resync" in body["detail"]
        # A snapshot starts the client again.
        assert (await client.get("/sync", headers=who.headers)).status_code == 200


async def test_the_daily_job_prunes_changes_past_the_retention(app: FastAPI, client):
    who = await register(client)
    await create_community(client, who)
    prune = [job for job in DEFAULT_JOBS if job.name == "prune_sync_changes"]

    def unit() -> SqlUnitOfWork:
        return SqlUnitOfWork(app.state.session_factory)

    soon = await run_jobs_once(unit, _Fixed(datetime.now(UTC) + timedelta(days=30)), prune)
    assert soon == {"prune_sync_changes": 0}  # a token 30 days old still finds its changes
    later = await run_jobs_once(unit, _Fixed(datetime.now(UTC) + timedelta(days=32)), prune)
    assert later["prune_sync_changes"] > 0


class _Fixed:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def test_a_page_costs_the_same_statements_whatever_it_holds(client, count_statements):
    steward, reader = await register(client), await register(client)
    slug = (await create_community(client, steward))["slug"]
    assert (await join(client, reader, slug)).status_code == 201
    mobile = Client(client, reader)
    await mobile.page()
    counts = []
    for size in (1, 8):
        posts = [await _post(client, steward, slug, f"Post {n}") for n in range(size)]
        for post in posts:
            await _comment(client, steward, post["id"], "A reply.")
        count_statements.statements.clear()
        body = await mobile.page(limit=100)
        counts.append(count_statements.count)
        assert len([c for c in body["changes"] if c["type"] == "post"]) == size
    assert counts[0] == counts[1], counts


async def test_updated_since_on_a_list_is_refused_rather_than_ignored(client):
    who = await register(client)
    for path in ("/communities", "/feed", "/notifications", "/mentorships", "/users"):
        response = await client.get(
            path, params={"updated_since": "2026-01-01T00:00:00Z"}, headers=who.headers
        )
        body = assert_problem(response, 422)
        assert body["errors"][0]["loc"] == ["query", "updated_since"]


async def test_a_change_that_commits_after_a_later_one_is_not_lost(app: FastAPI, client):
    """The commit-order race: a transaction that wrote first but commits last. A token handed
    out meanwhile must not point past its change."""
    if app.state.engine.dialect.name != "postgresql":
        # SQLite has one writer at a time: a second write waits for the first commit.
        return
    steward, reader = await register(client), await register(client)
    community = await create_community(client, steward)
    assert (await join(client, reader, community["slug"])).status_code == 201
    mobile = Client(client, reader)
    await mobile.page()
    async with app.state.engine.connect() as slow:
        await slow.begin()
        await slow.execute(
            text("UPDATE user_account SET title = 'Written slowly' WHERE handle = :handle"),
            {"handle": reader.handle},
        )
        quick = await _post(client, steward, community["slug"], "Committed first")
        await mobile.catch_up()  # the quick post waits behind the open transaction
        await slow.commit()
    await mobile.catch_up()
    assert quick["id"] in mobile.ids("post")
    assert mobile.copy[("profile", reader.id)]["title"] == "Written slowly"
    await _fresh_read(client, mobile)
