"""The gap score, the bus factor and the suggested pairs: the pure rules behind GET
/insights/skills, and the per-scope rollup that keeps communities apart."""

from __future__ import annotations

import uuid

import pytest

from domain.skill_insights.model import (
    Demand,
    Supply,
    bus_factor,
    gap_parts,
    is_at_risk,
    risk_rank,
    suggest_pairs,
)
from domain.skill_insights.ports import (
    ORGANISATION,
    InsightFacts,
    PairCandidates,
    PeopleCounts,
    QuestionFact,
)
from domain.skill_insights.service import compute_pairs, compute_rollups, needs_pairs

A, B, C, D = (uuid.uuid4() for _ in range(4))


# --- bus factor ------------------------------------------------------------------------------


def test_no_accepted_answers_is_a_bus_factor_of_zero_and_not_at_risk() -> None:
    assert bus_factor([]) == 0
    assert bus_factor([0, 0]) == 0
    assert not is_at_risk(0)


def test_one_answerer_carries_the_whole_skill() -> None:
    assert bus_factor([7]) == 1
    assert is_at_risk(1)


def test_the_most_prolific_answerers_are_counted_first() -> None:
    # 5 of 10 is already half: one person.
    assert bus_factor([1, 5, 2, 2]) == 1
    # 4 + 3 = 7 of 12 reaches half, 4 alone does not.
    assert bus_factor([3, 4, 2, 2, 1]) == 2


def test_ties_do_not_change_the_count() -> None:
    assert bus_factor([3, 3]) == 1  # either one gave half
    assert bus_factor([2, 2, 2]) == 2
    assert bus_factor([1] * 10) == 5
    assert bus_factor([1] * 11) == 6


def test_at_risk_means_one_or_two_people_and_ranks_one_before_two() -> None:
    assert [is_at_risk(n) for n in range(5)] == [False, True, True, False, False]
    assert risk_rank(1) > risk_rank(2) > risk_rank(3) == risk_rank(0) == 0


# --- gap score -------------------------------------------------------------------------------


def test_the_parts_add_up_and_supply_counts_against_demand() -> None:
    parts = gap_parts(
        Demand(learners=4, questions=10, unanswered=3, median_first_answer_minutes=2 * 24 * 60),
        Supply(experts=2, answerers=3, mentors=1),
    )
    assert (parts.learners, parts.questions, parts.unanswered, parts.wait) == (4, 5, 3, 2)
    assert (parts.experts, parts.answerers, parts.mentors) == (-3, -3, -2)
    assert parts.total == pytest.approx(6)


def test_the_wait_counts_up_to_a_week_and_nothing_without_answers() -> None:
    assert gap_parts(Demand(median_first_answer_minutes=30 * 24 * 60), Supply()).wait == 7
    assert gap_parts(Demand(questions=2, unanswered=2), Supply()).wait == 0


def test_more_demand_never_lowers_and_more_supply_never_raises_the_gap() -> None:
    base = gap_parts(Demand(2, 4, 1, 60.0), Supply(1, 1, 1)).total
    for more in (Demand(3, 4, 1, 60.0), Demand(2, 5, 1, 60.0), Demand(2, 4, 2, 60.0)):
        assert gap_parts(more, Supply(1, 1, 1)).total > base
    for more_supply in (Supply(2, 1, 1), Supply(1, 2, 1), Supply(1, 1, 2)):
        assert gap_parts(Demand(2, 4, 1, 60.0), more_supply).total < base


def test_no_demand_and_no_supply_is_no_gap() -> None:
    assert gap_parts(Demand(), Supply()).total == 0


# --- pairs -----------------------------------------------------------------------------------


def test_pairs_spread_over_experts_and_skip_self_and_existing_mentorships() -> None:
    pairs = suggest_pairs([A, B], [A, C, D], existing={(B, C)})
    # A cannot mentor themself; B already mentors C, so A does; then B's turn for D.
    assert pairs == [(B, A), (A, C), (B, D)]


def test_no_experts_or_no_learners_means_no_pairs_and_the_limit_holds() -> None:
    assert suggest_pairs([], [A, B], set()) == []
    assert suggest_pairs([A], [], set()) == []
    assert suggest_pairs([A], [A], set()) == []
    many = [uuid.uuid4() for _ in range(20)]
    assert len(suggest_pairs([A], many, set(), limit=3)) == 3


# --- rollups per scope -------------------------------------------------------------------------


def test_a_community_counts_only_its_own_questions_and_members() -> None:
    public, private, skill = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    facts = InsightFacts(
        questions=[
            QuestionFact(public, skill, accepted=True, first_answer_minutes=10.0),
            QuestionFact(private, skill, accepted=False, first_answer_minutes=None),
            QuestionFact(private, skill, accepted=False, first_answer_minutes=50.0),
        ],
        accepted=[(public, skill, A, 1), (private, skill, B, 3)],
        # C learns the skill and A holds it at level 4; both are members of the public community.
        people={
            (public, skill): PeopleCounts(learners=1, experts=1),
            (ORGANISATION, skill): PeopleCounts(learners=1, experts=1),
        },
    )
    rollups = compute_rollups(facts)
    mine = rollups[(public, skill)]
    assert (mine.demand.questions, mine.demand.unanswered) == (1, 0)
    assert mine.demand.median_first_answer_minutes == 10.0
    assert (mine.accepted_answers, mine.bus_factor) == (1, 1)
    assert (mine.demand.learners, mine.supply.experts) == (1, 1)
    org = rollups[(ORGANISATION, skill)]
    assert (org.demand.questions, org.demand.unanswered, org.accepted_answers) == (3, 2, 4)
    assert org.demand.median_first_answer_minutes == 30.0
    assert org.bus_factor == 1  # B gave 3 of 4
    theirs = rollups[(private, skill)]
    assert (theirs.demand.learners, theirs.supply.experts, theirs.bus_factor) == (0, 0, 1)
    # At risk with a learner and an expert (the private community has neither): pairs wanted.
    assert {key for key, f in rollups.items() if needs_pairs(f)} == {
        (public, skill),
        (ORGANISATION, skill),
    }


def test_empty_pairs_get_no_figures() -> None:
    community, skill = uuid.uuid4(), uuid.uuid4()
    facts = InsightFacts(people={(community, skill): PeopleCounts(mentors=1)})
    assert set(compute_rollups(facts)) == {(community, skill)}
    assert compute_rollups(InsightFacts()) == {}


def test_pairs_take_free_mentors_first_and_skip_open_requests() -> None:
    scope, skill = uuid.uuid4(), uuid.uuid4()
    candidates = {(scope, skill): PairCandidates(experts=[A, B], free_mentors={B}, learners=[C, D])}
    pairs = compute_pairs(candidates, set())
    assert [(p.expert_id, p.learner_id, p.position) for p in pairs] == [(B, C, 0), (A, D, 1)]
    # C has already asked B: C is offered A instead, and D gets B.
    pairs = compute_pairs(candidates, {(B, C, skill)})
    assert [(p.expert_id, p.learner_id) for p in pairs] == [(A, C), (B, D)]
