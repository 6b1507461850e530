"""Notifications as rows: the source of truth that delivery (stream, e-mail) builds on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


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


@dataclass(frozen=True, slots=True)
class Notification:
    id: UUID
    user_id: UUID
    kind: NotificationKind
    actor_id: UUID | None
    subject_type: str
    subject_id: UUID
    title: str
    url: str
    created_at: datetime
    read_at: datetime | None = None


def recipients(user_ids: list[UUID], actor_id: UUID | None) -> list[UUID]:
    """Nobody is notified of their own actions; each person once."""
    return list(dict.fromkeys(u for u in user_ids if u != actor_id))
