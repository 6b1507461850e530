"""Wire models of skill insights: demand, supply, the gap with its parts, the bus factor."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from api.schemas.common import OutputModel
from api.schemas.skills import SkillRefPublic
from api.schemas.users import UserSummary
from domain.skill_insights.model import SkillInsight


def _r(value: float) -> float:
    return round(value, 4)


class SkillDemandPublic(OutputModel):
    learners: int = Field(description="Active learning goals for the skill.")
    questions: int = Field(description="Questions tagged with the skill in the last 90 days.")
    unanswered: int = Field(description="Of those, questions without an accepted answer.")
    unanswered_share: float | None = Field(
        description="unanswered / questions (null when there were no questions)."
    )
    median_first_answer_minutes: float | None = Field(
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

    learners: float
    questions: float
    unanswered: float
    wait: float
    experts: float
    answerers: float
    mentors: float


class MentorshipPairPublic(OutputModel):
    expert: UserSummary
    learner: UserSummary


class SkillInsightPublic(OutputModel):
    skill: SkillRefPublic
    demand: SkillDemandPublic
    supply: SkillSupplyPublic
    gap: float = Field(description="The sum of `parts`: above 0, more need than help.")
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
        d, s, p = item.demand, item.supply, item.parts
        share = d.unanswered_share
        return cls(
            skill=SkillRefPublic.of(item.skill),
            demand=SkillDemandPublic(
                learners=d.learners,
                questions=d.questions,
                unanswered=d.unanswered,
                unanswered_share=None if share is None else _r(share),
                median_first_answer_minutes=None
                if d.median_first_answer_minutes is None
                else _r(d.median_first_answer_minutes),
            ),
            supply=SkillSupplyPublic(experts=s.experts, answerers=s.answerers, mentors=s.mentors),
            gap=_r(item.gap),
            parts=GapPartsPublic(
                learners=_r(p.learners),
                questions=_r(p.questions),
                unanswered=_r(p.unanswered),
                wait=_r(p.wait),
                experts=_r(p.experts),
                answerers=_r(p.answerers),
                mentors=_r(p.mentors),
            ),
            accepted_answers=item.accepted_answers,
            bus_factor=item.bus_factor,
            at_risk=item.at_risk,
            pairs=[
                MentorshipPairPublic(
                    expert=UserSummary.of(pair.expert), learner=UserSummary.of(pair.learner)
                )
                for pair in item.pairs
            ],
            refreshed_at=item.refreshed_at,
        )
