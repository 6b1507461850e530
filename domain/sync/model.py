"""Delta sync: change references from the change log, tokens, and the rules of what a caller's
copy holds.

A caller's copy holds: the communities they are an active member of (and their own membership in
each), the posts and comments of those communities, their notifications, the mentorships they
take part in, and their own profile. A `community` tombstone means "drop it and every post and
comment of it from your copy" (the caller left, was removed, or it was archived), so leaving a
private community never needs one tombstone per post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

# Change-log rows are kept this long; a token older than this answers 410 ("resync").
RETENTION = timedelta(days=30)
# The prune job keeps a day more than the promise: a token at the edge of the retention still
# finds every change after it, whatever the clocks of the database and the app say.
PRUNE_AFTER = RETENTION + timedelta(days=1)

# The first snapshot is bounded: at most this many communities, posts per community, unread
# notifications and open mentorships.
SNAPSHOT_COMMUNITIES = 100
SNAPSHOT_POSTS_PER_COMMUNITY = 10
SNAPSHOT_NOTIFICATIONS = 100
SNAPSHOT_MENTORSHIPS = 100


class ChangeType(StrEnum):
    community = "community"
    membership = "membership"
    post = "post"
    comment = "comment"
    mentorship = "mentorship"
    notification = "notification"
    profile = "profile"


@dataclass(frozen=True, slots=True, order=True)
class LogPosition:
    """A place in the change log, ordered as the log is read: (transaction, sequence)."""

    txid: int
    seq: int


START = LogPosition(-1, -1)


@dataclass(frozen=True, slots=True)
class ChangeRef:
    type: ChangeType
    id: UUID


@dataclass(frozen=True, slots=True)
class LogPage:
    refs: list[ChangeRef]
    # Where the next page starts: after the last row read, or at the head when the page is the
    # last (rows the caller cannot see are not read again).
    position: LogPosition
    has_more: bool


@dataclass(frozen=True, slots=True)
class SyncToken:
    """`complete_at`: when the client's copy was last complete (a page without more); kept while
    it pages, so a client that pages slowly cannot outlive the change log."""

    position: LogPosition
    complete_at: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.complete_at > RETENTION


@dataclass(frozen=True, slots=True)
class Change:
    """`entity` is the resource as its GET shows it to the caller; None for a tombstone."""

    type: ChangeType
    id: UUID
    entity: Any | None

    @property
    def deleted(self) -> bool:
        return self.entity is None


@dataclass(frozen=True, slots=True)
class SyncPage:
    changes: list[Change]
    token: SyncToken
    has_more: bool
