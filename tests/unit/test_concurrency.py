"""If-Match parsing: any header text gives a version or a 412, never an unexpected error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from api.concurrency import etag, if_match_version
from api.schemas.posts import ReactionCounts
from domain.errors import PreconditionFailed


def request_with(if_match: bytes) -> Request:
    return Request({"type": "http", "method": "PATCH", "headers": [(b"if-match", if_match)]})


@pytest.mark.parametrize(
    "header", [b'"v\xb9"', '"v٣"'.encode(), b'"v\xb2."', b'"v99999999999999999999"', b'"v"']
)
def test_malformed_validators_are_a_failed_precondition(header: bytes) -> None:
    # b"\xb9" is "¹" in latin-1, how Starlette reads header bytes: isdigit() but not int().
    with pytest.raises(PreconditionFailed):
        if_match_version(request_with(header))


def test_a_tag_of_ours_names_its_version() -> None:
    assert (
        if_match_version(
            request_with(etag(7, ReactionCounts(like=1, helpful=0, insightful=0)).encode())
        )
        == 7
    )
    assert if_match_version(request_with(b'W/"v3"')) == 3
    assert if_match_version(request_with(b"*")) is None


# Header values reach the app as bytes, which Starlette reads as latin-1.
@given(st.binary(max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b))
def test_any_header_text_gives_a_version_or_412(header: bytes) -> None:
    try:
        version = if_match_version(request_with(header))
    except PreconditionFailed:
        return
    assert version is None or (isinstance(version, int) and 0 <= version < 2**63)


@given(st.text(max_size=30))
def test_any_unicode_after_the_v_gives_a_version_or_412(text: str) -> None:
    header = f'"v{text}"'.encode()
    try:
        version = if_match_version(request_with(header))
    except PreconditionFailed:
        return
    assert version is None or 0 <= version < 2**63
