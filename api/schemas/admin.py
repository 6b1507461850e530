"""Administration: the dead-letter list of event jobs."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from api.schemas.common import OutputModel
from domain.events.model import FailedJob


class FailedJobPublic(OutputModel):
    id: UUID
    event_id: UUID = Field(description="The domain event a consumer kept failing on.")
    event_type: str = Field(description="e.g. post.created, comment.created.")
    consumer: str | None = Field(description="The consumer that failed, when known.")
    error: str = Field(description="The last error.")
    attempts: int = Field(description="Tries made before giving up.")
    failed_at: datetime

    @classmethod
    def of(cls, job: FailedJob) -> FailedJobPublic:
        return cls(
            id=job.id,
            event_id=job.event_id,
            event_type=job.event_type,
            consumer=job.consumer,
            error=job.error,
            attempts=job.attempts,
            failed_at=job.failed_at,
        )


class RetryQueued(OutputModel):
    id: UUID = Field(description="The failed job that was replayed (it leaves the list).")
    event_id: UUID
    status: str = Field("queued", description="Always `queued`: the event is delivered again.")
