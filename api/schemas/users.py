"""Wire models for users, profiles and personal access tokens."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import EmailStr, Field, model_validator

from api.schemas.common import (
    InputModel,
    NewPassword,
    OutputModel,
    PersonName,
    Secret,
    Text,
    TimeZoneName,
    WebUrl,
    Words,
    unchanged,
)
from domain.mail.model import email_status
from domain.users.model import (
    DEFAULT_WORKING_HOURS,
    PersonalToken,
    User,
    UserProfile,
    UserRef,
    WorkingHours,
)

ClockTime = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="Local time, HH:MM (24 h)."),
]
IsoWeekday = Annotated[int, Field(ge=1, le=7)]


class WorkingHoursIn(InputModel):
    """When you are at work, in your own time zone. An end before the start crosses midnight."""

    days: Annotated[
        list[IsoWeekday],
        Field(min_length=1, max_length=7, description="ISO weekdays: 1 is Monday, 7 Sunday."),
    ]
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _window(self) -> Self:
        if len(set(self.days)) != len(self.days):
            raise ValueError("each working day once")
        if self.start == self.end:
            raise ValueError("start and end must differ")
        return self

    def hours(self) -> WorkingHours:
        return WorkingHours(
            frozenset(self.days), time.fromisoformat(self.start), time.fromisoformat(self.end)
        )


class WorkingHoursPublic(OutputModel):
    days: list[int]
    start: str
    end: str

    @classmethod
    def of(cls, hours: WorkingHours) -> WorkingHoursPublic:
        return cls(days=sorted(hours.days), start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}")


class UserSummary(OutputModel):
    id: UUID
    handle: str
    display_name: str
    title: str | None
    avatar_url: str | None

    @classmethod
    def of(cls, user: User | UserRef) -> UserSummary:
        return cls(
            id=user.id,
            handle=user.handle,
            display_name=user.display_name,
            title=user.title,
            avatar_url=user.avatar_url,
        )


EmailStatus = Literal["verified", "unverified", "undeliverable"]


class UserMe(UserSummary):
    email: str
    email_verified: bool = Field(
        description="The address was confirmed through the link mailed to it. Notification "
        "mail and digests go only to verified addresses."
    )
    email_status: EmailStatus = Field(
        description="undeliverable: the mail server refused the address for good; no mail "
        "goes there until the address changes."
    )
    email_undeliverable_reason: str | None = Field(
        description="The mail server's answer when the address was refused."
    )
    role: Literal["admin", "member"]
    bio: str | None
    location: str | None
    timezone: str | None
    time_zone: str | None = Field(description="The same value as `timezone` (either name works).")
    working_hours: WorkingHoursPublic = Field(
        description="When you are at work, in your time zone (Monday to Friday, 09:00-17:00 "
        "unless you set them); questions for your skills reach you only then."
    )
    working_hours_set: bool = Field(description="False while the default working week applies.")
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_user(cls, user: User) -> UserMe:
        return cls(
            id=user.id,
            handle=user.handle,
            display_name=user.display_name,
            title=user.title,
            avatar_url=user.avatar_url,
            email=user.email,
            email_verified=user.email_verified_at is not None,
            email_status=email_status(user),
            email_undeliverable_reason=user.email_undeliverable_reason,
            role=user.role.value,
            bio=user.bio,
            location=user.location,
            timezone=user.timezone,
            time_zone=user.timezone,
            working_hours=WorkingHoursPublic.of(user.working_hours or DEFAULT_WORKING_HOURS),
            working_hours_set=user.working_hours is not None,
            created_at=user.created_at,
            updated_at=user.updated_at,
            version=user.version,
        )


class UserStatsPublic(OutputModel):
    posts: int
    accepted_answers: int
    endorsements_received: int
    mentees: int


class SkillSummaryPublic(OutputModel):
    slug: str
    name: str
    level: int
    endorsement_count: int


class MentorProfilePublic(OutputModel):
    accepting_mentees: bool
    capacity: int
    active_mentees: int
    open_slots: int
    about: str | None
    timezone: str | None


class UserProfilePublic(UserSummary):
    bio: str | None
    location: str | None
    timezone: str | None
    created_at: datetime
    skills: list[SkillSummaryPublic]
    mentor_profile: MentorProfilePublic | None
    stats: UserStatsPublic

    @classmethod
    def of_profile(cls, profile: UserProfile) -> UserProfilePublic:
        user = profile.user
        return cls(
            id=user.id,
            handle=user.handle,
            display_name=user.display_name,
            title=user.title,
            avatar_url=user.avatar_url,
            bio=user.bio,
            location=user.location,
            timezone=user.timezone,
            created_at=user.created_at,
            skills=[SkillSummaryPublic.model_validate(s) for s in profile.skills],
            mentor_profile=(
                MentorProfilePublic.model_validate(profile.mentor_profile)
                if profile.mentor_profile
                else None
            ),
            stats=UserStatsPublic.model_validate(profile.stats),
        )


class MeUpdate(InputModel):
    display_name: PersonName = unchanged()
    title: Annotated[Text, Field(max_length=120)] | None = None
    bio: Annotated[Text, Field(max_length=5000)] | None = None
    location: Annotated[Text, Field(max_length=120)] | None = None
    timezone: TimeZoneName | None = None
    time_zone: TimeZoneName | None = Field(
        default=None, description="Another name for `timezone`: an IANA time zone name."
    )
    working_hours: WorkingHoursIn | None = Field(
        default=None, description="null returns to the default working week."
    )
    avatar_url: WebUrl | None = None

    @model_validator(mode="after")
    def _one_time_zone(self) -> Self:
        both = {"timezone", "time_zone"} <= self.model_fields_set
        if both and self.timezone != self.time_zone:
            raise ValueError("timezone and time_zone name one field: send one, or the same value")
        return self

    def changes(self) -> dict[str, object]:
        """The fields sent, by their domain names (`time_zone` is `timezone`)."""
        values: dict[str, object] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name == "working_hours":
                values[name] = value.hours() if value is not None else None
            elif name == "time_zone":
                values["timezone"] = value
            else:
                values[name] = str(value) if value is not None else None
        return values


class PasswordChange(InputModel):
    current_password: Annotated[Secret, Field(min_length=1, max_length=256)]
    new_password: NewPassword
    keep_personal_tokens: bool = Field(
        default=False,
        description="Keep personal access tokens working; by default they are revoked too.",
    )


class EmailChange(InputModel):
    email: EmailStr
    current_password: Annotated[Secret, Field(min_length=1, max_length=256)]


ScopeName = Literal["read", "write", "admin"]


class PersonalTokenCreate(InputModel):
    name: Annotated[Words, Field(max_length=100)]
    scopes: Annotated[list[ScopeName], Field(min_length=1, max_length=3)]
    expires_in_days: Annotated[int, Field(ge=1, le=3650)] | None = None


class PersonalTokenPublic(OutputModel):
    id: UUID
    name: str
    scopes: list[ScopeName]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, token: PersonalToken) -> PersonalTokenPublic:
        return cls(
            id=token.id,
            name=token.name,
            scopes=sorted(s.value for s in token.scopes),
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
        )


class PersonalTokenCreated(OutputModel):
    id: UUID
    name: str
    scopes: list[ScopeName]
    token: str = Field(description="The secret. Shown only in this response; store it now.")
    created_at: datetime
    expires_at: datetime | None
