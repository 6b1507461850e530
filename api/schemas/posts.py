"""Wire models for posts, comments, reactions, accepted answers and reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    InputModel,
    OutputModel,
    PageCursor,
    PageLimit,
    QueryModel,
    Text,
    Uuid,
    WebUrl,
    Words,
    unchanged,
)
from api.schemas.communities import TAG_PATTERN
from api.schemas.uploads import AttachmentIds, AttachmentPublic
from api.schemas.users import UserSummary
from domain.posts.model import (
    Comment,
    FeedSort,
    Post,
    PostKind,
    PostSort,
    Reactions,
    Report,
    ReportStatus,
)
from domain.posts.search import FoundPost

KindName = Literal["discussion", "question", "best_practice", "resource"]
ReactionName = Literal["like", "helpful", "insightful"]
Title = Annotated[Words, Field(max_length=200)]
Body = Annotated[Text, Field(max_length=50_000)]
TagName = Annotated[Text, Field(min_length=1, max_length=80, pattern=TAG_PATTERN)]


class LinkIn(InputModel):
    url: WebUrl
    title: Annotated[Text, Field(max_length=200)] | None = None


class LinkOut(OutputModel):
    url: str
    title: str | None


class PostCreate(InputModel):
    kind: KindName = "discussion"
    title: Title
    body: Body = ""
    tags: Annotated[list[TagName], Field(max_length=10)] = []
    links: Annotated[list[LinkIn], Field(max_length=10)] = []
    attachment_ids: AttachmentIds = []


class PostUpdate(InputModel):
    kind: KindName = unchanged()
    title: Title = unchanged()
    body: Body = unchanged()
    tags: Annotated[list[TagName], Field(max_length=10)] = unchanged()
    links: Annotated[list[LinkIn], Field(max_length=10)] = unchanged()
    attachment_ids: AttachmentIds = unchanged()
    is_pinned: bool = unchanged()
    is_locked: bool = unchanged()


class ReactionCounts(OutputModel):
    like: int
    helpful: int
    insightful: int

    @classmethod
    def of(cls, r: Reactions) -> ReactionCounts:
        return cls(like=r.like, helpful=r.helpful, insightful=r.insightful)


class PostCommunity(OutputModel):
    slug: str
    name: str


class NudgePublic(OutputModel):
    """You were asked to answer this question, and why."""

    reason: str = Field(
        description="e.g. you're among the top experts in Kubernetes and it's 10:00 for you"
    )
    nudged_at: datetime
    dismissed: bool = Field(description="You said it is not for you.")


class PostPublic(OutputModel):
    id: UUID
    community: PostCommunity
    author: UserSummary
    kind: KindName
    title: str
    body: str
    body_html: str
    tags: list[str]
    links: list[LinkOut]
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    score: int
    reactions: ReactionCounts
    my_reactions: list[ReactionName]
    comment_count: int
    accepted_comment_id: UUID | None
    is_pinned: bool
    is_locked: bool
    version: int
    nudge: NudgePublic | None = Field(
        default=None,
        description="Whether you were nudged to answer this question (GET /posts/{id} only).",
    )
    attachments: list[AttachmentPublic]

    @classmethod
    def of(cls, post: Post) -> PostPublic:
        # The domain Post has every field under the same name: pydantic reads the attributes in
        # one compiled pass (the page lists of the busiest routes pass through here).
        return cls.model_validate(post, from_attributes=True)


class PostSearchHit(PostPublic):
    snippet: str = Field(description="HTML: escaped text with <mark> around the matches.")

    @classmethod
    def of_found(cls, found: FoundPost) -> PostSearchHit:
        # One validation pass over the post's attributes and the snippet (as PostPublic.of does
        # for a post), not a PostPublic first and then this model from its fields.
        return cls.model_validate(_FoundFields(found.post, found.snippet), from_attributes=True)


class _FoundFields:
    """A found post's attributes, plus its snippet, for `from_attributes` validation."""

    __slots__ = ("post", "snippet")

    def __init__(self, post: Post, snippet: str) -> None:
        self.post = post
        self.snippet = snippet

    def __getattr__(self, name: str) -> object:
        return getattr(self.post, name)


