"""Base classes for wire models: inputs forbid unknown fields; outputs read from entities."""

from __future__ import annotations

from typing import Annotated, Self
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    HttpUrl,
    UrlConstraints,
    model_validator,
)

_TIMEZONES = frozenset(available_timezones())


class InputModel(BaseModel):
    """Request bodies: unknown fields are a 422, so clients can never set ids, roles or counts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoNulls:
    """For PATCH bodies: a field may be left out, but these ones may not be sent as null."""

    __not_nullable__: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _refuse_nulls(self) -> Self:
        fields_set: set[str] = getattr(self, "model_fields_set", set())
        for name in self.__not_nullable__:
            if name in fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep it")
        return self


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _check_timezone(value: str) -> str:
    if value not in _TIMEZONES:
        raise ValueError("must be an IANA time zone name such as Europe/Paris")
    return value


TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]


def _fits_column(value: HttpUrl) -> HttpUrl:
    # Normalisation (punycode, a trailing slash) can lengthen a URL, so check the final form.
    if len(str(value)) > MAX_URL_LENGTH:
        raise ValueError(f"URL longer than {MAX_URL_LENGTH} characters")
    return value


MAX_URL_LENGTH = 2048
# http(s) only (never javascript: or data:), bounded to fit the column.
WebUrl = Annotated[
    HttpUrl,
    UrlConstraints(max_length=MAX_URL_LENGTH, allowed_schemes=["http", "https"]),
    AfterValidator(_fits_column),
]
