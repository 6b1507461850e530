"""Full-text search over posts: the port, and the pure rules for queries and highlighted snippets.

The adapters (PostgreSQL tsvector, SQLite FTS5) live in repositories/posts/search.py. Both
mark matches with the sentinel characters below instead of HTML, so that `highlight_html` can
escape the raw Markdown source and then turn only the sentinels into <mark> tags.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.errors import ValidationFailed
from domain.pagination import PageRequest, PageResult

MAX_QUERY_CHARS = 200
# Private-use characters: never produced by the search engines themselves, and stripped from
# queries, so a match marker can only come from the engine's highlighter.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# Categories dropped from queries: controls, format characters (zero-width, bidi overrides),
# surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_MARKERS = re.compile(f"([{MARK_START}{MARK_STOP}])")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked post. `snippet` is HTML-safe: escaped text whose only tags are <mark>."""

    post_id: UUID
    snippet: str
    rank: float


class PostSearch(Protocol):
    async def search_posts(
        self,
        viewer_id: UUID,
        is_admin: bool,
        q: str,
        community_id: UUID | None,
        kind: str | None,
        skill_id: UUID | None,
        page: PageRequest,
    ) -> PageResult[SearchHit]:
        """Posts the viewer may see that match `q` (already passed through `search_query`),
        best first, keyset-paged on (rank, id). Visibility is part of the query, so every page
        is full; the rank depends only on the query and the post, so cursors stay valid."""
        ...


def search_query(raw: str) -> str:
    """User input as a query both engines can take: control and invisible characters dropped,
    whitespace collapsed, at most MAX_QUERY_CHARS characters. Empty -> ValidationFailed."""
    kept = (
        " " if ch.isspace() else ch
        for ch in raw
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    text = " ".join("".join(kept).split())
    text = text[:MAX_QUERY_CHARS].rstrip()
    if not text:
        raise ValidationFailed("Enter something to search for.", field="q", code="empty_query")
    return text


def highlight_html(fragment: str) -> str:
    """An engine's snippet (raw body text with MARK_START/MARK_STOP around matches) as safe HTML.

    Everything is escaped; markers become <mark>/</mark>, always balanced and never nested,
    whatever the body itself contained.
    """
    out: list[str] = []
    open_mark = False
    # Split at the markers (kept, at odd indexes): the text between them is escaped in one call
    # each, where a loop over every character cost more than the whole search statement's rows.
    for i, part in enumerate(_MARKERS.split(fragment)):
        if i % 2 == 0:
            out.append(html.escape(part))
        elif part == MARK_START and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif part == MARK_STOP and open_mark:
            out.append("</mark>")
            open_mark = False
    if open_mark:
        out.append("</mark>")
    return "".join(out)
