"""Posts, questions and answers, reactions, reports and the feed."""

from __future__ import annotations

import asyncio

import pytest

from tests.communities_helpers import create_community, join
from tests.helpers import PASSWORD, assert_problem, assert_safe_html, register

XSS = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    '<a href="javascript:alert(2)">x</a> [ok](https://example.com)'
)


async def _setup(client, *, visibility="public"):
    owner = await register(client, "Olga Owner")
    member = await register(client, "Mo Member")
    policy = "open" if visibility == "public" else "invite"
    await create_community(client, owner, "Python Guild", visibility=visibility, join_policy=policy)
    if visibility == "private":
        await client.post(
            "/communities/python-guild/invitations",
            json={"handle": member.handle},
            headers=owner.headers,
        )
    assert (await join(client, member, "python-guild")).status_code == 201
    return owner, member


async def _post(client, who, **fields):
    body = {
        "kind": "question",
        "title": "How do I profile async code?",
        "body": "Any tips?",
        "tags": ["Python"],
        **fields,
    }
    response = await client.post("/communities/python-guild/posts", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_get_and_render(client):
    owner, member = await _setup(client)
    created = await client.post(
        "/communities/python-guild/posts",
        json={
            "kind": "best_practice",
            "title": "Pin your deps",
            "body": f"Use a lock file. {XSS}",
            "tags": ["python", "Dependency Management", "python "],
            "links": [{"url": "https://docs.python.org", "title": "Docs"}],
        },
        headers=member.headers,
    )
    assert created.status_code == 201, created.text
    post = created.json()
    assert created.headers["location"] == f"/api/v1/posts/{post['id']}"
    assert post["author"]["handle"] == member.handle
    assert post["community"] == {"slug": "python-guild", "name": "Python Guild"}
    assert post["tags"] == ["python", "dependency-management"]
    html = post["body_html"]
    assert_safe_html(html)
    assert 'href="https://example.com" rel="nofollow noopener"' in html
    got = await client.get(f"/posts/{post['id']}", headers=owner.headers)
    tag = got.headers["etag"]
    assert got.status_code == 200 and tag.startswith('"v1.')
    cached = await client.get(
        f"/posts/{post['id']}", headers={**owner.headers, "If-None-Match": tag}
    )
    assert cached.status_code == 304
    # a reaction changes what the viewer sees without a new version: the old copy is stale now
    assert (
        await client.put(f"/posts/{post['id']}/reactions/like", headers=owner.headers)
    ).status_code == 204
    fresh = await client.get(
        f"/posts/{post['id']}", headers={**owner.headers, "If-None-Match": tag}
    )
    assert fresh.status_code == 200 and fresh.json()["my_reactions"] == ["like"]
    assert fresh.headers["cache-control"] == "private, no-cache"
    community = (await client.get("/communities/python-guild", headers=owner.headers)).json()
    assert community["post_count"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": "ok", "links": [{"url": "javascript:alert(1)"}]},
        {"title": "ok", "links": [{"url": f"https://e.com/{i}"} for i in range(11)]},
        {"title": "ok", "tags": [f"t{i}" for i in range(11)]},
        {"title": "ok", "kind": "poll"},
        {"title": "ok", "score": 99},
    ],
)
async def test_bad_post_input_is_422(client, body):
    _, member = await _setup(client)
    response = await client.post(
        "/communities/python-guild/posts", json=body, headers=member.headers
    )
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/communities/python-guild/posts?sort=hottest", "sort"),
        ("/communities/python-guild/posts?kind=poem", "kind"),
        ("/communities/python-guild/posts?pinned=maybe", "pinned"),
        ("/communities/python-guild/posts?tag=" + "x" * 81, "tag"),
        ("/communities/python-guild/posts?limit=0", "limit"),
        ("/communities/python-guild/posts?limit=101", "limit"),
        ("/communities/python-guild/posts?limit=ten", "limit"),
        ("/communities/python-guild/posts?cursor=" + "c" * 1025, "cursor"),
        ("/feed?sort=oldest", "sort"),
        ("/feed?limit=0", "limit"),
        ("/search/posts", "q"),
        ("/search/posts?q=x&community=" + "c" * 61, "community"),
        ("/search/posts?q=x&limit=500", "limit"),
        ("{thread}?limit=-1", "limit"),
    ],
)
async def test_bad_list_query_is_422_naming_the_parameter(client, query, field):
    owner, _ = await _setup(client)
    post = await _post(client, owner)
    url = query.format(thread=f"/posts/{post['id']}/comments")
    body = assert_problem(await client.get(url, headers=owner.headers), 422)
    assert [error["loc"] for error in body["errors"]] == [["query", field]]
    # Asked without a token, the same request is a 401: who asks is checked first.
    assert_problem(await client.get(url), 401)


