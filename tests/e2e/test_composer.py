"""The composer in a real browser: @mention suggestions that become links to the person, the
preview (the server's own rendering), similar questions while titling, the light/dark switch
(kept across a reload, applied before the first paint) and the skill page's levels; axe clean
in dark mode on each. Screenshots of the composer with its preview go to artifacts/, and the
desktop one to frontend/docs/ for the README.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.pages import (
    LiveServer,
    account_menu,
    assert_accessible,
    create_account,
    create_community_via_api,
    shoot,
    sign_in_as,
    unique,
)

DOCS = Path(__file__).resolve().parents[2] / "frontend" / "docs"

# Set on the page before any of its scripts: what data-theme said when <body> first appeared,
# that is, before anything could be painted.
THEME_AT_FIRST_PAINT = """
new MutationObserver((_, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.getAttribute("data-theme");
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""


def _choose_theme(page: Page, name: str, choice: str) -> None:
    account_menu(page, name).click()
    page.get_by_role("menuitemradio", name=choice).click()
    expect(page.get_by_role("menuitemradio", name=choice)).to_have_attribute("aria-checked", "true")
    page.keyboard.press("Escape")


def test_mentions_preview_and_similar_questions(
    new_context: ContextFactory, live_server: LiveServer
) -> None:
    server = live_server
    token = unique("c")
    asker = create_account(server.base_url, f"Asha {token}")
    grace = create_account(server.base_url, f"Grace {token}")
    community = create_community_via_api(server, asker, f"Platform {token}")
    slug = community["slug"]
    earlier = server.api(
        "POST",
        f"/communities/{slug}/posts",
        token=asker.access_token,
        json={
            "kind": "question",
            "title": "Rotating database credentials without downtime",
            "body": "We rotate by hand every quarter.",
            "tags": [],
        },
    )
    assert earlier.status_code == 201, earlier.text

    page = new_context(color_scheme="dark").new_page()
    sign_in_as(page, asker, f"/communities/{slug}")
    page.get_by_role("button", name="Ask a question").click()
    form = page.get_by_role("form", name="New post")

    # Similar questions appear under the title while it is typed.
    form.get_by_label("Title").press_sequentially("How should we rotate credentials?")
    similar = form.get_by_role("region", name="Similar questions, perhaps already answered")
    expect(similar.get_by_role("link")).to_have_text(
        ["Rotating database credentials without downtime"]
    )

    # @ and a few letters: a listbox of people; the arrows and Enter insert the handle.
    details = form.get_by_label("Details")
    details.press_sequentially(f"Thanks @{grace.handle[:4]}")
    people = form.get_by_role("listbox", name="People to mention")
    option = people.get_by_role("option", name=re.compile(grace.name))
    expect(option).to_be_visible()
    expect(details).to_have_attribute("aria-activedescendant", re.compile(".+"))
    assert_accessible(page, "the composer with mention suggestions open, dark mode")
    while option.get_attribute("aria-selected") != "true":
        details.press("ArrowDown")
    details.press("Enter")
    expect(people).to_be_hidden()
    expect(details).to_have_value(f"Thanks @{grace.handle} ")
    details.press_sequentially("for the **runbook**.")

    # The preview is the server's rendering: bold text and the mention as a link.
    form.get_by_role("tab", name="Preview").click()
    preview = form.get_by_role("tabpanel", name="Preview")
    expect(preview.locator("strong")).to_have_text("runbook")
    expect(preview.get_by_role("link", name=f"@{grace.handle}")).to_have_attribute(
        "href", f"/people/{grace.handle}"
    )
    assert_accessible(page, "the composer's preview, dark mode")
    _choose_theme(page, asker.name, "Light")
    assert_accessible(page, "the composer's preview, light mode")
    # The address reminder is for this session; the README picture is about the composer.
    dismiss = page.get_by_role("button", name="Dismiss", exact=True)
    if dismiss.count() > 0:
        dismiss.first.click()
    written = shoot(page, "composer with preview")
    composer = page.locator(".composer-panel")
    composer.scroll_into_view_if_needed()
    composer.screenshot(path=str(written[0].with_name("composer-panel-1280.png")))
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(written[0].with_name("composer-panel-1280.png"), DOCS / "composer-desktop.png")

    form.get_by_role("tab", name="Write").click()
    form.get_by_role("button", name="Post question").click()
    page.get_by_role("link", name="View your post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How should we rotate credentials?")

    # In the post, the mention is a link to Grace's profile, opened inside the app.
    mention = page.locator(".post__body").get_by_role("link", name=f"@{grace.handle}")
    expect(mention).to_have_attribute("href", f"/people/{grace.handle}")
    _choose_theme(page, asker.name, "Dark")
    assert_accessible(page, "the post with a mention, dark mode")
    mention.click()
    expect(page).to_have_url(re.compile(f"/people/{grace.handle}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(grace.name)

    # And Grace was notified of the mention.
    inbox = server.api("GET", "/notifications", token=grace.access_token).json()["items"]
    assert [item["kind"] for item in inbox] == ["mention"]


def test_the_theme_switch_is_remembered_and_applied_before_the_first_paint(
    new_context: ContextFactory, live_server: LiveServer
) -> None:
    person = create_account(live_server.base_url, f"Theo {unique('t')}")
    context = new_context(color_scheme="light")
    context.add_init_script(THEME_AT_FIRST_PAINT)
    page = context.new_page()
    sign_in_as(page, person, "/")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")

    _choose_theme(page, person.name, "Dark")
    expect(html).to_have_attribute("data-theme", "dark")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 20, 26)", background

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("() => window.__themeAtBody") == "dark"
    assert_accessible(page, "the home page in dark mode, chosen")

    # System follows the device, also while the page is open.
    _choose_theme(page, person.name, "System")
    expect(html).to_have_attribute("data-theme", "light")
    page.emulate_media(color_scheme="dark")
    expect(html).to_have_attribute("data-theme", "dark")
    page.reload()
    assert page.evaluate("() => window.__themeAtBody") == "dark"
    assert page.evaluate("() => localStorage.getItem('leaderful:theme')") is None


def test_skill_page_levels_and_experts(
    new_context: ContextFactory, live_server: LiveServer
) -> None:
    server = live_server
    token = unique("k")
    people = [create_account(server.base_url, f"{n} {token}") for n in ("Ann", "Bo", "Cy", "Di")]
    created = server.api(
        "POST", "/skills", token=people[0].access_token, json={"name": f"Helm {token}"}
    )
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    for person, level in zip(people, (5, 3, 1, 1), strict=True):
        held = server.api(
            "PUT",
            f"/me/skills/{slug}",
            token=person.access_token,
            json={"level": level, "wants_to_teach": False},
        )
        assert held.status_code == 200, held.text

    page = new_context(color_scheme="dark").new_page()
    sign_in_as(page, people[1], f"/skills/{slug}")
    table = page.get_by_role("table", name=re.compile("at each level"))
    expect(table.get_by_role("row", name=re.compile("Novice"))).to_contain_text("2 people")
    experts = page.get_by_role("region", name=re.compile("Who knows"))
    expect(experts.get_by_role("listitem")).to_have_count(2)  # the two novices are not listed
    first = experts.get_by_role("listitem").first
    expect(first).to_contain_text(people[0].name)
    first.get_by_text("How the score adds up").click()
    expect(first.get_by_text("Level:", exact=False).first).to_be_visible()
    widths = page.eval_on_selector_all(".score-bar__fill", "fills => fills.map(f => f.style.width)")
    assert widths[0] == "100%" and widths[1] != "100%", widths
    assert_accessible(page, "the skill page in dark mode, details open")
    shoot(page, "skill page levels dark")
