"""Mentions link to the person, and the composer's preview renders exactly what saving will."""

from __future__ import annotations

from tests.api.test_posts import XSS, _post, _setup
from tests.helpers import assert_problem, assert_safe_html


async def test_a_mention_of_someone_who_exists_links_to_their_profile(client):
    owner, member = await _setup(client)
    post = await _post(
        client,
        member,
        title="Ping",
        body=f"@{owner.handle} and @nobody-here, see `@{owner.handle}`",
    )
    html = post["body_html"]
    assert f'<a href="/people/{owner.handle}" class="mention"' in html
    assert f">@{owner.handle}</a>" in html
    # Someone who does not exist, and a mention inside code, stay text.
    assert "@nobody-here" in html and 'href="/people/nobody-here"' not in html
    assert f"<code>@{owner.handle}</code>" in html


async def test_a_comment_and_an_edit_link_mentions_too(client):
    owner, member = await _setup(client)
    post = await _post(client, member, body="no mention yet")
    comment = await client.post(
        f"/posts/{post['id']}/comments",
        json={"body": f"Thanks @{member.handle}"},
        headers=owner.headers,
    )
    assert comment.status_code == 201
    assert f'href="/people/{member.handle}"' in comment.json()["body_html"]
    edited = await client.patch(
        f"/posts/{post['id']}", json={"body": f"cc @{owner.handle}"}, headers=member.headers
    )
    assert edited.status_code == 200
    assert f'href="/people/{owner.handle}"' in edited.json()["body_html"]


async def test_the_preview_is_the_saved_rendering(client):
    owner, member = await _setup(client)
    body = f"**Bold** @{owner.handle} {XSS}"
    preview = await client.post("/markdown/preview", json={"body": body}, headers=member.headers)
    assert preview.status_code == 200, preview.text
    saved = await _post(client, member, body=body)
    assert preview.json()["html"] == saved["body_html"]
    assert "<strong>Bold</strong>" in preview.json()["html"]
    assert_safe_html(preview.json()["html"])


async def test_the_preview_needs_a_session_and_a_body_of_the_allowed_size(client):
    owner, _ = await _setup(client)
    assert_problem(await client.post("/markdown/preview", json={"body": "hi"}), 401)
    too_long = await client.post(
        "/markdown/preview", json={"body": "x" * 50_001}, headers=owner.headers
    )
    assert_problem(too_long, 422)
    extra = await client.post(
        "/markdown/preview", json={"body": "x", "html": "<b>"}, headers=owner.headers
    )
    assert_problem(extra, 422)
