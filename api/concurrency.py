"""ETag / If-Match / If-None-Match for resources that carry a `version`.

An ETag is `"v<version>.<digest>"`: the version is what If-Match compares (a lost-update guard
on the resource's content), and the digest of the representation makes If-None-Match honest
about everything else in the response that changes without a new version (counts, the
caller's own reactions or membership), so a cache is never served a stale copy.
"""

from __future__ import annotations

import hashlib
import re

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from domain.errors import PreconditionFailed


def etag(version: int, representation: BaseModel | bytes | None = None) -> str:
    """`representation` is the response model, or the JSON body itself (the same bytes)."""
    if representation is None:
        return f'"v{version}"'
    if isinstance(representation, bytes):
        body = representation
    else:
        body = representation.model_dump_json().encode()
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


def checked_etag(request: Request, version: int, representation: BaseModel | bytes) -> str:
    """The representation's ETag; answers 304 when the client's copy is exactly this one."""
    tag = etag(version, representation)
    header = request.headers.get("if-none-match")
    if header and (
        header.strip() == "*" or any(t.strip().removeprefix("W/") == tag for t in header.split(","))
    ):
        raise HTTPException(304, headers={"ETag": tag})
    return tag


def conditional_get(
    request: Request, response: Response, version: int, representation: BaseModel
) -> None:
    """Set the ETag; answer 304 when the client's copy is exactly this representation."""
    response.headers["ETag"] = checked_etag(request, version, representation)
