"""The posts feature's tables (SQLModel `table=True` rows: they never leave repositories/)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    String,
    Text,
    false,
)
from sqlmodel import Field, SQLModel

from repositories.tables import utc


class PostRow(SQLModel, table=True):
    __tablename__ = "post"
    __table_args__ = (
        # One index per list sort, scoped to the community (keyset on (sort key, id)).
        Index("ix_post_new", "community_id", "created_at", "id"),
        Index("ix_post_active", "community_id", "last_activity_at", "id"),
        Index("ix_post_top", "community_id", "score", "id"),
        Index("ix_post_unanswered", "community_id", "kind", "accepted_comment_id", "created_at"),
        Index("ix_post_author", "author_id", "created_at"),
        Index("ix_post_recent", "created_at", "id"),
        # The feed spans communities: its other two sorts need indexes of their own too.
        Index("ix_post_recent_activity", "last_activity_at", "id"),
        Index("ix_post_best", "score", "id"),
        # Follow the sun: the recent questions still without an accepted answer, oldest first.
        Index("ix_post_question_due", "kind", "accepted_comment_id", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    title: str = Field(sa_column=Column(String(200), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    links: str = Field(sa_column=Column(Text, nullable=False))  # JSON [{url, title}]
    tags: str = Field(sa_column=Column(Text, nullable=False))  # JSON [skill slug], for output
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    last_activity_at: datetime = Field(sa_column=utc())
    score: int = Field(default=0, nullable=False)
    like_count: int = Field(default=0, nullable=False)
    helpful_count: int = Field(default=0, nullable=False)
    insightful_count: int = Field(default=0, nullable=False)
    comment_count: int = Field(default=0, nullable=False)
    accepted_comment_id: uuid.UUID | None = Field(default=None)
    is_pinned: bool = Field(default=False, nullable=False)
    is_locked: bool = Field(default=False, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    version: int = Field(default=1, nullable=False)
    # JSON [{id, content_type, size, filename, has_thumbnail}]: the uploads attached, kept with
    # the post so that every page of posts has them without another statement.
    attachments: str = Field(sa_column=Column(Text, nullable=False, server_default="[]"))
    # True while the post's community is public and not archived: search reads it from the row
    # it already has, and looks the community up only for the other posts. Written with the post
    # (repository.add, the seeder) and by a trigger on community when its visibility or archive
    # changes (migration search2_1). False, the default, is always safe: it only means "check".
    listed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class PostTag(SQLModel, table=True):
    __tablename__ = "post_tag"
    __table_args__ = (Index("ix_post_tag_skill", "skill_id", "post_id"),)

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    skill_id: uuid.UUID = Field(foreign_key="skill.id", ondelete="CASCADE", primary_key=True)


class PostMention(SQLModel, table=True):
    __tablename__ = "post_mention"

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)


class CommentRow(SQLModel, table=True):
    __tablename__ = "comment"
    __table_args__ = (
        Index("ix_comment_thread", "post_id", "created_at", "id"),
        Index("ix_comment_author", "author_id", "created_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE")
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="comment.id", ondelete="CASCADE")
    author_id: uuid.UUID = Field(foreign_key="user_account.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=utc())
    updated_at: datetime = Field(sa_column=utc())
    score: int = Field(default=0, nullable=False)
    like_count: int = Field(default=0, nullable=False)
    helpful_count: int = Field(default=0, nullable=False)
    insightful_count: int = Field(default=0, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    version: int = Field(default=1, nullable=False)
    attachments: str = Field(sa_column=Column(Text, nullable=False, server_default="[]"))


class ReactionRow(SQLModel, table=True):
    __tablename__ = "reaction"
    __table_args__ = (Index("ix_reaction_target", "target_id", "user_id"),)

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    target_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=utc())


class ReportRow(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (Index("ix_report_queue", "community_id", "status", "created_at", "id"),)

    id: uuid.UUID = Field(primary_key=True)
    community_id: uuid.UUID = Field(foreign_key="community.id", ondelete="CASCADE")
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    target_id: uuid.UUID
    reporter_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE")
    reason: str = Field(sa_column=Column(String(16), nullable=False))
    detail: str | None = Field(default=None, sa_column=Column(String(1000)))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=utc())
    resolved_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    resolved_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    action: str | None = Field(default=None, sa_column=Column(String(16)))
    note: str | None = Field(default=None, sa_column=Column(String(1000)))


_report = ReportRow.__table__  # type: ignore[attr-defined]
_open_report = _report.c.status == "open"
# One open report per reporter and target, even when repeats race: they cannot flood moderators.
Index(
    "uq_report_open",
    _report.c.reporter_id,
    _report.c.target_type,
    _report.c.target_id,
    unique=True,
    postgresql_where=_open_report,
    sqlite_where=_open_report,
)


# --- skills ---


# Recounting skill evidence and profile stats read a person's own content: their posts, their
# comments, and the questions their answers were accepted on. These cover those reads, so a
# prolific author's recount is an index-only range, not one heap fetch per post or comment.
_post = PostRow.__table__  # type: ignore[attr-defined]
_comment = CommentRow.__table__  # type: ignore[attr-defined]
Index(
    "ix_post_author_evidence",
    _post.c.author_id,
    _post.c.id,
    _post.c.community_id,
    _post.c.deleted_at,
    _post.c.helpful_count,
)
Index(
    "ix_comment_author_evidence",
    _comment.c.author_id,
    _comment.c.post_id,
    _comment.c.id,
    _comment.c.deleted_at,
    _comment.c.helpful_count,
)
Index(
    "ix_post_accepted_evidence",
    _post.c.accepted_comment_id,
    _post.c.id,
    _post.c.community_id,
    _post.c.deleted_at,
    postgresql_where=_post.c.accepted_comment_id.is_not(None),
    sqlite_where=_post.c.accepted_comment_id.is_not(None),
)


class PostNudgeRow(SQLModel, table=True):
    """A person asked to answer a question (`nudged_at`, in which window, and why), or who said
    "not for me" (`dismissed_at`), possibly before being asked. One row per question and person:
    nobody is asked twice about one question."""

    __tablename__ = "post_nudge"
    __table_args__ = (
        # Today's nudges of a person (the daily cap).
        Index("ix_post_nudge_user", "user_id", "nudged_at"),
    )

    post_id: uuid.UUID = Field(foreign_key="post.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    window: int = Field(default=0, nullable=False)
    reason: str | None = Field(default=None, sa_column=Column(String(300)))
    nudged_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
    dismissed_at: datetime | None = Field(default=None, sa_column=utc(nullable=True))
