"""Wire models for uploads and the attachments of posts and comments."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, model_validator

from api.schemas.common import OutputModel, Uuid
from domain.uploads.model import Attachment, Upload

UPLOADS_PATH = "/api/v1/uploads"
AttachmentIds = Annotated[
    list[Uuid],
    Field(
        max_length=10,
        description="Your own uploads (POST /uploads) to show with it, in order; on an edit, "
        "the complete list (uploads left out are detached).",
    ),
]


def upload_url(upload_id: UUID) -> str:
    return f"{UPLOADS_PATH}/{upload_id}"


class AttachmentPublic(OutputModel):
    """An uploaded file. `url` (and `thumbnail_url` for images) need the same bearer token as
    the rest of the API, and answer 404 to anyone who cannot see what the file is attached to."""

    id: UUID
    url: str
    content_type: str
    size: int = Field(description="Bytes, as stored (images after their metadata is removed).")
    filename: str
    thumbnail_url: str | None

    @model_validator(mode="before")
    @classmethod
    def _from_domain(cls, value: Any) -> Any:
        if isinstance(value, Attachment | Upload):
            url = upload_url(value.id)
            return {
                "id": value.id,
                "url": url,
                "content_type": value.content_type,
                "size": value.size,
                "filename": value.filename,
                "thumbnail_url": f"{url}/thumbnail" if value.has_thumbnail else None,
            }
        return value

    @classmethod
    def of(cls, upload: Upload | Attachment) -> AttachmentPublic:
        return cls.model_validate(upload)
