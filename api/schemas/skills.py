"""Wire models for skills, profile skills, endorsements, expert rankings and learning goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import (
    FromString,
    InputModel,
    IsoDate,
    OutputModel,
    Text,
    Uuid,
    Words,
    unchanged,
)
from api.schemas.users import UserSummary
from domain.skills.model import (
    MAX_ALIASES,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Endorsement,
    Expert,
    GoalStatus,
    LearningGoal,
    Level,
    Skill,
    SkillCategory,
    SkillRef,
    UserSkill,
)

SkillNameText = Annotated[Words, Field(max_length=MAX_NAME_LENGTH)]
SlugText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$"),
]
# Strict: "3", 3.0 or true are not levels, and a date is an ISO string, never a timestamp.
LevelValue = Annotated[
    int, Field(strict=True, ge=1, le=5, description="Dreyfus level: 1 novice ... 5 expert.")
]


DueDate = Annotated[IsoDate, Field(description="ISO date, e.g. 2027-03-01.")]


class SkillCreate(InputModel):
    name: SkillNameText
    description: Annotated[Text, Field(max_length=MAX_DESCRIPTION_LENGTH)] | None = None
    category: FromString[SkillCategory] | None = None
    aliases: Annotated[list[SkillNameText], Field(max_length=MAX_ALIASES)] = Field(
        default_factory=list,
        description="Other names people use; matched like names (case, spaces, punctuation).",
    )


class SkillUpdate(InputModel):
    name: SkillNameText = unchanged()
    description: Annotated[Text, Field(max_length=MAX_DESCRIPTION_LENGTH)] | None = None
    category: FromString[SkillCategory] | None = None
    aliases: Annotated[list[SkillNameText], Field(max_length=MAX_ALIASES)] | None = Field(
        default=None, description="Replaces every alias. Omit it to keep them."
    )
    listed: bool = unchanged(
        description="true lists a skill waiting for review (first named by a tag in a private "
        "community); false takes a skill out of lists, search and its page for non-admins.",
    )


class SkillMerge(InputModel):
    into: SlugText = Field(description="Slug of the skill that stays.")


class SkillPublic(OutputModel):
    id: UUID
    slug: str
    name: str
    description: str | None
    category: SkillCategory | None
    aliases: list[str]
    holder_count: int = Field(description="People who list the skill (the `popular` sort).")
    expert_count: int = Field(description="People at level 4 (proficient) or 5 (expert).")
    teacher_count: int = Field(description="People who want to teach it.")
    learner_count: int = Field(description="People with an active learning goal for it.")
    created_at: datetime
    updated_at: datetime
    listed: bool = Field(
        description="false: first named by a tag in a private community and not public yet; "
        "only administrators see such a skill."
    )

    @classmethod
    def of(cls, skill: Skill) -> SkillPublic:
        return cls(
            id=skill.id,
            slug=skill.slug,
            name=skill.name,
            description=skill.description,
            category=skill.category,
            aliases=skill.aliases,
            holder_count=skill.holder_count,
            expert_count=skill.expert_count,
            teacher_count=skill.teacher_count,
            learner_count=skill.learner_count,
            created_at=skill.created_at,
            updated_at=skill.updated_at,
            listed=skill.listed,
        )


class SkillRefPublic(OutputModel):
    slug: str
    name: str
    category: SkillCategory | None

    @classmethod
    def of(cls, ref: SkillRef) -> SkillRefPublic:
        return cls(slug=ref.slug, name=ref.name, category=ref.category)


class UserSkillPut(InputModel):
    level: LevelValue
    wants_to_teach: Annotated[bool, Field(strict=True)] = False


class EvidencePublic(OutputModel):
    """Counted over content you can see."""

    posts: int = Field(description="Their live posts tagged with the skill.")
    accepted_answers: int = Field(
        description="Their comments accepted as the answer of a live question tagged with it."
    )


class UserSkillPublic(OutputModel):
    skill: SkillRefPublic
    level: int
    level_name: str = Field(description="novice, advanced_beginner, competent, proficient, expert")
    wants_to_teach: bool
    endorsement_count: int
    endorsed_by_me: bool
    evidence: EvidencePublic
    updated_at: datetime
    proposed: bool = Field(
        description=(
            "Put on the profile by peers (an endorsement, an accepted answer); the person has "
            "not claimed a level yet, so `level` is 1 and earns no points."
        )
    )

    @classmethod
    def of(cls, item: UserSkill) -> UserSkillPublic:
        return cls(
            skill=SkillRefPublic.of(item.skill),
            level=item.level,
            level_name=Level(item.level).name,
            wants_to_teach=item.wants_to_teach,
            endorsement_count=item.endorsement_count,
            endorsed_by_me=item.endorsed_by_me,
            proposed=item.proposed,
            evidence=EvidencePublic(
                posts=item.evidence.posts, accepted_answers=item.evidence.accepted_answers
            ),
            updated_at=item.updated_at,
        )


class EndorsementPut(InputModel):
    note: Annotated[Text, Field(max_length=MAX_NOTE_LENGTH)] | None = None
    evidence_post_id: Uuid | None = Field(
        default=None,
        description=(
            "A post by the endorsed person, or a question whose accepted answer is theirs, "
            "that you can see and that is tagged with the skill (else 422). Omitted: no link."
        ),
    )
    propose: Annotated[bool, Field(strict=True)] = Field(
        default=False,
        description=(
            "When the person does not list the skill: true puts it on their profile as "
            "proposed (they claim a level by saving it) and endorses it; false (the default) "
            "answers 404 as before."
        ),
    )


class EndorsementPublic(OutputModel):
    id: UUID
    endorser: UserSummary
    note: str | None
    evidence_post_id: UUID | None = Field(
        description="The linked evidence; null when there is none or you cannot see the post."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, endorsement: Endorsement) -> EndorsementPublic:
        return cls(
            id=endorsement.id,
            endorser=UserSummary.of(endorsement.endorser),
            note=endorsement.note,
            evidence_post_id=endorsement.evidence_post_id,
            created_at=endorsement.created_at,
            updated_at=endorsement.updated_at,
        )


class ScorePartsPublic(OutputModel):
    """Points from each input; they add up to the score."""

    level: float
    endorsements: float
    accepted_answers: float
    helpful_reactions: float


class LevelCountPublic(OutputModel):
    level: int = Field(ge=1, le=5, description="1 novice … 5 expert (the Dreyfus model).")
    count: int = Field(description="People who list the skill at this level.")


class SkillLevelsPublic(OutputModel):
    """The skill's level histogram: every level, novice first, zero counts included."""

    levels: list[LevelCountPublic]


