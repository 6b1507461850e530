"""What a route declares it reads, by location: the one source for refusing query parameters it
does not read and for naming where a domain validation error's field came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Declared:
    query: frozenset[str]
    header: frozenset[str]  # lower case: header names are case-insensitive
    path: frozenset[str]
    body: frozenset[str]  # the body model's top-level fields

    def location_of(self, field: str) -> tuple[str, str]:
        """The `loc` head for `field`: the body when it has that field, else the parameter."""
        if field in self.body:
            return ("body", field)
        if field in self.query:
            return ("query", field)
        if field.lower() in self.header:
            return ("header", field.lower())
        if field in self.path:
            return ("path", field)
        return ("body", field)


def declared(route: APIRoute) -> Declared:
    found: dict[str, set[str]] = {"query": set(), "header": set(), "path": set()}
    for field in get_flat_params(route.dependant):
        info = field.field_info
        if isinstance(info, params.Query):
            found["query"].add(field.alias)
        elif isinstance(info, params.Header):
            found["header"].add(field.alias.lower())
        elif isinstance(info, params.Path):
            found["path"].add(field.alias)
    # Parameters read by one model (api/query.py) are declared in the route's openapi_extra.
    extra: dict[str, Any] = route.openapi_extra or {}
    for parameter in extra.get("parameters", ()):
        where = parameter.get("in")
        if where in found:
            name = str(parameter["name"])
            found[where].add(name.lower() if where == "header" else name)
    return Declared(
        query=frozenset(found["query"]),
        header=frozenset(found["header"]),
        path=frozenset(found["path"]),
        body=_body_fields(route),
    )


def _body_fields(route: APIRoute) -> frozenset[str]:
    body = route.body_field
    if body is None:
        return frozenset()
    model = body.field_info.annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        return frozenset(f.alias or name for name, f in model.model_fields.items())
    return frozenset({body.alias})
