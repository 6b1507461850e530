"""The bounded pool in front of argon2 (auth.passwords)."""

from __future__ import annotations

import asyncio

from auth.passwords import Argon2PasswordHasher
from domain.errors import Overloaded


async def test_the_pool_admits_workers_plus_queue_and_refuses_the_rest():
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8, workers=1, queue=1)
    stored = hasher.hash_sync("correct-horse-battery")
    outcomes = await asyncio.gather(
        *(hasher.verify(stored, "correct-horse-battery") for _ in range(4)),
        return_exceptions=True,
    )
    assert outcomes[:2] == [True, True]
    assert all(isinstance(o, Overloaded) and o.retry_after >= 1 for o in outcomes[2:])
    # Once the burst is over, the pool takes work again.
    assert await hasher.verify(stored, "correct-horse-battery")
