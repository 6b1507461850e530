"""Pure skill rules: the name normaliser, slugs, the expert score and the starter taxonomy."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.skills.model import (
    ACCEPTED_ANSWER_POINTS,
    HELPFUL_REACTION_POINTS,
    LEVEL_POINTS,
    EndorsementSignal,
    EvidencePost,
    ScoreInputs,
    ScoreParts,
    SkillCategory,
    SkillRef,
    can_see_skill,
    check_due_on,
    check_evidence_post,
    clean_display_name,
    endorsement_weight,
    evidence_bonus,
    expert_score,
    normalize_skill_name,
    slugify,
    visible_score,
)
from domain.skills.taxonomy import STARTER_TAXONOMY

# Separators people put in names; "+" and "#" are excluded on purpose (C, C++ and C# differ).
SEPARATORS = list(" \t\n-_.,:;!?'\"/\\()[]{}<>|~`@$%^&*=–—·•’“”…")  # noqa: RUF001
separators = st.text(alphabet=st.sampled_from(SEPARATORS), max_size=4)


# --- normaliser --------------------------------------------------------------------------------


@given(st.text(max_size=60))
def test_normalising_is_idempotent(text):
    key = normalize_skill_name(text)
    assert normalize_skill_name(key) == key


@given(st.text(max_size=60))
def test_normalising_ignores_case(text):
    key = normalize_skill_name(text)
    assert normalize_skill_name(text.upper()) == key
    assert normalize_skill_name(text.lower()) == key


@given(st.lists(st.tuples(st.text(max_size=8), separators), max_size=6))
def test_normalising_ignores_spaces_and_punctuation(parts):
    plain = "".join(word for word, _ in parts)
    spaced = "".join(word + separator for word, separator in parts)
    assert normalize_skill_name(spaced) == normalize_skill_name(plain)


@given(st.text(max_size=60))
def test_keys_hold_only_letters_and_digits(text):
    assert all(ch.isalnum() for ch in normalize_skill_name(text))


@pytest.mark.parametrize(
    ("names", "same"),
    [
        (["Node.js", "nodejs", "node js", "NODE-JS", "Node JS"], True),
        (["C++", "c plus plus", "C ++"], True),
        (["Café", "cafe", "CAFÉ"], True),
        (["ＡＷＳ", "AWS", "a.w.s."], True),  # noqa: RUF001 (full-width letters fold)
        (["C", "C++", "C#"], False),
        (["Go", "Go 2"], False),
    ],
)
def test_normalising_examples(names, same):
    keys = {normalize_skill_name(name) for name in names}
    assert (len(keys) == 1) is same


def test_display_names_are_cleaned_and_need_a_letter_or_digit():
    assert clean_display_name("  Event   Storming ") == "Event Storming"
    for bad in ("", "   ", "!!!", "x" * 81):
        with pytest.raises(ValidationFailed):
            clean_display_name(bad)


@given(st.text(max_size=60))
def test_slugs_are_url_safe(name):
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slugify(name))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Node.js", "node-js"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("Café au lait", "cafe-au-lait"),
    ],
)
def test_slug_examples(name, slug):
    assert slugify(name) == slug


# --- expert score ------------------------------------------------------------------------------

levels = st.integers(min_value=1, max_value=5)
endorser_levels = st.integers(min_value=0, max_value=5)
signals = st.lists(st.builds(EndorsementSignal, endorser_levels, st.booleans()), max_size=20)
counts = st.integers(min_value=0, max_value=500)


def test_documented_endorsement_weights():
    assert endorsement_weight(0, False) == pytest.approx(0.5)  # from someone without the skill
    assert endorsement_weight(5, False) == pytest.approx(1.5)  # from an expert
    assert endorsement_weight(5, True) == pytest.approx(2.25)  # from an expert, with evidence


@given(levels, signals, counts, counts)
def test_parts_add_up_to_the_score(level, endorsements, answers, reactions):
    parts = expert_score(level, endorsements, answers, reactions)
    assert parts.level == LEVEL_POINTS * level
    assert parts.accepted_answers == ACCEPTED_ANSWER_POINTS * answers
    assert parts.helpful_reactions == HELPFUL_REACTION_POINTS * reactions
    assert parts.total == pytest.approx(
        parts.level + parts.endorsements + parts.accepted_answers + parts.helpful_reactions
    )


@given(st.integers(min_value=1, max_value=4), signals, counts, counts)
def test_a_higher_level_raises_the_score(level, endorsements, answers, reactions):
    lower = expert_score(level, endorsements, answers, reactions).total
    assert expert_score(level + 1, endorsements, answers, reactions).total > lower


@given(levels, signals, st.builds(EndorsementSignal, endorser_levels, st.booleans()), counts)
def test_another_endorsement_raises_the_score(level, endorsements, extra, answers):
    before = expert_score(level, endorsements, answers).total
    assert expert_score(level, [*endorsements, extra], answers).total > before


@given(levels, signals, st.integers(min_value=0, max_value=4), st.booleans())
def test_a_more_skilled_endorser_weighs_more(level, endorsements, endorser_level, evidence):
    weaker = expert_score(level, [*endorsements, EndorsementSignal(endorser_level, evidence)])
    stronger = expert_score(level, [*endorsements, EndorsementSignal(endorser_level + 1, evidence)])
    assert stronger.total > weaker.total


@given(levels, signals, endorser_levels)
def test_linked_evidence_weighs_more(level, endorsements, endorser_level):
    bare = expert_score(level, [*endorsements, EndorsementSignal(endorser_level, False)])
    evidenced = expert_score(level, [*endorsements, EndorsementSignal(endorser_level, True)])
    assert evidenced.total > bare.total
    assert evidenced.endorsements - bare.endorsements == pytest.approx(
        endorsement_weight(endorser_level, True) - endorsement_weight(endorser_level, False)
    )


@given(levels, signals, counts, counts)
def test_accepted_answers_and_helpful_reactions_raise_the_score(level, endorsements, a, r):
    base = expert_score(level, endorsements, a, r).total
    assert expert_score(level, endorsements, a + 1, r).total > base
    assert expert_score(level, endorsements, a, r + 1).total > base


def test_peer_endorsement_can_outrank_self_assessment():
    """The documented trade-off: five proficient peers outweigh three claimed levels."""
    claimed = expert_score(5, [])
    endorsed = expert_score(2, [EndorsementSignal(4)] * 5)
    assert endorsed.total > claimed.total


points = st.floats(min_value=0, max_value=100, allow_nan=False)
inputs = st.builds(ScoreInputs, points, counts, counts)


@given(levels, inputs, inputs)
def test_private_evidence_only_adds_to_what_a_member_sees(level, public, private):
    """An outsider's private part is empty: they see exactly the public score; a member's view
    adds their private evidence, part by part, and never lowers anything."""
    outsider = visible_score(level, public, ScoreInputs())
    assert outsider == ScoreParts(
        level=LEVEL_POINTS * level,
        endorsements=public.endorsement_points,
        accepted_answers=ACCEPTED_ANSWER_POINTS * public.accepted_answers,
        helpful_reactions=HELPFUL_REACTION_POINTS * public.helpful_reactions,
    )
    member = visible_score(level, public, private)
    assert member.accepted_answers == ACCEPTED_ANSWER_POINTS * (
        public.accepted_answers + private.accepted_answers
    )
    assert member.helpful_reactions == HELPFUL_REACTION_POINTS * (
        public.helpful_reactions + private.helpful_reactions
    )
    assert member.total >= outsider.total


@given(levels, signals, endorser_levels, counts, counts)
def test_the_evidence_bonus_is_what_linking_adds(level, endorsements, endorser_level, a, r):
    """A private evidence link is shown to members as this bonus on top of the public weight."""
    bare = expert_score(level, [*endorsements, EndorsementSignal(endorser_level, False)], a, r)
    linked = expert_score(level, [*endorsements, EndorsementSignal(endorser_level, True)], a, r)
    assert linked.total - bare.total == pytest.approx(evidence_bonus(endorser_level))
    assert evidence_bonus(endorser_level) > 0


PERSON, OTHER = uuid.uuid4(), uuid.uuid4()
PYTHON = SkillRef(id=uuid.uuid4(), slug="python", name="Python", category=None)


def _evidence(author=PERSON, answered_by=None, tags=(PYTHON.id,)) -> EvidencePost:
    return EvidencePost(uuid.uuid4(), author, answered_by, frozenset(tags))


@pytest.mark.parametrize(
    "post",
    [
        _evidence(),  # their post
        _evidence(author=OTHER, answered_by=PERSON),  # a question they answered
        _evidence(tags=(uuid.uuid4(), PYTHON.id)),  # among other tags
    ],
)
def test_evidence_posts_that_count(post):
    assert check_evidence_post(post, PERSON, "Pat", PYTHON) == post.id


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (None, "a post you can see"),  # missing, deleted or invisible: one answer for all
        (_evidence(author=OTHER), "written by Pat"),
        (_evidence(author=OTHER, answered_by=OTHER), "written by Pat"),
        (_evidence(tags=()), "not tagged with Python"),
        (_evidence(author=OTHER, answered_by=PERSON, tags=(uuid.uuid4(),)), "not tagged"),
    ],
)
def test_evidence_posts_that_do_not(post, message):
    with pytest.raises(ValidationFailed, match=message) as raised:
        check_evidence_post(post, PERSON, "Pat", PYTHON)
    assert raised.value.field == "evidence_post_id"


# --- starter taxonomy --------------------------------------------------------------------------


def test_the_starter_taxonomy_is_broad_and_every_name_is_unique_after_normalising():
    assert len(STARTER_TAXONOMY) >= 250
    assert {entry.category for entry in STARTER_TAXONOMY} == set(SkillCategory)
    owners: dict[str, str] = {}
    for entry in STARTER_TAXONOMY:
        assert entry.description.strip()
        for name in (entry.name, *entry.aliases):
            assert clean_display_name(name) == name
            key = normalize_skill_name(name)
            # A clash with another skill would make the loader drop a name; a clash with the
            # skill's own names is a useless alias.
            assert key not in owners, f"{name!r} of {entry.name!r} clashes with {owners[key]!r}"
            owners[key] = entry.name


def test_a_due_date_is_past_only_once_it_is_over_everywhere():
    noon = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert check_due_on(None, noon) is None
    assert check_due_on(date(2026, 12, 6), noon) == date(2026, 12, 6)
    # Before noon UTC it is still 5 December at UTC-12.
    assert check_due_on(date(2026, 12, 5), noon - timedelta(minutes=1)) == date(2026, 12, 5)
    for late in (noon, noon + timedelta(hours=11)):
        with pytest.raises(ValidationFailed) as refused:
            check_due_on(date(2026, 12, 5), late)
        assert refused.value.field == "due_on" and "past" in refused.value.detail


def test_unlisted_skills_are_for_administrators():
    assert can_see_skill(True, False) and can_see_skill(False, True)
    assert not can_see_skill(False, False)
