"""Uploads: typed by their bytes, cleaned, attached to posts and comments, and readable by
exactly those who may see what they are attached to."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any
from urllib.parse import unquote

from PIL import Image

from tests.communities_helpers import create_community, join
from tests.helpers import Account, assert_problem, register
from tests.uploads_helpers import (
    GPS_IFD,
    HTML,
    PDF,
    SVG,
    animated_gif,
    docx,
    jpeg_with_location,
    odt,
    png,
    upload,
    uploaded,
)


async def _post(client, who: Account, slug: str, **fields: Any) -> Any:
    body = {"title": "Runbook diagrams", "body": "See the picture.", **fields}
    response = await client.post(f"/communities/{slug}/posts", json=body, headers=who.headers)
    return response


async def test_an_image_upload_answers_201_with_its_urls_and_serves_it_safely(client):
    ada = await register(client)
    response = await upload(client, ada, png(), "diagram.png", "image/png")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["content_type"] == "image/png"
    assert body["filename"] == "diagram.png"
    assert body["url"] == f"/api/v1/uploads/{body['id']}"
    assert body["thumbnail_url"] == f"/api/v1/uploads/{body['id']}/thumbnail"
    assert response.headers["location"] == body["url"]

    served = await client.get(f"/uploads/{body['id']}", headers=ada.headers)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert served.headers["content-disposition"].startswith('inline; filename="diagram.png"')
    assert int(served.headers["content-length"]) == body["size"] == len(served.content)
    assert Image.open(io.BytesIO(served.content)).size == (64, 48)

    thumb = await client.get(f"/uploads/{body['id']}/thumbnail", headers=ada.headers)
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"
    assert thumb.headers["x-content-type-options"] == "nosniff"
    assert thumb.headers["content-disposition"].startswith(
        'inline; filename="diagram.thumbnail.webp"'
    )
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320


async def test_photos_lose_their_exif_and_comments(client):
    ada = await register(client)
    original = jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test is real
    body = await uploaded(client, ada, original, "holiday.jpg")
    served = await client.get(body["url"].removeprefix("/api/v1"), headers=ada.headers)
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Leaky Camera" not in served.content and b"secret comment" not in served.content


async def test_animated_gifs_keep_their_frames(client):
    ada = await register(client)
    body = await uploaded(client, ada, animated_gif(), "wave.gif")
    served = await client.get(body["url"].removeprefix("/api/v1"), headers=ada.headers)
    assert body["content_type"] == "image/gif"
    assert getattr(Image.open(io.BytesIO(served.content)), "n_frames", 1) == 3


async def test_documents_are_typed_by_their_bytes_and_downloaded_as_attachments(client):
    ada = await register(client)
    cases = [
        (PDF, "report.pdf", "application/pdf"),
        (b"name,level\nada,5\n", "skills.csv", "text/csv"),
        ("Notes in UTF-8: café\n".encode(), "notes.txt", "text/plain"),
        (
            docx(),
            "plan.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt(), "plan.odt", "application/vnd.oasis.opendocument.text"),
    ]
    for data, name, content_type in cases:
        body = await uploaded(client, ada, data, name)
        assert body["content_type"] == content_type, name
        assert body["thumbnail_url"] is None
        served = await client.get(body["url"].removeprefix("/api/v1"), headers=ada.headers)
        assert served.content == data
        assert served.headers["content-disposition"].startswith(f'attachment; filename="{name}"')
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    text = await uploaded(client, ada, b"plain", "a.txt")
    served = await client.get(text["url"].removeprefix("/api/v1"), headers=ada.headers)
    assert served.headers["content-type"] == "text/plain; charset=utf-8"


async def test_names_are_safe_in_the_content_disposition_header(client):
    ada = await register(client)
    body = await uploaded(client, ada, PDF, 'Bericht "Q3"\r\nX-Evil: 1 - Übersicht.pdf')
    served = await client.get(body["url"].removeprefix("/api/v1"), headers=ada.headers)
    disposition = served.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    fallback = re.fullmatch(
        r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)', disposition
    )
    assert fallback is not None, disposition
    assert fallback.group(1).startswith("Bericht ") and fallback.group(1).endswith("bersicht.pdf")
    assert fallback.group(1).isascii() and ":" not in fallback.group(1)
    assert unquote(fallback.group(2)).endswith("Übersicht.pdf")  # the exact name keeps its letters
    assert body["filename"] == unquote(fallback.group(2))


async def test_the_name_and_claimed_type_decide_nothing(client):
    ada = await register(client)
    # A PNG that claims to be a web page is a PNG, and is saved under a PNG's name.
    body = await uploaded(client, ada, png(), "../../evil page.html")
    assert body["content_type"] == "image/png"
    assert body["filename"] == "evil page.png"
    # A web page that claims to be a PNG is refused.
    response = await upload(client, ada, HTML, "innocent.png", "image/png")
    assert_problem(response, 415)


async def test_svg_html_and_unknown_files_are_refused_with_415(client):
    ada = await register(client)
    for data, name in [
        (SVG, "logo.svg"),
        (HTML, "page.html"),
        (b"<?xml version='1.0'?><svg/>", "x.xml"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "program"),
        (b"PK\x03\x04not really a zip", "archive.zip"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png"),
    ]:
        response = await upload(client, ada, data, name)
        assert_problem(response, 415)


async def test_uploads_need_a_signed_in_caller_and_a_multipart_body(client):
    response = await client.post("/uploads", files={"file": ("a.png", png(), "image/png")})
    assert_problem(response, 401)
    ada = await register(client)
    response = await client.post("/uploads", json={"file": "x"}, headers=ada.headers)
    assert_problem(response, 415)
    response = await client.post(
        "/uploads", files={"other": ("a.png", png(), "image/png")}, headers=ada.headers
    )
    assert_problem(response, 422)


async def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(client):
    ada = await register(client)
    response = await upload(client, ada, png((9000, 9000), "white", "1"), "bomb.png")
    assert_problem(response, 413)


async def test_an_unattached_upload_is_only_its_uploaders(client):
    ada, bob = await register(client), await register(client)
    body = await uploaded(client, ada, png(), "draft.png")
    path = body["url"].removeprefix("/api/v1")
    assert (await client.get(path, headers=ada.headers)).status_code == 200
    assert_problem(await client.get(path, headers=bob.headers), 404)
    assert_problem(await client.get(f"{path}/thumbnail", headers=bob.headers), 404)
    assert_problem(await client.get(path), 401)
    assert_problem(await client.get(f"/uploads/{uuid.uuid4()}", headers=ada.headers), 404)


async def test_a_post_shows_its_attachments_and_they_follow_its_visibility(client):
    ada, member, outsider = await register(client), await register(client), await register(client)
    community = await create_community(
        client, ada, "Secret Guild", visibility="private", join_policy="invite"
    )
    slug = community["slug"]
    invite = await client.post(
        f"/communities/{slug}/invitations", json={"handle": member.handle}, headers=ada.headers
    )
    assert invite.status_code == 201, invite.text
    assert (await join(client, member, slug)).status_code == 201
    image = await uploaded(client, ada, png(), "diagram.png")
    document = await uploaded(client, ada, PDF, "report.pdf")
    response = await _post(
        client,
        ada,
        slug,
        body=f"![diagram]({image['url']})",
        attachment_ids=[image["id"], document["id"]],
    )
    assert response.status_code == 201, response.text
    post = response.json()
    assert [a["id"] for a in post["attachments"]] == [image["id"], document["id"]]
    assert post["attachments"][0] == image
    assert f'<img src="{image["url"]}" alt="diagram"' in post["body_html"]

    read = await client.get(f"/posts/{post['id']}", headers=member.headers)
    assert read.json()["attachments"] == post["attachments"]
    for path in (image["url"], image["thumbnail_url"], document["url"]):
        path = path.removeprefix("/api/v1")
        assert (await client.get(path, headers=member.headers)).status_code == 200
        assert_problem(await client.get(path, headers=outsider.headers), 404)

    # Deleted, its files go with it for everyone but nobody.
    assert (await client.delete(f"/posts/{post['id']}", headers=ada.headers)).status_code == 204
    assert_problem(
        await client.get(image["url"].removeprefix("/api/v1"), headers=member.headers), 404
    )


async def test_only_your_own_unattached_uploads_can_be_attached(client):
    ada, bob = await register(client), await register(client)
    slug = (await create_community(client, ada, "Open Guild"))["slug"]
    assert (await join(client, bob, slug)).status_code == 201
    bobs = await uploaded(client, bob, png(), "bobs.png")
    response = await _post(client, ada, slug, attachment_ids=[bobs["id"]])
    assert_problem(response, 422)
    response = await _post(client, ada, slug, attachment_ids=[str(uuid.uuid4())])
    assert_problem(response, 422)

    mine = await uploaded(client, ada, png(), "mine.png")
    first = await _post(client, ada, slug, attachment_ids=[mine["id"]])
    assert first.status_code == 201
    again = await _post(client, ada, slug, attachment_ids=[mine["id"]])
    assert_problem(again, 422)  # already on another post
    comment = await client.post(
        f"/posts/{first.json()['id']}/comments",
        json={"body": "and this", "attachment_ids": [mine["id"]]},
        headers=ada.headers,
    )
    assert_problem(comment, 422)


async def test_editing_a_post_replaces_its_attachments(client):
    ada = await register(client)
    slug = (await create_community(client, ada, "Edit Guild"))["slug"]
    first = await uploaded(client, ada, png(), "one.png")
    second = await uploaded(client, ada, PDF, "two.pdf")
    post = (await _post(client, ada, slug, attachment_ids=[first["id"]])).json()
    edited = await client.patch(
        f"/posts/{post['id']}",
        json={"attachment_ids": [second["id"], first["id"]]},
        headers=ada.headers,
    )
    assert edited.status_code == 200, edited.text
    assert [a["id"] for a in edited.json()["attachments"]] == [second["id"], first["id"]]
    edited = await client.patch(
        f"/posts/{post['id']}", json={"attachment_ids": [second["id"]]}, headers=ada.headers
    )
    assert [a["id"] for a in edited.json()["attachments"]] == [second["id"]]
    # The dropped one is unattached again: attachable elsewhere, and only its uploader's.
    other = await _post(client, ada, slug, attachment_ids=[first["id"]])
    assert other.status_code == 201, other.text
    # Edits that leave attachments out keep them.
    kept = await client.patch(f"/posts/{post['id']}", json={"title": "New"}, headers=ada.headers)
    assert [a["id"] for a in kept.json()["attachments"]] == [second["id"]]


async def test_comments_carry_attachments_visible_with_their_post(client):
    ada, bob, outsider = await register(client), await register(client), await register(client)
    community = await create_community(
        client, ada, "Quiet Guild", visibility="private", join_policy="invite"
    )
    slug = community["slug"]
    await client.post(
        f"/communities/{slug}/invitations", json={"handle": bob.handle}, headers=ada.headers
    )
    assert (await join(client, bob, slug)).status_code == 201
    post = (await _post(client, ada, slug)).json()
    file = await uploaded(client, bob, b"step,owner\n1,bob\n", "steps.csv")
    created = await client.post(
        f"/posts/{post['id']}/comments",
        json={"body": "Here are the steps.", "attachment_ids": [file["id"]]},
        headers=bob.headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["attachments"] == [file]
    thread = await client.get(f"/posts/{post['id']}/comments", headers=ada.headers)
    assert thread.json()["items"][0]["attachments"] == [file]
    path = file["url"].removeprefix("/api/v1")
    assert (await client.get(path, headers=ada.headers)).status_code == 200
    assert_problem(await client.get(path, headers=outsider.headers), 404)

    comment_id = created.json()["id"]
    edited = await client.patch(
        f"/comments/{comment_id}",
        json={"body": "No file after all.", "attachment_ids": []},
        headers=bob.headers,
    )
    assert edited.json()["attachments"] == []
    assert_problem(await client.get(path, headers=ada.headers), 404)  # bob's own again
    assert (await client.get(path, headers=bob.headers)).status_code == 200


async def test_post_pages_with_attachments_run_the_same_statements(client, count_statements):
    ada = await register(client)
    slug = (await create_community(client, ada, "Counting Guild"))["slug"]
    for n in range(3):
        ids = [(await uploaded(client, ada, png(), f"p{n}-{i}.png"))["id"] for i in range(2)]
        assert (await _post(client, ada, slug, attachment_ids=ids)).status_code == 201
    for path in (f"/communities/{slug}/posts", "/feed"):
        count_statements.statements.clear()
        page = await client.get(path, headers=ada.headers)
        assert page.status_code == 200
        assert [len(p["attachments"]) for p in page.json()["items"]] == [2, 2, 2]
        assert count_statements.count == 2, count_statements.statements
