"""The PostgreSQL value codecs of repositories/db.py, as pure functions."""

from __future__ import annotations

import pickle
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repositories.db import (
    EARLIEST,
    LATEST,
    timestamp_from_text,
    timestamp_to_text,
    uuid_from_bytes,
    uuid_to_bytes,
)


@given(st.uuids())
def test_a_uuid_from_bytes_is_what_the_standard_constructor_builds(expected: uuid.UUID):
    got = uuid_from_bytes(expected.bytes)
    assert type(got) is uuid.UUID
    assert got == expected and hash(got) == hash(expected) and str(got) == str(expected)
    assert got.is_safe is uuid.UUID(bytes=expected.bytes).is_safe
    assert pickle.loads(pickle.dumps(got)) == expected
    assert uuid_to_bytes(got) == uuid_to_bytes(str(expected)) == expected.bytes


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-11-28 16:42:00.123456+00", datetime(2026, 11, 28, 16, 42, 0, 123456, tzinfo=UTC)),
        ("2026-01-01 00:00:00+00", datetime(2026, 1, 1, tzinfo=UTC)),
        ("infinity", datetime.max.replace(tzinfo=UTC)),
        ("-infinity", datetime.min.replace(tzinfo=UTC)),
    ],
)
def test_timestamps_read_from_postgresql_text(text: str, moment: datetime):
    read = timestamp_from_text(text)
    assert read == moment and read.utcoffset() is not None and not read.utcoffset()


def test_the_ends_of_the_range_are_written_as_infinities():
    assert (timestamp_to_text(LATEST), timestamp_to_text(EARLIEST)) == ("infinity", "-infinity")
    moment = datetime(2026, 11, 28, 16, 42, tzinfo=UTC)
    assert timestamp_from_text(timestamp_to_text(moment)) == moment


def test_anything_else_is_refused():
    with pytest.raises(ValueError):
        timestamp_from_text("tomorrow")
