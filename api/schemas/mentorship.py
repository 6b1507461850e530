"""Wire models for mentor profiles, recommendations, mentorships, sessions and feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    Handle,
    InputModel,
    IsoDate,
    OutputModel,
    Text,
    TimeZoneName,
    Words,
)
from api.schemas.skills import LevelValue, SkillRefPublic, SlugText
from api.schemas.users import MentorProfilePublic, UserSummary
from domain.mentorship.model import (
    MAX_ABOUT_LENGTH,
    MAX_CAPACITY,
    MAX_COMMENT_LENGTH,
    MAX_GOAL_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SESSION_MINUTES,
    MIN_CAPACITY,
    MIN_SESSION_MINUTES,
    Feedback,
    MentorProfile,
    Mentorship,
    MentorshipSession,
    Recommendation,
)

StatusName = Literal["requested", "active", "declined", "cancelled", "completed"]


class MentorProfilePut(InputModel):
    accepting_mentees: Annotated[bool, Field(strict=True)]
    capacity: Annotated[
        int,
        Field(
            strict=True,
            ge=MIN_CAPACITY,
            le=MAX_CAPACITY,
            description="How many mentees at once.",
        ),
    ]
    about: Annotated[Text, Field(max_length=MAX_ABOUT_LENGTH)] | None = None
    timezone: TimeZoneName = Field(description="IANA time zone name, e.g. Europe/Paris.")


def profile_public(profile: MentorProfile) -> MentorProfilePublic:
    return MentorProfilePublic(
        accepting_mentees=profile.accepting_mentees,
        capacity=profile.capacity,
        active_mentees=profile.active_mentees,
        open_slots=profile.open_slots,
        about=profile.about,
        timezone=profile.timezone,
    )


class MentorRecommendationPublic(OutputModel):
    user: UserSummary
    skill: SkillRefPublic
    score: float = Field(description="Higher is a better fit; see `reasons` for why.")
    reasons: list[str]

    @classmethod
    def of(cls, rec: Recommendation) -> MentorRecommendationPublic:
        return cls(
            user=UserSummary.of(rec.mentor),
            skill=SkillRefPublic.of(rec.skill),
            score=rec.score,
            reasons=rec.reasons,
        )


class MentorshipCreate(InputModel):
    mentor: Handle = Field(description="The mentor's handle.")
    skill: SlugText = Field(description="The skill's slug.")
    goal: Annotated[Words, Field(max_length=MAX_GOAL_LENGTH)]
    message: Annotated[Text, Field(max_length=MAX_MESSAGE_LENGTH)] | None = None


class MentorshipDecline(InputModel):
    reason: Annotated[Text, Field(max_length=MAX_REASON_LENGTH)] | None = None


class MentorshipComplete(InputModel):
    confirmed_level: LevelValue | None = Field(
        default=None,
        description="Mentor only: the mentee's level now; raises (never lowers) their level.",
    )


class MentorshipPublic(OutputModel):
    id: UUID
    mentor: UserSummary
    mentee: UserSummary
    skill: SkillRefPublic
    goal: str
    message: str | None
    status: StatusName
    created_at: datetime
    responded_at: datetime | None
    completed_at: datetime | None
    decline_reason: str | None = Field(
        description='The mentor\'s reason, or "expired" for a request nobody answered in time.'
    )
    confirmed_level: int | None

    @classmethod
    def of(cls, m: Mentorship) -> MentorshipPublic:
        return cls(
            id=m.id,
            mentor=UserSummary.of(m.mentor),
            mentee=UserSummary.of(m.mentee),
            skill=SkillRefPublic.of(m.skill),
            goal=m.goal,
            message=m.message,
            status=m.status.value,
            created_at=m.created_at,
            responded_at=m.responded_at,
            completed_at=m.completed_at,
            decline_reason=m.decline_reason,
            confirmed_level=m.confirmed_level,
        )


class SessionCreate(InputModel):
    held_on: Annotated[
        IsoDate,
        Field(description="ISO date of the session; not in the future."),
    ]
    minutes: Annotated[int, Field(strict=True, ge=MIN_SESSION_MINUTES, le=MAX_SESSION_MINUTES)]
    notes: Annotated[Text, Field(max_length=MAX_NOTES_LENGTH)] | None = None


class SessionPublic(OutputModel):
    id: UUID
    held_on: date
    minutes: int
    notes: str | None
    created_by: UserSummary
    created_at: datetime

    @classmethod
    def of(cls, s: MentorshipSession) -> SessionPublic:
        return cls(
            id=s.id,
            held_on=s.held_on,
            minutes=s.minutes,
            notes=s.notes,
            created_by=UserSummary.of(s.created_by),
            created_at=s.created_at,
        )


class FeedbackCreate(InputModel):
    rating: Annotated[int, Field(strict=True, ge=1, le=5)]
    comment: Annotated[Text, Field(max_length=MAX_COMMENT_LENGTH)] | None = None


class FeedbackPublic(OutputModel):
    id: UUID
    mentorship_id: UUID
    author: UserSummary
    role: Literal["mentor", "mentee"]
    rating: int
    comment: str | None
    created_at: datetime

    @classmethod
    def of(cls, f: Feedback) -> FeedbackPublic:
        return cls(
            id=f.id,
            mentorship_id=f.mentorship_id,
            author=UserSummary.of(f.author),
            role=f.role.value,
            rating=f.rating,
            comment=f.comment,
            created_at=f.created_at,
        )
