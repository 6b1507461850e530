"""Markdown (CommonMark) to sanitized HTML, shared by every text body in the product.

Rendering never trusts input: raw HTML in the source is not rendered, and the output is cleaned
again with an allow-list (no scripts, no event handlers, only http/https/mailto links), and links
get rel="nofollow noopener".
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
MENTION_RE = re.compile(r"(?<![\w@/])@([a-z0-9](?:[a-z0-9_-]{1,28}[a-z0-9]))\b", re.IGNORECASE)


def render_markdown(source: str) -> str:
    html = _renderer.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        allowed_classes={"code": {"language-*"}},
    )


def mentioned_handles(source: str) -> list[str]:
    """@handles in a body, lower-cased, in order of first appearance, without duplicates."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(source):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)
