"""Hand-built JSON (api/wire.py) is byte for byte the JSON of the declared response models.

The busiest routes skip their pydantic model and write JSON from domain objects directly. These
properties keep them honest: for any post, comment or search hit, and for a whole page, the bytes
equal what the model would have produced, so clients and the OpenAPI schema cannot tell the
difference. A field added to a model and not to its `*_json` function fails here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta, timezone

from asyncpg.pgproto.pgproto import UUID as DriverUUID  # type: ignore[import-untyped, unused-ignore]
from hypothesis import given
from hypothesis import strategies as st

from api.deps import PageParams, Paginator
from api.pagination import CursorCodec, Page
from api.schemas.posts import (
    CommentPublic,
    PostPublic,
    PostSearchHit,
    comment_json,
    post_json,
    search_hit_json,
)
from api.wire import json_bytes
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


@given(posts)
def test_post_json_is_the_post_model(post):
    assert json_bytes(post_json(post)) == PostPublic.of(post).model_dump_json().encode()


@given(comments)
def test_comment_json_is_the_comment_model(comment):
    assert json_bytes(comment_json(comment)) == CommentPublic.of(comment).model_dump_json().encode()


@given(posts, texts)
def test_search_hit_json_is_the_hit_model(post, snippet):
    model = PostSearchHit(**PostPublic.of(post).model_dump(), snippet=snippet)
    hit = FoundPost(post=post, snippet=snippet, rank=0.5)
    assert json_bytes(search_hit_json(hit)) == model.model_dump_json().encode()


@given(st.lists(posts, max_size=4), st.booleans())
def test_json_page_is_the_page_model(items, more):
    paginator = Paginator(CursorCodec("unit-test-secret"), PageParams(limit=20, cursor=None))
    result = PageResult(items=items, next_position=(uuid.UUID(int=7),) if more else None)
    response = paginator.json_page("scope", result, post_json)
    expected = paginator.page("scope", result, PostPublic.of)
    assert isinstance(expected, Page)
    assert response.media_type == "application/json"
    assert response.body == expected.model_dump_json().encode()
