"""Notifications as rows: the source of truth that delivery (stream, e-mail) builds on."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.actor import Actor
from domain.users.model import UserRef


class NotificationKind(StrEnum):
    new_post = "new_post"
    question_for_you = "question_for_you"
    comment_on_post = "comment_on_post"
    reply_to_comment = "reply_to_comment"
    mention = "mention"
    answer_accepted = "answer_accepted"
    join_request = "join_request"
    membership_approved = "membership_approved"
    invitation = "invitation"
    nomination = "nomination"
    nominations_open = "nominations_open"
    mentorship_requested = "mentorship_requested"
    mentorship_accepted = "mentorship_accepted"
    mentorship_declined = "mentorship_declined"
    endorsement_received = "endorsement_received"
    report_filed = "report_filed"
    webhook_disabled = "webhook_disabled"


class Reason(StrEnum):
    """Why a notification reached its recipient."""

    asked = "asked"  # an answer to your question
    authored = "authored"  # activity on your post or your answer
    watching = "watching"  # a post you watch
    mentioned = "mentioned"
    replied_to = "replied_to"  # a reply to your comment
    community_setting = "community_setting"  # your community's notify_level
    steward = "steward"  # you lead the community (requests, nominations, reports)
    member = "member"  # news for every member of your community
    participant = "participant"  # a mentorship you take part in
    expertise = "expertise"  # a question for people skilled in its tags
    you = "you"  # something done to you (invitation, endorsement, approval)


DEFAULT_REASON: dict[NotificationKind, Reason] = {
    NotificationKind.new_post: Reason.community_setting,
    NotificationKind.question_for_you: Reason.expertise,
    NotificationKind.comment_on_post: Reason.authored,
    NotificationKind.reply_to_comment: Reason.replied_to,
    NotificationKind.mention: Reason.mentioned,
    NotificationKind.answer_accepted: Reason.authored,
    NotificationKind.join_request: Reason.steward,
    NotificationKind.membership_approved: Reason.you,
    NotificationKind.invitation: Reason.you,
    NotificationKind.nomination: Reason.steward,
    NotificationKind.nominations_open: Reason.member,
    NotificationKind.mentorship_requested: Reason.participant,
    NotificationKind.mentorship_accepted: Reason.participant,
    NotificationKind.mentorship_declined: Reason.participant,
    NotificationKind.endorsement_received: Reason.you,
    NotificationKind.report_filed: Reason.steward,
    NotificationKind.webhook_disabled: Reason.steward,
}

# Latest actors kept on a grouped notification.
GROUP_ACTORS = 3


def group_key(kind: NotificationKind, subject_type: str, subject_id: UUID) -> str:
    """Notifications of one kind on one subject collapse into one unread row."""
    return f"{kind.value}:{subject_type}:{subject_id.hex}"


@dataclass(frozen=True, slots=True)
class NotificationEvent:
    """One thing worth telling, before recipients are filtered and grouped: what `notify` takes
    from the services today and from an event consumer later."""

    kind: NotificationKind
    actor_id: UUID | None
    subject_type: str
    subject_id: UUID
    title: str
    url: str
    reason: Reason
    occurred_at: datetime
    # The community the subject lives in: only people who can see it are notified, and its
    # notifications disappear from the inbox of someone who leaves a private community.
    community_id: UUID | None = None
    # The exact place inside the subject (a comment of the post).
    anchor_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell some people, as `notify` takes it: many of them go to `notify_many`
    (many subjects and recipients in a fixed number of statements)."""

    user_ids: list[UUID]
    kind: NotificationKind
    actor_id: UUID | None
    subject_type: str
    subject_id: UUID
    title: str
    url: str
    reason: Reason | None = None
    community_id: UUID | None = None
    anchor_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A notification as its recipient lists it: grouped, with its latest actors."""

    id: UUID
    kind: NotificationKind
    reason: Reason
    actor: UserRef | None
    actors: list[UserRef]
    count: int
    subject_type: str
    subject_id: UUID
    title: str
    url: str
    anchor_id: UUID | None
    community_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class WatchReason(StrEnum):
    """Why someone watches a post."""

    author = "author"  # authors watch their posts
    commenter = "commenter"  # commenting watches the post
    explicit = "explicit"  # they chose to (PUT /posts/{id}/watch)


@dataclass(frozen=True, slots=True)
class WatchState:
    """Whether someone is told of a post's new comments, and why."""

    watching: bool
    reason: WatchReason | None = None

    @classmethod
    def of(cls, stored: bool | None, *, is_author: bool, commented: bool) -> WatchState:
        """From the stored choice (None: never watched nor unwatched): the first reason that
        applies, as automatic watching would have given it."""
        if not stored:
            return cls(False)
        if is_author:
            return cls(True, WatchReason.author)
        return cls(True, WatchReason.commenter if commented else WatchReason.explicit)


