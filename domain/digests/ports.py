"""Ports of notification mail and digests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.digests.model import DigestContent, DigestFrequency, DigestPerson, PendingMail
from domain.notifications.model import NotificationKind


class UnsubscribeTokens(Protocol):
    """Signed one-click unsubscribe tokens: each names one person and one topic and is good
    for nothing else (its own key, derived from the app secret)."""

    def issue(self, user_id: UUID, topic: str) -> str: ...

    def read(self, token: str) -> tuple[UUID, str] | None:
        """The person and topic a token names; None when it is malformed or its signature is
        wrong."""
        ...


class MailingRepository(Protocol):
    async def digest_frequency(self, user_id: UUID) -> DigestFrequency:
        """The person's choice, or the default (weekly if they ever signed in, else off)."""
        ...

    async def set_digest_frequency(self, user_id: UUID, frequency: DigestFrequency) -> None: ...

    async def pending_mail(
        self,
        kinds: Sequence[NotificationKind],
        quiet_since: datetime,
        lookback: datetime,
        after: UUID | None,
        limit: int,
        items: int,
    ) -> list[PendingMail]:
        """People (by id, after `after`, at most `limit`) whose address may get mail (active,
        verified, deliverable) with unread lines they can still see, newer than what was last
        mailed to them and than `lookback`, of kinds they want by e-mail (`kinds` are the
        default ones), whose last notification mail was at or before `quiet_since`; with
        their newest `items` such lines and how many there are."""
        ...

    async def claim_notification_mail(
        self, user_id: UUID, at: datetime, upto: datetime, quiet_since: datetime
    ) -> bool:
        """Record a notification mail to the person at `at` covering lines up to `upto`,
        unless another one was recorded after `quiet_since` (False: not ours to send)."""
        ...

    async def time_zones(self) -> list[str | None]:
        """The distinct time zones people have set (None for those without one)."""
        ...

    async def digest_people(
        self,
        frequency: DigestFrequency,
        period_key: str,
        time_zones: Sequence[str | None],
        after: UUID | None,
        limit: int,
    ) -> list[UUID]:
        """People (by id, after `after`, at most `limit`) in `time_zones` whose digest setting
        is `frequency` (explicit or default), whose address may get mail, and who have no
        digest recorded for `period_key`."""
        ...

    async def digest_contents(
        self, people: Sequence[DigestPerson], now: datetime
    ) -> dict[UUID, DigestContent]:
        """Each person's digest, read for all of them at once (a few statements a batch)."""
        ...

    async def claim_digests(
        self, people: Sequence[tuple[UUID, bool]], period_key: str, at: datetime
    ) -> set[UUID]:
        """Record each person's digest for the period (`(user_id, sent)`: sent, or skipped as
        empty) in one statement; the people whose record this was (those already recorded are
        left out)."""
        ...


class DigestsRepositories(Protocol):
    @property
    def mailing(self) -> MailingRepository: ...
