"""Property-based fuzzing of every operation in the OpenAPI document, as an authenticated user.

Default checks: no 5xx, documented status codes and content types, response bodies match their
schemas, and negative (schema-violating) data is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.python.asgi import get_client
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import PASSWORD

MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def fuzz_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return create_app(make_settings(database_url, tmp_path_factory.mktemp("fuzz")))


@pytest.fixture(scope="module")
def fuzz_headers(fuzz_app: FastAPI) -> dict[str, str]:
    with get_client(fuzz_app) as client:
        response = client.post(
            "/api/v1/auth/register",
            json={"email": "fuzzer@example.com", "password": PASSWORD, "display_name": "Fuzzer"},
        )
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def api_schema(fuzz_app: FastAPI, app: FastAPI) -> Iterator[schemathesis.BaseSchema]:
    # `app` is requested so the per-test cleanup empties the database afterwards.
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation(case: schemathesis.Case, fuzz_headers: dict[str, str]) -> None:
    # Schema-valid data can still break business rules (a common password, an unknown cursor),
    # so "positive data acceptance" is not a property of this API; every other default check is.
    case.call_and_validate(headers=fuzz_headers, excluded_checks=[positive_data_acceptance])


def test_the_schema_covers_the_api(fuzz_app: FastAPI) -> None:
    paths = fuzz_app.openapi()["paths"]
    assert "/api/v1/me" in paths and "/api/v1/auth/token" in paths
    assert Path("openapi/openapi.json").exists()
