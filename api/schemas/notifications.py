"""Notifications: the inbox lines, marking them read, and per-kind channel preferences."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from api.schemas.common import (
    FromString,
    InputModel,
    OutputModel,
    QueryModel,
    Text,
    Uuid,
    unchanged,
)
from api.schemas.users import UserSummary
from domain.digests.model import DigestFrequency
from domain.digests.model import NotificationSettings as DomainSettings
from domain.notifications.model import (
    ChannelChoice,
    InboxItem,
    NotificationKind,
    Reason,
    WatchReason,
    WatchState,
)


class NotificationSubject(OutputModel):
    type: str = Field(description="What the notification is about: post, community, mentorship.")
    id: UUID
    title: str
    url: str


class NotificationPublic(OutputModel):
    id: UUID
    kind: NotificationKind
    reason: Reason = Field(description="Why you got it.")
    actor: UserSummary | None = Field(description="Who acted last.")
    actors: list[UserSummary] = Field(description="The latest actors, newest first (up to 3).")
    count: int = Field(
        description="How many events this line groups (e.g. 3 new answers to one post)."
    )
    subject: NotificationSubject
    link: str = Field(description="The exact place: the subject's page, with the comment anchor.")
    post_id: UUID | None
    comment_id: UUID | None
    mentorship_id: UUID | None
    community_id: UUID | None
    created_at: datetime = Field(description="When the latest event it groups happened.")
    read_at: datetime | None

    @classmethod
    def of(cls, item: InboxItem) -> NotificationPublic:
        is_post = item.subject_type == "post"
        anchor = item.anchor_id if is_post else None
        return cls(
            id=item.id,
            kind=item.kind,
            reason=item.reason,
            actor=UserSummary.of(item.actor) if item.actor else None,
            actors=[UserSummary.of(a) for a in item.actors],
            count=item.count,
            subject=NotificationSubject(
                type=item.subject_type, id=item.subject_id, title=item.title, url=item.url
            ),
            link=f"{item.url}#comment-{anchor}" if anchor else item.url,
            post_id=item.subject_id if is_post else None,
            comment_id=anchor,
            mentorship_id=item.subject_id if item.subject_type == "mentorship" else None,
            community_id=item.community_id,
            created_at=item.created_at,
            read_at=item.read_at,
        )


class UnreadCount(OutputModel):
    unread: int


class ReadAll(InputModel):
    up_to: Uuid | None = Field(
        default=None,
        description="The id of the newest notification you have seen: it and everything "
        "older are marked read, anything newer stays unread. Without it, everything is.",
    )


class ChannelsPublic(OutputModel):
    kind: NotificationKind
    in_app: bool = Field(description="A line in the inbox; off means none is written.")
    email: bool
    push: bool

    @classmethod
    def of(cls, kind: NotificationKind, choice: ChannelChoice) -> ChannelsPublic:
        return cls(kind=kind, in_app=choice.in_app, email=choice.email, push=choice.push)


class NotificationPreferences(OutputModel):
    preferences: list[ChannelsPublic] = Field(description="Every kind, with its channels.")

    @classmethod
    def of(cls, choices: dict[NotificationKind, ChannelChoice]) -> NotificationPreferences:
        return cls(preferences=[ChannelsPublic.of(k, c) for k, c in choices.items()])


class ChannelsUpdate(InputModel):
    kind: FromString[NotificationKind]
    in_app: bool = unchanged()
    email: bool = unchanged()
    push: bool = unchanged()


class NotificationPreferencesUpdate(InputModel):
    preferences: list[ChannelsUpdate] = Field(
        max_length=len(NotificationKind),
        description="The kinds to change; a channel left out keeps its setting. A kind given "
        "twice: the last entry counts.",
    )


class StreamQuery(QueryModel):
    ticket: Text | None = Field(
        default=None,
        max_length=100,
        description="A ticket from POST /me/notifications/stream-ticket, for clients that "
        "cannot send an Authorization header (EventSource). Single use, valid 60 seconds.",
    )


class StreamTicketPublic(OutputModel):
    ticket: str = Field(description="Opens the stream once: `?ticket=` on the stream's URL.")
    expires_at: datetime = Field(description="Unused after this, the ticket is refused.")


class PostWatchPublic(OutputModel):
    watching: bool = Field(description="Whether you are told of the post's new comments.")
    reason: WatchReason | None = Field(
        description="Why you watch it: `author` (your post), `commenter` (you commented), "
        "`explicit` (you chose to); null when you do not."
    )

    @classmethod
    def of(cls, state: WatchState) -> PostWatchPublic:
        return cls(watching=state.watching, reason=state.reason)


class NotificationSettings(OutputModel):
    email_digest: DigestFrequency = Field(
        description="The e-mail digest: weekly (Mondays) or daily, at 08:00 in your time zone; "
        "weekly by default once you have signed in."
    )
    email_on_mention: bool = Field(description="E-mail when someone mentions you.")
    email_on_mentorship: bool = Field(
        description="E-mail for mentorship requests and decisions (true when all three kinds "
        "have e-mail on)."
    )

    @classmethod
    def of(cls, settings: DomainSettings) -> NotificationSettings:
        return cls(
            email_digest=settings.email_digest,
            email_on_mention=settings.email_on_mention,
            email_on_mentorship=settings.email_on_mentorship,
        )


class NotificationSettingsUpdate(InputModel):
    email_digest: FromString[DigestFrequency] = unchanged("off, daily or weekly.")
    email_on_mention: bool = unchanged(
        "The mention kind's e-mail channel in /me/notification-preferences."
    )
    email_on_mentorship: bool = unchanged(
        "The e-mail channel of mentorship_requested, mentorship_accepted and "
        "mentorship_declined in /me/notification-preferences."
    )


class UnsubscribeQuery(QueryModel):
    token: Text = Field(
        max_length=400,
        description="The signed token of the mail's unsubscribe link.",
    )


class UnsubscribePublic(OutputModel):
    category: str = Field(
        description="What the link turns off: `digest`, or `notification:<kind>[,<kind>…]`."
    )
    description: str = Field(description="The same, in words.")
    done: bool = Field(description="Whether it is now turned off (false: only described).")
