"""The committed OpenAPI document is the app's, with camelCase ids and documented errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from api.cli import export_openapi

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def test_committed_document_matches_the_app():
    current = export_openapi()
    committed = json.loads(COMMITTED.read_text())
    assert committed == current, "openapi/openapi.json is stale: run `make openapi`"


def test_operation_ids_are_camel_case_and_errors_are_problems():
    document = export_openapi()
    seen = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operation_id = operation["operationId"]
            assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)*", operation_id), operation_id
            assert operation_id not in seen
            seen.add(operation_id)
            assert operation.get("tags"), f"{method} {path} has no tag"
            errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
            assert "429" in errors and "500" in errors
            if operation.get("security"):
                assert {"401", "403"} <= set(errors)
            for response in errors.values():
                assert list(response["content"]) == ["application/problem+json"]