class CommentCreate(InputModel):
    body: Annotated[Words, Field(max_length=50_000)]
    parent_id: Uuid | None = None
    attachment_ids: AttachmentIds = []


class MarkdownPreview(InputModel):
    body: Annotated[
        Words, Field(max_length=50_000, description="Markdown, as in a post or comment.")
    ]


class MarkdownPreviewPublic(OutputModel):
    html: str = Field(description="The sanitized HTML the body will be shown as once saved.")


class CommentUpdate(InputModel):
    body: Annotated[Words, Field(max_length=50_000)]
    attachment_ids: AttachmentIds = unchanged()


class CommentPublic(OutputModel):
    id: UUID
    post_id: UUID
    parent_id: UUID | None
    author: UserSummary
    body: str
    body_html: str
    created_at: datetime
    updated_at: datetime
    score: int
    reactions: ReactionCounts
    my_reactions: list[ReactionName]
    is_accepted: bool
    version: int
    attachments: list[AttachmentPublic]

    @classmethod
    def of(cls, comment: Comment) -> CommentPublic:
        return cls(
            id=comment.id,
            post_id=comment.post_id,
            parent_id=comment.parent_id,
            author=UserSummary.of(comment.author),
            body=comment.body,
            body_html=comment.body_html,
            created_at=comment.created_at,
            updated_at=comment.updated_at,
            score=comment.score,
            reactions=ReactionCounts.of(comment.reactions),
            my_reactions=[k.value for k in comment.my_reactions],
            is_accepted=comment.is_accepted,
            version=comment.version,
            attachments=[AttachmentPublic.of(a) for a in comment.attachments],
        )


class AcceptedAnswer(InputModel):
    comment_id: Uuid


class ReportCreate(InputModel):
    reason: Literal["spam", "abuse", "off_topic", "other"]
    detail: Annotated[Text, Field(max_length=1000)] | None = None


class ReportResolve(InputModel):
    action: Literal["dismiss", "remove_content"]
    note: Annotated[Text, Field(max_length=1000)] | None = None


class ReportPublic(OutputModel):
    """What moderators see. The reporter is deliberately absent: never exposed to anyone."""

    id: UUID
    target_type: Literal["post", "comment"]
    target_id: UUID
    reason: str
    detail: str | None
    excerpt: str
    status: Literal["open", "resolved"]
    created_at: datetime
    resolved_at: datetime | None
    action: str | None
    note: str | None

    @classmethod
    def of(cls, report: Report) -> ReportPublic:
        return cls(
            id=report.id,
            target_type=report.target_type.value,
            target_id=report.target_id,
            reason=report.reason.value,
            detail=report.detail,
            excerpt=report.excerpt,
            status=report.status.value,
            created_at=report.created_at,
            resolved_at=report.resolved_at,
            action=report.action.value if report.action else None,
            note=report.note,
        )


class ReportCreated(OutputModel):
    id: UUID
    status: Literal["open", "resolved"]
    created_at: datetime


# The lists' query parameters (api/schemas/common.py QueryModel), in the order the document
# lists them.


class CommunityPostsQuery(QueryModel):
    sort: PostSort = PostSort.new
    kind: PostKind | None = None
    tag: Annotated[Text, Field(max_length=80)] | None = None
    pinned: bool | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


class FeedQuery(QueryModel):
    sort: FeedSort = FeedSort.new
    limit: PageLimit = 20
    cursor: PageCursor = None


class SearchQuery(QueryModel):
    q: Annotated[Words, Field(max_length=1000, description='Words, "phrases", -not')]
    community: Annotated[Text, Field(max_length=60)] | None = None
    kind: PostKind | None = None
    tag: Annotated[Text, Field(max_length=80)] | None = None
    limit: PageLimit = 20
    cursor: PageCursor = None


class ReportsQuery(QueryModel):
    status: ReportStatus | None = ReportStatus.open
    limit: PageLimit = 20
    cursor: PageCursor = None
