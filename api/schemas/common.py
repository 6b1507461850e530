"""Base classes for wire models: inputs forbid unknown fields; outputs read from entities."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, HttpUrl

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


def _http_url(value: HttpUrl) -> str:
    return str(value)


TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]
WebUrl = Annotated[HttpUrl, AfterValidator(_http_url)]
