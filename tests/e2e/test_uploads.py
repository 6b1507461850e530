"""Attaching an image to a question in the browser: chosen with the Attach button, uploaded with
progress, shown in the post's body and under it; a document pasted into an answer is offered
as a download. Screenshots of the composer and the post at 1280 and 375 px."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    LiveServer,
    create_account,
    create_community_via_api,
    shoot,
    sign_in_as,
    unique,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    image = Image.new("RGB", (480, 270), "#1f5f8b")
    for x in range(0, 480, 40):
        for y in range(0, 270):
            image.putpixel((x, y), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_an_image_attached_to_a_question_is_shown_in_the_post(
    live_server: LiveServer, page: Page
) -> None:
    server = live_server
    token = unique("u")
    owner = create_account(server.base_url, f"Uma {token}")
    community = create_community_via_api(server, owner, f"Diagram Guild {token}")
    slug = community["slug"]

    sign_in_as(page, owner, f"/communities/{slug}")
    page.get_by_role("button", name="Ask a question").click()
    form = page.get_by_role("form", name="New post")
    form.get_by_label("Title").fill("How do you draw a service map?")
    form.get_by_label("Details").fill("This is ours:")
    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Attach image or file").click()
    chooser.value.set_files(
        files=[{"name": "service-map.png", "mimeType": "image/png", "buffer": _png()}]
    )
    attached = form.get_by_role("list", name="Attached files")
    expect(attached.get_by_text("service-map.png")).to_be_visible()
    expect(form.get_by_label("Details")).to_have_value(
        re.compile(r"This is ours:\n!\[service-map\.png\]\(/api/v1/uploads/[0-9a-f-]{36}\)\n")
    )
    shoot(page, "composer-with-image")
    form.get_by_role("button", name="Post question").click()
    page.get_by_role("link", name="View your post").click()
    expect(
        page.get_by_role("heading", level=1, name="How do you draw a service map?")
    ).to_be_visible()

    # In the body, from an object URL fetched with the token, and loaded for real.
    body_image = page.locator(".post__body img[alt='service-map.png']")
    expect(body_image).to_have_attribute("src", re.compile(r"^blob:"))
    page.wait_for_function(
        '() => { const i = document.querySelector(".post__body img"); '
        "return i && i.complete && i.naturalWidth === 480; }"
    )
    attachments = page.get_by_role("region", name="Attachments").first
    thumbnail = attachments.get_by_role("img", name="service-map.png")
    expect(thumbnail).to_have_attribute("src", re.compile(r"^blob:"))
    shoot(page, "post-with-image")

    # An answer with a document: offered as a download under the answer.
    answer = page.get_by_role("form", name="Your answer")
    answer.get_by_label("Your answer").fill("Our checklist is attached.")
    with page.expect_file_chooser() as chooser:
        answer.get_by_role("button", name="Attach image or file").click()
    chooser.value.set_files(
        files=[{"name": "checklist.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(
        answer.get_by_role("list", name="Attached files").get_by_text("checklist.pdf")
    ).to_be_visible()
    answer.get_by_role("button", name="Post answer").click()
    download_button = page.get_by_role("button", name=re.compile(r"^Download checklist\.pdf"))
    expect(download_button).to_be_visible()
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "checklist.pdf"
