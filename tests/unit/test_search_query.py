"""Search input rules: query normalisation, safe highlights, and the FTS5 translation that must
never produce an expression FTS5 rejects (that would be a 500)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.search import (
    MARK_START,
    MARK_STOP,
    MAX_QUERY_CHARS,
    highlight_html,
    query_stems,
    search_query,
    snippet_html,
)
from repositories.posts.search import fts5_match


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  kubernetes  ", "kubernetes"),
        ("team\tretro\nformats", "team retro formats"),
        ("zero\u200bwidth", "zerowidth"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("rtl\u202eoverride", "rtloverride"),
        ("private\ue000use", "privateuse"),
        ("caf\u00e9 \u2014 na\u00efve", "caf\u00e9 \u2014 na\u00efve"),
    ],
)
def test_search_query_cleans_input(raw: str, expected: str) -> None:
    assert search_query(raw) == expected


def test_search_query_caps_the_length() -> None:
    assert search_query("a" * 500) == "a" * MAX_QUERY_CHARS
    assert search_query("word " * 100).endswith("word")  # no trailing space after the cut


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\x00\x1f", "\u200b\u200d", "\ue000"])
def test_empty_queries_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        search_query(raw)
    assert info.value.field == "q"


@given(st.text(max_size=400))
def test_search_query_output_is_clean_or_rejected(raw: str) -> None:
    try:
        cleaned = search_query(raw)
    except ValidationFailed:
        return
    assert cleaned and cleaned == cleaned.strip()
    assert len(cleaned) <= MAX_QUERY_CHARS
    assert all(ch == " " or ch.isprintable() for ch in cleaned)
    assert "  " not in cleaned


S, E = MARK_START, MARK_STOP


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (f"plain {S}term{E} text", "plain <mark>term</mark> text"),
        (
            f"<script>alert(1)</script> {S}x{E} & y",
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark> &amp; y",
        ),
        (f'a "quoted" {S}word{E}', "a &quot;quoted&quot; <mark>word</mark>"),
        (f"{E}stray stop {S}open", "stray stop <mark>open</mark>"),
        (f"{S}{S}nested{E}{E}", "<mark>nested</mark>"),
        ("<mark>not ours</mark>", "&lt;mark&gt;not ours&lt;/mark&gt;"),
        ("", ""),
    ],
)
def test_highlight_html_escapes_everything_but_the_marks(fragment: str, expected: str) -> None:
    assert highlight_html(fragment) == expected


@given(st.text(alphabet=st.sampled_from(["a", " ", "<", ">", "&", '"', S, E]), max_size=60))
def test_highlight_html_is_always_balanced_and_tag_free(fragment: str) -> None:
    out = highlight_html(fragment)
    stripped = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    depth = 0
    for i in range(len(out)):
        if out.startswith("<mark>", i):
            depth += 1
        elif out.startswith("</mark>", i):
            depth -= 1
        assert depth in (0, 1)
    assert depth == 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kubernetes", '"kubernetes"'),
        ("team retro", '"team" AND "retro"'),
        ("how to deploy with docker", '"deploy" AND "docker"'),
        ('"team retro" formats', '"team retro" AND "formats"'),
        ("retro or planning", '("retro") OR ("planning")'),
        ("retro -team", '("retro") NOT "team"'),
        ("x y or z -d -e", '((("x" AND "y") OR ("z")) NOT "d") NOT "e"'),
        ('-"team retro" kata', '("kata") NOT "team retro"'),
        ("NEAR(retro", '"NEAR" AND "retro"'),
        ("title:retro", '"title" AND "retro"'),
        ("retro* ^kata", '"retro" AND "kata"'),
        ("-retro", None),
        ("the of and", None),
        ('"', None),
        ("* : - ( )", None),
        ("or", None),
    ],
)
def test_fts5_match_translation(q: str, expected: str | None) -> None:
    assert fts5_match(q) == expected


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t VALUES ('Retro formats', 'Our team retro, a NEAR miss')")
    return connection


TOKENS = [*"\"*-:^(){}+,.'\\ ", "NEAR", "AND", "OR", "NOT", "or", "retro", "team", " "]


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=25).map("".join))
def test_fts5_never_rejects_the_translation(fts: sqlite3.Connection, q: str) -> None:
    expression = fts5_match(q)
    if expression is not None:
        fts.execute(
            "SELECT rowid, bm25(t, 10.0, 1.0) FROM t WHERE t MATCH ?", (expression,)
        ).fetchall()


def test_query_stems_reads_a_tsquery_without_its_exclusions() -> None:
    assert query_stems("'team' & !'retro' & 'o''reilli' <-> 'format'") == (
        "format",
        "o'reilli",
        "team",
    )
    assert query_stems("") == ()


def test_snippets_mark_the_forms_of_each_stem_and_nothing_else() -> None:
    body = "Mentors, mentoring and a mentor; teammates are not a team. Happy people use tools."
    html_ = snippet_html(body, ("happi", "mentor", "team", "use"))
    assert html_.count("<mark>") == 6
    for word in ("Mentors", "mentoring", "mentor", "team", "Happy", "use"):
        assert f"<mark>{word}</mark>" in html_
    assert "<mark>teammates</mark>" not in html_  # a word of its own, not a form of "team"


def test_snippets_are_escaped_and_start_near_the_first_match() -> None:
    body = "filler " * 40 + "<b>onboarding</b> & \ue000stray\ue001 markers " + "tail " * 60
    html_ = snippet_html(body, ("onboard",))
    assert html_.startswith("filler")
    assert "&lt;b&gt;<mark>onboarding</mark>&lt;/b&gt; &amp;" in html_
    assert "\ue000" not in html_ and "\ue001" not in html_
    assert len(html_) < 300
    # Only the title matched: the beginning of the body, unmarked.
    assert snippet_html("Nothing here <i>at all</i>", ("absent",)) == (
        "Nothing here &lt;i&gt;at all&lt;/i&gt;"
    )
