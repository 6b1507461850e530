"""Skills: the taxonomy entities, the name normaliser, Dreyfus levels and the expert score.

Everything here is pure: the normaliser decides what counts as "the same skill", the scoring
function decides who ranks as an expert. Repositories mirror both in SQL (a unique index on the
normalised key, a stored score); tests check that the two sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum
from uuid import UUID

from domain.errors import ValidationFailed
from domain.users.model import UserRef

MAX_NAME_LENGTH = 80
MAX_SLUG_LENGTH = 80
MAX_ALIASES = 20
MAX_DESCRIPTION_LENGTH = 2000
MAX_NOTE_LENGTH = 2000
MAX_KEY_LENGTH = 255  # the normalised key can be longer than the name ("C++" -> "cplusplus")


class Level(IntEnum):
    """The Dreyfus model of skill acquisition."""

    novice = 1
    advanced_beginner = 2
    competent = 3
    proficient = 4
    expert = 5


EXPERT_LEVEL = Level.proficient  # `expert_count` counts people at this level or above


class SkillCategory(StrEnum):
    languages = "languages"
    engineering = "engineering"
    data = "data"
    cloud_infrastructure = "cloud-infrastructure"
    security = "security"
    design = "design"
    product = "product"
    leadership_people = "leadership-people"
    facilitation = "facilitation"
    communication = "communication"
    agile_delivery = "agile-delivery"
    domain_knowledge = "domain-knowledge"


class SkillSort(StrEnum):
    name = "name"
    popular = "popular"


class GoalStatus(StrEnum):
    active = "active"
    achieved = "achieved"
    dropped = "dropped"


# --- names -------------------------------------------------------------------------------------

# "+" and "#" carry meaning in skill names (C, C++, C#, F#), so they become words instead of
# vanishing with the rest of the punctuation; "c plus plus" therefore equals "C++".
_SYMBOL_WORDS = {"+": "plus", "#": "sharp"}


def normalize_skill_name(text: str) -> str:
    """The identity of a skill name: "Node.js" = "nodejs" = "node js" = "NODE-JS".

    Compatibility forms are folded (full-width letters, ligatures), case is folded through upper
    case first (so dotless and dotted i, long and sharp s agree), accents are dropped, and only
    letters and digits remain. The result is what the unique index stores, so it is idempotent.
    """
    text = "".join(_SYMBOL_WORDS.get(ch, ch) for ch in unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKD", text.upper().casefold())
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def clean_display_name(text: str, field_name: str = "name") -> str:
    """The name as shown: trimmed, inner whitespace collapsed, and something left to match on."""
    name = " ".join(text.split())
    if not name:
        raise ValidationFailed("A skill name must not be blank.", field=field_name)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(
            f"A skill name has at most {MAX_NAME_LENGTH} characters.", field=field_name
        )
    key = normalize_skill_name(name)
    if not key:
        raise ValidationFailed(
            f"The skill name {name!r} needs at least one letter or digit.", field=field_name
        )
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(f"The skill name {name!r} is too long.", field=field_name)
    return name


def slugify(name: str) -> str:
    """A readable ASCII slug for URLs: "C++" -> "c-plus-plus", "Node.js" -> "node-js"."""
    text = "".join(f" {_SYMBOL_WORDS[ch]} " if ch in _SYMBOL_WORDS else ch for ch in name)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    return slug or "skill"


def slug_candidates(base: str) -> list[str]:
    """The base slug and numbered variants, checked against the database in one query."""
    return [base] + [f"{base}-{n}" for n in range(2, 30)]


# --- entities ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillRef:
    """How a skill appears inside other resources."""

    id: UUID
    slug: str
    name: str
    category: SkillCategory | None
    listed: bool = True


@dataclass(slots=True)
class Skill:
    id: UUID
    slug: str
    name: str
    description: str | None
    category: SkillCategory | None
    created_at: datetime
    updated_at: datetime
    aliases: list[str] = field(default_factory=list)
    holder_count: int = 0
    expert_count: int = 0
    teacher_count: int = 0
    learner_count: int = 0
    listed: bool = True

    @property
    def ref(self) -> SkillRef:
        return SkillRef(
            id=self.id, slug=self.slug, name=self.name, category=self.category, listed=self.listed
        )


# --- listing -----------------------------------------------------------------------------------
# A tag names a skill, and an unknown tag creates one. Created by a post in a private community,
# the skill would tell everyone what that community talks about, so it starts unlisted: for
# everyone but administrators it is as missing as a skill that does not exist (404, absent from
# lists and name search), until a post in a public community uses it or an administrator lists
# it. Skills created on purpose (POST /skills, the starter taxonomy) are listed from the start.


def can_see_skill(listed: bool, is_admin: bool) -> bool:
    return listed or is_admin


@dataclass(frozen=True, slots=True)
class SkillName:
    """One row of the name index: a display name, its normalised key, and whether it is primary."""

    name: str
    key: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class NameOwner:
    """Which skill already owns a normalised key (for a 409 that names it)."""

    key: str
    name: str
    skill_id: UUID
    skill_slug: str
    skill_name: str
    skill_listed: bool = True


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a person contributed on a skill, counting only content the viewer can see: their
    live posts tagged with the skill, and their comments that are the accepted answer of a live
    question tagged with it."""

    posts: int = 0
    accepted_answers: int = 0


