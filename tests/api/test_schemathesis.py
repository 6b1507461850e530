"""Property-based fuzzing of every operation in the OpenAPI document, as an ordinary member and as
an administrator: generated cases per operation (examples, coverage and fuzzing phases), then the
stateful phase, which chains operations through the links schemathesis infers.

Every check is on, positive data acceptance included: a request the document calls valid must not
be refused, except by the business rules listed in `EXPECTED_REFUSALS` (the one list, each with
its reason). Negative data must be refused, responses must match their schemas, and nothing may
answer 5xx. Runs on PostgreSQL (the production database), bounded to keep `make test` short.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import Failure
from schemathesis.python.asgi import get_client
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.main import create_app
from tests.conftest import make_settings
from tests.helpers import PASSWORD

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADERFUL_TEST_DB") != "postgres",
    reason="the fuzzing run uses PostgreSQL, the production database",
)

MAX_EXAMPLES = 10
STATEFUL_EXAMPLES = 30
STATEFUL_STEPS = 10


@dataclass(frozen=True)
class Refusal:
    """A business rule that refuses input the document calls valid."""

    operation: str  # regex on "METHOD /path"
    status: int
    detail: str  # regex on the problem's detail
    reason: str


EXPECTED_REFUSALS = [
    Refusal(
        r"GET .*",
        400,
        r"cursor is invalid",
        "a cursor is opaque: only a next_cursor the server issued is one",
    ),
    Refusal(
        r"(PATCH|PUT|DELETE) .*",
        412,
        r".",
        "If-Match must name the resource's current version; a made-up validator cannot",
    ),
    Refusal(
        r".*",
        422,
        r"Input should be a valid integer",
        "JSON Schema counts 3.0 as an integer; the server wants integers written as such",
    ),
    Refusal(
        r"(POST|PUT) .*",
        422,
        r"Idempotency-Key was used with a different request",
        "an Idempotency-Key names one request: the same key with another body is refused",
    ),
    Refusal(
        r".*",
        422,
        r"URL longer than 2048",
        "a URL is measured after normalisation (punycode, a trailing slash), which can lengthen "
        "it past the column",
    ),
    Refusal(
        r"POST /api/v1/me/devices",
        422,
        r"https URL of a push service",
        "a push endpoint must be https with a host and no user name (http only where the server "
        "allows it for tests), which its pattern does not fully say",
    ),
    Refusal(
        r".*",
        422,
        r"IANA time zone",
        "a time zone must be a name in the server's time zone database",
    ),
    Refusal(
        r"(POST /api/v1/auth/register|POST /api/v1/me/password|PUT /api/v1/me/email"
        r"|POST /api/v1/auth/password-reset/confirm)",
        422,
        r"(too common|must not repeat your email or handle|current password is wrong"
        r"|already your address)",
        "a password on the common-password list or repeating the email or handle is refused, "
        "a password or address change needs the right current password, and a new address",
    ),
    Refusal(
        r"POST /api/v1/auth/(verify-email|password-reset/confirm)",
        422,
        r"This link",
        "a mailed link's token is one the server mailed, unused and unexpired",
    ),
    Refusal(
        r".*",
        422,
        r"value is not a valid email address",
        "an email address needs a domain that can receive mail (not a reserved name such as "
        ".test), which the email format does not say",
    ),
    Refusal(
        r".*",
        422,
        r"(No skill has the slug|No one has the handle|needs at least one letter or digit)",
        "a body that names a skill or a person must name one that exists, and a skill name "
        "needs a letter or digit",
    ),
    Refusal(
        r"(POST|PATCH) /api/v1/communities.*",
        422,
        r"(only be joined by invitation|reserved)",
        "a private community is joined by invitation only; some slugs are reserved",
    ),
    Refusal(
        r".*",
        422,
        r"(blank|Enter something to search for)",
        "text made only of characters the server drops (unassigned, format or invisible "
        "characters) is empty once cleaned",
    ),
    Refusal(
        r".*",
        422,
        r"(future|past|yourself|your own|merged into itself)",
        "dates must be on the right side of today, people cannot nominate, endorse or mentor "
        "themselves, and a skill is merged into another one",
    ),
    Refusal(
        r".*",
        422,
        r"(already|no longer|not a member|not open)",
        "the state of the resource does not allow the change",
    ),
    Refusal(
        r".*",
        422,
        r"(Send a role to set|evidence|not tagged|does not belong)",
        "a membership change needs a role or an approval; evidence must be a visible post "
        "about the skill; an accepted answer must be a comment on the question",
    ),
    Refusal(
        r"(POST|PATCH) .*/webhooks.*",
        422,
        r"(webhook URL|resolves|does not resolve|This is not a URL|private communities)",
        "a webhook receiver must be a public https URL that resolves, and only organisation "
        "webhooks include private communities",
    ),
    Refusal(
        r"POST .*/webhooks/.*/(ping|redeliver)",
        409,
        r"disabled",
        "a disabled webhook sends nothing until it is enabled again",
    ),
    Refusal(
        r"POST /api/v1/uploads",
        415,
        r".*",
        "a file's type is read from its bytes: to the schema any bytes are a file, but only "
        "images, PDF, text and office documents are taken",
    ),
    Refusal(
        r"(GET|POST) /api/v1/unsubscribe",
        422,
        r"unsubscribe link is not valid",
        "an unsubscribe token is any text to the schema, but only one the server signed works",
    ),
]


def _explained(case: schemathesis.Case, status: int, body: Any) -> bool:
    label = f"{case.operation.method.upper()} {case.operation.path}"
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    errors = body.get("errors") if isinstance(body, dict) else None
    text = " ".join([detail, *(str(e.get("msg", "")) for e in errors or [])])
    return any(
        refusal.status == status
        and re.fullmatch(refusal.operation, label)
        and re.search(refusal.detail, text)
        for refusal in EXPECTED_REFUSALS
    )


def accepts_valid_data_but_known_refusals(
    ctx: Any, response: Any, case: schemathesis.Case
) -> bool | None:
    """positive_data_acceptance, except for the refusals listed in EXPECTED_REFUSALS."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        try:
            body = response.json()
        except ValueError:
            body = None
        if _explained(case, response.status_code, body):
            return None
        raise


