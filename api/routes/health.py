"""Liveness, readiness and Prometheus metrics (outside /api/v1, unauthenticated)."""

from __future__ import annotations

import asyncio

from fastapi import Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from starlette.responses import Response

from api.problems import problem, problem_responses
from api.routing import ScopedRouter

router = ScopedRouter(tags=["health"])


class HealthStatus(BaseModel):
    status: str


@router.get("/healthz")
async def healthz() -> HealthStatus:
    """200 while the process runs."""
    return HealthStatus(status="ok")


@router.get("/readyz", responses=problem_responses(503))
async def readyz(request: Request) -> HealthStatus:
    """200 when the database answers within two seconds, 503 otherwise."""
    check = request.app.state.database_ping
    try:
        await asyncio.wait_for(check(), timeout=2)
    except Exception:
        return problem(503, "The database does not answer.")  # type: ignore[return-value]
    return HealthStatus(status="ok")


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    """Prometheus text format: request counts and latency histograms per route."""
    registry = request.app.state.metrics_registry
    if registry is None:
        return problem(404, "Metrics are disabled.")
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
