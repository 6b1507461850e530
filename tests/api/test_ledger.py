"""The leadership ledger: acts recorded with the act itself, read by person with private
communities hidden from outsiders, summed by quarter, and exported by their owner."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.communities_helpers import create_community, join, make_role
from tests.helpers import Account, assert_problem, register


async def kinds(client: httpx.AsyncClient, viewer: Account, person: Account) -> list[str]:
    response = await client.get(f"/users/{person.handle}/ledger?limit=100", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return sorted(item["kind"] for item in response.json()["items"])


async def post(
    client: httpx.AsyncClient, who: Account, slug: str, kind: str = "question"
) -> dict[str, Any]:
    body = {"title": f"A {kind}", "body": "How do we roll back safely?", "kind": kind}
    response = await client.post(f"/communities/{slug}/posts", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def answer(client: httpx.AsyncClient, who: Account, post_id: str) -> str:
    response = await client.post(
        f"/posts/{post_id}/comments", json={"body": "Feature flags."}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def test_acts_enter_the_ledger_with_the_act_and_link_to_their_evidence(client):
    owner, asker, helper = await register(client), await register(client), await register(client)
    await create_community(client, owner, "Ops Guild")
    for who in (asker, helper):
        assert (await join(client, who, "ops-guild")).status_code == 201
    assert await kinds(client, asker, owner) == ["community_started", "steward_term"]

    question = await post(client, asker, "ops-guild")
    comment_id = await answer(client, helper, question["id"])
    accepted = await client.put(
        f"/posts/{question['id']}/accepted-answer",
        json={"comment_id": comment_id},
        headers=asker.headers,
    )
    assert accepted.status_code == 200, accepted.text
    page = (await client.get(f"/users/{helper.handle}/ledger", headers=owner.headers)).json()
    (act,) = page["items"]
    assert act["kind"] == "answer_accepted"
    assert act["evidence_url"] == f"/posts/{question['id']}"
    assert act["community"] == {"slug": "ops-guild", "name": "Ops Guild", "is_private": False}
    # Un-accepting takes the credit back.
    await client.delete(f"/posts/{question['id']}/accepted-answer", headers=asker.headers)
    assert await kinds(client, owner, helper) == []

    practice = await post(client, helper, "ops-guild", "best_practice")
    nominated = await client.post(
        "/communities/ops-guild/nominations",
        json={"handle": helper.handle, "role": "moderator"},
        headers=asker.headers,
    )
    assert nominated.status_code == 201, nominated.text
    decided = await client.post(
        f"/communities/ops-guild/nominations/{nominated.json()['id']}/accept",
        headers=owner.headers,
    )
    assert decided.status_code == 200, decided.text
    pinned = await client.patch(
        f"/posts/{practice['id']}", json={"is_pinned": True}, headers=helper.headers
    )
    assert pinned.status_code == 200, pinned.text
    assert await kinds(client, owner, helper) == [
        "best_practice_published",
        "moderation_decision",
        "nomination_accepted",
        "nomination_received",
    ]
    assert await kinds(client, owner, asker) == ["nomination_given"]
    await make_role(client, owner, "ops-guild", asker, "steward")
    assert await kinds(client, owner, asker) == ["nomination_given", "steward_term"]
    items = (await client.get(f"/users/{helper.handle}/ledger", headers=owner.headers)).json()
    urls = {i["kind"]: i["evidence_url"] for i in items["items"]}
    assert urls["moderation_decision"] == "/communities/ops-guild/audit-log"
    assert urls["nomination_accepted"] == "/communities/ops-guild"
    assert urls["best_practice_published"] == f"/posts/{practice['id']}"


async def test_mentoring_and_endorsements_with_evidence_are_acts(client):
    mentor, mentee = await register(client), await register(client)
    skill = await client.post("/skills", json={"name": "Kubernetes"}, headers=mentor.headers)
    slug = skill.json()["slug"]
    for who in (mentor, mentee):
        await client.put(
            f"/me/skills/{slug}", json={"level": 4, "wants_to_teach": True}, headers=who.headers
        )
    await client.put(
        "/me/mentor-profile",
        json={"accepting_mentees": True, "capacity": 2, "timezone": "Europe/Berlin"},
        headers=mentor.headers,
    )
    asked = await client.post(
        "/mentorships",
        json={"mentor": mentor.handle, "skill": slug, "goal": "Run clusters"},
        headers=mentee.headers,
    )
    mid = asked.json()["id"]
    assert (
        await client.post(f"/mentorships/{mid}/accept", headers=mentor.headers)
    ).status_code == 200
    today = datetime.now(UTC).date().isoformat()
    for _ in range(2):
        held = await client.post(
            f"/mentorships/{mid}/sessions",
            json={"held_on": today, "minutes": 30},
            headers=mentee.headers,
        )
        assert held.status_code == 201, held.text
    assert (
        await client.post(f"/mentorships/{mid}/complete", json={}, headers=mentee.headers)
    ).status_code == 200
    assert await kinds(client, mentee, mentor) == [
        "mentoring_session_held",
        "mentoring_session_held",
        "mentorship_completed",
    ]
    assert await kinds(client, mentor, mentee) == []

    await create_community(client, mentor, "Cluster Club", tags=[slug])
    await join(client, mentee, "cluster-club")
    evidence = await client.post(
        "/communities/cluster-club/posts",
        json={"title": "Our cluster runbook", "body": "Steps", "kind": "resource", "tags": [slug]},
        headers=mentee.headers,
    )
    assert evidence.status_code == 201, evidence.text
    endorsed = await client.put(
        f"/users/{mentee.handle}/skills/{slug}/endorsement",
        json={"evidence_post_id": evidence.json()["id"]},
        headers=mentor.headers,
    )
    assert endorsed.status_code == 201, endorsed.text
    assert "endorsement_with_evidence" in await kinds(client, mentee, mentor)


async def test_private_acts_are_seen_only_by_members_and_the_person(client):
    owner, member, outsider = await register(client), await register(client), await register(client)
    await create_community(
        client, owner, "Inner Circle", visibility="private", join_policy="invite"
    )
    await client.post(
        "/communities/inner-circle/invitations",
        json={"handle": member.handle},
        headers=owner.headers,
    )
    assert (await join(client, member, "inner-circle")).status_code == 201
    await create_community(client, owner, "Open Forum")
    assert await kinds(client, owner, owner) == ["community_started"] * 2 + ["steward_term"] * 2
    assert await kinds(client, member, owner) == ["community_started"] * 2 + ["steward_term"] * 2
    assert await kinds(client, outsider, owner) == ["community_started", "steward_term"]
    page = (await client.get(f"/users/{owner.handle}/ledger", headers=outsider.headers)).json()
    assert {i["community"]["slug"] for i in page["items"]} == {"open-forum"}
    assert "inner-circle" not in json.dumps(page)
    summary = await client.get(f"/users/{owner.handle}/ledger/summary", headers=outsider.headers)
    assert summary.json()["totals"] == {"community_started": 1, "steward_term": 1}
    own = (await client.get(f"/users/{owner.handle}/ledger/summary", headers=owner.headers)).json()
    assert own["totals"] == {"community_started": 2, "steward_term": 2}
    quarter = datetime.now(UTC)
    label = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"
    assert own["quarters"] == [
        {"quarter": label, "total": 4, "by_kind": {"community_started": 2, "steward_term": 2}}
    ]
    # The export is the person's own record: private acts included.
    exported = await client.get("/me/ledger/export?format=json", headers=owner.headers)
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].startswith("attachment;")
    assert len(exported.json()) == 4
    csv_export = await client.get("/me/ledger/export", headers=owner.headers)
    assert csv_export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_export.text)))
    assert sorted(r["community_slug"] for r in rows) == ["inner-circle"] * 2 + ["open-forum"] * 2
    assert {r["private"] for r in rows if r["community_slug"] == "inner-circle"} == {"yes"}
    assert (await client.get("/me/ledger/export", headers=outsider.headers)).text.count("\n") == 1


async def test_ranges_pages_and_refusals(client, count_statements):
    owner = await register(client)
    for i in range(5):
        await create_community(client, owner, f"Guild {i}")
    counts = {}
    for limit in (1, 3, 50):
        count_statements.statements.clear()
        r = await client.get(f"/users/{owner.handle}/ledger?limit={limit}", headers=owner.headers)
        assert r.status_code == 200
        counts[limit] = count_statements.count
    assert counts[1] == counts[3] == counts[50] <= 4
    seen: list[str] = []
    cursor = None
    while True:
        url = f"/users/{owner.handle}/ledger?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=owner.headers)).json()
        seen += [i["id"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) == 10
    future = "2999-01-01T00:00:00Z"
    empty = await client.get(f"/users/{owner.handle}/ledger?from={future}", headers=owner.headers)
    assert empty.json()["items"] == []
    before = await client.get(f"/users/{owner.handle}/ledger?to={future}", headers=owner.headers)
    assert len(before.json()["items"]) == 10
    assert_problem(
        await client.get(
            f"/users/{owner.handle}/ledger?from={future}&to=2000-01-01T00:00:00Z",
            headers=owner.headers,
        ),
        422,
    )
    assert_problem(
        await client.get(f"/users/{owner.handle}/ledger?cursor=bogus", headers=owner.headers), 400
    )
    assert_problem(await client.get("/users/nobody-here/ledger", headers=owner.headers), 404)
    assert_problem(await client.get("/me/ledger/export?format=xml", headers=owner.headers), 422)
    assert_problem(await client.get(f"/users/{owner.handle}/ledger"), 401)
