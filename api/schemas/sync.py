"""Wire models of delta sync: a page of changes, each an upsert (the resource as its GET shows
it, in `data`) or a tombstone (`deleted: true`, no `data`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import TEXT_PATTERN, OutputModel, QueryModel
from api.schemas.communities import CommunityPublic, MyMembership
from api.schemas.mentorship import MentorshipPublic
from api.schemas.notifications import NotificationPublic
from api.schemas.posts import CommentPublic, PostPublic
from api.schemas.users import UserMe
from domain.sync.model import Change, ChangeType

MAX_SYNC_LIMIT = 500


class SyncQuery(QueryModel):
    since: Annotated[
        str | None,
        Field(
            max_length=1024,
            pattern=TEXT_PATTERN,
            description="The `next` token of your last sync; omit it for a first snapshot.",
        ),
    ] = None
    limit: Annotated[
        int, Field(ge=1, le=MAX_SYNC_LIMIT, description="Changes per page (1-500).")
    ] = 100


_DELETED = Field(
    description="A tombstone: the thing was deleted or is out of your sight; drop it. A "
    "community tombstone drops its posts and comments too."
)


class CommunityChange(OutputModel):
    type: Literal["community"] = "community"
    id: UUID
    deleted: bool = _DELETED
    data: CommunityPublic | None = None


class MembershipChange(OutputModel):
    """Your membership of the community whose id is `id`."""

    type: Literal["membership"] = "membership"
    id: UUID
    deleted: bool = _DELETED
    data: MyMembership | None = None


class PostChange(OutputModel):
    type: Literal["post"] = "post"
    id: UUID
    deleted: bool = _DELETED
    data: PostPublic | None = None


class CommentChange(OutputModel):
    type: Literal["comment"] = "comment"
    id: UUID
    deleted: bool = _DELETED
    data: CommentPublic | None = None


class MentorshipChange(OutputModel):
    type: Literal["mentorship"] = "mentorship"
    id: UUID
    deleted: bool = _DELETED
    data: MentorshipPublic | None = None


class NotificationChange(OutputModel):
    type: Literal["notification"] = "notification"
    id: UUID
    deleted: bool = _DELETED
    data: NotificationPublic | None = None


class ProfileChange(OutputModel):
    """Your own profile, as GET /me shows it."""

    type: Literal["profile"] = "profile"
    id: UUID
    deleted: bool = _DELETED
    data: UserMe | None = None


SyncChange = Annotated[
    CommunityChange
    | MembershipChange
    | PostChange
    | CommentChange
    | MentorshipChange
    | NotificationChange
    | ProfileChange,
    Field(discriminator="type"),
]

_SHAPES: dict[ChangeType, tuple[type[OutputModel], Any]] = {
    ChangeType.community: (CommunityChange, CommunityPublic.of),
    ChangeType.membership: (MembershipChange, MyMembership.of),
    ChangeType.post: (PostChange, PostPublic.of),
    ChangeType.comment: (CommentChange, CommentPublic.of),
    ChangeType.mentorship: (MentorshipChange, MentorshipPublic.of),
    ChangeType.notification: (NotificationChange, NotificationPublic.of),
    ChangeType.profile: (ProfileChange, UserMe.from_user),
}


def change_of(change: Change) -> Any:
    model, represent = _SHAPES[change.type]
    if change.entity is None:
        return model(id=change.id, deleted=True)
    return model(id=change.id, deleted=False, data=represent(change.entity))


class SyncPagePublic(OutputModel):
    changes: list[SyncChange]
    next: str = Field(description="Send it as `since` next time (opaque, signed, yours only).")
    has_more: bool = Field(description="More changes wait: ask again with `next` at once.")
