"""Markdown (CommonMark) to sanitized HTML, shared by every text body in the product.

Rendering never trusts input: raw HTML in the source is not rendered, and the output is cleaned
again with an allow-list (no scripts, no event handlers, only http/https/mailto links), and links
get rel="nofollow noopener".

Images load only from the hosts the deployment lists (https, default port), or from this
instance's own uploads (`/api/v1/uploads/<id>`, same origin, served with the same visibility
check as the post); any other image becomes a link to it, so a post cannot plant a tracking
pixel in its readers' browsers. Images
never send a referrer and load lazily. The hosts are the deployment's setting: the API layer
passes them in for each request (`image_hosts`), the domain never reads configuration.

An `@handle` of someone who exists (the caller passes the handles it looked up) becomes a link
to that person's profile, `/people/<handle>`, with class `mention`; other `@words`, and mentions
inside links and code, stay text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


# Where the web app shows a person (the SPA's route; the API's is /api/v1/users/<handle>).
PROFILE_PATH = "/people/"

IMAGE_ATTRIBUTES = {"referrerpolicy": "no-referrer", "loading": "lazy"}

_image_hosts: ContextVar[frozenset[str]] = ContextVar("markdown_image_hosts", default=frozenset())


@contextmanager
def image_hosts(hosts: frozenset[str]) -> Iterator[None]:
    """Render images from these hosts (lower case) inside the block; none outside any block."""
    token = _image_hosts.set(hosts)
    try:
        yield
    finally:
        _image_hosts.reset(token)


# A path on this origin, exactly an upload or its thumbnail: nothing else of the API is an image.
UPLOAD_IMAGE = re.compile(
    r"^/api/v1/uploads/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/thumbnail)?$"
)


def image_allowed(src: str, hosts: frozenset[str]) -> bool:
    if UPLOAD_IMAGE.match(src):
        return True
    try:
        url = urlsplit(src)
        port = url.port
    except ValueError:
        return False
    return url.scheme == "https" and port is None and (url.hostname or "") in hosts


def _image_as_link(image: Token) -> list[Token]:
    src = str(image.attrs.get("src", ""))
    opening = Token("link_open", "a", 1, attrs={"href": src})
    title = image.attrs.get("title")
    if title:
        opening.attrs["title"] = title
    text = image.children or [Token("text", "", 0, content=src)]
    return [opening, *text, Token("link_close", "a", -1)]


def _filter_images(inline: list[Token], hosts: frozenset[str]) -> list[Token]:
    kept: list[Token] = []
    in_link = 0
    for token in inline:
        in_link += token.nesting if token.type in ("link_open", "link_close") else 0
        if token.type != "image":
            kept.append(token)
        elif image_allowed(str(token.attrs.get("src", "")), hosts):
            token.attrs.update(IMAGE_ATTRIBUTES)
            kept.append(token)
        elif in_link:
            kept.extend(token.children or [])  # already inside a link: keep the alt text
        else:
            kept.extend(_image_as_link(token))
    return kept


def _mention_tokens(text: str, mentions: frozenset[str]) -> list[Token] | None:
    """`text` split into text and links to the people it mentions; None when it mentions none."""
    out: list[Token] = []
    start = 0
    for match in MENTION_RE.finditer(text):
        handle = match.group(1).lower()
        if handle not in mentions:
            continue
        if match.start() > start:
            out.append(Token("text", "", 0, content=text[start : match.start()]))
        out.append(
            Token("link_open", "a", 1, attrs={"href": PROFILE_PATH + handle, "class": "mention"})
        )
        out.append(Token("text", "", 0, content=match.group(0)))
        out.append(Token("link_close", "a", -1))
        start = match.end()
    if not out:
        return None
    if start < len(text):
        out.append(Token("text", "", 0, content=text[start:]))
    return out


def _link_mentions(inline: list[Token], mentions: frozenset[str]) -> list[Token]:
    kept: list[Token] = []
    in_link = 0
    for token in inline:
        in_link += token.nesting if token.type in ("link_open", "link_close") else 0
        linked = (
            None if in_link or token.type != "text" else _mention_tokens(token.content, mentions)
        )
        kept.extend(linked if linked is not None else [token])
    return kept


def render_markdown(source: str, mentions: frozenset[str] = frozenset()) -> str:
    """`mentions`: lower-case handles of people who exist; their @handles become profile links."""
    hosts = _image_hosts.get()
    tokens = _renderer.parse(source)
    for block in tokens:
        if block.type == "inline" and block.children:
            block.children = _filter_images(block.children, hosts)
            if mentions:
                block.children = _link_mentions(block.children, mentions)
    html = _renderer.renderer.render(tokens, _renderer.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        allowed_classes={"code": {"language-*"}, "a": {"mention"}},
        # Only the values rendering sets: no other referrer policy, no eager loading.
        tag_attribute_values={"img": {name: {value} for name, value in IMAGE_ATTRIBUTES.items()}},
    )


def mentioned_handles(source: str) -> list[str]:
    """@handles in a body, lower-cased, in order of first appearance, without duplicates."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(source):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)
