"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.communities.model import (
    Community,
    Membership,
)
from domain.communities.ports import ContentStats
from domain.pagination import PageRequest, PageResult
from domain.posts.model import (
    Comment,
    FeedSort,
    Post,
    PostKind,
    PostSort,
    ReactionKind,
    Report,
    ReportStatus,
    TargetType,
)
from domain.search import PostSearch


@dataclass(frozen=True, slots=True)
class PostContext:
    """A post with its community and what the viewer is to that community (one query)."""

    post: Post
    community: Community
    membership: Membership | None
    invited: bool


@dataclass(frozen=True, slots=True)
class CommunityPostsPage:
    """A page of a community's posts with the community and what the viewer is to it (one query).

    The page is only for the caller's eyes once the community's visibility rule has passed."""

    community: Community
    membership: Membership | None
    invited: bool
    posts: PageResult[Post]


@dataclass(frozen=True, slots=True)
class PostThreadPage:
    """A page of a post's thread with the post in its context (one query).

    The page is only for the caller's eyes once the post's visibility rule has passed."""

    post: PostContext
    comments: PageResult[Comment]


@dataclass(frozen=True, slots=True)
class CommentContext:
    comment: Comment
    post: PostContext


class PostRepository(Protocol):
    async def add(self, post: Post, skill_ids: list[UUID], mentioned: list[UUID]) -> None: ...

    async def update(self, post: Post, skill_ids: list[UUID] | None) -> None: ...

    async def soft_delete(self, post_id: UUID, at: datetime) -> bool:
        """True when this call deleted the post (and counted it out of post_count)."""
        ...

    async def context(self, post_id: UUID, viewer_id: UUID) -> PostContext | None: ...

    async def list_for_community(
        self,
        slug: str,
        viewer_id: UUID,
        sort: PostSort,
        kind: PostKind | None,
        skill_id: UUID | None,
        pinned: bool | None,
        page: PageRequest,
    ) -> CommunityPostsPage | None:
        """None when no community has this slug."""
        ...

    async def feed(
        self, viewer_id: UUID, sort: FeedSort, page: PageRequest
    ) -> PageResult[Post]: ...

    async def get_many(self, post_ids: list[UUID], viewer_id: UUID) -> list[Post]: ...

    async def add_comment(self, comment: Comment) -> None:
        """Also counts it into the post's comment_count (a relative update)."""
        ...

    async def update_comment(self, comment: Comment) -> None: ...

    async def soft_delete_comment(self, comment_id: UUID, at: datetime) -> bool:
        """True when this call deleted the comment (and counted it out of comment_count)."""
        ...

    async def comment_context(self, comment_id: UUID, viewer_id: UUID) -> CommentContext | None: ...

    async def list_comments(
        self, post_id: UUID, viewer_id: UUID, page: PageRequest
    ) -> PostThreadPage | None:
        """None when there is no such post (or it is deleted)."""
        ...

    async def react(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind, at: datetime
    ) -> bool:
        """Idempotent; True when the reaction is new (and the counters moved)."""
        ...

    async def unreact(
        self, user_id: UUID, target: TargetType, target_id: UUID, kind: ReactionKind
    ) -> bool: ...

    async def set_accepted(self, post_id: UUID, comment_id: UUID | None, at: datetime) -> None: ...

    async def add_report(self, report: Report) -> bool:
        """False (nothing written) when the reporter has an open report on the target."""
        ...

    async def get_report(self, report_id: UUID) -> Report | None: ...

    async def open_report(
        self, reporter_id: UUID, target: TargetType, target_id: UUID
    ) -> Report | None: ...

    async def list_reports(
        self, community_id: UUID, status: ReportStatus | None, page: PageRequest
    ) -> PageResult[Report]: ...

    async def resolve_report(self, report: Report) -> bool:
        """False when the report was not open (any more)."""
        ...

    async def content_stats(self, community_id: UUID, since: datetime) -> ContentStats: ...

    async def watcher_ids(self, community_id: UUID) -> list[UUID]:
        """Active members who asked to hear about every new post."""
        ...


class PostsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def posts(self) -> PostRepository: ...

    @property
    def search(self) -> PostSearch: ...
