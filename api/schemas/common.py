"""Base classes for wire models: inputs forbid unknown fields; outputs read from entities."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, HttpUrl, UrlConstraints

_TIMEZONES = frozenset(available_timezones())


class InputModel(BaseModel):
    """Request bodies: unknown fields are a 422, so clients can never set ids, roles or counts."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
