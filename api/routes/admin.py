"""Administration over HTTP: the dead-letter list of event jobs, and replaying them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, status

from api.deps import AdminPrincipal, ClockDep, PaginatorDep, UowDep
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.admin import FailedJobPublic, RetryQueued
from domain.events import service as events

router = ApiRouter(tags=["admin"])

FailedJobId = Annotated[UUID, Path(description="The failed job's id.")]


@router.get("/admin/jobs/failed", responses=problem_responses(400, 401, 403, 422, 429))
async def list_failed_jobs(
    uow: UowDep, principal: AdminPrincipal, paginator: PaginatorDep
) -> Page[FailedJobPublic]:
    """Events a consumer still failed on after its last try (newest first). Administrators
    only, with the `admin` scope."""
    scope = "admin.jobs.failed"
    result = await events.failed_jobs(uow, principal, paginator.request(scope))
    return paginator.page(scope, result, FailedJobPublic.of)


@router.post(
    "/admin/jobs/failed/{job_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def retry_failed_job(
    job_id: FailedJobId, uow: UowDep, principal: AdminPrincipal, clock: ClockDep
) -> RetryQueued:
    """Deliver the event again: consumers that took it already skip it, the one that failed
    runs again (and lands here again if it still fails). A message that failed on its last
    try is queued again with its tries counted from zero. Unknown ids get 404."""
    failure = await events.retry_failed_job(uow, principal, job_id, clock)
    return RetryQueued(id=failure.id, event_id=failure.event_id)
