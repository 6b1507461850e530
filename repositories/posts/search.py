"""Full-text search over posts: PostgreSQL tsvector + GIN, SQLite FTS5, behind domain's PostSearch.

Both adapters run one statement of the same shape, and it is the whole search request's read:

1. candidates: the CANDIDATE_LIMIT newest matching posts the viewer may see (visibility and
   filters are part of this query, so pages stay full). Ranking a very common term over every
   match is what makes full-text search slow; ranking a bounded, recency-ordered set is not.
   "Newest" is created_at on PostgreSQL and insertion order (rowid) on SQLite. Visibility is
   read from `post.listed` (public, unarchived community, kept current on write) and looked up
   in community and community_member only for the posts not listed.
2. page: those candidates ranked (title above body), keyset on (rank desc, id desc), LIMIT.
3. the page's posts as every page of posts reads them (`queries.post_select`: author,
   community, the viewer's reactions), with what their snippets are made of: FTS5's snippet()
   on SQLite; on PostgreSQL the query's stems (the tsquery as text), which
   domain.search.snippet_html marks in the bodies the row carries anyway (ts_headline parsed and
   stemmed every body again, about 0.25 ms a post).

The trade-off of (1): a plain search ranks only the newest CANDIDATE_LIMIT matches, so for a
word in thousands of posts an older post that would rank higher is not shown; naming a
community, kind or tag narrows the matches and reaches further back.

The candidate window is read from `post` itself, not from a narrow copy of its search columns:
at 10,000 posts a common word's 200 candidates took 0.56 ms from `post` and 0.39 ms from such a
copy (post id, created_at, listed, community, vector), out of about 4 ms that separate a full
page of a common word from a rare word's five hits (most of it is the page's fifteen more
posts, read and serialized as on any page of posts). A copy to keep current on every post and
community write is not worth 0.2 ms; for a word in thousands of posts at 1M posts, both read
one heap page per match to order them by date.

The search objects (tsvector column and GIN index, FTS5 table and triggers) are created by the
migration 2026-11-28_post_search.py and are not declared in tables.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Float,
    FromClause,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from domain.communities.model import MembershipStatus, Visibility
from domain.pagination import PageRequest, PageResult
from domain.search import (
    MARK_START,
    MARK_STOP,
    SearchHit,
    highlight_html,
    query_stems,
    snippet_html,
)
from repositories.base import (
    SortKey,
    inline,
    keyset_bound,
    keyset_params,
    keyset_result,
    keyset_shape,
    order_by,
)
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.posts.queries import post_from_row, post_select
from repositories.posts.tables import PostRow, PostTag

p = PostRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
m = CommunityMember.__table__  # type: ignore[attr-defined]
pt = PostTag.__table__  # type: ignore[attr-defined]

# How many of the newest matches are ranked. Beyond it, older matches are not found by a
# ranked search; a term that common needs a narrower query (community, kind or tag) anyway.
# Ten pages of twenty: each candidate costs a visibility check and a ts_rank over its vector,
# and at 2,000 a common term spent 10 ms of PostgreSQL time per request on them (2 ms at 200).
CANDIDATE_LIMIT = 200

# Names of the objects the migration creates outside tables.py (see include_schema_object).
PG_SEARCH_COLUMN = "search_vector"
PG_SEARCH_INDEX = "ix_post_search_vector"
FTS_TABLE = "post_fts"
# The FTS5 table and the shadow tables SQLite keeps for it.
FTS_TABLES = frozenset(
    [FTS_TABLE] + [f"{FTS_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config")]
)


def include_schema_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic `include_object` hook: leave the search-only objects out of schema comparisons."""
    if type_ == "table" and name in FTS_TABLES:
        return False
    if type_ == "column" and name == PG_SEARCH_COLUMN and obj.table.name == p.name:
        return False
    return not (type_ == "index" and name == PG_SEARCH_INDEX)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a search statement is built for; the values go in as bind parameters (`_prepared`).

    Building the statement cost more Python than anything else in a search request, so each
    shape is built once (`functools.cache` on the adapters' builders)."""

    is_admin: bool
    community: bool
    kind: bool
    skill: bool
    after: bool
    limit: int  # rows fetched: the page and one more


def _prepared(
    build: Callable[[_Shape], Select[Any]],
    viewer_id: UUID,
    is_admin: bool,
    community_id: UUID | None,
    kind: str | None,
    skill_id: UUID | None,
    page: PageRequest,
    **words: str,
) -> tuple[Select[Any], dict[str, Any]]:
    """The statement built (once) for this search's shape, and the values of its parameters."""
    after, limit = keyset_shape(page)
    shape = _Shape(
        is_admin, community_id is not None, kind is not None, skill_id is not None, after, limit
    )
    values = {
        "viewer_id": viewer_id,
        "community_id": community_id,
        "kind": kind,
        "skill_id": skill_id,
        **keyset_params(page),
        **words,
    }
    return build(shape), values


VIEWER = bindparam("viewer_id", type_=m.c.user_id.type)


def _visible(is_admin: bool) -> list[ColumnElement[bool]]:
    """The post is live, its community is not archived, and the viewer may read it: known from
    `post.listed` for posts of public communities, looked up for the others.

    The community is looked up for each candidate by a scalar subquery (its primary key), not
    joined: PostgreSQL cannot estimate a word's matches, assumes about a thousand at 1M posts
    even for a word in five, and then hashed every community (a sequential scan of all of
    them, 9 ms) to join them. A scalar subquery is never turned into a join.
    """
    readable: list[ColumnElement[bool]] = [
        c.c.id == p.c.community_id,
        c.c.archived_at.is_(None),
    ]
    if not is_admin:
        member = exists(
            select(literal(1)).where(
                m.c.community_id == c.c.id,  # the subquery's community (correlated)
                m.c.user_id == VIEWER,
                m.c.status == MembershipStatus.active.value,
            )
        )
        readable.append(or_(c.c.visibility == Visibility.public.value, member))
    community_readable = select(literal(True)).where(*readable).scalar_subquery()
    # post.listed (public, unarchived community; kept current on write) answers for most posts
    # from the row at hand: the lookup above, two index probes per candidate, was two thirds of
    # a common word's database time. OR evaluates it only for the posts not listed.
    return [p.c.deleted_at.is_(None), or_(p.c.listed.is_(True), community_readable.is_(True))]


def _filters(shape: _Shape) -> list[ColumnElement[bool]]:
    rules: list[ColumnElement[bool]] = []
    if shape.community:
        rules.append(p.c.community_id == bindparam("community_id", type_=p.c.community_id.type))
    if shape.kind:
        rules.append(p.c.kind == bindparam("kind", type_=p.c.kind.type))
    if shape.skill:
        skill = bindparam("skill_id", type_=pt.c.skill_id.type)
        rules.append(
            exists(select(literal(1)).where(pt.c.post_id == p.c.id, pt.c.skill_id == skill))
        )
    return rules


def _candidates(
    select_list: list[ColumnElement[Any]],
    source: FromClause,
    newest_first: list[ColumnElement[Any]],
    match: ColumnElement[bool],
    shape: _Shape,
) -> Select[Any]:
    return (
        select(*select_list)
        .select_from(source)
        .where(match, *_visible(shape.is_admin), *_filters(shape))
        .order_by(*newest_first)
        # The planner must see the bound even in a generic plan.
        .limit(inline(CANDIDATE_LIMIT, Integer()))
    )


def _page_of(ranked: Any, shape: _Shape) -> tuple[Any, list[SortKey]]:
    """The page's rows of a ranked subquery (columns id, rank): keyset, order, limit+1."""
    keys = [SortKey(ranked.c.rank, True), SortKey(ranked.c.id, True)]
    page = keyset_bound(select(ranked), keys, after=shape.after, limit=shape.limit)
    return page.subquery("page"), keys


def _page_posts(page_rows: Any, keys: list[SortKey], snippet: ColumnElement[Any]) -> Select[Any]:
    """The page's posts as any page of posts reads them (author, community, the viewer's
    reactions: `post_select`), with their rank and what their snippet is made of, best first:
    one statement for the whole search, and snippets are made for these rows only."""
    posts: Select[Any] = post_select()
    return (
        posts.add_columns(page_rows.c.rank, snippet)
        .join(page_rows, page_rows.c.id == p.c.id)
        .order_by(*order_by([SortKey(page_rows.c[k.column.name], True) for k in keys]))
    )


def _engine_snippet(rows: Sequence[Row[Any]]) -> Callable[[Row[Any]], str]:
    """The engine's own snippet (FTS5's snippet(), markers around the matches) as safe HTML."""
    return lambda r: highlight_html(r.snippet or "")


def _stem_snippet(rows: Sequence[Row[Any]]) -> Callable[[Row[Any]], str]:
    """A snippet of each body with the words carrying the query's stems marked (the stems come
    with every row, as the text of the statement's tsquery)."""
    stems = query_stems(rows[0].terms) if rows else ()
    return lambda r: snippet_html(r.body, stems)


async def _run(
    session: AsyncSession,
    stmt: Select[Any],
    values: dict[str, Any],
    page: PageRequest,
    snippets: Callable[[Sequence[Row[Any]]], Callable[[Row[Any]], str]],
) -> PageResult[SearchHit]:
    rows = (await session.execute(stmt, values)).all()
    snippet_of = snippets(rows)
    return keyset_result(
        rows,
        page,
        lambda r: SearchHit(post=post_from_row(r), snippet=snippet_of(r), rank=float(r.rank)),
        lambda r: (float(r.rank), r.id),
    )


# --- PostgreSQL ---

PG_CONFIG: ColumnClause[Any] = literal_column("'english'")
search_vector = literal_column(f"{p.name}.{PG_SEARCH_COLUMN}", type_=TSVECTOR)


class PgPostSearch:
    """tsvector column (title A, body B) + GIN; websearch_to_tsquery, ts_rank, ts_headline."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def statement(
        self,
        viewer_id: UUID,
        is_admin: bool,
        q: str,
        community_id: UUID | None,
        kind: str | None,
        skill_id: UUID | None,
        page: PageRequest,
    ) -> Select[Any]:
        """The whole search as one statement with its values (for tests to EXPLAIN exactly it)."""
        stmt, values = _prepared(
            _pg_statement, viewer_id, is_admin, community_id, kind, skill_id, page, q=q
        )
        return stmt.params(values)

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
        stmt, values = _prepared(
            _pg_statement, viewer_id, is_admin, community_id, kind, skill_id, page, q=q
        )
        return await _run(self.session, stmt, values, page, _stem_snippet)


@cache
def _pg_statement(shape: _Shape) -> Select[Any]:
    # The words are written in (literal_execute, quoted by the dialect at each execution): with
    # one generic plan for every term, a term in half of 1M posts took 4 s (its own plan:
    # 7 ms). Each query text is a statement of its own, planned for its term; its pages reuse it.
    words = bindparam("q", type_=String(), literal_execute=True)
    query = func.websearch_to_tsquery(PG_CONFIG, words)
    # querytree() is 'T' for a query no index can answer ("-word" alone, "a or -b") and ''
    # for stop words only: those match nothing here, as in the FTS5 adapter, instead of
    # every post. It is a one-time filter, evaluated once per statement.
    searchable = func.querytree(query).notin_(["T", ""])
    candidates = _candidates(
        [p.c.id, search_vector.label("vector")],
        p,
        [p.c.created_at.desc(), p.c.id.desc()],
        and_(search_vector.op("@@")(query), searchable),
        shape,
    ).subquery("candidates")
    ranked = select(
        candidates.c.id,
        func.ts_rank(candidates.c.vector, query, type_=Float).label("rank"),
    ).subquery("ranked")
    page_rows, keys = _page_of(ranked, shape)
    # No ts_headline: it parses and stems each body again (about 0.25 ms a post, most of a
    # common term's database time). The query's stems come back as text instead, and
    # domain.search.snippet_html marks them in the bodies the page reads anyway.
    return _page_posts(page_rows, keys, cast(query, Text).label("terms"))


# --- SQLite ---

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 32
# PostgreSQL's 'english' configuration ignores these; FTS5 has no stop words, and without this
# list "how to deploy with docker" would require every one of "how", "to" and "with".
_STOP_WORDS = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own s same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with you your yours yourself yourselves"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_match(q: str) -> str | None:
    """A websearch-style query as an FTS5 MATCH expression that cannot be a syntax error.

    Reads the input the way PostgreSQL's websearch_to_tsquery does: words (all required, stop
    words ignored), "quoted phrases", `or` between terms and `-word` exclusions. Every term
    reaches FTS5 as a quoted string of word characters, so operators and punctuation in the
    input (NEAR(, *, :, ^, +, {}) are only separators. None when nothing searchable is left
    (only stop words, punctuation or exclusions).
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    want_or = False
    terms = 0
    for chunk in _CHUNK.finditer(q):
        negated, quoted, bare = chunk.group(1), chunk.group(2), chunk.group(3)
        if bare is not None:
            negated = "-" if bare.startswith("-") else ""
            text = bare[len(negated) :]
            if not negated and text.lower() == "or":
                want_or = bool(groups[-1])
                continue
            words = [w for w in _WORD.findall(text) if w.lower() not in STOP_WORDS]
            # "NEAR(retro" is two required words; an exclusion excludes them as a phrase.
            phrases = [" ".join(words)] if negated else words
        else:
            phrases = [" ".join(_WORD.findall(quoted))]
        for phrase in phrases:
            if not phrase or terms >= MAX_TERMS:
                continue
            terms += 1
            if negated:
                excluded.append(_quoted(phrase))
                continue
            if want_or:
                groups.append([])
                want_or = False
            groups[-1].append(_quoted(phrase))
    positive = [group for group in groups if group]
    if not positive:
        return None
    clauses = [" AND ".join(group) for group in positive]
    expression = clauses[0] if len(clauses) == 1 else " OR ".join(f"({cl})" for cl in clauses)
    for term in excluded:
        expression = f"({expression}) NOT {term}"
    return expression


fts = table(FTS_TABLE, column("rowid"), column("title"), column("body"))
# FTS5 takes the table itself as MATCH's left operand and as the auxiliary functions' argument.
fts_name: ColumnClause[Any] = literal_column(FTS_TABLE)
post_rowid: ColumnClause[Any] = literal_column(f"{p.name}.rowid")


def fts_match(expression: str | ColumnElement[str]) -> ColumnElement[bool]:
    return fts_name.match(expression)


class SqlitePostSearch:
    """External-content FTS5 table over post.rowid; bm25 (title 10, body 1) and snippet()."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def statement(
        self,
        viewer_id: UUID,
        is_admin: bool,
        match: str,
        community_id: UUID | None,
        kind: str | None,
        skill_id: UUID | None,
        page: PageRequest,
    ) -> Select[Any]:
        """The whole search as one statement with its values; `match` is an FTS5 expression
        from fts5_match."""
        stmt, values = _prepared(
            _sqlite_statement, viewer_id, is_admin, community_id, kind, skill_id, page, match=match
        )
        return stmt.params(values)

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
        match = fts5_match(q)
        if match is None:
            return PageResult(items=[], next_position=None)
        stmt, values = _prepared(
            _sqlite_statement, viewer_id, is_admin, community_id, kind, skill_id, page, match=match
        )
        return await _run(self.session, stmt, values, page, _engine_snippet)


@cache
def _sqlite_statement(shape: _Shape) -> Select[Any]:
    match = fts_match(bindparam("match", type_=String()))
    # bm25 is "lower is better"; negated, it sorts like ts_rank (descending).
    rank = (-func.bm25(fts_name, 10.0, 1.0, type_=Float)).label("rank")
    ranked = _candidates(
        [p.c.id, post_rowid.label("doc"), rank],
        fts.join(p, post_rowid == fts.c.rowid),
        # Insertion order stands in for created_at: FTS5 returns matches in rowid order
        # by itself, so a common term stops after CANDIDATE_LIMIT rows instead of sorting
        # every match (15 ms instead of 260 ms for a term in half of 200k posts).
        [fts.c.rowid.desc()],
        match,
        shape,
    ).subquery("ranked")
    page_rows, keys = _page_of(ranked, shape)
    snippet = func.snippet(fts_name, 1, MARK_START, MARK_STOP, "…", 12).label("snippet")
    # snippet() needs the FTS5 row of the match: the page's rows are joined to it by rowid.
    return (
        _page_posts(page_rows, keys, snippet).join(fts, fts.c.rowid == page_rows.c.doc).where(match)
    )


def post_search_for(session: AsyncSession) -> PgPostSearch | SqlitePostSearch:
    """The adapter for the session's database."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return PgPostSearch(session)
    return SqlitePostSearch(session)
