"""Skills backed by content: evidence counts, endorsement evidence links, expert scores from
accepted answers and helpful reactions, and the rule that only content the caller can see
counts toward what the caller is shown."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from domain.skills.model import EndorsementSignal, endorsement_weight, expert_score
from repositories.skills.rows import skills, user_skills, users
from tests.api.test_skills import hold, new_skill
from tests.communities_helpers import create_community, join
from tests.conftest import BACKEND
from tests.helpers import Account, assert_problem, register

OPEN = "open-guild"
INNER = "inner-circle"


@dataclass
class World:
    admin: Account  # the first account of the instance: an administrator, member of nothing
    owner: Account  # steward of both communities
    expert: Account  # member of both
    insider: Account  # member of both
    outsider: Account  # member of the public community only


async def _world(client: httpx.AsyncClient) -> World:
    admin = await register(client, "Ada Admin")
    owner, expert, insider, outsider = [
        await register(client, name)
        for name in ("Olga Owner", "Eva Expert", "Ian Insider", "Oscar Outsider")
    ]
    await create_community(client, owner, "Open Guild")
    await create_community(
        client, owner, "Inner Circle", visibility="private", join_policy="invite"
    )
    for person in (expert, insider, outsider):
        assert (await join(client, person, OPEN)).status_code == 201
    for person in (expert, insider):
        invited = await client.post(
            f"/communities/{INNER}/invitations",
            json={"handle": person.handle},
            headers=owner.headers,
        )
        assert invited.status_code == 201, invited.text
        assert (await join(client, person, INNER)).status_code == 201
    await new_skill(client, admin, "Python")
    await new_skill(client, admin, "Go")
    return World(admin, owner, expert, insider, outsider)


async def _post(
    client: httpx.AsyncClient,
    who: Account,
    community: str,
    tags: list[str],
    kind: str = "question",
    title: str = "How do I profile async code?",
) -> str:
    response = await client.post(
        f"/communities/{community}/posts",
        json={"kind": kind, "title": title, "body": "Details.", "tags": tags},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _answer(
    client: httpx.AsyncClient,
    who: Account,
    question: str,
    asker: Account | None = None,
) -> str:
    """A comment on `question`; accepted by `asker` when given."""
    response = await client.post(
        f"/posts/{question}/comments", json={"body": "Try py-spy."}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    comment = str(response.json()["id"])
    if asker is not None:
        accepted = await client.put(
            f"/posts/{question}/accepted-answer",
            json={"comment_id": comment},
            headers=asker.headers,
        )
        assert accepted.status_code == 200, accepted.text
    return comment


async def _react(
    client: httpx.AsyncClient, who: Account, target: str, target_id: str, kind: str = "helpful"
) -> None:
    response = await client.put(f"/{target}/{target_id}/reactions/{kind}", headers=who.headers)
    assert response.status_code == 204, response.text


async def _delete(client: httpx.AsyncClient, who: Account, target: str, target_id: str) -> None:
    response = await client.delete(f"/{target}/{target_id}", headers=who.headers)
    assert response.status_code == 204, response.text


async def _skills_of(
    client: httpx.AsyncClient, viewer: Account, person: Account
) -> dict[str, dict[str, int]]:
    response = await client.get(f"/users/{person.handle}/skills", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return {i["skill"]["slug"]: i["evidence"] for i in response.json()["items"]}


async def _experts(
    client: httpx.AsyncClient, viewer: Account, slug: str = "python"
) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/skills/{slug}/experts", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return {i["user"]["handle"]: i for i in response.json()["items"]}


def _parts(level: int, signals: list[EndorsementSignal], answers: int, helpful: int) -> Any:
    parts = expert_score(level, signals, answers, helpful)
    return pytest.approx(
        {
            "level": parts.level,
            "endorsements": parts.endorsements,
            "accepted_answers": parts.accepted_answers,
            "helpful_reactions": parts.helpful_reactions,
        },
        abs=1e-3,
    )


def _score(level: int, signals: list[EndorsementSignal], answers: int, helpful: int) -> Any:
    return pytest.approx(expert_score(level, signals, answers, helpful).total, abs=1e-3)


async def _endorse(
    client: httpx.AsyncClient, who: Account, person: Account, evidence: str | None = None
) -> httpx.Response:
    body = {} if evidence is None else {"evidence_post_id": evidence}
    return await client.put(
        f"/users/{person.handle}/skills/python/endorsement", json=body, headers=who.headers
    )


# --- evidence on profile skills and profile stats ----------------------------------------------


async def test_evidence_counts_only_what_the_caller_can_see(client):
    w = await _world(client)
    e = w.expert
    await _post(client, e, OPEN, ["Python"], kind="best_practice", title="Pin deps")
    await _post(client, e, OPEN, ["Python", "Go"], kind="resource", title="Both")
    await _post(client, e, OPEN, ["Go"], kind="discussion", title="Go only")
    await _delete(client, e, "posts", await _post(client, e, OPEN, ["Python"], title="Gone"))
    await _post(client, e, INNER, ["Python"], kind="discussion", title="Private notes")
    # accepted answers: public Python, private Python, public Go; an unaccepted one; one whose
    # question was deleted
    await _answer(client, e, await _post(client, w.owner, OPEN, ["Python"]), w.owner)
    await _answer(client, e, await _post(client, w.insider, INNER, ["Python"]), w.insider)
    await _answer(client, e, await _post(client, w.owner, OPEN, ["Go"]), w.owner)
    await _answer(client, e, await _post(client, w.owner, OPEN, ["Python"]))
    gone = await _post(client, w.owner, OPEN, ["Python"], title="Deleted question")
    await _answer(client, e, gone, w.owner)
    await _delete(client, w.owner, "posts", gone)
    await hold(client, e, "python", 4)
    await hold(client, e, "go", 2)
    assert (await _endorse(client, w.outsider, e)).status_code == 201

    public = {
        "python": {"posts": 2, "accepted_answers": 1},
        "go": {"posts": 2, "accepted_answers": 1},
    }
    with_private = {**public, "python": {"posts": 3, "accepted_answers": 2}}
    assert await _skills_of(client, w.outsider, e) == public
    for viewer in (w.insider, w.admin, e):
        assert await _skills_of(client, viewer, e) == with_private

    # the one-skill answer of PUT /me/skills carries the same evidence (the caller's view)
    assert (await hold(client, e, "python", 4))["evidence"] == with_private["python"]

    async def stats(viewer: Account) -> dict[str, int]:
        profile = await client.get(f"/users/{e.handle}", headers=viewer.headers)
        assert profile.status_code == 200, profile.text
        found: dict[str, int] = profile.json()["stats"]
        return {k: found[k] for k in ("posts", "accepted_answers", "endorsements_received")}

    # posts: 3 public live ones (+1 private); answers: Python and Go in public (+1 private)
    assert await stats(w.outsider) == {
        "posts": 3,
        "accepted_answers": 2,
        "endorsements_received": 1,
    }
    assert await stats(w.insider) == {"posts": 4, "accepted_answers": 3, "endorsements_received": 1}
    assert await stats(w.admin) == {"posts": 4, "accepted_answers": 3, "endorsements_received": 1}


# --- endorsement evidence links ----------------------------------------------------------------


async def test_endorsement_evidence_must_be_the_persons_visible_tagged_content(client):
    w = await _world(client)
    e = w.expert
    own_post = await _post(client, e, OPEN, ["Python"], kind="best_practice", title="Mine")
    own_go_post = await _post(client, e, OPEN, ["Go"], kind="best_practice", title="Go")
    answered = await _post(client, w.owner, OPEN, ["Python"], title="Answered by Eva")
    await _answer(client, e, answered, w.owner)
    someone_elses = await _post(client, w.owner, OPEN, ["Python"], kind="resource", title="Olga")
    answered_by_other = await _post(client, w.owner, OPEN, ["Python"], title="Answered by Ian")
    await _answer(client, w.insider, answered_by_other, w.owner)
    await _answer(client, e, answered_by_other)  # Eva answered too, but Ian's was accepted
    private_post = await _post(client, e, INNER, ["Python"], kind="best_practice", title="Secret")
    deleted = await _post(client, e, OPEN, ["Python"], kind="discussion", title="Gone")
    await _delete(client, e, "posts", deleted)
    await hold(client, e, "python", 3)
    await hold(client, w.outsider, "python", 2)
    await hold(client, w.insider, "python", 5)

    def detail(response: httpx.Response) -> str:
        return str(assert_problem(response, 422)["detail"])

    for wrong in (someone_elses, answered_by_other):
        assert "written by Eva Expert" in detail(await _endorse(client, w.outsider, e, wrong))
    assert "not tagged with Python" in detail(await _endorse(client, w.outsider, e, own_go_post))
    invisible = detail(await _endorse(client, w.outsider, e, private_post))
    assert invisible == "evidence_post_id must name a post you can see."
    # a deleted post and a post that never existed get the very same answer
    assert detail(await _endorse(client, w.outsider, e, deleted)) == invisible
    assert detail(await _endorse(client, w.outsider, e, str(uuid.uuid4()))) == invisible
    bad_id = await _endorse(client, w.outsider, e, "not-a-uuid")
    assert_problem(bad_id, 422)
    # the other rules come first: self (403), a skill the person does not list (404)
    assert_problem(await _endorse(client, e, e, own_post), 403)
    assert_problem(
        await client.put(
            f"/users/{e.handle}/skills/go/endorsement",
            json={"evidence_post_id": own_go_post},
            headers=w.outsider.headers,
        ),
        404,
    )
    url = f"/users/{e.handle}/skills/python/endorsements"
    assert (await client.get(url, headers=w.admin.headers)).json()["items"] == []

    created = await _endorse(client, w.outsider, e, own_post)
    assert created.status_code == 201, created.text
    assert created.json()["evidence_post_id"] == own_post
    replaced = await _endorse(client, w.outsider, e, answered)  # a question Eva answered
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["evidence_post_id"] == answered
    private = await _endorse(client, w.insider, e, private_post)
    assert private.status_code == 201, private.text

    async def links(viewer: Account) -> dict[str, str | None]:
        items = (await client.get(url, headers=viewer.headers)).json()["items"]
        return {i["endorser"]["handle"]: i["evidence_post_id"] for i in items}

    # an evidence link shows only to those who can see the post
    assert await links(w.outsider) == {w.outsider.handle: answered, w.insider.handle: None}
    for viewer in (w.insider, w.admin):
        assert await links(viewer) == {w.outsider.handle: answered, w.insider.handle: private_post}

    # evidence weighs more, and private evidence only for those who can see it
    public_signals = [EndorsementSignal(2, True), EndorsementSignal(5, False)]
    member_signals = [EndorsementSignal(2, True), EndorsementSignal(5, True)]
    seen_outside = (await _experts(client, w.outsider))[e.handle]
    assert seen_outside["parts"] == _parts(3, public_signals, 1, 0)
    assert seen_outside["score"] == pytest.approx(seen_outside["ranking_score"], abs=1e-3)
    seen_inside = (await _experts(client, w.insider))[e.handle]
    assert seen_inside["parts"] == _parts(3, member_signals, 1, 0)
    assert seen_inside["score"] == _score(3, member_signals, 1, 0)
    assert seen_inside["ranking_score"] == seen_outside["ranking_score"]

    # PUT replaces: without evidence_post_id the link is gone, and so is its extra weight
    cleared = await _endorse(client, w.outsider, e)
    assert cleared.status_code == 200 and cleared.json()["evidence_post_id"] is None
    seen_outside = (await _experts(client, w.outsider))[e.handle]
    assert seen_outside["parts"]["endorsements"] == pytest.approx(
        endorsement_weight(2, False) + endorsement_weight(5, False), abs=1e-3
    )


# --- expert scores from content ----------------------------------------------------------------


async def test_expert_parts_come_from_accepted_answers_and_helpful_reactions(client):
    w = await _world(client)
    e = w.expert
    question = await _post(client, w.owner, OPEN, ["Python"])
    answer = await _answer(client, e, question, w.owner)
    own_post = await _post(client, e, OPEN, ["Python"], kind="best_practice", title="Tips")
    go_question = await _post(client, w.owner, OPEN, ["Go"], title="A Go question")
    go_answer = await _answer(client, e, go_question, w.owner)
    await _react(client, w.owner, "posts", own_post)
    await _react(client, w.outsider, "posts", own_post)
    await _react(client, w.insider, "posts", own_post, "like")  # likes are not evidence
    await _react(client, w.outsider, "comments", answer)  # a comment counts via its post's tags
    await _react(client, w.outsider, "comments", go_answer)  # tagged Go, not Python
    await hold(client, e, "python", 3)
    await hold(client, e, "go", 1)
    await hold(client, w.outsider, "python", 4)

    experts = await _experts(client, w.insider)
    assert list(experts) == [e.handle, w.outsider.handle]  # 6 + 1.5 + 0.75 beats level 4's 8
    assert experts[e.handle]["parts"] == _parts(3, [], 1, 3)
    assert experts[e.handle]["score"] == _score(3, [], 1, 3)
    assert experts[e.handle]["ranking_score"] == _score(3, [], 1, 3)
    assert experts[w.outsider.handle]["parts"] == _parts(4, [], 0, 0)
    go = await _experts(client, w.insider, "go")
    assert go[e.handle]["parts"] == _parts(1, [], 1, 1)


async def test_stored_scores_follow_content_changes(client):
    """Needs the posts side to refresh scores on write (SqlUserSkillRepository.refresh_evidence
    and refresh_community_evidence): accept and unaccept, helpful reactions on and off, tag
    changes, deletions, a community's visibility, and a skill merge moving post tags."""
    w = await _world(client)
    e = w.expert
    await hold(client, e, "python", 3)
    await hold(client, e, "go", 2)

    async def seen(slug: str = "python", viewer: Account | None = None) -> dict[str, Any]:
        return (await _experts(client, viewer or w.outsider, slug))[e.handle]

    question = await _post(client, w.owner, OPEN, ["Python"])
    answer = await _answer(client, e, question, w.owner)
    assert (await seen())["parts"] == _parts(3, [], 1, 0)
    other = await _answer(client, w.insider, question)
    accepted = await client.put(
        f"/posts/{question}/accepted-answer", json={"comment_id": other}, headers=w.owner.headers
    )
    assert accepted.status_code == 200
    assert (await seen())["parts"] == _parts(3, [], 0, 0)
    await client.put(
        f"/posts/{question}/accepted-answer", json={"comment_id": answer}, headers=w.owner.headers
    )
    await _react(client, w.outsider, "comments", answer)
    own_post = await _post(client, e, OPEN, ["Python"], kind="best_practice", title="Tips")
    await _react(client, w.owner, "posts", own_post)
    await _react(client, w.outsider, "posts", own_post)
    assert (await seen())["parts"] == _parts(3, [], 1, 3)
    removed = await client.delete(f"/posts/{own_post}/reactions/helpful", headers=w.owner.headers)
    assert removed.status_code == 204
    assert (await seen())["parts"] == _parts(3, [], 1, 2)

    # retagging moves the post's helpful reaction from Python to Go
    retagged = await client.patch(f"/posts/{own_post}", json={"tags": ["Go"]}, headers=e.headers)
    assert retagged.status_code == 200, retagged.text
    assert (await seen())["parts"] == _parts(3, [], 1, 1)
    assert (await seen("go"))["parts"] == _parts(2, [], 0, 1)

    # deleting the answer takes its acceptance and reaction away
    await _delete(client, e, "comments", answer)
    assert (await seen())["parts"] == _parts(3, [], 0, 0)
    await _delete(client, e, "posts", own_post)
    assert (await seen("go"))["parts"] == _parts(2, [], 0, 0)

    # a private community turned public: its answers count for everyone from then on
    private_question = await _post(client, w.insider, INNER, ["Python"])
    await _answer(client, e, private_question, w.insider)
    assert (await seen())["parts"] == _parts(3, [], 0, 0)
    opened = await client.patch(
        f"/communities/{INNER}",
        json={"visibility": "public", "join_policy": "open"},
        headers=w.owner.headers,
    )
    assert opened.status_code == 200, opened.text
    assert (await seen())["parts"] == _parts(3, [], 1, 0)
    closed = await client.patch(
        f"/communities/{INNER}",
        json={"visibility": "private", "join_policy": "invite"},
        headers=w.owner.headers,
    )
    assert closed.status_code == 200, closed.text
    assert (await seen())["parts"] == _parts(3, [], 0, 0)
    assert (await seen(viewer=w.insider))["parts"] == _parts(3, [], 1, 0)

    # a merge moves post tags, and the evidence with them
    await new_skill(client, w.admin, "CPython")
    tagged = await _post(client, w.owner, OPEN, ["CPython"], title="GIL?")
    await _answer(client, e, tagged, w.owner)
    merged = await client.post(
        "/skills/cpython/merge", json={"into": "python"}, headers=w.admin.headers
    )
    assert merged.status_code == 200, merged.text
    assert (await seen())["parts"] == _parts(3, [], 1, 0)


