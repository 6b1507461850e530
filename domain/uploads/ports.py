"""Ports of uploads: where their rows are (UploadRepository) and where their bytes are
(FileStore: local disk or S3-compatible object storage, chosen by configuration)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.uploads.model import Upload


class FileMissing(Exception):
    """The store has no object under this key."""


class FileStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The object's bytes in chunks; FileMissing (raised here, before any chunk) when there
        is none."""
        ...

    async def delete(self, keys: Sequence[str]) -> None:
        """Keys without an object are no error."""
        ...


class UploadRepository(Protocol):
    async def add(self, upload: Upload) -> None: ...

    async def get(self, upload_id: UUID) -> Upload | None: ...

    async def get_many(self, upload_ids: Sequence[UUID]) -> list[Upload]: ...

    async def attach(
        self, upload_ids: Sequence[UUID], post_id: UUID, comment_id: UUID | None
    ) -> None:
        """Attach these uploads to the post (or the post's comment), and detach whatever else was
        attached to exactly that post or comment (detached uploads count as never attached)."""
        ...

    async def unattached_before(self, before: datetime, limit: int) -> list[Upload]: ...

    async def delete(self, upload_ids: Sequence[UUID]) -> int:
        """Deletes the rows of these uploads that are still unattached; how many."""
        ...


class UploadsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def uploads(self) -> UploadRepository: ...
