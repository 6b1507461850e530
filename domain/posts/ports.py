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
from domain.communities.ports import ContentStats, NudgeOutcome
from domain.notifications.model import NotificationKind
from domain.pagination import PageRequest, PageResult
from domain.posts.model import (
    Comment,
    DueQuestion,
    FeedSort,
    NewNudge,
    NudgeCandidate,
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

    async def unanswered_on_skills(
        self, viewer_id: UUID, since: datetime, page: PageRequest
    ) -> PageResult[Post]:
        """Questions since `since` with no answer yet, tagged with a skill the viewer holds, in
        communities they can read, not their own; newest first."""
        ...

    async def popular(
        self, viewer_id: UUID, since: datetime, page: PageRequest
    ) -> PageResult[Post]:
        """Public communities' posts since `since`, best-scored first."""
        ...

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


class NudgeRepository(Protocol):
    async def due_questions(
        self, created_after: datetime, now: datetime, limit: int
    ) -> list[DueQuestion]:
        """Live questions asked since `created_after`, with neither an accepted answer nor an
        answer from someone other than their author, in communities whose nudges are on, at
        least a window old; oldest first."""
        ...

    async def candidates(
        self,
        post_ids: list[UUID],
        min_level: int,
        top_experts: int,
        kind: NotificationKind,
    ) -> list[NudgeCandidate]:
        """For each question, one row per person and skill of the question that the person
        holds at `min_level` or more or ranks among its `top_experts` for: active people with a
        time zone who can see the question, are not its author, were never nudged for it and
        did not dismiss it, and keep in-app notifications of `kind` on."""
        ...

    async def recent(self, user_ids: list[UUID], since: datetime) -> dict[UUID, list[datetime]]:
        """When each person was nudged since `since`."""
        ...

    async def record(self, nudges: list[NewNudge]) -> set[tuple[UUID, UUID]]:
        """Store the nudges; (post, person) of those stored (a pair dismissed meanwhile is
        left as it is)."""
        ...

    async def dismiss(self, post_id: UUID, user_id: UUID, at: datetime) -> None:
        """No more nudges to the person about the question, nudged yet or not."""
        ...

    async def outcome(self, community_id: UUID, since: datetime) -> NudgeOutcome:
        """The community's questions asked since `since` that someone was nudged for."""
        ...


class PostsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def posts(self) -> PostRepository: ...

    @property
    def search(self) -> PostSearch: ...

    @property
    def nudges(self) -> NudgeRepository: ...
