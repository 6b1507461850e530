"""Communities of practice: lifecycle, membership, leadership, transparency."""

from __future__ import annotations

import asyncio

import pytest

from tests.communities_helpers import PURPOSE, create_community, join, make_role
from tests.conftest import BACKEND
from tests.helpers import assert_problem, assert_safe_html, register


async def test_create_makes_the_creator_steward_and_renders_markdown(client):
    owner = await register(client, "Olu Owner")
    response = await client.post(
        "/communities",
        json={
            "name": "Data Guild",
            "purpose": PURPOSE,
            "tags": ["Python", "SQL", "python"],
            "description": "We **love** data. <script>alert(1)</script> [x](javascript:alert(1))",
        },
        headers=owner.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == "/api/v1/communities/data-guild"
    assert body["slug"] == "data-guild" and body["member_count"] == 1
    assert body["my_membership"] == {
        "role": "steward",
        "status": "active",
        "notify_level": "all",
        "term_ends_at": None,
    }
    assert body["tags"] == ["python", "sql"]
    html = body["description_html"]
    assert "<strong>love</strong>" in html
    assert_safe_html(html)
    members = (await client.get("/communities/data-guild/members", headers=owner.headers)).json()
    assert [(m["user"]["handle"], m["role"]) for m in members["items"]] == [
        ("olu-owner", "steward")
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "purpose": "too short"}, "purpose"),
        (
            {"name": "X", "purpose": PURPOSE, "visibility": "private", "join_policy": "open"},
            "join_policy",
        ),
        ({"name": "X", "purpose": PURPOSE, "member_count": 50}, "member_count"),
        ({"name": "X", "purpose": PURPOSE, "slug": "Bad Slug"}, "slug"),
        ({"name": "X", "purpose": PURPOSE, "tags": [str(i) for i in range(11)]}, "tags"),
    ],
)
async def test_bad_community_input_is_422(client, body, field):
    owner = await register(client)
    problem = assert_problem(
        await client.post("/communities", json=body, headers=owner.headers), 422
    )
    assert any(field in map(str, e["loc"]) for e in problem["errors"]), problem


async def test_slug_taken_is_409(client):
    owner = await register(client)
    await create_community(client, owner, "Data Guild")
    response = await client.post(
        "/communities", json={"name": "Data guild!", "purpose": PURPOSE}, headers=owner.headers
    )
    assert assert_problem(response, 409)["code"] == "slug_taken"


