"""Full-text search over posts: the port, and the pure rules for queries and highlighted snippets.

The adapters (PostgreSQL tsvector, SQLite FTS5) live in repositories/posts/search.py. Both
mark matches with the sentinel characters below instead of HTML, so that `highlight_html` can
escape the raw Markdown source and then turn only the sentinels into <mark> tags.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from domain.errors import ValidationFailed
from domain.pagination import PageRequest, PageResult

if TYPE_CHECKING:
    from domain.posts.model import Post

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
    """One ranked post, read in the same statement as its rank (no second query for the page's
    posts). `snippet` is HTML-safe: escaped text whose only tags are <mark>."""

    post: Post
    snippet: str
    rank: float

    @property
    def post_id(self) -> UUID:
        return self.post.id


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
        best first, keyset-paged on (rank, id), each with its author, community and the
        viewer's reactions as on any page of posts. Visibility is part of the query, so every page
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


# --- Snippets from stems -------------------------------------------------------------------
#
# PostgreSQL's ts_headline parses and stems the whole body again for every hit: about 0.25 ms per
# post, five milliseconds of database time for a page of twenty, more than everything else a
# search does. The engine already knows which stems a query matches (its tsquery); marking the
# words of the page's bodies that carry those stems is a regular expression over twenty short
# texts, done here. It finds a word by its stem followed by an English inflection or derivation
# suffix, so it marks "mentors", "mentoring" and "mentored" for the stem "mentor" as the engine
# would; which posts match is still decided by the engine, this only chooses what to mark.

SNIPPET_CHARS = 220  # about 30 words, the length ts_headline's MaxWords=30 gave
SNIPPET_LEAD = 60  # characters shown before the first match
_LEXEME = re.compile(r"(!?)'((?:[^']|'')+)'")
# What English stemming removes from a word (Snowball's steps, flattened), so that a stem finds
# its inflected and derived forms; at most two of them, then an optional plural.
_SUFFIX_WORDS = (
    "ational tional ization ation ations ator ators alism ality alities alli fulness ousness "
    "iveness ivity bility ables ably able ibles ibly ible ances ance ences ence ements ement "
    "ments ment ents ent isms ism ists ist izes ized izer izers izing ize ises ised ising ise "
    "ities ity ives ive ions ion ously ous ical ically ic ics ants ant als ally al fully ful "
    "nesses ness lessly less ers er ings ingly ing eedly eed edly ed ies ied ier iers iest "
    "ily ly es s e y i"
)
_SUFFIX_RE = re.compile(
    "(?:" + "|".join(sorted(set(_SUFFIX_WORDS.split()), key=len, reverse=True)) + "){0,2}"
)


def query_stems(tsquery_text: str) -> tuple[str, ...]:
    """The stems a PostgreSQL tsquery (its text form, e.g. `'team' & !'retro' <-> 'format'`)
    looks for, without the excluded ones."""
    found = _LEXEME.finditer(tsquery_text)
    return tuple(sorted({m.group(2).replace("''", "'") for m in found if not m.group(1)}))


@lru_cache(maxsize=256)
def stem_pattern(stems: tuple[str, ...]) -> re.Pattern[str] | None:
    """A regular expression for the words that begin with one of `stems` (case-insensitive);
    `_stem_word` then keeps those whose rest is a suffix stemming removes."""
    bases: set[str] = set()
    for stem in stems:
        bases.add(re.escape(stem))
        # Stemming turns a final y into i ("happy" -> "happi") and drops a final e ("use" ->
        # "us" in "using"): the word may have the letter the stem lost.
        if len(stem) > 2 and stem[-1] in "ie":
            bases.add(re.escape(stem[:-1]))
    if not bases:
        return None
    words = "|".join(sorted(bases, key=len, reverse=True))
    # No leading \b: Python's re tries it at every position, ten times slower than the search
    # for the literal words; `_marked` checks the start of the word instead.
    return re.compile(rf"(?:{words})(\w*)")


def _marked(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Where the words of `text` that carry one of the pattern's stems are (start, end)."""
    lower = text.lower()
    if len(lower) != len(text):  # a few letters lowercase to two characters: keep the offsets
        lower = "".join(ch.lower()[0] for ch in text)
    for match in pattern.finditer(lower):
        start = match.start()
        if start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
            continue  # inside a word
        rest = match.group(1)
        if not rest or _SUFFIX_RE.fullmatch(rest):
            yield start, match.end()


def snippet_html(body: str, stems: tuple[str, ...]) -> str:
    """About SNIPPET_CHARS characters of `body` around its first word carrying one of `stems`,
    as safe HTML: escaped text with <mark> around every such word (the beginning of the body,
    unmarked, when only the title matched)."""
    text = body
    if MARK_START in text or MARK_STOP in text:
        text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    pattern = stem_pattern(stems)
    marks = _marked(pattern, text) if pattern is not None else iter(())
    first = next(marks, None)
    start = 0
    if first is not None and first[0] > SNIPPET_LEAD:
        cut = text.find(" ", first[0] - SNIPPET_LEAD, first[0])
        start = cut + 1 if cut >= 0 else first[0] - SNIPPET_LEAD
    end = start + SNIPPET_CHARS
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    if first is None:
        return html.escape(text[start:end].strip())
    out: list[str] = []
    at = start
    for begin, stop in itertools.chain([first], marks):
        if stop > end:
            break
        out.append(html.escape(text[at:begin]))
        out.append("<mark>" + html.escape(text[begin:stop]) + "</mark>")
        at = stop
    out.append(html.escape(text[at:end]))
    return "".join(out).strip()
