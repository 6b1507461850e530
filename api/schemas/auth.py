"""Wire models for registration and tokens."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from api.schemas.common import Handle, InputModel, NewPassword, OutputModel, PersonName, Secret
from api.schemas.users import UserMe


class RegisterRequest(InputModel):
    email: EmailStr
    password: NewPassword
    display_name: PersonName
    handle: Handle | None = None


class TokenResponse(OutputModel):
    access_token: str
    refresh_token: str | None = Field(
        description="Opaque, single use. Null when it was set as an httpOnly cookie instead."
    )
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires.")


class RegisterResponse(TokenResponse):
    user: UserMe


class RefreshRequest(InputModel):
    refresh_token: Annotated[Secret, Field(min_length=1, max_length=256)] | None = None


class LogoutRequest(InputModel):
    refresh_token: Annotated[Secret, Field(min_length=1, max_length=256)] | None = None


AccountLinkToken = Annotated[
    Secret,
    Field(min_length=1, max_length=256, description="The token of the link that was mailed."),
]


class VerifyEmailRequest(InputModel):
    token: AccountLinkToken


class PasswordResetRequest(InputModel):
    email: EmailStr


class PasswordResetConfirm(InputModel):
    token: AccountLinkToken
    new_password: NewPassword