@dataclass(frozen=True, slots=True)
class StreamListener(Actor):
    """Who holds a notification stream open, with the token version of the credential that
    opened it: the stream ends once the account's sessions end (the version moves on)."""

    token_version: int = 0


@dataclass(frozen=True, slots=True)
class WrittenNotification:
    """One inbox line that a `notify` wrote (new, or grouped under a new id): what is
    published live once its unit of work commits."""

    user_id: UUID
    notification_id: UUID


@dataclass(frozen=True, slots=True)
class LiveNotification:
    """What a recipient's open streams are sent for one written line: the line as the inbox
    lists it (None when it is no longer visible by the time it is published) and the
    recipient's unread count right after it."""

    user_id: UUID
    notification_id: UUID
    item: InboxItem | None
    unread: int


def recipients(user_ids: list[UUID], actor_id: UUID | None) -> list[UUID]:
    """Nobody is notified of their own actions; each person once."""
    return list(dict.fromkeys(u for u in user_ids if u != actor_id))


class Channel(StrEnum):
    in_app = "in_app"
    email = "email"
    push = "push"


@dataclass(frozen=True, slots=True)
class ChannelChoice:
    in_app: bool = True
    email: bool = False
    push: bool = False


# E-mail by default for what someone waits for: being mentioned, answers to and acceptance of
# their posts, mentorship requests and decisions, invitations. Push is opt-in everywhere until
# devices exist. In-app is on for every kind.
EMAIL_BY_DEFAULT: frozenset[NotificationKind] = frozenset(
    {
        NotificationKind.mention,
        NotificationKind.comment_on_post,
        NotificationKind.answer_accepted,
        NotificationKind.mentorship_requested,
        NotificationKind.mentorship_accepted,
        NotificationKind.mentorship_declined,
        NotificationKind.invitation,
    }
)


def default_choice(kind: NotificationKind) -> ChannelChoice:
    return ChannelChoice(in_app=True, email=kind in EMAIL_BY_DEFAULT, push=False)


def preferences_with_defaults(
    stored: dict[NotificationKind, ChannelChoice],
) -> dict[NotificationKind, ChannelChoice]:
    return {kind: stored.get(kind, default_choice(kind)) for kind in NotificationKind}


@dataclass(frozen=True, slots=True)
class ChannelChange:
    """A change to one kind's channels; None leaves a channel as it is."""

    in_app: bool | None = None
    email: bool | None = None
    push: bool | None = None

    def applied_to(self, choice: ChannelChoice) -> ChannelChoice:
        return ChannelChoice(
            in_app=choice.in_app if self.in_app is None else self.in_app,
            email=choice.email if self.email is None else self.email,
            push=choice.push if self.push is None else self.push,
        )


def time_ordered_id(at: datetime) -> UUID:
    """A UUID version 7: milliseconds since the epoch, then the microseconds within that
    millisecond, then randomness. Ids sort as their times do, so an inbox id is also a position
    (`read-all up_to`), and a line gets a new id whenever an event joins it."""
    micros = int(at.timestamp() * 1_000_000)
    millis, within = divmod(micros, 1000)
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (within * 4) << 64  # 12 bits: 0..3996
    value |= 0b10 << 62
    value |= secrets.randbits(62)
    return UUID(int=value)
