"""Query strings read in one validation, for the busiest lists.

FastAPI (0.165) resolves each declared query parameter on every request in Python: alias lookup,
annotation inspection, a deep copy of the default, then a validation call. That is about 80,000
instructions per parameter (tests/perf/instructions.py), and a community's posts page declares
six: half a million instructions, a tenth of the request. The busiest lists declare their query
parameters as one `QueryModel` instead:

- `query_of(Model)` is the dependency. It validates the whole query string in one pydantic-core
  call and reports invalid values as FastAPI does: a RequestValidationError located at
  `("query", name)`, which api/errors.py turns into the usual 422 problem.
- `query_parameters(Model)` is the route's `openapi_extra`: the same parameters in the form FastAPI
  documents declared ones, so the OpenAPI document and the generated client do not change. The
  schemas they refer to (enums) are added to the document's components by `query_components()`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.schemas.common import TEXT_PATTERN

# The page parameters' rules, also declared one by one by `api.deps.get_paginator`.
LIMIT_RULES: dict[str, Any] = {"ge": 1, "le": 100, "description": "Items per page (1-100)."}
CURSOR_RULES: dict[str, Any] = {
    "max_length": 1024,
    "pattern": TEXT_PATTERN,
    "description": "Opaque cursor from next_cursor.",
}
PageLimit = Annotated[int, Field(**LIMIT_RULES)]
PageCursor = Annotated[str | None, Field(**CURSOR_RULES)]


class QueryModel(BaseModel):
    """The query parameters of one route, values taken as sent. A parameter the route does not
    declare never gets here: the route refuses it first (api/routing.py)."""

    model_config = ConfigDict(extra="ignore")


class PageQuery(QueryModel):
    limit: PageLimit = 20
    cursor: PageCursor = None


Q = TypeVar("Q", bound=QueryModel)


def query_of(model: type[Q]) -> Callable[[Request], Awaitable[Q]]:
    """The dependency that reads `model` from the query string (a repeated name: its last value,
    as FastAPI reads a declared one)."""

    async def read_query(request: Request) -> Q:
        try:
            return model.model_validate(dict(request.query_params))
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in errors]
            ) from None

    return read_query


def query_parameters(model: type[QueryModel]) -> dict[str, Any]:
    """`openapi_extra` for a route that reads `model`: its fields as OpenAPI query parameters."""
    schema = _schema(model)
    required = set(schema.get("required", ()))
    parameters = []
    for name, property_schema in schema["properties"].items():
        field = dict(property_schema)
        if "default" in field and field["default"] is None:
            del field["default"]  # FastAPI does not document a default of None
        if "$ref" not in field:  # FastAPI titles every parameter that is not a bare reference
            field.setdefault("title", name.replace("_", " ").title())
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": field,
        }
        if "description" in field:
            parameter["description"] = field["description"]
        parameters.append(parameter)
    # As for declared parameters, FastAPI's answer to invalid ones (api/main.py documents its body).
    return {"parameters": parameters, "responses": {"422": {"description": "Validation Error"}}}


def query_components() -> dict[str, Any]:
    """The component schemas (enums) that the documented query parameters refer to: those of
    every QueryModel."""
    components: dict[str, Any] = {}
    models = list(QueryModel.__subclasses__())
    while models:
        model = models.pop()
        models.extend(model.__subclasses__())
        components.update(_schema(model).get("$defs", {}))
    return components


def _schema(model: type[QueryModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/components/schemas/{model}")
