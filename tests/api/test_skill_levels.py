"""The skill page's level histogram, and "who knows" without the novices."""

from __future__ import annotations

from tests.api.test_skills import endorse, hold, new_skill
from tests.helpers import assert_problem, register


async def _world(client):
    a, b, c, d, e = [await register(client, f"Level {n}") for n in "ABCDE"]
    await new_skill(client, a, "Terraform")
    await hold(client, a, "terraform", 5)
    await hold(client, b, "terraform", 1)
    await hold(client, c, "terraform", 1)
    await hold(client, d, "terraform", 3)
    # e does not list it; a peer proposes it with an endorsement.
    proposed = await client.put(
        f"/users/{e.handle}/skills/terraform/endorsement",
        json={"propose": True},
        headers=a.headers,
    )
    assert proposed.status_code == 201, proposed.text
    return a, b, c, d, e


async def test_the_histogram_counts_people_at_each_level_and_not_proposals(client):
    a, *_ = await _world(client)
    response = await client.get("/skills/terraform/levels", headers=a.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "levels": [
            {"level": 1, "count": 2},
            {"level": 2, "count": 0},
            {"level": 3, "count": 1},
            {"level": 4, "count": 0},
            {"level": 5, "count": 1},
        ]
    }


async def test_min_level_leaves_novices_out_of_the_ranking_but_keeps_proposals(client):
    a, b, c, d, e = await _world(client)
    everyone = (await client.get("/skills/terraform/experts", headers=a.headers)).json()["items"]
    assert {i["user"]["handle"] for i in everyone} == {p.handle for p in (a, b, c, d, e)}
    knowers = await client.get("/skills/terraform/experts?min_level=2", headers=a.headers)
    assert knowers.status_code == 200, knowers.text
    assert {i["user"]["handle"] for i in knowers.json()["items"]} == {a.handle, d.handle, e.handle}
    # An endorsement raises b's score but not b's level: still not listed.
    assert (await endorse(client, d, b, "terraform")).status_code == 201
    again = await client.get("/skills/terraform/experts?min_level=2", headers=a.headers)
    assert b.handle not in {i["user"]["handle"] for i in again.json()["items"]}


async def test_bad_input_missing_skills_and_anonymous_callers(client):
    a, *_ = await _world(client)
    assert_problem(await client.get("/skills/terraform/levels"), 401)
    assert_problem(await client.get("/skills/nope/levels", headers=a.headers), 404)
    for bad in ("0", "6", "two"):
        response = await client.get(f"/skills/terraform/experts?min_level={bad}", headers=a.headers)
        assert_problem(response, 422)


async def test_the_histogram_is_one_statement_after_the_skill(client, count_statements):
    a, *_ = await _world(client)
    count_statements.statements.clear()
    before = count_statements.count
    assert (await client.get("/skills/terraform/levels", headers=a.headers)).status_code == 200
    # the caller's account, the skill, the counts
    assert count_statements.count - before == 3
