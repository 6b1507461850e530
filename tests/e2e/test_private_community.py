"""A private (invite-only) community stays invisible to someone outside it, in the browser:
not in the directory, "not found" at its own address, and nothing from it in search."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    LiveServer,
    create_account,
    create_community_via_api,
    create_post_via_api,
    sign_in_as,
    unique,
)


def test_private_community_is_invisible_to_an_outsider(live_server: LiveServer, page: Page) -> None:
    server = live_server
    token = unique("p")
    owner = create_account(server.base_url, f"Ann {token}")
    outsider = create_account(server.base_url, f"Cy {token}")
    name = f"Secret Guild {token}"
    community = create_community_via_api(
        server, owner, name, visibility="private", join_policy="invite"
    )
    slug = community["slug"]
    word = unique("zephyr")  # one word, only in this community's post
    create_post_via_api(server, owner, slug, "discussion", f"Notes on {word}", f"All about {word}.")
    # Control: the owner, a member, finds the post, so an empty search below means hidden.
    found = server.api("GET", "/search/posts", token=owner.access_token, params={"q": word})
    assert found.status_code == 200, found.text
    assert [hit["title"] for hit in found.json()["items"]] == [f"Notes on {word}"]

    sign_in_as(page, outsider, "/communities")
    expect(page.get_by_role("heading", level=1, name="Communities of practice")).to_be_visible()
    directory = page.get_by_role("search", name="Find communities")
    directory.get_by_label("Search").fill(name)
    directory.get_by_label("Search").press("Enter")
    expect(page.get_by_text(f"No communities match \u201c{name}\u201d")).to_be_visible()
    expect(page.get_by_text(name, exact=True)).to_have_count(0)

    page.goto(f"/communities/{slug}")
    expect(page.get_by_role("heading", level=1, name="Community not found")).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    expect(page.get_by_text("Secret Guild")).to_have_count(0)

    page.goto(f"/search?q={word}")
    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    expect(page.get_by_text(f"Nothing matches \u201c{word}\u201d")).to_be_visible()
    expect(page.get_by_text(f"Notes on {word}")).to_have_count(0)
    expect(page.get_by_role("link", name=name)).to_have_count(0)
