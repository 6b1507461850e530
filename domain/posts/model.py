"""Posts, comments, reactions and reports: entities and the pure rules about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit
from uuid import UUID

from domain.communities.model import Community
from domain.errors import ValidationFailed
from domain.uploads.model import Attachment
from domain.users.model import UserRef, WorkingHours


class PostKind(StrEnum):
    discussion = "discussion"
    question = "question"
    best_practice = "best_practice"
    resource = "resource"


class PostSort(StrEnum):
    new = "new"
    active = "active"
    top = "top"
    unanswered = "unanswered"


class FeedSort(StrEnum):
    new = "new"
    active = "active"
    top = "top"


class ReactionKind(StrEnum):
    like = "like"
    helpful = "helpful"
    insightful = "insightful"


class TargetType(StrEnum):
    post = "post"
    comment = "comment"


class ReportReason(StrEnum):
    spam = "spam"
    abuse = "abuse"
    off_topic = "off_topic"
    other = "other"


class ReportStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class ReportAction(StrEnum):
    dismiss = "dismiss"
    remove_content = "remove_content"


# Reactions rank content: "helpful" and "insightful" say more about quality than a like.
REACTION_WEIGHT: dict[ReactionKind, int] = {
    ReactionKind.like: 1,
    ReactionKind.helpful: 3,
    ReactionKind.insightful: 2,
}
_LIKE_WEIGHT = REACTION_WEIGHT[ReactionKind.like]
_HELPFUL_WEIGHT = REACTION_WEIGHT[ReactionKind.helpful]
_INSIGHTFUL_WEIGHT = REACTION_WEIGHT[ReactionKind.insightful]
MAX_TAGS = 10
MAX_LINKS = 10
MAX_ATTACHMENTS = 10
TITLE_MAX = 200
BODY_MAX = 50_000
# Home's lists look back this far: questions waiting for someone who knows their skills, and
# the popular public posts a new person's empty feed shows instead. A window bounds what each
# page walks, whatever the size of the history.
UNANSWERED_WINDOW = timedelta(days=30)
POPULAR_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    title: str | None = None


@dataclass(slots=True)
class Reactions:
    like: int = 0
    helpful: int = 0
    insightful: int = 0

    @property
    def score(self) -> int:
        # Spelled out: every post and comment of every page reads it (a loop over the weights
        # cost five times as much).
        return (
            self.like * _LIKE_WEIGHT
            + self.helpful * _HELPFUL_WEIGHT
            + self.insightful * _INSIGHTFUL_WEIGHT
        )


@dataclass(frozen=True, slots=True)
class CommunityRef:
    id: UUID
    slug: str
    name: str

    @classmethod
    def of(cls, community: Community) -> CommunityRef:
        return cls(community.id, community.slug, community.name)


@dataclass(slots=True)
class Post:
    id: UUID
    community: CommunityRef
    author: UserRef
    kind: PostKind
    title: str
    body: str
    body_html: str
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reactions: Reactions = field(default_factory=Reactions)
    my_reactions: list[ReactionKind] = field(default_factory=list)
    comment_count: int = 0
    accepted_comment_id: UUID | None = None
    is_pinned: bool = False
    is_locked: bool = False
    version: int = 1
    attachments: list[Attachment] = field(default_factory=list)
    # Set only where one post is read for its viewer: whether they were nudged to answer it.
    nudge: NudgeNote | None = None

    @property
    def score(self) -> int:
        return self.reactions.score


@dataclass(slots=True)
class Comment:
    id: UUID
    post_id: UUID
    parent_id: UUID | None
    author: UserRef
    body: str
    body_html: str
    created_at: datetime
    updated_at: datetime
    reactions: Reactions = field(default_factory=Reactions)
    my_reactions: list[ReactionKind] = field(default_factory=list)
    is_accepted: bool = False
    version: int = 1
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.reactions.score


@dataclass(slots=True)
class Report:
    id: UUID
    community_id: UUID
    target_type: TargetType
    target_id: UUID
    reporter_id: UUID
    reason: ReportReason
    detail: str | None
    status: ReportStatus
    created_at: datetime
    excerpt: str = ""
    resolved_by: UUID | None = None
    resolved_at: datetime | None = None
    action: ReportAction | None = None
    note: str | None = None


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not 1 <= len(title) <= TITLE_MAX:
        raise ValidationFailed(f"A title has 1-{TITLE_MAX} characters.", field="title")
    return title


def check_body(body: str) -> str:
    if len(body) > BODY_MAX:
        raise ValidationFailed(f"A body has at most {BODY_MAX} characters.", field="body")
    return body


def check_links(links: list[Link]) -> list[Link]:
    """Only http(s) links with a host: never javascript:, data: or file: URLs."""
    if len(links) > MAX_LINKS:
        raise ValidationFailed(f"At most {MAX_LINKS} links.", field="links")
    for link in links:
        parts = urlsplit(link.url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValidationFailed("Links must be http or https addresses.", field="links")
    return links


def check_tag_count(tags: list[str]) -> list[str]:
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"At most {MAX_TAGS} tags.", field="tags")
    return tags


# --- follow-the-sun nudges (rules and use cases: domain/posts/nudges.py) ---


@dataclass(frozen=True, slots=True)
class DueQuestion:
    """An unanswered question old enough to be nudged for, with its last nudged window."""

    post_id: UUID
    community_id: UUID
    title: str
    created_at: datetime
    nudge_after_minutes: int
    last_window: int  # 0: nobody asked yet

    def window(self, now: datetime) -> int:
        """Which window `now` is in: 1 from `nudge_after_minutes` after it was asked, 2 one
        window later, and so on (0 before the first)."""
        if self.nudge_after_minutes <= 0:
            return 0
        return int((now - self.created_at) // timedelta(minutes=self.nudge_after_minutes))


@dataclass(frozen=True, slots=True)
class NudgeCandidate:
    """Someone who could answer a question, for one of its skills."""

    post_id: UUID
    user_id: UUID
    timezone: str
    working_hours: WorkingHours | None
    skill_name: str
    level: int
    score: float
    top_expert: bool


@dataclass(frozen=True, slots=True)
class NewNudge:
    post_id: UUID
    user_id: UUID
    window: int
    reason: str
    nudged_at: datetime


@dataclass(frozen=True, slots=True)
class NudgeNote:
    """What a question shows the person who was nudged for it."""

    reason: str
    nudged_at: datetime
    dismissed: bool
