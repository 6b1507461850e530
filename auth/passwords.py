"""Argon2id password hashing, run in a worker thread so the event loop never blocks on it.

Each hash or check costs tens of milliseconds of CPU and 19 MiB. Run without bound (anyio's
default allows 40 threads), a burst of sign-ins, wrong or not, takes every core and every other
request waits behind it; so at most `workers` run at once and at most `queue` wait. Beyond that
the caller gets Overloaded (503 with Retry-After) at once, before any work is done.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import Overloaded

# OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1. We sit above it.
TIME_COST = 3
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1
# A few waiting requests ride out a burst; more would only wait longer than a retry costs.
DEFAULT_QUEUE = 8
RETRY_AFTER_SECONDS = 1

T = TypeVar("T")


def default_workers() -> int:
    return os.cpu_count() or 1


class Argon2PasswordHasher:
    def __init__(
        self,
        time_cost: int = TIME_COST,
        memory_cost: int = MEMORY_COST_KIB,
        parallelism: int = PARALLELISM,
        *,
        workers: int | None = None,
        queue: int = DEFAULT_QUEUE,
    ) -> None:
        self._hasher = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=Type.ID,
        )
        self.workers = max(1, workers or default_workers())
        self.queue = max(0, queue)
        self._limiter = anyio.CapacityLimiter(self.workers)
        self._admitted = 0  # running plus waiting; only touched on the event loop

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        if self._admitted >= self.workers + self.queue:
            raise Overloaded(
                "The server is busy checking passwords; try again in a moment.",
                retry_after=RETRY_AFTER_SECONDS,
            )
        self._admitted += 1
        try:
            return await anyio.to_thread.run_sync(work, *args, limiter=self._limiter)
        finally:
            self._admitted -= 1

    async def hash(self, password: str) -> str:
        return await self._run(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._run(self._verify_sync, password_hash, password)

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def hash_sync(self, password: str) -> str:
        """For start-up and CLI use only."""
        return str(self._hasher.hash(password))

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return bool(self._hasher.check_needs_rehash(password_hash))
        except InvalidHashError:
            return True
