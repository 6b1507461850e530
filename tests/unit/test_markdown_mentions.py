"""@handles of people who exist become profile links; nothing else does."""

from __future__ import annotations

from domain.markdown import render_markdown

ANN = frozenset({"ann"})


def test_a_known_handle_becomes_a_profile_link():
    html = render_markdown("Hi @Ann, thanks", ANN)
    assert html == (
        '<p>Hi <a href="/people/ann" class="mention" rel="nofollow noopener">@Ann</a>, thanks</p>\n'
    )


def test_unknown_handles_addresses_links_and_code_stay_as_written():
    html = render_markdown("@bob ann@example.com [@ann](https://x.org) `@ann`\n\n    @ann", ANN)
    assert "/people/" not in html


def test_without_known_people_nothing_is_linked():
    assert "/people/" not in render_markdown("@ann")


def test_a_mention_inside_emphasis_and_lists_is_linked():
    html = render_markdown("- **@ann** and _@ann_", ANN)
    assert html.count('href="/people/ann"') == 2
