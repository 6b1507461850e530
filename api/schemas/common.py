"""Base classes for wire models: inputs forbid unknown fields; outputs read from entities."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    Strict,
    StringConstraints,
    UrlConstraints,
)

from domain.users.model import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

T = TypeVar("T")
_TIMEZONES = frozenset(available_timezones())


class InputModel(BaseModel):
    """Request bodies: unknown fields are a 422, so clients can never set ids, roles or counts.

    Text fields are `Text` or `Words` (below): their pattern, documented, refuses control
    characters, and they are trimmed after the documented limits are checked, so the limits a
    client reads are the ones applied to what it sends.
    """

    # Strict: true is not 1, "7" and 7.0 are not 7. JSON carries ids, dates and enum values as
    # strings; those fields say so with the `FromString` types below.
    model_config = ConfigDict(extra="forbid", strict=True)


def _string_only(value: object) -> object:
    # A date or an id is written as a string in JSON, never as a number (no timestamps).
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


# A value JSON can only carry as a string (an id, a date, an enum's value), read from that
# string inside the strict models.
FromString = Annotated[T, Strict(False), BeforeValidator(_string_only)]
Uuid = FromString[UUID]
IsoDate = FromString[date]


# C0 control characters except tab, line feed and carriage return. NUL cannot be stored in
# PostgreSQL text (the driver raised, a 500); the others have no place in user-visible text.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f"
# What str.strip() and str.split() treat as space, less the control characters above.
_SPACE = r" \t\n\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = rf"^[^{_CONTROLS}]*$"
# Not blank: at least one character that is not space.
WORDS_PATTERN = rf"^[{_SPACE}]*[^{_CONTROLS}{_SPACE}][^{_CONTROLS}]*$"


def text_with_one_of(characters: str) -> str:
    """A pattern for text that holds at least one of `characters` (a regex class body)."""
    return rf"^[^{_CONTROLS}]*[{characters}][^{_CONTROLS}]*$"


def trimmed_at_least(length: int) -> str:
    """A pattern for text with at least `length` characters once trimmed (the domain trims)."""
    return (
        rf"^[{_SPACE}]*[^{_CONTROLS}{_SPACE}][^{_CONTROLS}]{{{length - 2},}}"
        rf"[^{_CONTROLS}{_SPACE}][{_SPACE}]*$"
    )


# Every text a request carries, in a body, a form, the query string, a header or the path.
Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]
Words = Annotated[str, StringConstraints(pattern=WORDS_PATTERN)]
# Passwords and tokens are taken exactly as sent.
Secret = Text
NewPassword = Annotated[
    str,
    StringConstraints(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH, pattern=TEXT_PATTERN
    ),
]
# A handle as the domain accepts it (domain.users.model.HANDLE_RE), in either case.
Handle = Annotated[
    str,
    StringConstraints(
        min_length=3, max_length=30, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{1,28}[A-Za-z0-9])$"
    ),
]

# Formatting characters that reorder or hide text: bidi embeddings, overrides, isolates, marks.
_BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters that render as nothing: spaces, joiners, fillers, variation selectors.
_INVISIBLE = (
    r"\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2065"
    r"\u206a-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
NAME_PATTERN = (
    rf"^[^{_CONTROLS}{_BIDI}]*[^{_CONTROLS}{_BIDI}{_SPACE}{_INVISIBLE}][^{_CONTROLS}{_BIDI}]*$"
)


def _composed(value: str) -> str:
    # One spelling for one name: composed (NFC), so look-alike sequences compare equal.
    return unicodedata.normalize("NFC", value)


# A person's name as others see it: no direction overrides (U+202E shows "nimda" as "admin")
# and at least one visible character. The limits are checked on the text as sent.
PersonName = Annotated[
    str,
    StringConstraints(max_length=100, pattern=NAME_PATTERN),
    AfterValidator(_composed),
]


def _omit_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def unchanged(description: str | None = None) -> Any:
    """The default of a PATCH field that can be left out (unchanged) but not cleared: its type
    is not nullable, so `null` is a 422, and the document shows no default it would not take."""
    return Field(default=None, json_schema_extra=_omit_default, description=description)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class QueryModel(BaseModel):
    """A route's query parameters, all of them, as one model the route takes as
    `Annotated[Model, Query()]` (FastAPI's query parameter models): FastAPI documents each field
    as a parameter and refuses a parameter the model does not declare (422, `extra_forbidden`),
    so a misspelt filter never looks as if it had worked. One model per route: two would each
    refuse the other's parameters."""

    model_config = ConfigDict(extra="forbid")


PageLimit = Annotated[int, Field(ge=1, le=100, description="Items per page (1-100).")]
PageCursor = Annotated[
    str | None,
    Field(max_length=1024, pattern=TEXT_PATTERN, description="Opaque cursor from next_cursor."),
]


class PageQuery(QueryModel):
    """The query of a list that takes nothing but its page (api.deps.get_paginator)."""

    limit: PageLimit = 20
    cursor: PageCursor = None


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
    # Documents the scheme rule below (UrlConstraints checks it; a pattern cannot on a URL type).
    Field(json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}),
    UrlConstraints(max_length=MAX_URL_LENGTH, allowed_schemes=["http", "https"]),
    AfterValidator(_fits_column),
]
