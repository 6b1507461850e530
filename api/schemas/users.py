"""Wire models for users, profiles and personal access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import EmailStr, Field

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
from domain.users.model import PersonalToken, User, UserProfile, UserRef


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
    avatar_url: WebUrl | None = None


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
