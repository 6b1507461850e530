"""Leadership insights in a real browser: the ledger on a profile, a community's Health tab and
the organisation's Insights page, each drawn as charts with their figures as tables, at 1280 and
375 px, axe clean."""

from __future__ import annotations

import asyncio
import threading

from playwright.sync_api import Page, expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.clock import SystemClock
from domain.insights.service import refresh_health
from repositories.db import create_engine
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


def run_health_job(database_url: str) -> None:
    """One run of the scheduled health job against the server's database (the server's own
    scheduler ticks every five minutes)."""

    async def run() -> None:
        engine = create_engine(database_url, pool_size=1, max_overflow=0)
        try:
            async with SqlUnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
                await refresh_health(uow, SystemClock())
        finally:
            await engine.dispose()

    # The browser's driver keeps an event loop running in this thread: run in another one.
    worker = threading.Thread(target=asyncio.run, args=(run(),))
    worker.start()
    worker.join()


def test_ledger_health_and_insights(page: Page, live_server: LiveServer) -> None:
    server = live_server
    token = unique("i")
    owner = create_account(server.base_url, f"Olu {token}")
    asker = create_account(server.base_url, f"Ash {token}")
    community = create_community_via_api(server, owner, f"Incident crew {token}")
    slug = community["slug"]
    assert server.api("POST", f"/communities/{slug}/members", token=asker.access_token).is_success
    for index in range(2):
        question = server.api(
            "POST",
            f"/communities/{slug}/posts",
            token=asker.access_token,
            json={"kind": "question", "title": f"Paging rota {index}", "body": "Who pages whom?"},
        ).json()
        answer = server.api(
            "POST",
            f"/posts/{question['id']}/comments",
            token=owner.access_token,
            json={"body": "The steward on call, then the backup."},
        ).json()
        accepted = server.api(
            "PUT",
            f"/posts/{question['id']}/accepted-answer",
            token=asker.access_token,
            json={"comment_id": answer["id"]},
        )
        assert accepted.status_code == 200, accepted.text
    run_health_job(server.database_url)

    # The ledger on the owner's own profile: a quarterly chart, a timeline and the export.
    sign_in_as(page, owner, f"/people/{owner.handle}")
    ledger = page.get_by_role("region", name="Leadership ledger")
    expect(ledger.get_by_role("figure", name="Leadership acts per quarter")).to_be_visible()
    timeline = ledger.get_by_role("list", name="Leadership acts, newest first")
    expect(timeline.get_by_role("link", name="Gave an accepted answer")).to_have_count(2)
    expect(timeline.get_by_role("link", name="Started a community")).to_be_visible()
    with page.expect_download() as download:
        ledger.get_by_role("button", name="Export CSV").click()
    assert download.value.suggested_filename == "leadership-ledger.csv"
    shoot(page, "insights ledger on a profile")
    assert_accessible(page, "the leadership ledger")

    # The community's Health tab: weekly trends instead of bare numbers.
    page.goto(f"{server.base_url}/communities/{slug}?tab=health")
    index_chart = page.get_by_role("figure", name="Leaderful index")
    expect(index_chart).to_be_visible()
    expect(index_chart).to_contain_text("This week: 50%")
    index_chart.get_by_role("button", name="Show the figures").click()
    expect(index_chart.get_by_role("table", name="Leaderful index")).to_be_visible()
    shoot(page, "insights community health")
    assert_accessible(page, "the community health tab")

    # The organisation's overview, for administrators, through the navigation.
    sign_in_as(page, server.admin, "/")
    page.get_by_role("navigation", name="Primary").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1, name="Insights")).to_be_visible()
    expect(page.get_by_role("figure", name="Leaderful index, organisation")).to_be_visible()
    ranking = page.get_by_role("region", name="Communities by leaderful index")
    expect(ranking.get_by_role("link", name=community["name"])).to_be_visible()
    shoot(page, "insights organisation overview")
    assert_accessible(page, "the insights page")
