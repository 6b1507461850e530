"""The response models are the one representation of posts, comments and search hits: they
take the domain objects as the repositories give them (asyncpg's own UUID type, aware and
naive datetimes) and write them as the document says."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, timedelta, timezone

from asyncpg.pgproto.pgproto import UUID as DriverUUID  # type: ignore[import-untyped, unused-ignore]
from hypothesis import given
from hypothesis import strategies as st

from api.deps import PageParams, Paginator
from api.pagination import CursorCodec
from api.schemas.posts import CommentPublic, PostPublic, PostSearchHit
from domain.pagination import PageResult
from domain.posts.model import (
    Comment,
    CommunityRef,
    Link,
    Post,
    PostKind,
    ReactionKind,
    Reactions,
)
from domain.posts.search import FoundPost
from domain.users.model import UserRef

# Rows from asyncpg carry its own UUID type; rows from SQLite carry uuid.UUID.
ids = st.one_of(st.uuids(), st.uuids().map(lambda value: DriverUUID(str(value))))
texts = st.text(max_size=30)
optional_texts = st.none() | texts
# Aware (UTC and other offsets, as the databases return them) and naive datetimes.
moments = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=5, minutes=30))])),
    st.datetimes(),
)
counts = st.integers(min_value=0, max_value=10**6)
reactions = st.builds(Reactions, like=counts, helpful=counts, insightful=counts)
my_kinds = st.lists(st.sampled_from(list(ReactionKind)), unique=True, max_size=3)
authors = st.builds(
    UserRef,
    id=ids,
    handle=texts,
    display_name=texts,
    title=optional_texts,
    avatar_url=optional_texts,
)
posts = st.builds(
    Post,
    id=ids,
    community=st.builds(CommunityRef, id=ids, slug=texts, name=texts),
    author=authors,
    kind=st.sampled_from(list(PostKind)),
    title=texts,
    body=texts,
    body_html=st.text(alphabet="<>&\"'/ab\u2028é😀", max_size=30),
    created_at=moments,
    updated_at=moments,
    last_activity_at=moments,
    tags=st.lists(texts, max_size=3),
    links=st.lists(st.builds(Link, url=texts, title=optional_texts), max_size=3),
    reactions=reactions,
    my_reactions=my_kinds,
    comment_count=counts,
    accepted_comment_id=st.none() | ids,
    is_pinned=st.booleans(),
    is_locked=st.booleans(),
    version=st.integers(min_value=1, max_value=2**31),
)
comments = st.builds(
    Comment,
    id=ids,
    post_id=ids,
    parent_id=st.none() | ids,
    author=authors,
    body=texts,
    body_html=texts,
    created_at=moments,
    updated_at=moments,
    reactions=reactions,
    my_reactions=my_kinds,
    is_accepted=st.booleans(),
    version=st.integers(min_value=1, max_value=2**31),
)


def _id(value: object) -> str:
    return str(uuid.UUID(str(value)))


@given(posts)
def test_a_post_is_written_as_the_document_says(post):
    body = json.loads(PostPublic.of(post).model_dump_json())
    assert body["id"] == _id(post.id)
    assert body["author"]["id"] == _id(post.author.id)
    assert body["community"] == {"slug": post.community.slug, "name": post.community.name}
    assert body["kind"] == post.kind.value
    assert body["score"] == post.reactions.score
    assert body["reactions"] == {
        "like": post.reactions.like,
        "helpful": post.reactions.helpful,
        "insightful": post.reactions.insightful,
    }
    assert body["my_reactions"] == [kind.value for kind in post.my_reactions]
    assert body["links"] == [{"url": link.url, "title": link.title} for link in post.links]
    accepted = post.accepted_comment_id
    assert body["accepted_comment_id"] == (None if accepted is None else _id(accepted))
    for name in ("created_at", "updated_at", "last_activity_at"):
        moment = getattr(post, name)
        # UTC as pydantic writes it ("Z"); other offsets and naive times as they are.
        assert body[name] == moment.isoformat().replace("+00:00", "Z")


@given(comments)
def test_a_comment_is_written_as_the_document_says(comment):
    body = json.loads(CommentPublic.of(comment).model_dump_json())
    assert body["id"] == _id(comment.id)
    assert body["post_id"] == _id(comment.post_id)
    parent = comment.parent_id
    assert body["parent_id"] == (None if parent is None else _id(parent))
    assert body["score"] == comment.reactions.score
    assert body["my_reactions"] == [kind.value for kind in comment.my_reactions]


@given(posts, texts)
def test_a_search_hit_is_its_post_and_snippet(post, snippet):
    hit = PostSearchHit.of_found(FoundPost(post=post, snippet=snippet, rank=0.5))
    expected = {**PostPublic.of(post).model_dump(mode="json"), "snippet": snippet}
    assert hit.model_dump(mode="json") == expected


@given(st.lists(posts, max_size=4), st.booleans())
def test_a_page_carries_its_items_and_cursor(items, more):
    paginator = Paginator(CursorCodec("unit-test-secret"), PageParams(limit=20, cursor=None))
    result = PageResult(items=items, next_position=(uuid.UUID(int=7),) if more else None)
    page = paginator.page("scope", result, PostPublic.of)
    body = json.loads(page.model_dump_json())
    assert [item["id"] for item in body["items"]] == [_id(post.id) for post in items]
    assert (body["next_cursor"] is not None) == more
