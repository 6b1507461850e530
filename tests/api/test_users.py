"""/me, the people directory and profiles."""

from __future__ import annotations

from tests.helpers import assert_problem, register


async def test_me_returns_the_full_profile_with_etag(client):
    account = await register(client, "Kim Park")
    response = await client.get("/me", headers=account.headers)
    assert response.status_code == 200
    body = response.json()
    assert {
        "id",
        "handle",
        "display_name",
        "title",
        "avatar_url",
        "email",
        "role",
        "created_at",
    } <= set(body)
    tag = response.headers["etag"]
    assert tag.startswith('"v1.')
    not_modified = await client.get("/me", headers={**account.headers, "If-None-Match": tag})
    assert not_modified.status_code == 304


async def test_patch_me_updates_fields_and_honours_if_match(client):
    account = await register(client)
    response = await client.patch(
        "/me",
        json={
            "title": "Staff Engineer",
            "timezone": "Europe/Paris",
            "bio": "I like **graphs**",
            "avatar_url": "https://img.example.com/a.png",
        },
        headers={**account.headers, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Staff Engineer" and body["timezone"] == "Europe/Paris"
    assert response.headers["etag"].startswith('"v2.')
    stale = await client.patch(
        "/me", json={"title": "Lost update"}, headers={**account.headers, "If-Match": '"v1"'}
    )
    assert_problem(stale, 412)
    assert (await client.get("/me", headers=account.headers)).json()["title"] == "Staff Engineer"


async def test_patch_me_rejects_bad_values(client):
    account = await register(client)
    for body in (
        {"timezone": "Mars/Olympus"},
        {"avatar_url": "javascript:alert(1)"},
        {"display_name": ""},
        {"email": "new@example.com"},
    ):
        assert_problem(await client.patch("/me", json=body, headers=account.headers), 422)


async def test_users_search_by_name_or_handle_prefix_with_keyset_pages(client):
    viewer = await register(client, "Viewer")
    for name in ("Alice Wong", "Alina Petrova", "Bob Stone", "Alfred Hitch"):
        await register(client, name)
    found = await client.get("/users?q=al", headers=viewer.headers)
    assert [u["handle"] for u in found.json()["items"]] == [
        "alfred-hitch",
        "alice-wong",
        "alina-petrova",
    ]
    first = (await client.get("/users?q=al&limit=2", headers=viewer.headers)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (
        await client.get(
            f"/users?q=al&limit=2&cursor={first['next_cursor']}", headers=viewer.headers
        )
    ).json()
    assert [u["handle"] for u in second["items"]] == ["alina-petrova"]
    assert second["next_cursor"] is None
    # wildcards are literal
    assert (await client.get("/users?q=%25", headers=viewer.headers)).json()["items"] == []


async def test_users_listing_pages_do_not_repeat_or_skip_while_people_join(client):
    viewer = await register(client, "Mia Viewer")
    for name in ("Ann", "Cat", "Eve"):
        await register(client, name + " Example")
    seen: list[str] = []
    page = (await client.get("/users?limit=2", headers=viewer.headers)).json()
    seen += [u["handle"] for u in page["items"]]
    await register(client, "Aaron Early")  # sorts before the cursor: must not appear later
    await register(client, "Zed Late")  # sorts after: must appear
    while page["next_cursor"]:
        page = (
            await client.get(f"/users?limit=2&cursor={page['next_cursor']}", headers=viewer.headers)
        ).json()
        seen += [u["handle"] for u in page["items"]]
    assert len(seen) == len(set(seen))
    assert "zed-late" in seen and "aaron-early" not in seen


async def test_user_profile_has_all_sections(client):
    viewer = await register(client)
    target = await register(client, "Sam Target")
    response = await client.get(f"/users/{target.handle}", headers=viewer.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["handle"] == "sam-target"
    assert body["skills"] == [] and body["mentor_profile"] is None
    assert body["stats"] == {
        "posts": 0,
        "accepted_answers": 0,
        "endorsements_received": 0,
        "mentees": 0,
    }
    assert "email" not in body


async def test_unknown_user_is_404_and_directory_needs_auth(client):
    viewer = await register(client)
    assert_problem(await client.get("/users/nobody-here", headers=viewer.headers), 404)
    assert_problem(await client.get("/users"), 401)
    assert_problem(await client.get("/users/nobody-here"), 401)