async def test_list_query_refuses_unknown_parameters_and_reads_the_last_of_a_repeated_one(client):
    owner, _ = await _setup(client)
    for title in ("First", "Second", "Third"):
        await _post(client, owner, title=title)
    page = await client.get(
        "/communities/python-guild/posts?limit=3&limit=1&sort=new", headers=owner.headers
    )
    assert page.status_code == 200, page.text
    assert [p["title"] for p in page.json()["items"]] == ["Third"]
    body = assert_problem(
        await client.get("/communities/python-guild/posts?utm_source=mail", headers=owner.headers),
        422,
    )
    assert [error["loc"] for error in body["errors"]] == [["query", "utm_source"]]
    feed = await client.get("/feed?limit=2&ref=home", headers=owner.headers)
    assert_problem(feed, 422)


async def test_who_may_post(client):
    owner, member = await _setup(client)
    outsider = await register(client)
    assert_problem(
        await client.post(
            "/communities/python-guild/posts", json={"title": "x"}, headers=outsider.headers
        ),
        403,
    )
    await client.delete("/communities/python-guild", headers=owner.headers)
    assert_problem(
        await client.post(
            "/communities/python-guild/posts", json={"title": "x"}, headers=member.headers
        ),
        409,
    )


async def test_private_posts_are_invisible_to_outsiders(client):
    _, member = await _setup(client, visibility="private")
    post = await _post(client, member)
    outsider = await register(client)
    hidden = await client.get(f"/posts/{post['id']}", headers=outsider.headers)
    assert_problem(hidden, 404)
    for method, path, body in [
        ("GET", f"/posts/{post['id']}/comments", None),
        ("POST", f"/posts/{post['id']}/comments", {"body": "hi"}),
        ("PUT", f"/posts/{post['id']}/reactions/like", None),
        ("POST", f"/posts/{post['id']}/reports", {"reason": "spam"}),
        ("GET", "/communities/python-guild/posts", None),
    ]:
        assert_problem(await client.request(method, path, json=body, headers=outsider.headers), 404)
    feed = (await client.get("/feed", headers=outsider.headers)).json()
    assert feed["items"] == []


async def test_an_invitation_shows_the_community_but_none_of_its_content(client):
    """An invitee sees a private community's name and purpose and may join; its posts, comments,
    members, stats and audit log stay as hidden as from any outsider, on every read path (a
    signed-in session confirms its caller in the read's own statement, a personal token does
    not), and in agreement with search and the feed."""
    owner, member = await _setup(client, visibility="private")
    post = await _post(client, member, title="Hushed profiling", tags=["python"])
    answer = await client.post(
        f"/posts/{post['id']}/comments", json={"body": "py-spy"}, headers=owner.headers
    )
    assert answer.status_code == 201, answer.text
    invitee = await register(client)
    invited = await client.post(
        "/communities/python-guild/invitations",
        json={"handle": invitee.handle},
        headers=owner.headers,
    )
    assert invited.status_code == 201, invited.text
    token = await client.post(
        "/me/tokens", json={"name": "cli", "scopes": ["read", "write"]}, headers=invitee.headers
    )
    assert token.status_code == 201, token.text
    personal = {"Authorization": f"Bearer {token.json()['token']}"}
    hidden = [
        ("GET", "/communities/python-guild/posts", None),
        ("GET", "/communities/python-guild/posts?tag=python", None),
        ("GET", "/communities/python-guild/posts?tag=no-such-skill", None),
        ("GET", "/communities/python-guild/posts?sort=top&kind=question", None),
        ("GET", f"/posts/{post['id']}", None),
        ("GET", f"/posts/{post['id']}/comments", None),
        ("GET", "/communities/python-guild/stats", None),
        ("GET", "/communities/python-guild/members", None),
        ("GET", "/communities/python-guild/audit-log", None),
        ("GET", "/search/posts?q=profiling&community=python-guild", None),
        ("POST", "/communities/python-guild/posts", {"title": "Let me in"}),
        ("POST", f"/posts/{post['id']}/comments", {"body": "hi"}),
        ("PUT", f"/posts/{post['id']}/reactions/like", None),
        ("PUT", f"/comments/{answer.json()['id']}/reactions/like", None),
        ("POST", f"/posts/{post['id']}/reports", {"reason": "spam"}),
    ]
    for headers in (invitee.headers, personal):
        community = await client.get("/communities/python-guild", headers=headers)
        assert community.status_code == 200, community.text
        assert community.json()["invited"] is True
        assert community.json()["my_permissions"] == []
        for method, path, body in hidden:
            response = await client.request(method, path, json=body, headers=headers)
            assert_problem(response, 404)
        found = await client.get("/search/posts?q=profiling", headers=headers)
        assert found.json()["items"] == []
        assert (await client.get("/feed", headers=headers)).json()["items"] == []
    # Joining opens everything.
    assert (await join(client, invitee, "python-guild")).status_code == 201
    for method, path, _ in hidden[:10]:
        response = await client.request(method, path, headers=invitee.headers)
        assert response.status_code == 200, (path, response.text)


