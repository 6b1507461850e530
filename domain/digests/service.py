"""Notification mail and digests: two periodic jobs that work on everybody at once (keyset
over people, bounded batches, one transaction a batch), the short settings, and one-click
unsubscribe.

Why a periodic job rather than the notification consumer: the 10-minute collapse needs a
timer anyway (what arrives during the quiet time goes out when it ends, whether or not
anything else happens), and one job a minute reads all pending people with a few statements
instead of a query per notification. Its claim (the person's mail state, updated only when
their last mail is old enough) commits with the queued mail, so two runs never both mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.actor import Actor
from domain.clock import Clock
from domain.digests.model import (
    DIGEST_TOPIC,
    MAIL_INTERVAL,
    MAIL_ITEMS,
    MAIL_LOOKBACK,
    MENTORSHIP_KINDS,
    DigestContent,
    DigestFrequency,
    DigestPeriod,
    DigestPerson,
    MailTopic,
    NotificationSettings,
    PendingMail,
    SettingsChange,
    Unsubscribe,
    UnsubscribeKind,
    current_period,
    notification_topic,
    zone_of,
)
from domain.digests.ports import UnsubscribeTokens
from domain.errors import NotFound, ValidationFailed
from domain.mail.model import MailCategory, MailMessage
from domain.mail.service import send_mails
from domain.notifications.model import (
    EMAIL_BY_DEFAULT,
    ChannelChange,
    NotificationKind,
)
from domain.notifications.service import preferences, set_preferences
from domain.ports import UnitOfWork

# People a digest or notification mail run reads, builds and queues in one transaction.
BATCH = 500
BAD_LINK = (
    "This unsubscribe link is not valid. Change your e-mail in your notification preferences."
)
UNKNOWN_PERSON = "The account of this unsubscribe link no longer exists."

KIND_LABELS: dict[NotificationKind, str] = {
    NotificationKind.new_post: "new posts",
    NotificationKind.question_for_you: "questions for you",
    NotificationKind.comment_on_post: "answers to your questions",
    NotificationKind.reply_to_comment: "replies to your comments",
    NotificationKind.mention: "mentions",
    NotificationKind.answer_accepted: "accepted answers",
    NotificationKind.join_request: "join requests",
    NotificationKind.membership_approved: "approved memberships",
    NotificationKind.invitation: "invitations",
    NotificationKind.nomination: "nominations",
    NotificationKind.nominations_open: "open nominations",
    NotificationKind.mentorship_requested: "mentorship requests",
    NotificationKind.mentorship_accepted: "accepted mentorships",
    NotificationKind.mentorship_declined: "declined mentorships",
    NotificationKind.endorsement_received: "endorsements",
    NotificationKind.report_filed: "reports",
    NotificationKind.webhook_disabled: "disabled webhooks",
}


def describe(topic: MailTopic) -> str:
    """What unsubscribing from `topic` turns off, in words."""
    if topic.kind is UnsubscribeKind.digest:
        return "the e-mail digest"
    labels = [KIND_LABELS[k] for k in topic.notification_kinds]
    return "e-mail about " + (
        labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    )


# -- immediate notification mail --------------------------------------------------------------


def notification_message(person: PendingMail, tokens: UnsubscribeTokens) -> MailMessage:
    topic = notification_topic(line.kind for line in person.lines)
    lines = [
        {
            "what": KIND_LABELS[line.kind],
            "title": line.title,
            "url": line.url,
            "count": line.count,
        }
        for line in person.lines
    ]
    return MailMessage(
        template="notification_mail",
        category=MailCategory.notification,
        to_user_id=person.user_id,
        context={
            "lines": lines,
            "more": max(0, person.total - len(lines)),
            "unsubscribe_token": tokens.issue(person.user_id, topic.value),
            "unsubscribe_what": describe(topic),
        },
    )


async def send_notification_mail(
    uow: UnitOfWork, clock: Clock, tokens: UnsubscribeTokens, batch: int = BATCH
) -> int:
    """One mail for each person with unread, unmailed lines of kinds they want by e-mail, unless
    they got one less than MAIL_INTERVAL ago (then what arrived waits and is collapsed into the
    next). The number of mails queued."""
    now = clock.now()
    quiet_since, lookback = now - MAIL_INTERVAL, now - MAIL_LOOKBACK
    defaults = sorted(EMAIL_BY_DEFAULT)
    after: UUID | None = None
    queued = 0
    while True:
        pending = await uow.mailing.pending_mail(
            defaults, quiet_since, lookback, after, batch, MAIL_ITEMS
        )
        messages = []
        for person in pending:
            upto = max(line.created_at for line in person.lines)
            if await uow.mailing.claim_notification_mail(person.user_id, now, upto, quiet_since):
                messages.append(notification_message(person, tokens))
        await send_mails(uow, clock, messages)
        queued += len(messages)
        await uow.commit()
        if len(pending) < batch:
            return queued
        after = pending[-1].user_id


# -- digests ------------------------------------------------------------------------------------


def due_groups(
    time_zones: Sequence[str | None], now: datetime
) -> dict[tuple[DigestFrequency, str, datetime], tuple[DigestPeriod, list[str | None]]]:
    """The time zones (as people set them) whose digest is due now, grouped by frequency,
    period and period start (zones with the same offset share a group)."""
    groups: dict[tuple[DigestFrequency, str, datetime], tuple[DigestPeriod, list[str | None]]]
    groups = {}
    for name in time_zones:
        zone = zone_of(name)
        for frequency in (DigestFrequency.daily, DigestFrequency.weekly):
            period = current_period(frequency, zone, now)
            if period is None:
                continue
            key = (frequency, period.key, period.starts_at)
            groups.setdefault(key, (period, []))[1].append(name)
    return groups


def _digest_context(content: DigestContent, period: DigestPeriod) -> dict[str, Any]:
    return {
        "frequency": period.frequency.value,
        "top_posts": [vars_of(p) for p in content.top_posts],
        "questions": [vars_of(p) for p in content.questions],
        "stewarding": [vars_of(s) for s in content.stewarding],
        "sessions": [
            {
                "other": s.other,
                "skill": s.skill,
                "url": s.url,
                "last_session_on": s.last_session_on.isoformat() if s.last_session_on else None,
            }
            for s in content.sessions
        ],
    }


def vars_of(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__slots__}


def digest_message(
    user_id: UUID, content: DigestContent, period: DigestPeriod, tokens: UnsubscribeTokens
) -> MailMessage:
    return MailMessage(
        template="digest",
        category=MailCategory.digest,
        to_user_id=user_id,
        context={
            **_digest_context(content, period),
            "unsubscribe_token": tokens.issue(user_id, DIGEST_TOPIC.value),
            "unsubscribe_what": describe(DIGEST_TOPIC),
        },
    )


async def send_digests(
    uow: UnitOfWork, clock: Clock, tokens: UnsubscribeTokens, batch: int = BATCH
) -> int:
    """Every digest due now (in the hours after 08:00 local, a Monday for weekly ones), built
    and queued a batch of people at a time with a constant number of statements a batch: the
    per-person records of the period are claimed in the transaction that queues the mail, so a
    run interrupted half way and run again (or two runs at once) sends each digest once. Empty
    digests are recorded as skipped. The number queued."""
    now = clock.now()
    queued = 0
    for period, zones in due_groups(await uow.mailing.time_zones(), now).values():
        after: UUID | None = None
        while True:
            ids = await uow.mailing.digest_people(period.frequency, period.key, zones, after, batch)
            people = [DigestPerson(i, period, period.starts_at) for i in ids]
            contents = await uow.mailing.digest_contents(people, now)
            built = {i: contents.get(i) or DigestContent() for i in ids}
            claimed = await uow.mailing.claim_digests(
                [(i, not content.empty) for i, content in built.items()], period.key, now
            )
            messages = [
                digest_message(user_id, built[user_id], period, tokens)
                for user_id in ids
                if user_id in claimed and not built[user_id].empty
            ]
            await send_mails(uow, clock, messages)
            queued += len(messages)
            await uow.commit()
            if len(ids) < batch:
                break
            after = ids[-1]
    return queued


# -- settings and unsubscribe -------------------------------------------------------------------


async def notification_settings(uow: UnitOfWork, actor: Actor) -> NotificationSettings:
    choices = await preferences(uow, actor)
    return NotificationSettings(
        email_digest=await uow.mailing.digest_frequency(actor.user_id),
        email_on_mention=choices[NotificationKind.mention].email,
        email_on_mentorship=all(choices[k].email for k in MENTORSHIP_KINDS),
    )


async def update_notification_settings(
    uow: UnitOfWork, actor: Actor, change: SettingsChange
) -> NotificationSettings:
    """`email_on_mention` is the mention kind's e-mail channel, `email_on_mentorship` the three
    mentorship kinds' (the per-kind preferences show the same)."""
    kinds: dict[NotificationKind, ChannelChange] = {}
    if change.email_on_mention is not None:
        kinds[NotificationKind.mention] = ChannelChange(email=change.email_on_mention)
    if change.email_on_mentorship is not None:
        for kind in MENTORSHIP_KINDS:
            kinds[kind] = ChannelChange(email=change.email_on_mentorship)
    if change.email_digest is not None:
        await uow.mailing.set_digest_frequency(actor.user_id, change.email_digest)
    if kinds:
        await set_preferences(uow, actor, kinds)  # commits
    else:
        await uow.commit()
    return await notification_settings(uow, actor)


def read_unsubscribe(tokens: UnsubscribeTokens, token: str) -> Unsubscribe:
    """The person and topic a one-click unsubscribe token names; a token that is not ours
    (tampered, truncated, made up) is ValidationFailed."""
    read = tokens.read(token)
    topic = MailTopic.parse(read[1]) if read is not None else None
    if read is None or topic is None:
        raise ValidationFailed(BAD_LINK, field="token")
    return Unsubscribe(read[0], topic)


async def unsubscribe(uow: UnitOfWork, tokens: UnsubscribeTokens, token: str) -> Unsubscribe:
    """Turn off exactly what the token names: the digest, or the e-mail channel of the
    notification kinds of that mail. Repeating it changes nothing."""
    request = read_unsubscribe(tokens, token)
    person = await uow.users.get(request.user_id)
    if person is None:
        raise NotFound(UNKNOWN_PERSON)
    actor = Actor(person.id)
    if request.topic.kind is UnsubscribeKind.digest:
        await uow.mailing.set_digest_frequency(person.id, DigestFrequency.off)
        await uow.commit()
    else:
        changes = {k: ChannelChange(email=False) for k in request.topic.notification_kinds}
        await set_preferences(uow, actor, changes)
    return request
