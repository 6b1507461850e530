"""Wire models of skill insights: demand, supply, the gap with its parts, the bus factor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from api.schemas.common import OutputModel
from api.schemas.skills import SkillRefPublic
from api.schemas.users import UserSummary
from domain.skill_insights.model import SkillInsight


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# Figures are shown to four decimals. The models are validated straight from the domain's
# objects (their attributes, properties included), one call per item.
Rounded = Annotated[float, AfterValidator(_r)]
MaybeRounded = Annotated[float | None, AfterValidator(_r)]


class SkillDemandPublic(OutputModel):
    learners: int = Field(description="Active learning goals for the skill.")
    questions: int = Field(description="Questions tagged with the skill in the last 90 days.")
    unanswered: int = Field(description="Of those, questions without an accepted answer.")
    unanswered_share: MaybeRounded = Field(
        description="unanswered / questions (null when there were no questions)."
    )
    median_first_answer_minutes: MaybeRounded = Field(
        description="Median time from a question to its first answer by someone else "
        "(null when none was answered)."
    )


class SkillSupplyPublic(OutputModel):
    experts: int = Field(description="People at level 4 (proficient) or above.")
    answerers: int = Field(description="People who answered its questions in the last 90 days.")
    mentors: int = Field(
        description="Mentors with an open place who hold the skill at level 3 or above."
    )


class GapPartsPublic(OutputModel):
    """Points from each input; demand parts are positive, supply parts negative, and they add
    up to the gap."""

    learners: Rounded
    questions: Rounded
    unanswered: Rounded
    wait: Rounded
    experts: Rounded
    answerers: Rounded
    mentors: Rounded


class MentorshipPairPublic(OutputModel):
    expert: UserSummary
    learner: UserSummary


class SkillInsightPublic(OutputModel):
    skill: SkillRefPublic
    demand: SkillDemandPublic
    supply: SkillSupplyPublic
    gap: Rounded = Field(description="The sum of `parts`: above 0, more need than help.")
    parts: GapPartsPublic
    accepted_answers: int = Field(
        description="Accepted answers to its questions asked in the last 12 months."
    )
    bus_factor: int = Field(
        description="The fewest people who gave at least half of those accepted answers "
        "(0: none yet)."
    )
    at_risk: bool = Field(description="A bus factor of 1 or 2.")
    pairs: list[MentorshipPairPublic] = Field(
        description="Suggested mentorships for an at-risk skill (an expert and a learner). "
        "Administrators and stewards see all; anyone else only those where they are the learner."
    )
    refreshed_at: datetime = Field(description="When these figures were computed.")

    @classmethod
    def of(cls, item: SkillInsight) -> SkillInsightPublic:
        return cls.model_validate(item)
