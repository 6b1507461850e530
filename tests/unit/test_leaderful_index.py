"""The leaderful index: share of active members who led, and the busiest tenth's share of acts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.insights.index import leaderful_index


def test_no_active_members_is_zero_not_a_division_error():
    index = leaderful_index([], {})
    assert (index.active_members, index.leaders, index.acts) == (0, 0, 0)
    assert index.share == 0.0
    assert index.concentration is None


def test_one_member_who_leads_is_all_share_and_all_concentration():
    index = leaderful_index(["ana"], {"ana": 3})
    assert index.share == 1.0
    assert index.concentration == 1.0


def test_one_member_who_only_takes_part():
    index = leaderful_index(["ana"], {})
    assert (index.share, index.concentration) == (0.0, None)


def test_leaders_count_as_active_even_if_the_activity_list_misses_them():
    index = leaderful_index(["ana", "ana", "ben"], {"cy": 1, "ben": 0})
    assert index.active_members == 3
    assert index.leaders == 1
    assert index.share == round(1 / 3, 4)


def test_even_leading_among_many_is_low_concentration():
    people = [f"p{i}" for i in range(20)]
    index = leaderful_index(people, dict.fromkeys(people, 2))
    assert index.share == 1.0
    assert index.concentration == 0.1  # the busiest 2 of 20 did 2 of 20 shares


def test_one_hero_among_many_is_high_concentration():
    people = [f"p{i}" for i in range(20)]
    acts = {p: 1 for p in people[:10]} | {"p0": 91}
    index = leaderful_index(people, acts)
    assert index.share == 0.5
    assert index.concentration == 0.91  # the top tenth of 10 leaders is one person: 91 of 100


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 30)), st.lists(st.integers(0, 80)))
def test_bounds(acts, active):
    index = leaderful_index(active, acts)
    assert 0.0 <= index.share <= 1.0
    assert index.leaders <= index.active_members
    if index.acts:
        assert index.concentration is not None
        assert index.concentration * 1.0001 >= TOP or index.leaders < 10
        assert 0.0 < index.concentration <= 1.0


TOP = 0.1
