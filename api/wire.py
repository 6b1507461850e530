"""Hand-built JSON for the busiest responses.

Most routes return a pydantic model, which FastAPI validates again and then dumps. For the lists
everyone reads all day (a community's posts, the feed, a thread) that cost more than the database:
each item was built field by field from a domain object, validated, and dumped. These routes
instead turn domain objects into plain JSON values with a `*_json` function kept beside their model
in `api/schemas` (UUIDs as strings; enums and datetimes are left to the encoder, which writes them
exactly as pydantic does), and answer with `json_response`. They still declare their model as
`response_model`, so OpenAPI and the generated client are unchanged, and
`tests/unit/test_wire.py` checks that every `*_json` function gives byte for byte the JSON of its
model.

The encoder is orjson rather than pydantic-core's `to_json`: on a page of twenty posts (about
31 KB, mostly bodies and their HTML) it writes the same bytes in a third of the instructions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

JsonObject = dict[str, Any]


class JsonBytes(Response):
    media_type = "application/json"


def json_bytes(content: Any) -> bytes:
    """Compact JSON, the same bytes as a pydantic model's `model_dump_json()` for equal data
    (UTC datetimes end in `Z`, as pydantic writes them)."""
    return orjson.dumps(content, option=orjson.OPT_UTC_Z)


def json_response(
    content: Any, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = content if isinstance(content, bytes) else json_bytes(content)
    return JsonBytes(body, status_code=status_code, headers=headers)
