"""What a route reads, by location, as its OpenAPI operation documents it: the one source for
refusing query parameters a route does not read (api/routing.py) and for naming where a domain
validation error's field came from (api/errors.py).

The document is FastAPI's own (`app.openapi()`, built once per app and cached by FastAPI), so
what the API refuses and what it tells clients it reads cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

_OPERATIONS = "leaderful.operations"  # app.state attribute: operations by operationId


def operation_id(route: APIRoute) -> str:
    """The route's operationId: its function's name in camelCase (`list_posts` -> `listPosts`),
    the names the generated client's functions have."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


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


def declared(app: FastAPI, route: APIRoute) -> Declared | None:
    """What `route` reads, or None when the document does not describe it (a route left out of
    the schema)."""
    document = app.openapi()
    operations: dict[str, dict[str, Any]] | None = getattr(app.state, _OPERATIONS, None)
    if operations is None:
        operations = {
            operation["operationId"]: operation
            for item in document.get("paths", {}).values()
            for operation in item.values()
            if isinstance(operation, dict) and "operationId" in operation
        }
        setattr(app.state, _OPERATIONS, operations)
    operation = operations.get(route.operation_id or operation_id(route))
    if operation is None:
        return None
    found: dict[str, set[str]] = {"query": set(), "header": set(), "path": set()}
    for parameter in operation.get("parameters", ()):
        where = parameter.get("in")
        if where in found:
            name = str(parameter["name"])
            found[where].add(name.lower() if where == "header" else name)
    return Declared(
        query=frozenset(found["query"]),
        header=frozenset(found["header"]),
        path=frozenset(found["path"]),
        body=_body_fields(document, operation),
    )


def _body_fields(document: dict[str, Any], operation: dict[str, Any]) -> frozenset[str]:
    content: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        schema = _resolved(document, media.get("schema", {}))
        return frozenset(schema.get("properties", {}))
    return frozenset()


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    reference = schema.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/"):
        return schema
    target: Any = document
    for part in reference[2:].split("/"):
        target = target.get(part, {})
    return target if isinstance(target, dict) else {}
