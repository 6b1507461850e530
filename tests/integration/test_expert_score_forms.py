"""The expert score has two forms: domain.skills.model.expert_score (Python, what the rules and
the tests reason with) and the stored score that repositories/skills/scores.py computes in SQL
from the endorsement and skill_evidence rows (what the ranking is ordered by). This property
test runs the SQL form on the real database for generated inputs and checks that both agree."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.skills.model import EndorsementSignal, claimed_level, expert_score
from repositories.skills.rows import endorsements, evidence, user_skills
from repositories.skills.scores import refresh_rows
from tests.integration.test_search import World

T0 = datetime(2026, 1, 1, tzinfo=UTC)

endorsement_signals = st.lists(
    st.builds(
        EndorsementSignal,
        endorser_level=st.integers(min_value=0, max_value=5),  # 0: does not list the skill
        has_evidence=st.booleans(),
    ),
    max_size=6,
)
# Evidence split over up to three public communities; the SQL form sums the rows.
evidence_rows = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 200)), min_size=0, max_size=3)


def _holding(
    user_id: uuid.UUID, skill_id: uuid.UUID, level: int, proposed: bool = False
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "skill_id": skill_id,
        "level": level,
        "proposed": proposed,
        "wants_to_teach": False,
        "endorsement_count": 0,
        "endorsement_points": 0.0,
        "accepted_answers": 0,
        "helpful_reactions": 0,
        "score": 0.0,
        "created_at": T0,
        "updated_at": T0,
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    level=st.integers(min_value=1, max_value=5),
    proposed=st.booleans(),
    signals=endorsement_signals,
    proposing_endorsers=st.lists(st.booleans(), min_size=6, max_size=6),
    counted=evidence_rows,
)
async def test_the_sql_and_python_forms_of_the_expert_score_agree(
    app: FastAPI,
    level: int,
    proposed: bool,
    signals: list[EndorsementSignal],
    proposing_endorsers: list[bool],
    counted: list[tuple[int, int]],
):
    """A proposed skill (put on the profile by peers) earns no level points, also as an
    endorser's level; everything else counts as for a listed skill."""
    world = World(app)
    tag = uuid.uuid4().hex[:10]
    person = await world.user(f"p{tag}")
    skill_id = await world.skill(f"s{tag}")
    places = [await world.community(f"c{i}{tag}", person) for i in range(max(1, len(counted)))]
    # An evidence link counts only when it names a live post of a public community.
    cited = await world.post(places[0], person, "Evidence", "A worked example.")
    await world.run(user_skills, [_holding(person, skill_id, level, proposed)])
    endorsers = [await world.user(f"e{i}{tag}") for i in range(len(signals))]
    holdings = [
        _holding(endorser, skill_id, signal.endorser_level, endorser_proposed)
        for endorser, signal, endorser_proposed in zip(
            endorsers, signals, proposing_endorsers, strict=False
        )
        if signal.endorser_level > 0
    ]
    if holdings:
        await world.run(user_skills, holdings)
    if signals:
        await world.run(
            endorsements,
            [
                {
                    "id": uuid.uuid4(),
                    "endorser_id": endorser,
                    "user_id": person,
                    "skill_id": skill_id,
                    "note": None,
                    "evidence_post_id": cited if signal.has_evidence else None,
                    "created_at": T0,
                    "updated_at": T0,
                }
                for endorser, signal in zip(endorsers, signals, strict=True)
            ],
        )
    if counted:
        await world.run(
            evidence,
            [
                {
                    "user_id": person,
                    "skill_id": skill_id,
                    "community_id": place,
                    "posts": 1,
                    "accepted_answers": answers,
                    "helpful_reactions": helpful,
                }
                for place, (answers, helpful) in zip(places, counted, strict=False)
            ],
        )

    async with AsyncSession(app.state.engine) as session:
        key = (user_skills.c.user_id == person) & (user_skills.c.skill_id == skill_id)
        await refresh_rows(session, key)
        await session.commit()
        stored = (
            await session.execute(
                select(
                    user_skills.c.endorsement_count,
                    user_skills.c.endorsement_points,
                    user_skills.c.accepted_answers,
                    user_skills.c.helpful_reactions,
                    user_skills.c.score,
                ).where(key)
            )
        ).one()

    answers = sum(a for a, _ in counted)
    helpful = sum(h for _, h in counted)
    # What the endorsers' levels count as: nothing for a proposed one.
    counted_signals = [
        EndorsementSignal(
            claimed_level(signal.endorser_level, endorser_proposed), signal.has_evidence
        )
        for signal, endorser_proposed in zip(signals, proposing_endorsers, strict=False)
    ]
    parts = expert_score(claimed_level(level, proposed), counted_signals, answers, helpful)
    assert stored.endorsement_count == len(signals)
    assert stored.endorsement_points == pytest.approx(parts.endorsements, abs=1e-9)
    assert (stored.accepted_answers, stored.helpful_reactions) == (answers, helpful)
    assert stored.score == pytest.approx(parts.total, abs=1e-9)


async def test_private_evidence_never_reaches_the_stored_score(app: FastAPI):
    """The stored form counts public content only; the Python form is given what it counts."""
    world = World(app)
    person = await world.user("private-person")
    skill_id = await world.skill("private-skill")
    hidden = await world.community("hidden", person, visibility="private")
    await world.run(user_skills, [_holding(person, skill_id, 3)])
    cited = await world.post(hidden, person, "Evidence", "Only members see it.")
    endorser = await world.user("private-endorser")
    await world.run(
        endorsements,
        [
            {
                "id": uuid.uuid4(),
                "endorser_id": endorser,
                "user_id": person,
                "skill_id": skill_id,
                "note": None,
                "evidence_post_id": cited,
                "created_at": T0,
                "updated_at": T0,
            }
        ],
    )
    await world.run(
        evidence,
        [
            {
                "user_id": person,
                "skill_id": skill_id,
                "community_id": hidden,
                "posts": 1,
                "accepted_answers": 4,
                "helpful_reactions": 9,
            }
        ],
    )
    async with AsyncSession(app.state.engine) as session:
        key = (user_skills.c.user_id == person) & (user_skills.c.skill_id == skill_id)
        await refresh_rows(session, key)
        await session.commit()
        score = (await session.execute(select(user_skills.c.score).where(key))).scalar_one()
    assert score == pytest.approx(expert_score(3, [EndorsementSignal(0, False)]).total, abs=1e-9)
