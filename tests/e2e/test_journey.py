"""The product's whole journey in a real browser, with two people in two browser contexts.

Ann starts a community and asks a Python question; Ben joins and answers; Ann accepts the
answer and endorses Ben's Python with that question as evidence; Ben shows up as a Python
expert; Ann asks Ben to mentor her, Ben accepts, and both see an active mentorship.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.pages import (
    LiveServer,
    ask_question_via_ui,
    assert_accessible,
    create_account,
    create_community_via_ui,
    shoot,
    sign_in_as,
    unique,
)


def test_ask_answer_endorse_and_mentor(
    live_server: LiveServer, new_context: ContextFactory
) -> None:
    server = live_server
    token = unique("j")
    ann = create_account(server.base_url, f"Ann {token}")
    ben = create_account(server.base_url, f"Ben {token}")
    a = new_context().new_page()
    b = new_context().new_page()
    errors: list[str] = []
    for tab in (a, b):
        tab.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    sign_in_as(a, ann)
    sign_in_as(b, ben)

    # Ann starts a community and asks a question tagged Python, on its Posts tab.
    community = f"Pythonistas {token}"
    slug = create_community_via_ui(a, community)
    expect(a.get_by_role("tab", name=re.compile("Posts"))).to_have_attribute(
        "aria-selected", "true"
    )
    title = f"How do I profile a slow loop {token}?"
    post_id = ask_question_via_ui(
        a, title, "My loop over a million rows takes a minute. Where do I start?", "Python"
    )
    post_path = f"/posts/{post_id}"

    # Ben joins with the Join button and answers on the post page.
    b.goto(f"/communities/{slug}")
    expect(b.get_by_role("heading", level=1, name=community)).to_be_visible()
    b.get_by_role("button", name="Join", exact=True).click()
    expect(b.get_by_role("button", name="Leave", exact=True)).to_be_visible()
    expect(b.get_by_role("link", name=title)).to_be_visible()
    shoot(b, "journey community page")
    b.get_by_role("link", name=title).click()
    expect(b.get_by_role("heading", level=1, name=title)).to_be_visible()
    b.get_by_role("textbox", name="Your answer").fill(
        "Run it under cProfile first, then vectorise the hot spot."
    )
    b.get_by_role("button", name="Post answer").click()
    expect(b.get_by_role("article", name=f"answer by {ben.name}")).to_be_visible()

    # Ann accepts Ben's answer.
    a.goto(post_path)
    answer = a.get_by_role("article", name=f"answer by {ben.name}")
    expect(answer).to_be_visible()
    answer.get_by_role("button", name="Accept this answer").click()
    accepted = a.get_by_role("article", name=f"Accepted answer by {ben.name}")
    expect(accepted).to_be_visible()
    expect(accepted.get_by_text("Accepted answer", exact=True)).to_be_visible()
    shoot(a, "journey post page")
    assert_accessible(a, "the post page with an accepted answer")

    # Ben lists Python at level 4 (proficient).
    response = server.api("PUT", "/me/skills/python", token=ben.access_token, json={"level": 4})
    assert response.status_code in (200, 201), response.text

    # Ann endorses Ben's Python on his profile, with the question as evidence.
    a.goto(f"/people/{ben.handle}")
    expect(a.get_by_role("heading", level=1, name=ben.name)).to_be_visible()
    a.get_by_role("button", name=f"Endorse {ben.name} for Python").click()
    endorse = a.get_by_role("form", name=f"Endorse {ben.name} for Python")
    expect(endorse).to_be_visible()
    endorse.get_by_label("Note").fill("Gave me the answer that fixed my slow loop.")
    endorse.get_by_label("Evidence: link to a post").fill(f"{server.base_url}{post_path}")
    endorse.get_by_role("button", name="Endorse", exact=True).click()
    expect(a.get_by_role("button", name="Endorsed by 1")).to_be_visible()
    # What the UI saved: the endorsement points at the question.
    endorsements = server.api(
        "GET", f"/users/{ben.handle}/skills/python/endorsements", token=ann.access_token
    )
    assert endorsements.status_code == 200, endorsements.text
    assert [item["evidence_post_id"] for item in endorsements.json()["items"]] == [post_id]

    # Ben is among the Python experts.
    a.goto("/skills/python")
    expect(a.get_by_role("heading", level=1, name="Python")).to_be_visible()
    experts = a.get_by_role("region", name="Who knows Python")
    expect(experts.get_by_role("listitem").filter(has_text=ben.name)).to_be_visible()
    shoot(a, "journey skill page")
    assert_accessible(a, "the Python skill page")

    # Ben offers to mentor; Ann asks him from his profile.
    response = server.api(
        "PUT",
        "/me/mentor-profile",
        token=ben.access_token,
        json={
            "accepting_mentees": True,
            "capacity": 2,
            "timezone": "Europe/London",
            "about": "Happy to help with Python performance.",
        },
    )
    assert response.status_code in (200, 201), response.text
    a.goto(f"/people/{ben.handle}")
    mentoring = a.get_by_role("region", name="Mentoring")
    expect(mentoring.get_by_text("Taking mentees")).to_be_visible()
    mentoring.get_by_role("button", name="Request mentorship").click()
    request = a.get_by_role("form", name=f"Ask {ben.name} to mentor you")
    expect(request).to_be_visible()
    request.get_by_label("Skill", exact=True).select_option("python")
    request.get_by_label("What do you want to learn?").fill("Profile and speed up data pipelines.")
    request.get_by_role("button", name="Send request").click()
    expect(a.get_by_role("link", name="See your requests")).to_be_visible()

    # Ben accepts under My mentorships.
    b.goto("/mentorship?tab=mine")
    expect(b.get_by_role("tab", name="My mentorships")).to_have_attribute("aria-selected", "true")
    asked = b.get_by_role("listitem").filter(has_text=ann.name).filter(has_text="Your mentee")
    expect(asked.get_by_text("Asks you")).to_be_visible()
    asked.get_by_role("button", name="Accept", exact=True).click()
    expect(asked.get_by_text("Active", exact=True)).to_be_visible()
    shoot(b, "journey mentorship page")
    assert_accessible(b, "My mentorships (mentor)")

    # Both see the active mentorship.
    a.goto("/mentorship?tab=mine")
    mine = a.get_by_role("listitem").filter(has_text=ben.name).filter(has_text="Your mentor")
    expect(mine.get_by_text("Active", exact=True)).to_be_visible()
    assert_accessible(a, "My mentorships (mentee)")
    b.reload()
    expect(
        b.get_by_role("listitem")
        .filter(has_text=ann.name)
        .filter(has_text="Your mentee")
        .get_by_text("Active", exact=True)
    ).to_be_visible()

    assert not errors, f"uncaught JavaScript errors: {errors}"
