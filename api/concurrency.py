"""ETag / If-Match / If-None-Match for resources that carry a `version`."""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException

from domain.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"v{version}"'


def _parse(tag: str) -> int | None:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1] == "v" and tag[2:-1].isdigit():
        return int(tag[2:-1])
    return None


def if_match_version(request: Request) -> int | None:
    """The version the client last saw, from If-Match; None when absent or `*`."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    version = _parse(header.split(",")[0])
    if version is None:
        raise PreconditionFailed("If-Match does not name a version of this resource.")
    return version


def not_modified(request: Request, version: int) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    return header.strip() == "*" or any(_parse(t) == version for t in header.split(","))


def raise_not_modified(version: int) -> None:
    raise HTTPException(304, headers={"ETag": etag(version)})
