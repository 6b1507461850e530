"""AccountBuckets: which rate-limit bucket a bearer credential is charged to."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api.middleware import AccountBuckets


class SteppedClock:
    def __init__(self) -> None:
        self.current = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


ACCOUNT = uuid.uuid4()


def _verify(token: str) -> uuid.UUID:
    if token != "good.jwt":
        raise ValueError("bad signature")
    return ACCOUNT


def test_access_tokens_are_charged_to_their_account_only_when_they_verify():
    buckets = AccountBuckets(_verify, SteppedClock())
    assert buckets.key_for("good.jwt") == f"user:{ACCOUNT}"
    assert buckets.key_for("forged.jwt") is None


def test_personal_tokens_are_charged_to_their_account_once_verified_until_expiry():
    clock = SteppedClock()
    buckets = AccountBuckets(_verify, clock, ttl=timedelta(minutes=5))
    assert buckets.key_for("lf_pat_abc") is None
    buckets.remember("lf_pat_abc", ACCOUNT)
    assert buckets.key_for("lf_pat_abc") == f"user:{ACCOUNT}"
    assert buckets.key_for("lf_pat_abd") is None
    clock.current += timedelta(minutes=5)
    assert buckets.key_for("lf_pat_abc") is None


def test_the_map_is_bounded_and_forgets_the_oldest():
    buckets = AccountBuckets(_verify, SteppedClock(), capacity=3)
    for n in range(5):
        buckets.remember(f"lf_pat_{n}", ACCOUNT)
    assert [buckets.key_for(f"lf_pat_{n}") is not None for n in range(5)] == [
        False,
        False,
        True,
        True,
        True,
    ]


def test_access_tokens_are_never_stored():
    buckets = AccountBuckets(_verify, SteppedClock(), capacity=1)
    buckets.remember("lf_pat_kept", ACCOUNT)
    buckets.remember("good.jwt", ACCOUNT)
    assert buckets.key_for("lf_pat_kept") == f"user:{ACCOUNT}"
