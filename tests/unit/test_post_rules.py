"""A post's score: every reaction kind counts with its weight."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.posts.model import REACTION_WEIGHT, ReactionKind, Reactions

counts = st.integers(min_value=0, max_value=10**6)


@given(counts, counts, counts)
def test_the_score_weighs_every_kind(like: int, helpful: int, insightful: int) -> None:
    reactions = Reactions(like=like, helpful=helpful, insightful=insightful)
    # Every kind has a counter of its own name, and the score counts each with its weight.
    assert {kind.value for kind in ReactionKind} == {"like", "helpful", "insightful"}
    expected = sum(getattr(reactions, kind.value) * w for kind, w in REACTION_WEIGHT.items())
    assert reactions.score == expected
    assert Reactions(helpful=1).score == 3 and Reactions(insightful=1).score == 2
