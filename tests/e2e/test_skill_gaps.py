"""The skills gap page in a real browser: a steward opens their community's skills gap from the
skills page, sees a skill carried by one person flagged "At risk" with a suggested pair, and the
learner follows the pair's link to the mentorship request form, prefilled. Screenshots at 1280
and 375 px; axe-core clean."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from domain.skill_insights.service import refresh_skill_insights
from repositories.db import create_engine, create_session_factory
from repositories.unit_of_work import SqlUnitOfWork
from tests.e2e.pages import (
    LiveServer,
    assert_accessible,
    create_account,
    create_community_via_api,
    shoot,
    sign_in_as,
    unique,
)


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def refresh_rollups(database_url: str) -> None:
    """Run the scheduled refresh now, against the live server's database (in a thread: the sync
    Playwright API keeps an event loop of its own running)."""

    async def run() -> None:
        engine = create_engine(database_url)
        try:
            async with SqlUnitOfWork(create_session_factory(engine)) as uow:
                await refresh_skill_insights(uow, _Clock())
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_skills_gap_flags_an_at_risk_skill_and_links_a_pair(
    page: Page, live_server: LiveServer
) -> None:
    server, steward = live_server, live_server.admin
    expert = create_account(server.base_url, "Eva Expert")
    learner = create_account(server.base_url, "Lee Learner")
    name = f"Gleam {unique('')}"
    skill = server.api("POST", "/skills", token=steward.access_token, json={"name": name})
    assert skill.status_code == 201, skill.text
    slug = skill.json()["slug"]
    community = create_community_via_api(server, steward, f"Functional {unique('')}")["slug"]
    for person in (expert, learner):
        joined = server.api("POST", f"/communities/{community}/members", token=person.access_token)
        assert joined.status_code == 201, joined.text
    held = server.api(
        "PUT",
        f"/me/skills/{slug}",
        token=expert.access_token,
        json={"level": 5, "wants_to_teach": True},
    )
    assert held.status_code == 200, held.text
    goal = server.api(
        "POST",
        "/me/learning-goals",
        token=learner.access_token,
        json={"skill": slug, "target_level": 3},
    )
    assert goal.status_code == 201, goal.text
    question = server.api(
        "POST",
        f"/communities/{community}/posts",
        token=learner.access_token,
        json={
            "kind": "question",
            "title": "How do I pattern match on nested records?",
            "body": "The compiler rejects my nested pattern; what is the idiomatic way?",
            "tags": [slug],
        },
    )
    assert question.status_code == 201, question.text
    qid = question.json()["id"]
    answer = server.api(
        "POST",
        f"/posts/{qid}/comments",
        token=expert.access_token,
        json={"body": "Bind the inner record first, then match on its fields."},
    )
    assert answer.status_code == 201, answer.text
    accepted = server.api(
        "PUT",
        f"/posts/{qid}/accepted-answer",
        token=learner.access_token,
        json={"comment_id": answer.json()["id"]},
    )
    assert accepted.status_code == 200, accepted.text
    refresh_rollups(server.database_url)

    # The steward reaches the page from the skills directory, then picks the community.
    sign_in_as(page, steward, "/skills")
    page.get_by_role("link", name="Skills gap").click()
    expect(page.get_by_role("heading", level=1, name="Skills gap")).to_be_visible()
    page.get_by_label("Scope").select_option(community)
    page.get_by_label("Sort by").select_option("risk")
    expect(page).to_have_url(re.compile(rf"community={community}"))
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
    expect(row.get_by_text("At risk")).to_be_visible()
    pair = row.get_by_role(
        "link", name=f"Request mentorship in {name} from Eva Expert for Lee Learner"
    )
    expect(pair).to_have_attribute("href", f"/mentorship?skill={slug}&mentor={expert.handle}")
    shoot(page, "skills-gap")
    assert_accessible(page, "the skills gap page")

    # The learner sees their own pair and follows it to the prefilled request form.
    page.context.clear_cookies()
    sign_in_as(page, learner, f"/insights/skills?community={community}&sort=risk")
    page.get_by_role(
        "link", name=f"Request mentorship in {name} from Eva Expert for Lee Learner"
    ).click()
    form = page.get_by_role("form", name="Ask Eva Expert to mentor you")
    expect(form).to_be_visible()
    expect(form.get_by_label("Skill")).to_have_value(slug)