@dataclass(frozen=True, slots=True)
class ProfileEvidence:
    """The content part of a profile's `stats`, counted over what the viewer can see (any
    skill); endorsements are public, so every viewer sees the same number."""

    posts: int = 0
    accepted_answers: int = 0
    endorsements_received: int = 0


@dataclass(frozen=True, slots=True)
class EvidencePost:
    """What an endorsement's evidence check needs to know about a post the endorser can see."""

    id: UUID
    author_id: UUID
    accepted_answer_author_id: UUID | None  # the author of the live accepted answer, if any
    skill_ids: frozenset[UUID]
    community_id: UUID | None = None


def check_evidence_post(
    post: EvidencePost | None, person_id: UUID, person_name: str, skill: SkillRef
) -> UUID:
    """An endorsement may cite a post of the endorsed person, or a question they answered (the
    accepted answer is theirs), tagged with the skill. `post` is None when it does not exist,
    was deleted or is not visible to the endorser: one answer for all three, so the check never
    tells anyone that a private post exists."""
    if post is None:
        raise ValidationFailed(
            "evidence_post_id must name a post you can see.", field="evidence_post_id"
        )
    if person_id not in (post.author_id, post.accepted_answer_author_id):
        raise ValidationFailed(
            f"The evidence post must be written by {person_name}, or be a question whose "
            f"accepted answer is theirs.",
            field="evidence_post_id",
        )
    if skill.id not in post.skill_ids:
        raise ValidationFailed(
            f"The evidence post is not tagged with {skill.name}.", field="evidence_post_id"
        )
    return post.id


@dataclass(frozen=True, slots=True)
class UserSkill:
    user_id: UUID
    skill: SkillRef
    level: int
    wants_to_teach: bool
    endorsement_count: int
    endorsed_by_me: bool
    created_at: datetime
    updated_at: datetime
    evidence: Evidence = Evidence()
    proposed: bool = False  # put here by peers; the person has not claimed a level yet


@dataclass(frozen=True, slots=True)
class SkillSummary:
    """The `skills` part of a profile."""

    slug: str
    name: str
    level: int
    endorsement_count: int


@dataclass(frozen=True, slots=True)
class Endorsement:
    id: UUID
    endorser: UserRef
    user_id: UUID
    skill_id: UUID
    note: str | None
    evidence_post_id: UUID | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class LearningGoal:
    id: UUID
    user_id: UUID
    skill: SkillRef
    target_level: int
    status: GoalStatus
    created_at: datetime
    updated_at: datetime
    note: str | None = None
    due_on: date | None = None
    current_level: int | None = None  # the owner's level in the skill, when they list it


@dataclass(frozen=True, slots=True)
class TaxonomyEntry:
    """One skill of a starter taxonomy (see domain/skills/taxonomy.py)."""

    name: str
    category: SkillCategory
    description: str
    aliases: tuple[str, ...] = ()


# Somewhere on Earth it is still yesterday until 12:00 UTC (UTC-12), so a date is in the past
# only once it is over everywhere: a goal set for "today" in any timezone is accepted.
_LAST_TIMEZONE = timedelta(hours=12)


def check_due_on(due_on: date | None, now: datetime) -> date | None:
    if due_on is not None and due_on < (now - _LAST_TIMEZONE).date():
        raise ValidationFailed(
            f"due_on {due_on.isoformat()} is in the past; choose today or a later day.",
            field="due_on",
        )
    return due_on


def check_level(value: int, field_name: str = "level") -> int:
    if not Level.novice <= value <= Level.expert:
        raise ValidationFailed(
            f"{field_name} is a Dreyfus level from 1 (novice) to 5 (expert).", field=field_name
        )
    return value


# --- expert ranking ----------------------------------------------------------------------------

# Points per Dreyfus level the person claims: a self-declared expert starts at 10.
LEVEL_POINTS = 2.0
# An endorsement is worth ENDORSEMENT_BASE + ENDORSER_LEVEL_POINTS x the endorser's own level in
# the skill (0 when they do not list it): 0.5 from anyone, up to 1.5 from an expert...
ENDORSEMENT_BASE = 0.5
ENDORSER_LEVEL_POINTS = 0.2
# ...and half as much again when it links evidence (a post or answer of the endorsed person).
EVIDENCE_MULTIPLIER = 1.5
# Content peers found useful, tagged with the skill (a comment counts through its post's tags).
ACCEPTED_ANSWER_POINTS = 1.5
HELPFUL_REACTION_POINTS = 0.25
# Visibility: content only counts toward what a viewer is shown when that viewer can see it. The
# stored, indexed ranking score uses public content only (public communities, live posts and
# comments, evidence links to such posts); each viewer's page adds the private evidence they can
# see (see `visible_score`), so a private community's answers never leak through a score.


