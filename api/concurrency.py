"""ETag / If-Match / If-None-Match for resources that carry a `version`, and If-Match for those
that do not (compared with the tag of their current representation, see the end).

An ETag is `"v<version>.<digest>"`: the version is what If-Match compares (a lost-update guard
on the resource's content), and the digest of the representation makes If-None-Match honest
about everything else in the response that changes without a new version (counts, the
caller's own reactions or membership), so a cache is never served a stale copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from domain.errors import PreconditionFailed

_ETAG = {
    "ETag": {
        "description": "The representation's version; send it back in If-Match or If-None-Match.",
        "schema": {"type": "string"},
    }
}


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


# `openapi_extra` of the routes that honour conditional requests. The headers are read from
# the request by the functions below rather than declared as parameters, so they are listed here.
CONDITIONAL_GET: dict[str, Any] = {
    "parameters": [
        _header("If-None-Match", "An ETag you hold: 304 without a body while it is current.")
    ],
    "responses": {
        "200": {"headers": _ETAG},
        "304": {"description": "Not Modified: your copy is current.", "headers": _ETAG},
    },
}
CONDITIONAL_WRITE: dict[str, Any] = {
    "parameters": [
        _header(
            "If-Match",
            "The ETag you read: 412 if the resource changed since (or a "
            "malformed validator), so no update is lost.",
        )
    ],
    "responses": {
        "200": {"headers": _ETAG},
        "412": {"description": "Precondition Failed"},
    },
}
# A write answering 204 that takes If-Match (its ETag is the one its GET answers).
CONDITIONAL_WRITE_NO_CONTENT: dict[str, Any] = {
    "parameters": CONDITIONAL_WRITE["parameters"],
    "responses": {
        "204": {"headers": _ETAG},
        "412": {"description": "Precondition Failed"},
    },
}
# A write that answers the new ETag but takes no If-Match.
ETAG_RESPONSE: dict[str, Any] = {"responses": {"200": {"headers": _ETAG}}}


def etag(version: int, representation: BaseModel | None = None) -> str:
    """`representation` is the response model: its JSON is the response's body."""
    if representation is None:
        return f'"v{version}"'
    return _tag(version, representation.model_dump_json().encode())


def _tag(version: int, body: bytes) -> str:
    return f'"v{version}.{hashlib.blake2b(body, digest_size=6).hexdigest()}"'


_DIGITS = re.compile(r"[0-9]{1,18}")


def _version_of(tag: str) -> int | None:
    tag = tag.strip().removeprefix("W/")
    if len(tag) < 3 or tag[0] != '"' or tag[-1] != '"' or tag[1] != "v":
        return None
    number = tag[2:-1].split(".", 1)[0]
    # ASCII digits only: str.isdigit() also accepts "¹" or "٣", which int() refuses or reads.
    return int(number) if _DIGITS.fullmatch(number) else None


def if_match_version(request: Request) -> int | None:
    """The version the client last saw, from If-Match; None when absent or `*`."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    version = _version_of(header.split(",")[0])
    if version is None:
        raise PreconditionFailed("If-Match does not name a version of this resource.")
    return version


def tag_of_body(body: bytes) -> str:
    """The ETag of a representation without a version (list pages and the like): its bytes'."""
    return f'"b.{hashlib.blake2b(body, digest_size=8).hexdigest()}"'


def unless_unchanged(request: Request, tag: str) -> str:
    """`tag`, or 304 (HTTPException) when If-None-Match names it."""
    return _unless_unchanged(request, tag)


def _unless_unchanged(request: Request, tag: str) -> str:
    header = request.headers.get("if-none-match")
    if header and (
        header.strip() == "*" or any(t.strip().removeprefix("W/") == tag for t in header.split(","))
    ):
        raise HTTPException(304, headers={"ETag": tag})
    return tag


def conditional_get(request: Request, version: int, representation: BaseModel) -> Response:
    """The representation as its response model's JSON with its ETag, written once (the tag
    hashes the very bytes sent); 304 when the client's copy is exactly this representation.
    Routes that answer with it declare the model as `response_model` for the document."""
    body = representation.model_dump_json().encode()
    tag = _unless_unchanged(request, _tag(version, body))
    return Response(body, media_type="application/json", headers={"ETag": tag})


# Resources without a `version` (settings, a membership, a skill): their ETag is the tag of their
# representation's bytes, which every GET answers anyway (api/routing.py). A write compares
# If-Match with the tag of the representation as it is now, read in the write's own transaction.


def representation_tag(representation: BaseModel) -> str:
    """The ETag of a GET answering `representation` (FastAPI's JSON of its response model)."""
    rendered = JSONResponse(representation.model_dump(mode="json", by_alias=True)).body
    return tag_of_body(bytes(rendered))


async def if_match_current(
    request: Request, current: Callable[[], Awaitable[BaseModel | None]]
) -> None:
    """412 unless If-Match, when sent, names the representation `current` reads now (None:
    there is none, so no tag matches, not even `*`). Reads nothing without If-Match."""
    if request.headers.get("if-match") is not None:
        if_match_representation(request, await current())


def if_match_representation(request: Request, now: BaseModel | None) -> None:
    """412 unless If-Match, when sent, names `now`, the representation as it is (None: there
    is none). For a service that checks a precondition on what it has just read."""
    header = request.headers.get("if-match")
    if header is None:
        return
    if now is not None:
        if header.strip() == "*":
            return
        tag = representation_tag(now)
        if any(t.strip().removeprefix("W/") == tag for t in header.split(",")):
            return
    raise PreconditionFailed("This changed since you read it; reload and retry.")
