"""Skills proposed by peers: an endorsement for a skill the person does not list (with
`propose`), or their accepted answer to a question tagged with it, puts the skill on their
profile as proposed. It is scored from the peers' evidence alone (no level points), the skill's
holder counts leave it out, and the person claims it by saving a level."""

from __future__ import annotations

from typing import Any

import httpx

from domain.skills.model import EndorsementSignal
from tests.api.test_skills import get_skill, hold
from tests.api.test_skills_evidence import OPEN, _answer, _experts, _parts, _post, _score, _world
from tests.helpers import Account, assert_problem


async def profile_skills(
    client: httpx.AsyncClient, viewer: Account, person: Account
) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/users/{person.handle}/skills", headers=viewer.headers)
    assert response.status_code == 200, response.text
    return {item["skill"]["slug"]: item for item in response.json()["items"]}


async def test_an_accepted_answer_proposes_the_questions_skills_and_counts(client):
    w = await _world(client)
    question = await _post(client, w.owner, OPEN, ["Python", "Go"])
    await hold(client, w.expert, "go", 4)  # listed already: stays as it is
    await _answer(client, w.expert, question, w.owner)

    mine = await profile_skills(client, w.insider, w.expert)
    assert mine["python"]["proposed"] is True and mine["python"]["level"] == 1
    assert mine["python"]["evidence"] == {"posts": 0, "accepted_answers": 1}
    assert mine["go"]["proposed"] is False and mine["go"]["level"] == 4

    experts = await _experts(client, w.insider)
    assert experts[w.expert.handle]["proposed"] is True
    assert experts[w.expert.handle]["parts"] == _parts(0, [], 1, 0)  # no level points
    assert experts[w.expert.handle]["ranking_score"] == _score(0, [], 1, 0)
    python = await get_skill(client, w.insider, "python")
    assert python["expert_count"] == 0  # a proposal is not a holder

    # The asker's own answer proposes nothing; a proposal is not a claim on the profile summary.
    profile = (await client.get(f"/users/{w.expert.handle}", headers=w.insider.headers)).json()
    assert [s["slug"] for s in profile["skills"]] == ["go"]

    # Claiming it: the person saves a level; counts and score follow.
    await hold(client, w.expert, "python", 4)
    mine = await profile_skills(client, w.insider, w.expert)
    assert mine["python"]["proposed"] is False and mine["python"]["level"] == 4
    experts = await _experts(client, w.insider)
    assert experts[w.expert.handle]["ranking_score"] == _score(4, [], 1, 0)
    assert (await get_skill(client, w.insider, "python"))["expert_count"] == 1


async def test_endorsing_an_unlisted_skill_proposes_it_only_when_asked(client):
    w = await _world(client)
    url = f"/users/{w.outsider.handle}/skills/python/endorsement"
    # Without `propose` the contract stands: the person does not list it.
    assert_problem(await client.put(url, json={}, headers=w.insider.headers), 404)
    assert_problem(await client.put(url, json={"propose": "yes"}, headers=w.insider.headers), 422)

    created = await client.put(url, json={"propose": True}, headers=w.insider.headers)
    assert created.status_code == 201, created.text
    again = await client.put(url, json={"propose": True, "note": "x"}, headers=w.insider.headers)
    assert again.status_code == 200, again.text

    skills = await profile_skills(client, w.owner, w.outsider)
    assert skills["python"]["proposed"] is True
    assert skills["python"]["endorsement_count"] == 1
    experts = await _experts(client, w.owner)
    assert experts[w.outsider.handle]["parts"] == _parts(0, [EndorsementSignal(0)], 0, 0)
    assert (await get_skill(client, w.owner, "python"))["holder_count"] == 0

    # The person may turn the proposal down: it leaves their profile with its endorsements.
    removed = await client.delete("/me/skills/python", headers=w.outsider.headers)
    assert removed.status_code == 204
    assert "python" not in await profile_skills(client, w.owner, w.outsider)
    assert (await get_skill(client, w.owner, "python"))["holder_count"] == 0
    # Still not of yourself, and not for a skill that does not exist.
    assert_problem(
        await client.put(
            f"/users/{w.insider.handle}/skills/python/endorsement",
            json={"propose": True},
            headers=w.insider.headers,
        ),
        403,
    )
    assert_problem(
        await client.put(
            f"/users/{w.outsider.handle}/skills/cobol-nope/endorsement",
            json={"propose": True},
            headers=w.insider.headers,
        ),
        404,
    )