class ExpertPublic(OutputModel):
    user: UserSummary
    level: int
    endorsement_count: int
    score: float = Field(description="The sum of `parts`, counting only content you can see.")
    ranking_score: float = Field(
        description="The score from public content only, which orders the list for everyone."
    )
    parts: ScorePartsPublic
    proposed: bool = Field(
        description="The skill was proposed by peers' evidence; no level claimed (no points)."
    )

    @classmethod
    def of(cls, expert: Expert) -> ExpertPublic:
        parts = expert.parts
        return cls(
            user=UserSummary.of(expert.person),
            level=expert.level,
            endorsement_count=expert.endorsement_count,
            proposed=expert.proposed,
            score=round(expert.score, 4),
            ranking_score=round(expert.ranking_score, 4),
            parts=ScorePartsPublic(
                level=round(parts.level, 4),
                endorsements=round(parts.endorsements, 4),
                accepted_answers=round(parts.accepted_answers, 4),
                helpful_reactions=round(parts.helpful_reactions, 4),
            ),
        )


class LearningGoalCreate(InputModel):
    skill: SlugText = Field(description="Slug of the skill to learn.")
    target_level: LevelValue
    note: Annotated[Text, Field(max_length=MAX_NOTE_LENGTH)] | None = None
    due_on: DueDate | None = None


class LearningGoalUpdate(InputModel):
    target_level: LevelValue = unchanged()
    status: FromString[GoalStatus] = unchanged()
    note: Annotated[Text, Field(max_length=MAX_NOTE_LENGTH)] | None = None
    due_on: DueDate | None = None


class LearningGoalPublic(OutputModel):
    id: UUID
    skill: SkillRefPublic
    target_level: int
    current_level: int | None = Field(description="Your level in the skill, if you list it.")
    status: GoalStatus
    note: str | None
    due_on: date | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, goal: LearningGoal) -> LearningGoalPublic:
        return cls(
            id=goal.id,
            skill=SkillRefPublic.of(goal.skill),
            target_level=goal.target_level,
            current_level=goal.current_level,
            status=goal.status,
            note=goal.note,
            due_on=goal.due_on,
            created_at=goal.created_at,
            updated_at=goal.updated_at,
        )