async def test_idempotency_key_replays_the_create(client):
    owner = await register(client)
    headers = {**owner.headers, "Idempotency-Key": "create-1"}
    body = {"name": "Design Circle", "purpose": PURPOSE}
    first = await client.post("/communities", json=body, headers=headers)
    again = await client.post("/communities", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    listed = (await client.get("/communities", headers=owner.headers)).json()["items"]
    assert len(listed) == 1
    other = await client.post("/communities", json={**body, "name": "Other"}, headers=headers)
    assert_problem(other, 422)
    # a failed create frees the key for a corrected retry
    bad = {"name": "Fixed", "purpose": PURPOSE, "slug": "design-circle"}
    headers2 = {**owner.headers, "Idempotency-Key": "create-2"}
    assert_problem(await client.post("/communities", json=bad, headers=headers2), 409)
    fixed = await client.post("/communities", json={**bad, "slug": "fixed"}, headers=headers2)
    assert fixed.status_code == 201


async def test_join_policies(client):
    owner = await register(client)
    alice = await register(client)
    await create_community(client, owner, "Open One")
    await create_community(client, owner, "Approval One", join_policy="approval")
    await create_community(client, owner, "Invite One", join_policy="invite")
    joined = await join(client, alice, "open-one")
    assert joined.status_code == 201 and joined.json()["status"] == "active"
    assert (await join(client, alice, "open-one")).status_code == 200
    pending = await join(client, alice, "approval-one")
    assert pending.status_code == 202 and pending.json()["status"] == "pending"
    assert (await join(client, alice, "approval-one")).status_code == 202
    assert_problem(await join(client, alice, "invite-one"), 403)
    # the steward sees the request, approves it, and the count follows
    requests = await client.get(
        "/communities/approval-one/members?status=pending", headers=owner.headers
    )
    assert [m["user"]["handle"] for m in requests.json()["items"]] == [alice.handle]
    approved = await client.patch(
        f"/communities/approval-one/members/{alice.handle}",
        json={"status": "active"},
        headers=owner.headers,
    )
    assert approved.json()["status"] == "active"
    community = (await client.get("/communities/approval-one", headers=alice.headers)).json()
    assert community["member_count"] == 2
    assert community["my_membership"]["role"] == "member"
    assert community["my_membership"]["status"] == "active"


async def test_pending_requests_are_hidden_from_members(client):
    owner = await register(client)
    member = await register(client)
    applicant = await register(client)
    await create_community(client, owner, "Approval Two", join_policy="approval")
    await join(client, member, "approval-two")
    await client.patch(
        f"/communities/approval-two/members/{member.handle}",
        json={"status": "active"},
        headers=owner.headers,
    )
    await join(client, applicant, "approval-two")
    listed = (await client.get("/communities/approval-two/members", headers=member.headers)).json()
    assert applicant.handle not in [m["user"]["handle"] for m in listed["items"]]
    assert_problem(
        await client.get(
            "/communities/approval-two/members?status=pending", headers=member.headers
        ),
        403,
    )
    everyone = (await client.get("/communities/approval-two/members", headers=owner.headers)).json()
    assert applicant.handle in [m["user"]["handle"] for m in everyone["items"]]


async def test_private_community_is_invisible_until_invited(client):
    owner = await register(client)
    outsider = await register(client)
    guest = await register(client)
    await create_community(
        client, owner, "Secret Circle", visibility="private", join_policy="invite"
    )
    missing = await client.get("/communities/no-such-community", headers=outsider.headers)
    hidden = await client.get("/communities/secret-circle", headers=outsider.headers)
    assert_problem(hidden, 404)
    assert hidden.json() == missing.json()
    listing = (await client.get("/communities", headers=outsider.headers)).json()["items"]
    assert listing == []
    for path in ("members", "stats", "audit-log"):
        assert_problem(
            await client.get(f"/communities/secret-circle/{path}", headers=outsider.headers), 404
        )
    assert_problem(await join(client, outsider, "secret-circle"), 404)
    invited = await client.post(
        "/communities/secret-circle/invitations",
        json={"handle": guest.handle},
        headers=owner.headers,
    )
    assert invited.status_code == 201
    mine = (await client.get("/me/invitations", headers=guest.headers)).json()["items"]
    assert [i["community"]["slug"] for i in mine] == ["secret-circle"]
    assert (
        await client.get("/communities/secret-circle", headers=guest.headers)
    ).status_code == 200
    assert [
        c["slug"] for c in (await client.get("/communities", headers=guest.headers)).json()["items"]
    ] == ["secret-circle"]
    joined = await join(client, guest, "secret-circle")
    assert joined.status_code == 201
    assert (await client.get("/me/invitations", headers=guest.headers)).json()["items"] == []


async def test_last_steward_cannot_leave_be_demoted_or_removed(client):
    owner = await register(client)
    second = await register(client)
    await create_community(client, owner, "Steady")
    slug = "steady"
    assert (
        assert_problem(
            await client.delete(f"/communities/{slug}/members/me", headers=owner.headers), 409
        )["code"]
        == "last_steward"
    )
    demote = await client.patch(
        f"/communities/{slug}/members/{owner.handle}",
        json={"role": "member"},
        headers=owner.headers,
    )
    assert_problem(demote, 409)
    await join(client, second, slug)
    await make_role(client, owner, slug, second, "steward")
    assert (
        await client.delete(f"/communities/{slug}/members/me", headers=owner.headers)
    ).status_code == 204
    assert_problem(
        await client.delete(f"/communities/{slug}/members/{second.handle}", headers=second.headers),
        409,
    )
    stewards = (
        await client.get(f"/communities/{slug}/members?role=steward", headers=second.headers)
    ).json()["items"]
    assert [s["user"]["handle"] for s in stewards] == [second.handle]


async def test_moderators_remove_members_but_not_leaders(client):
    owner = await register(client)
    mod = await register(client)
    mod2 = await register(client)
    member = await register(client)
    await create_community(client, owner, "Mods")
    for who in (mod, mod2, member):
        await join(client, who, "mods")
    await make_role(client, owner, "mods", mod, "moderator")
    await make_role(client, owner, "mods", mod2, "moderator")
    assert_problem(
        await client.delete(f"/communities/mods/members/{owner.handle}", headers=mod.headers), 403
    )
    assert_problem(
        await client.delete(f"/communities/mods/members/{mod2.handle}", headers=mod.headers), 403
    )
    assert_problem(
        await client.patch(
            f"/communities/mods/members/{member.handle}",
            json={"role": "moderator"},
            headers=mod.headers,
        ),
        403,
    )
    removed = await client.delete(f"/communities/mods/members/{member.handle}", headers=mod.headers)
    assert removed.status_code == 204
    community = (await client.get("/communities/mods", headers=owner.headers)).json()
    assert community["member_count"] == 3
    log = (await client.get("/communities/mods/audit-log", headers=member.headers)).json()["items"]
    assert log[0]["action"] == "member_removed"
    assert log[0]["actor"]["handle"] == mod.handle and log[0]["subject"]["handle"] == member.handle


async def test_nominations_flow(client):
    owner = await register(client)
    peer = await register(client)
    nominee = await register(client)
    await create_community(client, owner, "Rotating", steward_term_days=30)
    await join(client, peer, "rotating")
    await join(client, nominee, "rotating")
    created = await client.post(
        "/communities/rotating/nominations",
        json={"handle": nominee.handle, "role": "steward", "reason": "Runs our best sessions"},
        headers=peer.headers,
    )
    assert created.status_code == 201, created.text
    nomination = created.json()
    assert nomination["status"] == "pending" and nomination["nominated_by"]["handle"] == peer.handle
    dup = await client.post(
        "/communities/rotating/nominations",
        json={"handle": nominee.handle, "role": "steward"},
        headers=peer.headers,
    )
    assert_problem(dup, 409)
    assert_problem(
        await client.post(
            f"/communities/rotating/nominations/{nomination['id']}/accept", headers=peer.headers
        ),
        403,
    )
    listed = (
        await client.get("/communities/rotating/nominations?status=pending", headers=owner.headers)
    ).json()["items"]
    assert [n["id"] for n in listed] == [nomination["id"]]
    accepted = await client.post(
        f"/communities/rotating/nominations/{nomination['id']}/accept", headers=owner.headers
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = await client.post(
        f"/communities/rotating/nominations/{nomination['id']}/decline", headers=owner.headers
    )
    assert_problem(again, 409)
    stewards = (
        await client.get("/communities/rotating/members?role=steward", headers=peer.headers)
    ).json()["items"]
    by_handle = {s["user"]["handle"]: s for s in stewards}
    assert set(by_handle) == {owner.handle, nominee.handle}
    assert by_handle[nominee.handle]["term_ends_at"] is not None
    # nominating an outsider or for "member" is refused
    outsider = await register(client)
    assert_problem(
        await client.post(
            "/communities/rotating/nominations",
            json={"handle": outsider.handle, "role": "moderator"},
            headers=peer.headers,
        ),
        404,
    )


async def test_edit_with_if_match_and_archive(client):
    owner = await register(client)
    member = await register(client)
    created = await create_community(client, owner, "Editable")
    await join(client, member, "editable")
    got = await client.get("/communities/editable", headers=owner.headers)
    etag = got.headers["etag"]
    assert (
        await client.get("/communities/editable", headers={**owner.headers, "If-None-Match": etag})
    ).status_code == 304
    assert_problem(
        await client.patch("/communities/editable", json={"name": "Nope"}, headers=member.headers),
        403,
    )
    updated = await client.patch(
        "/communities/editable",
        json={"name": "Edited", "description": "*new*"},
        headers={**owner.headers, "If-Match": etag},
    )
    assert updated.status_code == 200
    assert (
        updated.json()["name"] == "Edited" and updated.json()["version"] == created["version"] + 1
    )
    stale = await client.patch(
        "/communities/editable", json={"name": "Lost"}, headers={**owner.headers, "If-Match": etag}
    )
    assert_problem(stale, 412)
    assert_problem(
        await client.patch(
            "/communities/editable", json={"visibility": "private"}, headers=owner.headers
        ),
        422,
    )
    assert_problem(await client.delete("/communities/editable", headers=member.headers), 403)
    assert (await client.delete("/communities/editable", headers=owner.headers)).status_code == 204
    assert (await client.get("/communities", headers=owner.headers)).json()["items"] == []
    archived = (await client.get("/communities/editable", headers=member.headers)).json()
    assert archived["archived_at"] is not None
    assert_problem(
        await client.patch("/communities/editable", json={"name": "x"}, headers=owner.headers), 409
    )
    newcomer = await register(client)
    assert_problem(await join(client, newcomer, "editable"), 409)


async def test_list_sorts_follow_the_stored_activity_and_member_counts(client):
    """sort=active and sort=members read columns that writes keep current: a new post moves its
    community to the top of `active`, joining and leaving move `members`."""
    owner = await register(client)
    people = [await register(client) for _ in range(3)]
    for name in ("Alpha Guild", "Beta Guild", "Gamma Guild"):
        await create_community(client, owner, name)

    async def order(sort: str) -> list[str]:
        response = await client.get(f"/communities?sort={sort}", headers=owner.headers)
        assert response.status_code == 200, response.text
        return [c["slug"] for c in response.json()["items"]]

    assert await order("active") == ["gamma-guild", "beta-guild", "alpha-guild"]
    posted = await client.post(
        "/communities/alpha-guild/posts",
        json={"kind": "discussion", "title": "News", "body": "Hello."},
        headers=owner.headers,
    )
    assert posted.status_code == 201, posted.text
    assert await order("active") == ["alpha-guild", "gamma-guild", "beta-guild"]

    for person in people[:2]:
        assert (await join(client, person, "beta-guild")).status_code == 201
    assert (await join(client, people[2], "gamma-guild")).status_code == 201
    assert await order("members") == ["beta-guild", "gamma-guild", "alpha-guild"]
    for person in people[:2]:
        left = await client.delete("/communities/beta-guild/members/me", headers=person.headers)
        assert left.status_code == 204, left.text
    assert (await order("members"))[0] == "gamma-guild"


async def test_listing_search_sorts_and_member_filter(client):
    owner = await register(client)
    viewer = await register(client)
    for name in ("Python Practice", "Product Craft", "Kotlin Corner"):
        await create_community(client, owner, name)
    await join(client, viewer, "kotlin-corner")
    found = (await client.get("/communities?q=pr", headers=viewer.headers)).json()["items"]
    assert {c["slug"] for c in found} == {"python-practice", "product-craft"}
    word = (await client.get("/communities?q=corner", headers=viewer.headers)).json()["items"]
    assert [c["slug"] for c in word] == ["kotlin-corner"]
    mine = (await client.get("/communities?member=me", headers=viewer.headers)).json()["items"]
    assert [c["slug"] for c in mine] == ["kotlin-corner"]
    by_members = (await client.get("/communities?sort=members", headers=viewer.headers)).json()
    assert by_members["items"][0]["slug"] == "kotlin-corner"
    newest = (await client.get("/communities?sort=new&limit=2", headers=viewer.headers)).json()
    assert [c["slug"] for c in newest["items"]] == ["kotlin-corner", "product-craft"]
    rest = (
        await client.get(
            f"/communities?sort=new&limit=2&cursor={newest['next_cursor']}", headers=viewer.headers
        )
    ).json()
    assert [c["slug"] for c in rest["items"]] == ["python-practice"] and rest["next_cursor"] is None
    assert_problem(await client.get("/communities?member=you", headers=viewer.headers), 422)


async def test_notify_level_and_stats(client):
    owner = await register(client)
    member = await register(client)
    await create_community(client, owner, "Stats")
    await join(client, member, "stats")
    updated = await client.patch(
        "/communities/stats/members/me", json={"notify_level": "all"}, headers=member.headers
    )
    assert updated.status_code == 200 and updated.json()["notify_level"] == "all"
    assert_problem(
        await client.patch(
            "/communities/stats/members/me", json={"notify_level": "loud"}, headers=member.headers
        ),
        422,
    )
    stats = (await client.get("/communities/stats/stats", headers=member.headers)).json()
    assert stats["members"] == 2 and stats["leaders_30d"] == 1
    assert set(stats) == {
        "members",
        "active_members_30d",
        "posts_30d",
        "questions_30d",
        "answered_ratio",
        "median_first_response_minutes",
        "contributors_30d",
        "leaders_30d",
        "nudged_questions_30d",
        "nudged_answered_30d",
        "median_nudged_first_answer_minutes",
    }


async def test_member_count_stays_exact_under_concurrent_joins(client):
    owner = await register(client)
    people = [await register(client) for _ in range(6)]
    await create_community(client, owner, "Busy")
    responses = await asyncio.gather(*(join(client, p, "busy") for p in people))
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    community = (await client.get("/communities/busy", headers=owner.headers)).json()
    members = (
        await client.get("/communities/busy/members?limit=100", headers=owner.headers)
    ).json()
    assert community["member_count"] == len(members["items"]) == 7


async def test_list_queries_are_constant_whatever_the_page_size(client, count_statements):
    owner = await register(client)
    for i in range(6):
        await create_community(client, owner, f"Guild {i}")
    others = [await register(client) for _ in range(4)]
    for person in others:
        await join(client, person, "guild-0")
    counts = {}
    for limit in (1, 5, 50):
        count_statements.statements.clear()
        assert (
            await client.get(f"/communities?limit={limit}", headers=owner.headers)
        ).status_code == 200
        counts[("communities", limit)] = count_statements.count
        count_statements.statements.clear()
        response = await client.get(
            f"/communities/guild-0/members?limit={limit}", headers=owner.headers
        )
        assert response.status_code == 200
        counts[("members", limit)] = count_statements.count
    assert counts[("communities", 1)] == counts[("communities", 5)] == counts[("communities", 50)]
    # A later page, a name search and "mine" are one statement each too (one per shape).
    first = (await client.get("/communities?limit=2", headers=others[0].headers)).json()
    for query in (
        f"limit=2&cursor={first['next_cursor']}",
        "q=guild&limit=5",
        "member=me&limit=5",
    ):
        count_statements.statements.clear()
        response = await client.get(f"/communities?{query}", headers=others[0].headers)
        assert response.status_code == 200 and response.json()["items"], query
        assert count_statements.count == counts[("communities", 1)], query
    assert counts[("members", 1)] == counts[("members", 5)] == counts[("members", 50)]
    assert counts[("communities", 50)] <= 3


async def test_null_for_a_required_field_is_422_not_a_crash(client):
    owner = await register(client)
    await create_community(client, owner, "Nulls")
    for body in ({"name": None}, {"visibility": None}, {"join_policy": None}, {"tags": None}):
        assert_problem(
            await client.patch("/communities/nulls", json=body, headers=owner.headers), 422
        )
    cleared = await client.patch(
        "/communities/nulls", json={"steward_term_days": None}, headers=owner.headers
    )
    assert cleared.status_code == 200 and cleared.json()["name"] == "Nulls"


async def test_reserved_slugs_and_what_the_caller_may_do(client):
    owner = await register(client)
    guest = await register(client)
    assert_problem(
        await client.post(
            "/communities",
            json={"name": "x", "purpose": PURPOSE, "slug": "new"},
            headers=owner.headers,
        ),
        422,
    )
    named_new = await create_community(client, owner, "New")
    assert named_new["slug"] == "new-cop"
    assert (
        "edit" in named_new["my_permissions"]
        and "decide_nominations" in named_new["my_permissions"]
    )
    await create_community(client, owner, "Hidden", visibility="private", join_policy="invite")
    await client.post(
        "/communities/hidden/invitations", json={"handle": guest.handle}, headers=owner.headers
    )
    seen = (await client.get("/communities/hidden", headers=guest.headers)).json()
    assert seen["invited"] is True and seen["my_membership"] is None
    assert seen["my_permissions"] == []
    listed = (await client.get("/communities", headers=guest.headers)).json()["items"]
    assert {c["slug"]: c["invited"] for c in listed} == {"new-cop": False, "hidden": True}
    public = (await client.get("/communities/new-cop", headers=guest.headers)).json()
    assert set(public["my_permissions"]) == {"view_members", "view_audit"}


async def test_stewards_list_and_revoke_open_invitations(client):
    owner = await register(client, "Olive Owner")
    guests = [await register(client, f"Guest {n}") for n in range(3)]
    await create_community(client, owner, "Quiet Room", visibility="private", join_policy="invite")
    for guest in guests:
        invited = await client.post(
            "/communities/quiet-room/invitations",
            json={"handle": guest.handle},
            headers=owner.headers,
        )
        assert invited.status_code == 201, invited.text
    assert (await join(client, guests[2], "quiet-room")).status_code == 201

    # Open invitations only (an accepted one is membership now), newest first, page by page.
    first = (
        await client.get("/communities/quiet-room/invitations?limit=1", headers=owner.headers)
    ).json()
    assert [i["invitee"]["handle"] for i in first["items"]] == [guests[1].handle]
    assert first["items"][0]["invited_by"]["handle"] == owner.handle
    rest = (
        await client.get(
            f"/communities/quiet-room/invitations?limit=1&cursor={first['next_cursor']}",
            headers=owner.headers,
        )
    ).json()
    assert [i["invitee"]["handle"] for i in rest["items"]] == [guests[0].handle]
    assert rest["next_cursor"] is None
    community = (await client.get("/communities/quiet-room", headers=owner.headers)).json()
    assert "manage_invitations" in community["my_permissions"]

    revoked = await client.delete(
        f"/communities/quiet-room/invitations/{guests[0].handle.upper()}", headers=owner.headers
    )
    assert revoked.status_code == 204, revoked.text
    # The former invitee is an outsider again: no invitation, no community, no way in.
    assert (await client.get("/me/invitations", headers=guests[0].headers)).json()["items"] == []
    assert_problem(await client.get("/communities/quiet-room", headers=guests[0].headers), 404)
    assert_problem(await join(client, guests[0], "quiet-room"), 404)
    listed = (await client.get("/communities/quiet-room/invitations", headers=owner.headers)).json()
    assert [i["invitee"]["handle"] for i in listed["items"]] == [guests[1].handle]
    log = (await client.get("/communities/quiet-room/audit-log", headers=owner.headers)).json()
    latest = log["items"][0]
    assert latest["action"] == "invitation_revoked"
    assert latest["actor"]["handle"] == owner.handle
    assert latest["subject"]["handle"] == guests[0].handle

    # Nothing open to revoke: revoked already, accepted (a member now), or no such person.
    for handle in (guests[0].handle, guests[2].handle, "nobody-here"):
        assert_problem(
            await client.delete(
                f"/communities/quiet-room/invitations/{handle}", headers=owner.headers
            ),
            404,
        )
    # A member is not a steward; the remaining invitee sees nothing of the list.
    assert_problem(
        await client.delete(
            f"/communities/quiet-room/invitations/{guests[1].handle}", headers=guests[2].headers
        ),
        403,
    )
    assert_problem(
        await client.get("/communities/quiet-room/invitations", headers=guests[1].headers), 404
    )


async def test_nobody_nominates_themself(client):
    owner = await register(client)
    member = await register(client)
    await create_community(client, owner, "Self Made")
    assert (await join(client, member, "self-made")).status_code == 201
    for who, role in ((member, "moderator"), (owner, "steward")):
        refused = await client.post(
            "/communities/self-made/nominations",
            json={"handle": who.handle.upper(), "role": role},
            headers=who.headers,
        )
        problem = assert_problem(refused, 422)
        assert problem["detail"] == "You cannot nominate yourself: ask a peer to nominate you."
        assert problem["errors"][0]["loc"] == ["body", "handle"]
    peer = await client.post(
        "/communities/self-made/nominations",
        json={"handle": member.handle, "role": "moderator"},
        headers=owner.headers,
    )
    assert peer.status_code == 201, peer.text


@pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)
async def test_a_revocation_racing_a_join_lets_exactly_one_win(client):
    owner = await register(client)
    await create_community(client, owner, "Race Room", visibility="private", join_policy="invite")
    joined = 0
    for _ in range(6):
        guest = await register(client)
        invited = await client.post(
            "/communities/race-room/invitations",
            json={"handle": guest.handle},
            headers=owner.headers,
        )
        assert invited.status_code == 201, invited.text
        join_response, revoke_response = await asyncio.gather(
            join(client, guest, "race-room"),
            client.delete(
                f"/communities/race-room/invitations/{guest.handle}", headers=owner.headers
            ),
        )
        codes = (join_response.status_code, revoke_response.status_code)
        assert codes in {(201, 404), (404, 204)}, codes
        joined += codes[0] == 201
    community = (await client.get("/communities/race-room", headers=owner.headers)).json()
    assert community["member_count"] == 1 + joined
    listed = (await client.get("/communities/race-room/invitations", headers=owner.headers)).json()
    assert listed["items"] == []


async def test_my_membership_changes_honour_if_match(client):
    """The join answers the membership's ETag; a change sent with it is refused (412) once a
    steward has changed the membership meanwhile, and the answer of a change is the next tag."""
    owner, member = await register(client), await register(client)
    await create_community(client, owner, "Tagged Members")
    joined = await join(client, member, "tagged-members")
    assert joined.status_code == 201, joined.text
    url = "/communities/tagged-members/members/me"
    mine = {**member.headers, "If-Match": joined.headers["etag"]}
    muted = await client.patch(url, json={"notify_level": "muted"}, headers=mine)
    assert muted.status_code == 200, muted.text
    await make_role(client, owner, "tagged-members", member, "moderator")
    stale = {**member.headers, "If-Match": muted.headers["etag"]}
    assert_problem(await client.patch(url, json={"notify_level": "all"}, headers=stale), 412)
    # Without If-Match the change goes through, as before; its answer carries the new tag.
    loud = await client.patch(url, json={"notify_level": "all"}, headers=member.headers)
    assert loud.status_code == 200 and loud.json()["role"] == "moderator"
    fresh = {**member.headers, "If-Match": loud.headers["etag"]}
    again = await client.patch(url, json={"notify_level": "mentions"}, headers=fresh)
    assert again.status_code == 200 and again.json()["notify_level"] == "mentions"


async def test_a_role_change_made_from_a_stale_copy_is_refused_with_if_match(client):
    """Two stewards change one member's role: the second, sending the ETag of what they last
    saw, gets a 412 instead of silently overwriting the first's decision."""
    owner, other, member = await register(client), await register(client), await register(client)
    await create_community(client, owner, "Two Stewards")
    await join(client, other, "two-stewards")
    await join(client, member, "two-stewards")
    await make_role(client, owner, "two-stewards", other, "steward")
    url = f"/communities/two-stewards/members/{member.handle}"
    seen = await client.patch(url, json={"role": "moderator"}, headers=owner.headers)
    assert seen.status_code == 200, seen.text
    tag = seen.headers["etag"]
    by_other = {**other.headers, "If-Match": tag}
    changed = await client.patch(url, json={"role": "member"}, headers=by_other)
    assert changed.status_code == 200 and changed.json()["role"] == "member"
    by_owner = {**owner.headers, "If-Match": tag}
    assert_problem(await client.patch(url, json={"role": "steward"}, headers=by_owner), 412)
    members = (
        await client.get("/communities/two-stewards/members?limit=50", headers=owner.headers)
    ).json()["items"]
    assert {m["user"]["handle"]: m["role"] for m in members}[member.handle] == "member"
    fresh = {**owner.headers, "If-Match": changed.headers["etag"]}
    assert (await client.patch(url, json={"role": "steward"}, headers=fresh)).status_code == 200
