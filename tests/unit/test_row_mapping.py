"""Posts and comments built from their rows (repositories/posts/queries.py) read every column
into the field of the same name.

`post_from_row` and `comment_from_row` pass their values to the dataclasses by position, for
speed: a field added to Post or Comment, or two columns swapped, would shift values silently.
Every column here carries a value of its own, so any shift fails.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.posts.model import CommunityRef, Link, PostKind, ReactionKind, Reactions
from domain.uploads.model import Attachment
from domain.users.model import UserRef
from repositories.posts.queries import attachments_json, comment_from_row, post_from_row

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
AUTHOR = UserRef(uuid.uuid4(), "ada", "Ada Lovelace", "Analyst", "https://example.com/ada.png")


ATTACHMENT = Attachment(uuid.uuid4(), "image/png", 1234, "diagram.png", True)
ATTACHMENTS_JSON = attachments_json([ATTACHMENT])


def _author_columns() -> dict[str, object]:
    return {
        "au_id": AUTHOR.id,
        "au_handle": AUTHOR.handle,
        "au_display_name": AUTHOR.display_name,
        "au_title": AUTHOR.title,
        "au_avatar_url": AUTHOR.avatar_url,
    }


def _post_row() -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "community_id": uuid.uuid4(),
        "c_slug": "python-guild",
        "c_name": "Python Guild",
        "kind": "question",
        "title": "the title",
        "body": "the body",
        "body_html": "<p>the body</p>",
        "created_at": T0,
        "updated_at": T0 + timedelta(hours=1),
        "last_activity_at": T0 + timedelta(hours=2),
        "tags": '["python", "asyncio"]',
        "links": '[{"url": "https://docs.python.org", "title": "Docs"}]',
        "like_count": 3,
        "helpful_count": 5,
        "insightful_count": 7,
        "comment_count": 11,
        "accepted_comment_id": uuid.uuid4(),
        "is_pinned": True,
        "is_locked": False,
        "version": 13,
        "mine": "like,helpful",
        "attachments": ATTACHMENTS_JSON,
        **_author_columns(),
    }


def test_every_post_column_lands_in_its_field():
    row = _post_row()
    post = post_from_row(row)
    assert post.id == row["id"]
    assert post.community == CommunityRef(row["community_id"], "python-guild", "Python Guild")
    assert post.author == AUTHOR
    assert post.kind is PostKind.question
    assert (post.title, post.body, post.body_html) == ("the title", "the body", "<p>the body</p>")
    assert (post.created_at, post.updated_at, post.last_activity_at) == (
        T0,
        T0 + timedelta(hours=1),
        T0 + timedelta(hours=2),
    )
    assert post.tags == ["python", "asyncio"]
    assert post.links == [Link("https://docs.python.org", "Docs")]
    assert post.reactions == Reactions(like=3, helpful=5, insightful=7)
    assert post.my_reactions == [ReactionKind.helpful, ReactionKind.like]
    assert post.comment_count == 11
    assert post.accepted_comment_id == row["accepted_comment_id"]
    assert (post.is_pinned, post.is_locked, post.version) == (True, False, 13)
    assert post.attachments == [ATTACHMENT]


def test_a_given_community_is_used_and_no_reactions_is_an_empty_list():
    row = {**_post_row(), "mine": None, "links": "[]", "tags": "[]"}
    community = CommunityRef(uuid.uuid4(), "given", "Given")
    post = post_from_row(row, community)
    assert post.community is community
    assert (post.my_reactions, post.links, post.tags) == ([], [], [])


def test_every_comment_column_lands_in_its_field():
    accepted = uuid.uuid4()
    row = {
        "id": accepted,
        "post_id": uuid.uuid4(),
        "parent_id": uuid.uuid4(),
        "body": "the answer",
        "body_html": "<p>the answer</p>",
        "created_at": T0,
        "updated_at": T0 + timedelta(minutes=5),
        "like_count": 2,
        "helpful_count": 4,
        "insightful_count": 6,
        "version": 8,
        "mine": "insightful",
        "attachments": ATTACHMENTS_JSON,
        **_author_columns(),
    }
    comment = comment_from_row(row, accepted)
    assert (comment.id, comment.post_id, comment.parent_id) == (
        accepted,
        row["post_id"],
        row["parent_id"],
    )
    assert comment.author == AUTHOR
    assert (comment.body, comment.body_html) == ("the answer", "<p>the answer</p>")
    assert (comment.created_at, comment.updated_at) == (T0, T0 + timedelta(minutes=5))
    assert comment.reactions == Reactions(like=2, helpful=4, insightful=6)
    assert comment.my_reactions == [ReactionKind.insightful]
    assert comment.is_accepted is True
    assert comment.version == 8
    assert comment.attachments == [ATTACHMENT]
    assert comment_from_row({**row, "mine": None}, uuid.uuid4()).is_accepted is False