async def test_posts_list_tells_a_missing_community_from_an_empty_one(client):
    owner, _ = await _setup(client)
    empty = await client.get("/communities/python-guild/posts", headers=owner.headers)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {"items": [], "next_cursor": None}
    missing = await client.get("/communities/no-such-guild/posts", headers=owner.headers)
    assert_problem(missing, 404)
    # Slugs are case-insensitive, here as everywhere else.
    shouting = await client.get("/communities/PYTHON-GUILD/posts", headers=owner.headers)
    assert shouting.status_code == 200, shouting.text


async def test_thread_of_a_missing_or_deleted_post_is_404_and_an_empty_thread_is_empty(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    empty = await client.get(f"/posts/{post['id']}/comments", headers=owner.headers)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {"items": [], "next_cursor": None}
    missing = "/posts/00000000-0000-4000-8000-000000000000/comments"
    assert_problem(await client.get(missing, headers=owner.headers), 404)
    await client.post(f"/posts/{post['id']}/comments", json={"body": "a"}, headers=owner.headers)
    assert (await client.delete(f"/posts/{post['id']}", headers=member.headers)).status_code == 204
    gone = await client.get(f"/posts/{post['id']}/comments", headers=owner.headers)
    assert_problem(gone, 404)


async def test_private_posts_list_is_404_for_outsiders_with_any_filter(client):
    _, member = await _setup(client, visibility="private")
    post = await _post(client, member, tags=["Python"])
    outsider = await register(client)
    for query in (
        "",
        "?tag=python",
        "?tag=no-such-skill",
        "?sort=top&kind=question",
        "?pinned=false",
    ):
        path = f"/communities/python-guild/posts{query}"
        assert_problem(await client.get(path, headers=outsider.headers), 404)
    seen = await client.get("/communities/python-guild/posts?tag=python", headers=member.headers)
    assert [item["id"] for item in seen.json()["items"]] == [post["id"]]
    # The item carries the community it was asked for, under its own name.
    assert seen.json()["items"][0]["community"] == {"slug": "python-guild", "name": "Python Guild"}


async def test_edit_with_if_match_and_roles(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    url = f"/posts/{post['id']}"
    edited = await client.patch(
        url,
        json={"title": "How do I profile asyncio code?"},
        headers={**member.headers, "If-Match": '"v1"'},
    )
    assert edited.status_code == 200 and edited.headers["etag"].startswith('"v2.')
    stale = await client.patch(
        url, json={"title": "Lost"}, headers={**member.headers, "If-Match": '"v1"'}
    )
    assert_problem(stale, 412)
    assert_problem(await client.patch(url, json={"title": "Hijack"}, headers=owner.headers), 403)
    assert_problem(await client.patch(url, json={"is_pinned": True}, headers=member.headers), 403)
    pinned = await client.patch(
        url, json={"is_pinned": True, "is_locked": True}, headers=owner.headers
    )
    assert pinned.json()["is_pinned"] and pinned.json()["is_locked"]
    assert_problem(
        await client.post(f"{url}/comments", json={"body": "late"}, headers=member.headers), 409
    )
    log = (await client.get("/communities/python-guild/audit-log", headers=member.headers)).json()
    assert {"post_pinned", "post_locked"} <= {e["action"] for e in log["items"]}


async def test_comments_replies_and_accepted_answer(client):
    owner, member = await _setup(client)
    other = await register(client)
    await join(client, other, "python-guild")
    question = await _post(client, owner)
    url = f"/posts/{question['id']}"
    answer = (
        await client.post(f"{url}/comments", json={"body": "Use py-spy."}, headers=member.headers)
    ).json()
    reply = await client.post(
        f"{url}/comments", json={"body": "+1", "parent_id": answer["id"]}, headers=other.headers
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == answer["id"]
    nested = await client.post(
        f"{url}/comments",
        json={"body": "no", "parent_id": reply.json()["id"]},
        headers=owner.headers,
    )
    assert_problem(nested, 422)
    other_post = await _post(client, member, title="Another question")
    foreign = await client.post(
        f"/posts/{other_post['id']}/comments",
        json={"body": "x", "parent_id": answer["id"]},
        headers=owner.headers,
    )
    assert_problem(foreign, 422)
    assert_problem(
        await client.put(
            f"{url}/accepted-answer", json={"comment_id": answer["id"]}, headers=other.headers
        ),
        403,
    )
    wrong = await client.put(
        f"/posts/{other_post['id']}/accepted-answer",
        json={"comment_id": answer["id"]},
        headers=member.headers,
    )
    assert_problem(wrong, 422)
    read = await client.get(url, headers=owner.headers)
    # An edit made elsewhere (another tab) since this read: its If-Match is stale.
    edited = await client.patch(url, json={"title": "Why slow? (edited)"}, headers=owner.headers)
    assert edited.status_code == 200, edited.text
    stale = await client.put(
        f"{url}/accepted-answer",
        json={"comment_id": answer["id"]},
        headers={**owner.headers, "If-Match": read.headers["etag"]},
    )
    assert_problem(stale, 412)
    accepted = await client.put(
        f"{url}/accepted-answer",
        json={"comment_id": answer["id"]},
        headers={**owner.headers, "If-Match": edited.headers["etag"]},
    )
    assert accepted.status_code == 200 and accepted.json()["accepted_comment_id"] == answer["id"]
    assert accepted.headers["etag"] != edited.headers["etag"]
    comments = (await client.get(f"{url}/comments", headers=other.headers)).json()["items"]
    assert [c["body"] for c in comments] == ["Use py-spy.", "+1"]
    assert [c["is_accepted"] for c in comments] == [True, False]
    post = (await client.get(url, headers=other.headers)).json()
    assert post["comment_count"] == 2
    discussion = await _post(client, owner, kind="discussion", title="Chat")
    answer2 = (
        await client.post(
            f"/posts/{discussion['id']}/comments", json={"body": "a"}, headers=member.headers
        )
    ).json()
    not_question = await client.put(
        f"/posts/{discussion['id']}/accepted-answer",
        json={"comment_id": answer2["id"]},
        headers=owner.headers,
    )
    assert_problem(not_question, 409)
    unanswered = (
        await client.get("/communities/python-guild/posts?sort=unanswered", headers=owner.headers)
    ).json()["items"]
    assert [p["title"] for p in unanswered] == ["Another question"]


async def test_reactions_are_idempotent_and_never_on_own_content(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    url = f"/posts/{post['id']}/reactions"
    assert_problem(await client.put(f"{url}/like", headers=member.headers), 403)
    for _ in range(2):
        assert (await client.put(f"{url}/helpful", headers=owner.headers)).status_code == 204
    got = (await client.get(f"/posts/{post['id']}", headers=owner.headers)).json()
    assert got["reactions"] == {"like": 0, "helpful": 1, "insightful": 0}
    assert got["my_reactions"] == ["helpful"] and got["score"] == 3
    for _ in range(2):
        assert (await client.delete(f"{url}/helpful", headers=owner.headers)).status_code == 204
    got = (await client.get(f"/posts/{post['id']}", headers=owner.headers)).json()
    assert got["reactions"]["helpful"] == 0 and got["score"] == 0
    assert_problem(await client.put(f"{url}/love", headers=owner.headers), 422)


async def test_concurrent_reactions_keep_exact_counts(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    fans = [await register(client) for _ in range(6)]
    for fan in fans:
        await join(client, fan, "python-guild")
    responses = await asyncio.gather(
        *(client.put(f"/posts/{post['id']}/reactions/like", headers=f.headers) for f in fans),
        *(client.put(f"/posts/{post['id']}/reactions/like", headers=f.headers) for f in fans),
    )
    assert all(r.status_code == 204 for r in responses)
    got = (await client.get(f"/posts/{post['id']}", headers=owner.headers)).json()
    assert got["reactions"]["like"] == 6 and got["score"] == 6


async def test_sorts_and_filters(client):
    owner, member = await _setup(client)
    first = await _post(client, member, title="First", kind="discussion", tags=["SQL"])
    second = await _post(client, member, title="Second", kind="question", tags=["python"])
    third = await _post(client, member, title="Third", kind="resource", tags=["sql"])
    await client.put(f"/posts/{first['id']}/reactions/helpful", headers=owner.headers)
    await client.post(
        f"/posts/{second['id']}/comments", json={"body": "bump"}, headers=owner.headers
    )
    await client.patch(f"/posts/{third['id']}", json={"is_pinned": True}, headers=owner.headers)
    base = "/communities/python-guild/posts"

    async def titles(query):
        response = await client.get(f"{base}?{query}", headers=owner.headers)
        assert response.status_code == 200, response.text
        return [p["title"] for p in response.json()["items"]]

    assert await titles("sort=new") == ["Third", "Second", "First"]
    assert (
        await titles("sort=top") == ["First", "Third", "Second"]
        or (await titles("sort=top"))[0] == "First"
    )
    assert (await titles("sort=active"))[0] == "Second"
    assert await titles("kind=resource") == ["Third"]
    assert await titles("tag=SQL") == ["Third", "First"]
    assert await titles("tag=nothing-like-this") == []
    assert await titles("pinned=true") == ["Third"]
    page = (await client.get(f"{base}?limit=2", headers=owner.headers)).json()
    rest = (
        await client.get(f"{base}?limit=2&cursor={page['next_cursor']}", headers=owner.headers)
    ).json()
    assert [p["title"] for p in page["items"] + rest["items"]] == ["Third", "Second", "First"]


async def test_pagination_neither_skips_nor_repeats_under_inserts(client):
    owner, member = await _setup(client)
    for i in range(5):
        await _post(client, member, title=f"Post {i}", kind="discussion")
    seen = []
    page = (
        await client.get("/communities/python-guild/posts?limit=2", headers=owner.headers)
    ).json()
    seen += [p["title"] for p in page["items"]]
    await _post(client, member, title="Inserted meanwhile", kind="discussion")
    while page["next_cursor"]:
        page = (
            await client.get(
                f"/communities/python-guild/posts?limit=2&cursor={page['next_cursor']}",
                headers=owner.headers,
            )
        ).json()
        seen += [p["title"] for p in page["items"]]
    assert seen == [f"Post {i}" for i in range(4, -1, -1)]


async def test_thread_pages_oldest_first_without_skips_or_repeats(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    url = f"/posts/{post['id']}/comments"
    for i in range(5):
        await client.post(url, json={"body": f"c{i}"}, headers=owner.headers)
    page = (await client.get(f"{url}?limit=2", headers=member.headers)).json()
    seen = [c["body"] for c in page["items"]]
    await client.post(url, json={"body": "later"}, headers=owner.headers)
    while page["next_cursor"]:
        page = (
            await client.get(f"{url}?limit=2&cursor={page['next_cursor']}", headers=member.headers)
        ).json()
        assert len(page["items"]) <= 2
        seen += [c["body"] for c in page["items"]]
    # Oldest first, so the comment written meanwhile comes last rather than being lost.
    assert seen == ["c0", "c1", "c2", "c3", "c4", "later"]


async def test_delete_is_soft_and_then_404(client):
    owner, member = await _setup(client)
    post = await _post(client, member)
    other = await register(client)
    await join(client, other, "python-guild")
    assert_problem(await client.delete(f"/posts/{post['id']}", headers=other.headers), 403)
    assert (await client.delete(f"/posts/{post['id']}", headers=member.headers)).status_code == 204
    assert_problem(await client.get(f"/posts/{post['id']}", headers=member.headers), 404)
    listed = (await client.get("/communities/python-guild/posts", headers=owner.headers)).json()
    assert listed["items"] == []


async def test_comment_edit_and_delete(client):
    owner, member = await _setup(client)
    post = await _post(client, owner)
    comment = (
        await client.post(
            f"/posts/{post['id']}/comments", json={"body": "v1"}, headers=member.headers
        )
    ).json()
    assert_problem(
        await client.patch(f"/comments/{comment['id']}", json={"body": "x"}, headers=owner.headers),
        403,
    )
    edited = await client.patch(
        f"/comments/{comment['id']}", json={"body": "**v2**"}, headers=member.headers
    )
    assert edited.json()["body_html"].startswith("<p><strong>v2")
    assert (
        await client.put(f"/comments/{comment['id']}/reactions/insightful", headers=owner.headers)
    ).status_code == 204
    assert_problem(
        await client.put(f"/comments/{comment['id']}/reactions/like", headers=member.headers), 403
    )
    assert (
        await client.delete(f"/comments/{comment['id']}", headers=owner.headers)
    ).status_code == 204
    assert (await client.get(f"/posts/{post['id']}/comments", headers=owner.headers)).json()[
        "items"
    ] == []
    assert (await client.get(f"/posts/{post['id']}", headers=owner.headers)).json()[
        "comment_count"
    ] == 0


async def test_reports_queue_and_resolution(client):
    owner, member = await _setup(client)
    spammer = await register(client, "Sam Spammer")
    await join(client, spammer, "python-guild")
    spam = await _post(client, spammer, title="Buy cheap watches", kind="discussion")
    filed = await client.post(
        f"/posts/{spam['id']}/reports",
        json={"reason": "spam", "detail": "ad"},
        headers=member.headers,
    )
    assert filed.status_code == 201
    assert_problem(
        await client.get("/communities/python-guild/reports", headers=member.headers), 403
    )
    queue = (await client.get("/communities/python-guild/reports", headers=owner.headers)).json()[
        "items"
    ]
    assert len(queue) == 1 and queue[0]["excerpt"] == "Buy cheap watches"
    assert "reporter" not in str(queue[0]) and member.id not in str(queue[0])
    report_id = queue[0]["id"]
    assert_problem(
        await client.post(
            f"/reports/{report_id}/resolve", json={"action": "dismiss"}, headers=member.headers
        ),
        403,
    )
    resolved = await client.post(
        f"/reports/{report_id}/resolve",
        json={"action": "remove_content", "note": "advertising"},
        headers=owner.headers,
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert_problem(await client.get(f"/posts/{spam['id']}", headers=owner.headers), 404)
    assert_problem(
        await client.post(
            f"/reports/{report_id}/resolve", json={"action": "dismiss"}, headers=owner.headers
        ),
        409,
    )
    log = (await client.get("/communities/python-guild/audit-log", headers=spammer.headers)).json()
    entry = next(e for e in log["items"] if e["action"] == "report_resolved")
    assert "advertising" in entry["note"] and member.handle not in str(log)


async def test_feed_has_my_communities_and_public_posts_on_my_learning_goals(client):
    owner, member = await _setup(client)
    learner = await register(client, "Lee Learner")
    await create_community(client, owner, "Data Folk")
    await _post(client, owner, title="Python in my guild")
    response = await client.post(
        "/communities/data-folk/posts",
        json={"title": "Window functions", "tags": ["SQL"]},
        headers=owner.headers,
    )
    assert response.status_code == 201
    assert (await client.get("/feed", headers=learner.headers)).json()["items"] == []
    goal = await client.post(
        "/me/learning-goals", json={"skill": "sql", "target_level": 3}, headers=learner.headers
    )
    assert goal.status_code == 201, goal.text
    feed = (await client.get("/feed", headers=learner.headers)).json()["items"]
    assert [p["title"] for p in feed] == ["Window functions"]
    mine = (await client.get("/feed", headers=member.headers)).json()["items"]
    assert [p["title"] for p in mine] == ["Python in my guild"]


async def test_feed_sorts_page_through_every_post_once(client):
    owner, member = await _setup(client)
    first = await _post(client, member, title="First")
    second = await _post(client, member, title="Second")
    third = await _post(client, member, title="Third")
    await client.put(f"/posts/{first['id']}/reactions/helpful", headers=owner.headers)
    await client.put(f"/posts/{third['id']}/reactions/like", headers=owner.headers)
    comment = await client.post(
        f"/posts/{second['id']}/comments", json={"body": "bump"}, headers=owner.headers
    )
    assert comment.status_code == 201

    async def pages(sort):
        titles, cursor = [], None
        for _ in range(5):
            query = f"/feed?sort={sort}&limit=1" + (f"&cursor={cursor}" if cursor else "")
            response = await client.get(query, headers=member.headers)
            assert response.status_code == 200, response.text
            body = response.json()
            titles += [post["title"] for post in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                return titles
        raise AssertionError(f"the {sort} feed did not end: {titles}")

    assert await pages("new") == ["Third", "Second", "First"]
    assert await pages("top") == ["First", "Third", "Second"]  # helpful 3, like 1
    assert await pages("active") == ["Second", "Third", "First"]  # the comment bumped it


async def test_stats_count_real_content(client):
    owner, member = await _setup(client)
    question = await _post(client, member)
    answer = (
        await client.post(
            f"/posts/{question['id']}/comments", json={"body": "a"}, headers=owner.headers
        )
    ).json()
    await client.put(
        f"/posts/{question['id']}/accepted-answer",
        json={"comment_id": answer["id"]},
        headers=member.headers,
    )
    await _post(client, member, kind="discussion", title="Chat")
    stats = (await client.get("/communities/python-guild/stats", headers=owner.headers)).json()
    assert stats["posts_30d"] == 2 and stats["questions_30d"] == 1
    assert stats["answered_ratio"] == 1.0
    assert stats["median_first_response_minutes"] is not None
    assert stats["contributors_30d"] == 2 and stats["active_members_30d"] == 2


async def test_mentions_are_stored_and_notified(app, client):
    owner, member = await _setup(client)
    await _post(client, member, title="Ping", body=f"@{owner.handle} what do you think?")
    async with app.state.engine.connect() as connection:
        rows = (
            await connection.exec_driver_sql("SELECT kind FROM notification WHERE kind = 'mention'")
        ).all()
        mentions = (await connection.exec_driver_sql("SELECT count(*) FROM post_mention")).scalar()
    assert len(rows) == 1 and mentions == 1


async def test_post_lists_run_constant_queries(client, count_statements):
    owner, member = await _setup(client)
    for i in range(6):
        post = await _post(client, member, title=f"Q{i}")
        await client.post(
            f"/posts/{post['id']}/comments", json={"body": "c"}, headers=owner.headers
        )
    counts = {}
    for limit in (1, 3, 20, 50):
        for name, path in [
            ("posts", "/communities/python-guild/posts"),
            ("feed", "/feed"),
            ("comments", f"/posts/{post['id']}/comments"),
        ]:
            count_statements.statements.clear()
            assert (
                await client.get(f"{path}?limit={limit}", headers=owner.headers)
            ).status_code == 200
            counts[(name, limit)] = count_statements.count
    for name in ("posts", "feed", "comments"):
        assert counts[(name, 1)] == counts[(name, 3)] == counts[(name, 50)], counts
    # The caller's account (read before anything else), then the community with the caller's
    # membership and the page with the caller's own reactions in one statement.
    assert counts[("posts", 20)] == 2, count_statements.statements
    assert counts[("feed", 20)] == 2, count_statements.statements
    # The caller's account, then the post, its community and the caller's membership, followed
    # by the page of its thread.
    assert counts[("comments", 20)] == 2, count_statements.statements
    count_statements.statements.clear()
    assert (await client.get(f"/posts/{post['id']}", headers=owner.headers)).status_code == 200
    assert count_statements.count == 2, count_statements.statements
    # The account, the tag, then the page.
    count_statements.statements.clear()
    tagged = await client.get("/communities/python-guild/posts?tag=python", headers=owner.headers)
    assert len(tagged.json()["items"]) == 6
    assert count_statements.count == 3, count_statements.statements


def _caller_reads(post_id: str) -> list[str]:
    """The busiest reads, each also for something that does not exist."""
    return [
        "/communities/python-guild/posts",
        "/communities/python-guild/posts?sort=top&kind=question",
        "/communities/no-such-guild/posts",
        "/feed",
        f"/posts/{post_id}",
        "/posts/00000000-0000-4000-8000-000000000000",
        f"/posts/{post_id}/comments",
        "/posts/00000000-0000-4000-8000-000000000000/comments",
    ]


async def test_the_busiest_reads_refuse_an_account_that_no_longer_accepts_the_token(app, client):
    """An account that is deactivated or signed out everywhere is refused on the posts page,
    feed, a post and its thread, before anything is told about what was asked for."""
    owner, member = await _setup(client)
    post = await _post(client, member)
    reads = _caller_reads(post["id"])
    for path in reads:
        expected = 404 if "no-such" in path or "00000000" in path else 200
        assert (await client.get(path, headers=member.headers)).status_code == expected, path

    # Signed out everywhere (a password change bumps the account's token version).
    changed = await client.post(
        "/me/password",
        json={"current_password": PASSWORD, "new_password": "a-brand-new-secret"},
        headers=member.headers,
    )
    assert changed.status_code == 204
    for path in [*reads, "/communities/python-guild/posts?tag=python"]:
        assert_problem(await client.get(path, headers=member.headers), 401)

    # Deactivated.
    async with app.state.engine.begin() as connection:
        await connection.exec_driver_sql(
            f"UPDATE user_account SET is_active = false WHERE handle = '{owner.handle}'"
        )
    for path in [*reads, "/communities/python-guild/posts?tag=python"]:
        assert_problem(await client.get(path, headers=owner.headers), 401)


async def test_the_busiest_reads_honour_personal_token_scopes(client):
    _owner, member = await _setup(client)
    post = await _post(client, member)
    tokens = {}
    for scopes in (["read"], ["write"]):
        created = await client.post(
            "/me/tokens", json={"name": scopes[0], "scopes": scopes}, headers=member.headers
        )
        tokens[scopes[0]] = created.json()
    reader = {"Authorization": f"Bearer {tokens['read']['token']}"}
    writer = {"Authorization": f"Bearer {tokens['write']['token']}"}
    reads = _caller_reads(post["id"])
    for path in reads:
        expected = 404 if "no-such" in path or "00000000" in path else 200
        assert (await client.get(path, headers=reader)).status_code == expected, path
        assert_problem(await client.get(path, headers=writer), 403)
    listed = await client.get("/communities/python-guild/posts", headers=reader)
    assert [item["id"] for item in listed.json()["items"]] == [post["id"]]
    revoked = await client.delete(f"/me/tokens/{tokens['read']['id']}", headers=member.headers)
    assert revoked.status_code == 204
    for path in reads:
        assert_problem(await client.get(path, headers=reader), 401)


async def test_a_comment_edit_reads_the_comment_and_its_post_once(client, count_statements):
    owner, member = await _setup(client)
    post = await _post(client, member)
    created = await client.post(
        f"/posts/{post['id']}/comments", json={"body": "c"}, headers=owner.headers
    )
    comment = created.json()
    assert (
        await client.put(f"/comments/{comment['id']}/reactions/like", headers=member.headers)
    ).status_code == 204
    count_statements.statements.clear()
    edited = await client.patch(
        f"/comments/{comment['id']}", json={"body": "v2"}, headers=owner.headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["reactions"]["like"] == 1 and edited.json()["my_reactions"] == []
    # The caller; the comment with the caller's own reactions; its post with the community and
    # the caller's membership; the update.
    assert count_statements.count == 4, count_statements.statements


async def test_a_search_page_is_two_statements_with_the_callers_reactions(client, count_statements):
    owner, member = await _setup(client)
    posts = [await _post(client, member, title=f"Profiling asyncio, part {i}") for i in range(3)]
    for post in posts[:2]:
        url = f"/posts/{post['id']}/reactions/helpful"
        assert (await client.put(url, headers=owner.headers)).status_code == 204
    count_statements.statements.clear()
    found = await client.get("/search/posts?q=profiling", headers=owner.headers)
    assert found.status_code == 200, found.text
    mine = {hit["id"]: hit["my_reactions"] for hit in found.json()["items"]}
    assert mine == {posts[0]["id"]: ["helpful"], posts[1]["id"]: ["helpful"], posts[2]["id"]: []}
    # The caller; the ranked page, whose rows are the posts with the caller's own reactions.
    assert count_statements.count == 2, count_statements.statements


async def test_merging_skills_moves_post_tags(client):
    admin, member = await _setup(client)  # the first account is the administrator
    both = await _post(client, member, title="Both", tags=["Postgres", "PostgreSQL Tuning"])
    only = await _post(client, member, title="Only", tags=["PostgreSQL Tuning"])
    merged = await client.post(
        "/skills/postgresql-tuning/merge", json={"into": "postgres"}, headers=admin.headers
    )
    assert merged.status_code == 200, merged.text
    tagged = (
        await client.get("/communities/python-guild/posts?tag=postgres", headers=admin.headers)
    ).json()["items"]
    assert {p["id"] for p in tagged} == {both["id"], only["id"]}


async def test_search_finds_visible_posts_with_snippets(client):
    owner, member = await _setup(client)
    await _post(
        client, member, title="Profiling asyncio services", body="Use py-spy <script>x</script>"
    )
    await _post(client, member, title="Unrelated", body="We discussed profiling once.")
    await create_community(client, owner, "Secret", visibility="private", join_policy="invite")
    hidden = await client.post(
        "/communities/secret/posts", json={"title": "Profiling secrets"}, headers=owner.headers
    )
    assert hidden.status_code == 201
    outsider = await register(client)
    found = await client.get("/search/posts?q=profiling", headers=outsider.headers)
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert [p["title"] for p in items] == ["Profiling asyncio services", "Unrelated"]
    assert all("<script" not in p["snippet"] for p in items)
    assert "<mark>" in items[1]["snippet"]
    mine = (await client.get("/search/posts?q=profiling", headers=owner.headers)).json()["items"]
    assert "Profiling secrets" in [p["title"] for p in mine]
    assert_problem(await client.get("/search/posts?q=%20", headers=owner.headers), 422)
    odd = await client.get("/search/posts?q=%22unclosed%20NEAR(%20-*", headers=owner.headers)
    assert odd.status_code == 200
    scoped = await client.get(
        "/search/posts?q=profiling&community=secret", headers=outsider.headers
    )
    assert_problem(scoped, 404)
