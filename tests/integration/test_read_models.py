"""The hot reads (repositories/<feature>/queries.py) hand the domain plain Python values: an id is
`uuid.UUID` itself, never the driver's own type, on either database."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI

from domain.pagination import PageRequest
from domain.posts.model import FeedSort, PostSort
from repositories.posts import queries as posts
from repositories.unit_of_work import SqlUnitOfWork
from repositories.users import queries as users
from tests.communities_helpers import create_community, join
from tests.helpers import register


def exactly_uuid(value: Any) -> bool:
    return type(value) is uuid.UUID


async def test_ids_read_through_the_hot_reads_are_exactly_uuid(app: FastAPI, client):
    owner = await register(client, "Olga Owner")
    member = await register(client, "Mo Member")
    await create_community(client, owner, "Python Guild")
    assert (await join(client, member, "python-guild")).status_code == 201
    body = {"kind": "question", "title": "Profiling asyncio?", "body": "Tips?", "tags": ["Python"]}
    created = await client.post(
        "/communities/python-guild/posts", json=body, headers=member.headers
    )
    assert created.status_code == 201, created.text
    post_id = uuid.UUID(created.json()["id"])
    answer = await client.post(
        f"/posts/{post_id}/comments", json={"body": "py-spy"}, headers=owner.headers
    )
    assert answer.status_code == 201, answer.text
    viewer = uuid.UUID(member.id)
    first = PageRequest(limit=20)

    async with SqlUnitOfWork(app.state.read_session_factory, read_only=True) as uow:
        session = uow.session
        account = await users.account(session, viewer)
        in_context = await posts.post_in_context(session, post_id, viewer)
        page = await posts.community_posts(
            session, "python-guild", viewer, PostSort.new, None, None, None, first
        )
        feed = await posts.feed(session, viewer, FeedSort.new, first)
        thread = await posts.thread(session, post_id, viewer, first)

    assert account is not None and exactly_uuid(account.id)
    assert in_context is not None and page is not None and thread is not None
    assert [p.id for p in page.posts.items] == [p.id for p in feed.items] == [post_id]
    for post in (in_context.post, page.posts.items[0], feed.items[0], thread.post.post):
        assert exactly_uuid(post.id) and exactly_uuid(post.author.id), post
        assert exactly_uuid(post.community.id), post
    for community in (in_context.community, page.community, thread.post.community):
        assert exactly_uuid(community.id) and exactly_uuid(community.created_by)
    assert in_context.membership is not None and exactly_uuid(in_context.membership.user_id)
    (comment,) = thread.comments.items
    assert exactly_uuid(comment.id) and exactly_uuid(comment.post_id)
    assert exactly_uuid(comment.author.id)