async def test_a_private_communitys_answers_never_reach_an_outsider(client):
    """What an outsider sees (order, parts, scores) is the same before and after an expert's
    private answers exist; members of that community see them counted."""
    w = await _world(client)
    e, rival = w.expert, w.outsider
    await hold(client, e, "python", 3)
    await hold(client, rival, "python", 5)
    await _answer(client, e, await _post(client, w.owner, OPEN, ["Python"]), w.owner)
    await hold(client, e, "python", 3)  # stores the public evidence even without post hooks

    async def page(viewer: Account) -> list[dict[str, Any]]:
        response = await client.get("/skills/python/experts", headers=viewer.headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    before = await page(rival)
    for n in range(3):
        question = await _post(client, w.insider, INNER, ["Python"], title=f"Private {n}")
        answer = await _answer(client, e, question, w.insider)
        await _react(client, w.insider, "comments", answer)
    endorsed = await _endorse(
        client,
        w.insider,
        e,
        await _post(client, e, INNER, ["Python"], kind="best_practice", title="Private tips"),
    )
    assert endorsed.status_code == 201, endorsed.text
    await hold(client, e, "python", 3)  # recompute the stored score from every input now

    # the outsider's page is unchanged, except the endorsement itself (endorsements are public)
    after = await page(rival)
    signals = [EndorsementSignal(0, False)]  # Ian does not list Python; his link is private
    assert [i["user"]["handle"] for i in after] == [i["user"]["handle"] for i in before]
    mine = next(i for i in after if i["user"]["handle"] == e.handle)
    was = next(i for i in before if i["user"]["handle"] == e.handle)
    for part in ("level", "accepted_answers", "helpful_reactions"):
        assert mine["parts"][part] == was["parts"][part], part
    assert mine["parts"] == _parts(3, signals, 1, 0)
    assert mine["score"] == _score(3, signals, 1, 0)
    assert mine["ranking_score"] == pytest.approx(mine["score"], abs=1e-3)
    assert mine["endorsement_count"] == 1
    assert [i for i in after if i["user"]["handle"] != e.handle] == [
        i for i in before if i["user"]["handle"] != e.handle
    ]
    assert await _skills_of(client, rival, e) == {"python": {"posts": 0, "accepted_answers": 1}}

    # members of the private community (and administrators) see the private evidence counted
    member_signals = [EndorsementSignal(0, True)]
    for viewer in (w.insider, w.admin, e):
        seen = next(i for i in await page(viewer) if i["user"]["handle"] == e.handle)
        assert seen["parts"] == _parts(3, member_signals, 4, 3)
        assert seen["score"] == _score(3, member_signals, 4, 3)
        assert seen["ranking_score"] == mine["ranking_score"]  # the order stays the public one
    assert await _skills_of(client, w.insider, e) == {"python": {"posts": 1, "accepted_answers": 4}}


@pytest.mark.skipif(
    BACKEND != "postgres", reason="needs PostgreSQL row locks; runs in the PostgreSQL pass"
)
async def test_concurrent_content_writes_keep_the_stored_score_exact(client):
    """Reactions and acceptances on different posts of one person, all at once: each write
    locks the person's user skill before recomputing it, so none is lost (needs the post hooks)."""
    w = await _world(client)
    e = w.expert
    await hold(client, e, "python", 3)
    askers = [await register(client) for _ in range(4)]
    reactors = [await register(client) for _ in range(16)]
    for person in (*askers, *reactors):
        assert (await join(client, person, OPEN)).status_code == 201
    questions = [
        await _post(client, a, OPEN, ["Python"], title=f"Q{n}") for n, a in enumerate(askers)
    ]
    answers = [await _answer(client, e, q) for q in questions]
    tips = [
        await _post(client, e, OPEN, ["Python"], kind="resource", title=f"T{n}") for n in range(3)
    ]

    async def accept(asker: Account, question: str, answer: str) -> int:
        response = await client.put(
            f"/posts/{question}/accepted-answer", json={"comment_id": answer}, headers=asker.headers
        )
        return int(response.status_code)

    async def react(who: Account, target: str, target_id: str) -> int:
        response = await client.put(f"/{target}/{target_id}/reactions/helpful", headers=who.headers)
        return int(response.status_code)

    codes = await asyncio.gather(
        *(accept(a, q, c) for a, q, c in zip(askers, questions, answers, strict=True)),
        *(react(r, "posts", tips[n % 3]) for n, r in enumerate(reactors)),
        *(react(r, "comments", answers[n % 4]) for n, r in enumerate(reactors)),
    )
    assert set(codes) <= {200, 204}, codes
    seen = (await _experts(client, w.outsider))[e.handle]
    assert seen["parts"] == _parts(3, [], 4, 32)
    assert seen["ranking_score"] == _score(3, [], 4, 32)


# --- statements --------------------------------------------------------------------------------


async def test_evidence_reads_are_constant_in_page_size(client, count_statements):
    w = await _world(client)
    e = w.expert
    for person in (e, w.insider, w.outsider, w.owner):
        await hold(client, person, "python", 3)
        await hold(client, person, "go", 2)
    public_answer = await _answer(
        client, e, await _post(client, w.owner, OPEN, ["Python", "Go"]), w.owner
    )
    await _react(client, w.insider, "comments", public_answer)
    private_answer = await _answer(
        client, e, await _post(client, w.insider, INNER, ["Python"]), w.insider
    )
    await _react(client, w.owner, "comments", private_answer)
    await _post(client, w.outsider, OPEN, ["Python"], kind="resource", title="Outside")
    private_post = await _post(client, e, INNER, ["Python"], kind="resource", title="Inside")
    assert (await _endorse(client, w.insider, e, private_post)).status_code == 201
    await hold(client, e, "python", 4)

    async def statements(viewer: Account, url: str) -> int:
        before = count_statements.count
        response = await client.get(url, headers=viewer.headers)
        assert response.status_code == 200, response.text
        return int(count_statements.count - before)

    for viewer in (w.outsider, w.insider, w.admin):
        for url in ("/skills/python/experts?limit={}", f"/users/{e.handle}/skills?limit={{}}"):
            small = await statements(viewer, url.format(1))
            assert small == await statements(viewer, url.format(50)), (viewer.handle, url)
        # the profile costs the same whatever the person has written
        assert await statements(viewer, f"/users/{e.handle}") == await statements(
            viewer, f"/users/{w.admin.handle}"
        )


# --- the stored private-evidence flag and the experts read's statements ------------------------


async def _flag(app: FastAPI, person: Account, slug: str = "python") -> bool:
    """user_skill.private_evidence as stored."""
    async with app.state.engine.connect() as connection:
        value = await connection.scalar(
            select(user_skills.c.private_evidence)
            .join_from(user_skills, skills, skills.c.id == user_skills.c.skill_id)
            .join(users, users.c.id == user_skills.c.user_id)
            .where(skills.c.slug == slug, users.c.handle == person.handle)
        )
    assert value is not None, f"{person.handle} does not hold {slug}"
    return bool(value)


async def test_the_private_evidence_flag_follows_every_write(client, app):
    """Stored per holder, recomputed by each write that moves evidence in or out of a private
    community: an accepted answer there, the community's visibility, a deletion, a post there
    that an endorsement cites. What members and outsiders see follows it."""
    w = await _world(client)
    e = w.expert
    await hold(client, e, "python", 3)
    assert await _flag(app, e) is False

    # public evidence is in the stored score already: no flag
    await _answer(client, e, await _post(client, w.owner, OPEN, ["Python"]), w.owner)
    assert await _flag(app, e) is False

    private_question = await _post(client, w.insider, INNER, ["Python"], title="Inside?")
    answer = await _answer(client, e, private_question)
    assert await _flag(app, e) is False  # not accepted: no evidence yet
    accepted = await client.put(
        f"/posts/{private_question}/accepted-answer",
        json={"comment_id": answer},
        headers=w.insider.headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert await _flag(app, e) is True
    assert (await _experts(client, w.insider))[e.handle]["parts"] == _parts(3, [], 2, 0)
    assert (await _experts(client, w.outsider))[e.handle]["parts"] == _parts(3, [], 1, 0)

    # the community turned public: the answer is public evidence, nothing private is left
    for visibility, join_policy, flagged in (
        ("public", "open", False),
        ("private", "invite", True),
    ):
        changed = await client.patch(
            f"/communities/{INNER}",
            json={"visibility": visibility, "join_policy": join_policy},
            headers=w.owner.headers,
        )
        assert changed.status_code == 200, changed.text
        assert await _flag(app, e) is flagged, visibility
    assert (await _experts(client, w.outsider))[e.handle]["parts"] == _parts(3, [], 1, 0)

    await _delete(client, e, "comments", answer)
    assert await _flag(app, e) is False
    assert (await _experts(client, w.insider))[e.handle]["parts"] == _parts(3, [], 1, 0)

    # an endorsement citing the person's post in the private community; deleting it clears both
    inside = await _post(client, e, INNER, ["Python"], kind="best_practice", title="Inside tips")
    assert await _flag(app, e) is True
    assert (await _endorse(client, w.insider, e, inside)).status_code == 201
    assert await _flag(app, e) is True
    await _delete(client, e, "posts", inside)
    assert await _flag(app, e) is False
    assert (await _experts(client, w.insider))[e.handle]["parts"] == _parts(
        3, [EndorsementSignal(0, False)], 1, 0
    )


async def test_the_experts_read_takes_the_same_statements_whatever_the_holders(
    client, count_statements
):
    """The caller, the skill, the page from the stored score's index; one more for the page's
    rows with private evidence, however many holders the skill has or the page flags."""
    w = await _world(client)

    async def statements(viewer: Account) -> int:
        before = count_statements.count
        response = await client.get("/skills/python/experts?limit=50", headers=viewer.headers)
        assert response.status_code == 200, response.text
        return int(count_statements.count - before)

    await hold(client, w.expert, "python", 3)
    assert await statements(w.outsider) == 3
    for person in [await register(client) for _ in range(8)]:
        await hold(client, person, "python", 2)
    assert await statements(w.outsider) == 3

    question = await _post(client, w.owner, INNER, ["Python"], title="Private one")
    await _answer(client, w.expert, question, w.owner)
    for viewer in (w.outsider, w.insider, w.admin):
        assert await statements(viewer) == 4, viewer.handle
    await hold(client, w.insider, "python", 4)
    other = await _post(client, w.owner, INNER, ["Python"], title="Private two")
    await _answer(client, w.insider, other, w.owner)
    for viewer in (w.outsider, w.insider, w.admin):
        assert await statements(viewer) == 4, viewer.handle


async def test_a_members_citation_bonus_follows_every_write(client):
    """The extra weight of an endorsement citing a post in a private community is stored per
    community and shown to members only; each write that moves it moves what they see: the
    endorser's level, the community's visibility, the member leaving, the post's deletion, the
    endorsement's removal."""
    w = await _world(client)
    e = w.expert
    await hold(client, e, "python", 3)
    await hold(client, w.insider, "python", 4)
    inside = await _post(client, e, INNER, ["Python"], kind="best_practice", title="Inside tips")
    assert (await _endorse(client, w.insider, e, inside)).status_code == 201

    async def endorsements(viewer: Account) -> float:
        return float((await _experts(client, viewer))[e.handle]["parts"]["endorsements"])

    def weight(level: int, evidence: bool) -> Any:
        return pytest.approx(endorsement_weight(level, evidence), abs=1e-3)

    assert await endorsements(w.insider) == weight(4, True)
    assert await endorsements(w.admin) == weight(4, True)
    assert await endorsements(w.outsider) == weight(4, False)

    await hold(client, w.insider, "python", 2)  # the endorser's level weighs the bonus too
    assert await endorsements(w.insider) == weight(2, True)
    assert await endorsements(w.outsider) == weight(2, False)

    # public: everyone sees the weight with evidence; private again: members only
    for visibility, join_policy, outside in (
        ("public", "open", True),
        ("private", "invite", False),
    ):
        changed = await client.patch(
            f"/communities/{INNER}",
            json={"visibility": visibility, "join_policy": join_policy},
            headers=w.owner.headers,
        )
        assert changed.status_code == 200, changed.text
        assert await endorsements(w.outsider) == weight(2, outside), visibility
        assert await endorsements(w.insider) == weight(2, True), visibility

    # a member who leaves no longer sees it
    left = await client.delete(f"/communities/{INNER}/members/me", headers=w.insider.headers)
    assert left.status_code == 204, left.text
    assert await endorsements(w.insider) == weight(2, False)
    assert await endorsements(w.admin) == weight(2, True)

    await _delete(client, e, "posts", inside)
    assert await endorsements(w.admin) == weight(2, False)

    second = await _post(client, e, INNER, ["Python"], kind="best_practice", title="More tips")
    assert (await _endorse(client, w.owner, e, second)).status_code == 201
    assert await endorsements(w.admin) == pytest.approx(
        endorsement_weight(2, False) + endorsement_weight(0, True), abs=1e-3
    )
    removed = await client.delete(
        f"/users/{e.handle}/skills/python/endorsement", headers=w.owner.headers
    )
    assert removed.status_code == 204, removed.text
    assert await endorsements(w.admin) == weight(2, False)