# --- proposed skills -----------------------------------------------------------------------------
# Peers can see a skill in someone before they list it: an endorsement for a skill the person
# does not list, or their accepted answer to a question tagged with it, puts the skill on their
# profile as *proposed* (stored at the lowest level, flagged). Its endorsements and evidence
# count like any other's; its level earns nothing until the person claims one by saving the
# skill, so the score of a proposed skill is the peers' evidence alone.

PROPOSED_LEVEL = Level.novice  # what a proposed skill is stored with; `claimed_level` is 0


def claimed_level(level: int, proposed: bool) -> int:
    """The level that earns points: none for a proposed skill (also as an endorser's level)."""
    return 0 if proposed else level


@dataclass(frozen=True, slots=True)
class EndorsementSignal:
    endorser_level: int  # 0 when the endorser does not list the skill
    has_evidence: bool = False


@dataclass(frozen=True, slots=True)
class ScoreParts:
    """The score and why: each part is in points and the parts add up to `total`."""

    level: float
    endorsements: float
    accepted_answers: float
    helpful_reactions: float

    @property
    def total(self) -> float:
        return self.level + self.endorsements + self.accepted_answers + self.helpful_reactions


def endorsement_weight(endorser_level: int, has_evidence: bool) -> float:
    """0.5 + 0.2 x endorser level, x1.5 with evidence: skilled, evidenced praise weighs more."""
    weight = ENDORSEMENT_BASE + ENDORSER_LEVEL_POINTS * endorser_level
    return weight * EVIDENCE_MULTIPLIER if has_evidence else weight


def score_parts(
    level: int, endorsement_points: float, accepted_answers: int, helpful_reactions: int
) -> ScoreParts:
    """Parts from already-aggregated inputs (what the repository stores per user skill)."""
    return ScoreParts(
        level=LEVEL_POINTS * level,
        endorsements=endorsement_points,
        accepted_answers=ACCEPTED_ANSWER_POINTS * accepted_answers,
        helpful_reactions=HELPFUL_REACTION_POINTS * helpful_reactions,
    )


@dataclass(frozen=True, slots=True)
class ScoreInputs:
    """Aggregated evidence of one person in one skill: endorsement points (weights already
    applied), accepted answers and helpful reactions on content tagged with the skill."""

    endorsement_points: float = 0.0
    accepted_answers: int = 0
    helpful_reactions: int = 0

    def __add__(self, other: ScoreInputs) -> ScoreInputs:
        return ScoreInputs(
            self.endorsement_points + other.endorsement_points,
            self.accepted_answers + other.accepted_answers,
            self.helpful_reactions + other.helpful_reactions,
        )


def visible_score(level: int, public: ScoreInputs, private: ScoreInputs) -> ScoreParts:
    """What one viewer is shown: the stored public evidence plus the private evidence that this
    viewer can see (their own private communities). An outsider's `private` is empty, so a
    private community's answers, reactions and evidence links never reach their numbers."""
    both = public + private
    return score_parts(
        level, both.endorsement_points, both.accepted_answers, both.helpful_reactions
    )


def evidence_bonus(endorser_level: int) -> float:
    """What linking evidence adds to one endorsement (the multiplier's share of the weight)."""
    return endorsement_weight(endorser_level, True) - endorsement_weight(endorser_level, False)


def expert_score(
    level: int,
    endorsements: Iterable[EndorsementSignal],
    accepted_answers: int = 0,
    helpful_reactions: int = 0,
) -> ScoreParts:
    """How strongly the evidence says a person is an expert in a skill.

    Linear and monotonic in every input, so each factor moves the score the way people expect:
    a higher level, one more endorsement, a more skilled endorser, linked evidence, an accepted
    answer or a helpful reaction never lowers it. Peer signals can outrank self-assessment: five
    endorsements from proficient colleagues (5 x 1.3) are worth more than three extra levels.
    """
    points = sum(endorsement_weight(e.endorser_level, e.has_evidence) for e in endorsements)
    return score_parts(level, points, accepted_answers, helpful_reactions)


@dataclass(frozen=True, slots=True)
class Expert:
    """One ranked holder. `score` is `parts.total` as this viewer sees it; `ranking_score` is the
    public-evidence score the ranking is ordered by (the same for every viewer)."""

    person: UserRef
    level: int
    endorsement_count: int
    parts: ScoreParts
    score: float
    ranking_score: float
    proposed: bool = False
