"""Liveness, readiness (both open) and Prometheus metrics (behind a token), outside /api/v1."""

from __future__ import annotations

import asyncio
import hmac

from fastapi import Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, SecretStr
from starlette.responses import Response

from api.problems import problem, problem_responses
from api.routing import ApiRouter

router = ApiRouter(tags=["health"])


class HealthStatus(BaseModel):
    status: str


@router.get("/healthz")
async def healthz() -> HealthStatus:
    """200 while the process runs."""
    return HealthStatus(status="ok")


@router.get("/readyz", responses=problem_responses(503))
async def readyz(request: Request) -> HealthStatus:
    """200 when the database and the task broker (Redis, when LEADERFUL_BROKER_URL is set)
    answer within two seconds, 503 otherwise."""
    check = request.app.state.database_ping
    try:
        await asyncio.wait_for(check(), timeout=2)
    except Exception:
        return problem(503, "The database does not answer.")  # type: ignore[return-value]
    try:
        await asyncio.wait_for(request.app.state.events.ping(), timeout=2)
    except Exception:
        return problem(503, "The task broker does not answer.")  # type: ignore[return-value]
    return HealthStatus(status="ok")


def _scraper_token_matches(request: Request, expected: SecretStr | None) -> bool:
    if expected is None or not expected.get_secret_value():
        return False
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    # Constant time: the comparison must not tell how much of a guess was right.
    return hmac.compare_digest(presented.strip().encode(), expected.get_secret_value().encode())


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}, **problem_responses(404)},
)
async def metrics(request: Request) -> Response:
    """Prometheus text format: request counts and latency histograms per route.

    Only for the scraper holding LEADERFUL_METRICS_TOKEN; everyone else (and everyone, when no
    token is configured) gets the same 404 as for a path that does not exist.
    """
    registry = request.app.state.metrics_registry
    if registry is None or not _scraper_token_matches(
        request, request.app.state.settings.metrics_token
    ):
        return problem(404, "Not found.")
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
