"""Markdown images: only from the listed hosts (others become links), no referrer, lazy."""

from __future__ import annotations

from domain.markdown import image_allowed, image_hosts, render_markdown

HOSTS = frozenset({"images.example.com"})


def test_without_listed_hosts_every_image_becomes_a_link():
    html = render_markdown("![a pixel](https://tracker.example/p.gif)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/p.gif" rel="nofollow noopener">a pixel</a>' in html


def test_images_from_listed_hosts_render_without_referrer_and_lazily():
    with image_hosts(HOSTS):
        html = render_markdown(
            "![chart](https://images.example.com/c.png) ![](https://elsewhere.example/x.png)"
        )
    assert (
        '<img src="https://images.example.com/c.png" alt="chart" '
        'referrerpolicy="no-referrer" loading="lazy">' in html
    )
    assert '<a href="https://elsewhere.example/x.png" rel="nofollow noopener">' in html
    assert html.count("<img") == 1
    # outside the block, the default (no hosts) is back
    assert "<img" not in render_markdown("![chart](https://images.example.com/c.png)")


def test_only_https_on_the_default_port_and_the_exact_host():
    assert image_allowed("https://images.example.com/a.png", HOSTS)
    assert image_allowed("https://IMAGES.example.com/a.png", HOSTS)
    assert not image_allowed("http://images.example.com/a.png", HOSTS)
    assert not image_allowed("https://images.example.com:8443/a.png", HOSTS)
    assert not image_allowed("https://images.example.com.evil.example/a.png", HOSTS)
    assert not image_allowed("https://evil.example/?images.example.com", HOSTS)
    assert not image_allowed("//images.example.com/a.png", HOSTS)
    assert not image_allowed("/uploads/a.png", HOSTS)
    assert not image_allowed("https://[::1/a.png", HOSTS)


def test_an_image_inside_a_link_keeps_its_alt_text():
    html = render_markdown("[![badge](https://tracker.example/b.svg)](https://example.com)")
    assert html == '<p><a href="https://example.com" rel="nofollow noopener">badge</a></p>\n'


UPLOAD = "/api/v1/uploads/0b6f7c1e-3d2a-4c55-9a10-5e6f7a8b9c0d"


def test_images_from_this_instances_uploads_render_with_no_hosts_listed():
    html = render_markdown(f"![diagram]({UPLOAD}) ![small]({UPLOAD}/thumbnail)")
    assert f'<img src="{UPLOAD}" alt="diagram" referrerpolicy="no-referrer" loading="lazy">' in html
    assert f'<img src="{UPLOAD}/thumbnail" alt="small"' in html


def test_only_exact_upload_paths_count_as_uploads():
    assert image_allowed(UPLOAD, frozenset())
    for src in (
        f"{UPLOAD}/../../users/me",
        f"{UPLOAD}?x=1",
        f"{UPLOAD}/other",
        f"//evil.example{UPLOAD}",
        f"https://evil.example{UPLOAD}",
        "/api/v1/uploads/not-an-id",
        "/api/v1/users/me",
        f"javascript:alert(1)//{UPLOAD}",
    ):
        assert not image_allowed(src, frozenset()), src
    html = render_markdown("![x](/api/v1/users/me)")
    assert "<img" not in html
