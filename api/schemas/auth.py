"""Wire models for registration and tokens."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from api.schemas.common import InputModel, OutputModel
from api.schemas.users import UserMe


class RegisterRequest(InputModel):
    email: EmailStr
    password: Annotated[str, Field(min_length=1, max_length=256)]
    display_name: Annotated[str, Field(min_length=1, max_length=100)]
    handle: Annotated[str, Field(min_length=3, max_length=30)] | None = None


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
    refresh_token: Annotated[str, Field(min_length=1, max_length=256)] | None = None


class LogoutRequest(InputModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=256)] | None = None
