"""Uploads in SQL: the UploadRepository port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.uploads.model import Upload
from repositories.base import rows_changed
from repositories.uploads.tables import UploadRow

u = UploadRow.__table__  # type: ignore[attr-defined]


def upload_from_row(row: Any) -> Upload:
    return Upload(
        id=row.id,
        owner_id=row.owner_id,
        content_type=row.content_type,
        size=row.size,
        filename=row.filename,
        has_thumbnail=row.has_thumbnail,
        created_at=row.created_at,
        post_id=row.post_id,
        comment_id=row.comment_id,
    )


class SqlUploadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, upload: Upload) -> None:
        await self.session.execute(
            insert(u).values(
                id=upload.id,
                owner_id=upload.owner_id,
                content_type=upload.content_type,
                size=upload.size,
                filename=upload.filename,
                has_thumbnail=upload.has_thumbnail,
                created_at=upload.created_at,
            )
        )

    async def get(self, upload_id: UUID) -> Upload | None:
        row = (await self.session.execute(select(u).where(u.c.id == upload_id))).first()
        return upload_from_row(row) if row else None

    async def get_many(self, upload_ids: Sequence[UUID]) -> list[Upload]:
        if not upload_ids:
            return []
        rows = await self.session.execute(select(u).where(u.c.id.in_(list(upload_ids))))
        return [upload_from_row(row) for row in rows]

    async def attach(
        self, upload_ids: Sequence[UUID], post_id: UUID, comment_id: UUID | None
    ) -> None:
        owner = (
            u.c.comment_id == comment_id
            if comment_id is not None
            else and_(u.c.post_id == post_id, u.c.comment_id.is_(None))
        )
        keep = list(upload_ids)
        detached = owner if not keep else and_(owner, u.c.id.not_in(keep))
        await self.session.execute(update(u).where(detached).values(post_id=None, comment_id=None))
        if keep:
            await self.session.execute(
                update(u).where(u.c.id.in_(keep)).values(post_id=post_id, comment_id=comment_id)
            )

    async def unattached_before(self, before: datetime, limit: int) -> list[Upload]:
        rows = await self.session.execute(
            select(u)
            .where(u.c.post_id.is_(None), u.c.created_at < before)
            .order_by(u.c.created_at)
            .limit(limit)
        )
        return [upload_from_row(row) for row in rows]

    async def delete(self, upload_ids: Sequence[UUID]) -> int:
        if not upload_ids:
            return 0
        result = await self.session.execute(
            delete(u).where(u.c.id.in_(list(upload_ids)), u.c.post_id.is_(None))
        )
        return rows_changed(result)