@pytest.fixture(scope="module")
def fuzz_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    return create_app(make_settings(database_url, tmp_path_factory.mktemp("fuzz")))


def _register(app: FastAPI, name: str) -> dict[str, str]:
    with get_client(app) as client:
        response = client.post(
            "/api/v1/auth/register",
            json={"email": f"{name}@example.com", "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def accounts(fuzz_app: FastAPI) -> dict[str, dict[str, str]]:
    # The first account of a fresh database is its administrator.
    admin = _register(fuzz_app, "fuzzadmin")
    return {"admin": admin, "member": _register(fuzz_app, "fuzzmember")}


# The notification stream never ends while the app runs, and the in-memory client reads a
# response to its end; the stream's rules are tested over HTTP in test_notification_stream.py.
STREAM = {"method": "GET", "path_regex": r"/notifications/stream$"}


def _schema(app: FastAPI, phases: list[str]) -> schemathesis.BaseSchema:
    loaded = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app).exclude(**STREAM)
    loaded.config.phases.update(phases=phases)
    return loaded


# `app` is requested so the per-test cleanup empties the database afterwards. The coverage phase
# (every boundary of every documented constraint) runs once, as the administrator, who reaches
# every operation; the member gets the examples and random cases.
@pytest.fixture
def member_schema(fuzz_app: FastAPI, app: FastAPI) -> Iterator[schemathesis.BaseSchema]:
    yield _schema(fuzz_app, ["examples", "fuzzing"])


@pytest.fixture
def admin_schema(fuzz_app: FastAPI, app: FastAPI) -> Iterator[schemathesis.BaseSchema]:
    yield _schema(fuzz_app, ["examples", "coverage", "fuzzing"])


# A fixture's schema is re-filtered by the lazy schema: the exclusion is repeated here.
member_schema_cases = schemathesis.pytest.from_fixture("member_schema").exclude(**STREAM)
admin_schema_cases = schemathesis.pytest.from_fixture("admin_schema").exclude(**STREAM)
CHECKS: dict[str, Any] = {
    "excluded_checks": [positive_data_acceptance],
    "additional_checks": [accepts_valid_data_but_known_refusals],
}
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@member_schema_cases.parametrize()
@FUZZ_SETTINGS
def test_every_operation_as_a_member(
    case: schemathesis.Case, accounts: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(headers=accounts["member"], **CHECKS)


@admin_schema_cases.parametrize()
@FUZZ_SETTINGS
def test_every_operation_as_an_administrator(
    case: schemathesis.Case, accounts: dict[str, dict[str, str]]
) -> None:
    case.call_and_validate(headers=accounts["admin"], **CHECKS)


@pytest.mark.parametrize("role", ["member", "admin"])
def test_stateful(
    role: str, fuzz_app: FastAPI, app: FastAPI, accounts: dict[str, dict[str, str]]
) -> None:
    headers = accounts[role]
    machine = _schema(fuzz_app, ["stateful"]).as_state_machine()
    calls: list[str] = []

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            calls.append(f"{case.operation.method.upper()} {case.operation.path}")
            case.validate_response(response, headers=headers, **CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
    # Chains really ran: several operations, each step after the first using an earlier answer.
    assert len(set(calls)) >= 5, calls


def test_the_schema_covers_the_api(fuzz_app: FastAPI) -> None:
    paths = fuzz_app.openapi()["paths"]
    assert "/api/v1/me" in paths and "/api/v1/auth/token" in paths
