"""The uploads feature's table (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class UploadRow(SQLModel, table=True):
    """A file someone uploaded; its bytes are in the file store under its id. Attached, it
    belongs to a post (`comment_id` null) or to a comment of that post."""

    __tablename__ = "upload"
    __table_args__ = (
        # The cleanup job's scan: unattached uploads by age.
        Index("ix_upload_unattached", "post_id", "created_at"),
        Index("ix_upload_comment", "comment_id"),
        Index("ix_upload_owner", "owner_id", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    owner_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    post_id: uuid.UUID | None = Field(default=None, foreign_key="post.id", ondelete="CASCADE")
    comment_id: uuid.UUID | None = Field(default=None, foreign_key="comment.id", ondelete="CASCADE")
    content_type: str = Field(sa_column=Column(String(100), nullable=False))
    size: int = Field(nullable=False)
    filename: str = Field(sa_column=Column(String(200), nullable=False))
    has_thumbnail: bool = Field(default=False, nullable=False)
    created_at: datetime = Field(sa_column=utc())
