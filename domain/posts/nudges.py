"""Follow-the-sun nudges: a question that waits for an answer longer than its community's
`nudge_after_minutes` is put in front of up to three people who can answer it and are at work
right now. One window later, if it is still unanswered, the next people are asked (usually where
the working day has just begun), until an answer arrives.

Who is asked: people who can see the question, hold one of its skills at level 3 or more or rank
among its top experts, are inside their working hours in their own time zone, are not its author,
were never asked about it and did not dismiss it, keep in-app notifications on for
`question_for_you`, and were asked fewer than three times today (their own today). A person
without a time zone is never nudged: we cannot tell when they are at work.

The job is set-based: a batch of questions costs one statement for the due questions, one for
their candidates, one for the candidates' recent nudges and one insert, plus the notifications
(`notify_many`: who may be told, who muted the kind, one upsert), whatever the number of
questions and people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.actor import Actor
from domain.clock import Clock
from domain.notifications.model import Notice, NotificationKind
from domain.notifications.service import notify_many
from domain.ports import UnitOfWork
from domain.posts.context import post_context, post_url
from domain.posts.model import DueQuestion, NewNudge, NudgeCandidate
from domain.users.model import DEFAULT_WORKING_HOURS

PEOPLE_PER_WINDOW = 3
DAILY_CAP = 3  # nudges a person gets per day of their own
EXPERT_LEVEL = 3  # "proficient" or more on the Dreyfus scale
TOP_EXPERTS = 10  # ranking among a skill's best this many counts as an expert
# Questions older than this are no longer nudged (their experts have long been asked).
HORIZON = timedelta(days=7)
# Questions handled per run; the next run (a minute later) takes the rest.
BATCH = 100
# Due questions read per run, before the ones not due in this window are set aside.
SCAN = 2000


def local_time(timezone: str, now: datetime) -> datetime | None:
    try:
        return now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def reason_for(candidate: NudgeCandidate, local: datetime) -> str:
    """Why this person, in their words and at their time."""
    clock = f"it's {local:%H:%M} for you"
    if candidate.top_expert:
        return f"you're among the top experts in {candidate.skill_name} and {clock}"
    return f"you know {candidate.skill_name} (level {candidate.level}) and {clock}"


def nudges_today(times: Iterable[datetime], timezone: str, now: datetime) -> int:
    """How many of `times` fall on the person's current local day."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    return sum(1 for t in times if t.astimezone(zone).date() == today)


def _preference(candidate: NudgeCandidate) -> tuple[bool, float, int]:
    return (candidate.top_expert, candidate.score, candidate.level)


def choose(
    questions: list[DueQuestion],
    candidates: list[NudgeCandidate],
    recent: dict[UUID, list[datetime]],
    now: datetime,
) -> list[NewNudge]:
    """Up to PEOPLE_PER_WINDOW people per question, the strongest first, each inside their
    working hours now and under their daily cap (counting what this run adds). Older questions
    are served first, so they are the ones that reach a busy expert."""
    best: dict[tuple[UUID, UUID], NudgeCandidate] = {}
    for c in candidates:
        key = (c.post_id, c.user_id)
        if key not in best or _preference(c) > _preference(best[key]):
            best[key] = c
    by_question: dict[UUID, list[NudgeCandidate]] = defaultdict(list)
    for c in best.values():
        by_question[c.post_id].append(c)
    counts: dict[UUID, int] = {}
    chosen: list[NewNudge] = []
    for question in sorted(questions, key=lambda q: q.created_at):
        window = question.window(now)
        picked = 0
        for c in sorted(by_question[question.post_id], key=_preference, reverse=True):
            if picked == PEOPLE_PER_WINDOW:
                break
            local = local_time(c.timezone, now)
            if local is None or not (c.working_hours or DEFAULT_WORKING_HOURS).includes(local):
                continue
            if c.user_id not in counts:
                counts[c.user_id] = nudges_today(recent.get(c.user_id, []), c.timezone, now)
            if counts[c.user_id] >= DAILY_CAP:
                continue
            counts[c.user_id] += 1
            picked += 1
            chosen.append(NewNudge(question.post_id, c.user_id, window, reason_for(c, local), now))
    return chosen


async def nudge_questions(uow: UnitOfWork, clock: Clock) -> int:
    """The periodic job: nudge for every question due in its current window; the number of
    people nudged."""
    now = clock.now()
    scanned = await uow.nudges.due_questions(now - HORIZON, now, SCAN)
    due = [q for q in scanned if q.window(now) > q.last_window][:BATCH]
    if not due:
        return 0
    candidates = await uow.nudges.candidates(
        [q.post_id for q in due], EXPERT_LEVEL, TOP_EXPERTS, NotificationKind.question_for_you
    )
    if not candidates:
        return 0
    recent = await uow.nudges.recent(list({c.user_id for c in candidates}), now - timedelta(days=2))
    chosen = choose(due, candidates, recent, now)
    if not chosen:
        return 0
    recorded = await uow.nudges.record(chosen)
    titles = {q.post_id: q for q in due}
    groups: dict[tuple[UUID, str], list[UUID]] = defaultdict(list)
    for nudge in chosen:
        if (nudge.post_id, nudge.user_id) in recorded:
            groups[(nudge.post_id, nudge.reason)].append(nudge.user_id)
    await notify_many(
        uow,
        clock,
        [
            Notice(
                people,
                NotificationKind.question_for_you,
                None,
                "post",
                post_id,
                f"{reason[:1].upper()}{reason[1:]}: {titles[post_id].title}",
                post_url(post_id),
                community_id=titles[post_id].community_id,
            )
            for (post_id, reason), people in groups.items()
        ],
    )
    await uow.commit()
    return len(recorded)


async def dismiss_nudge(uow: UnitOfWork, clock: Clock, actor: Actor, post_id: UUID) -> None:
    """ "Not for me": no more nudges to the caller about this question (whether or not they were
    nudged yet). A post the caller cannot see is a 404, as everywhere."""
    await post_context(uow, actor, post_id)
    await uow.nudges.dismiss(post_id, actor.user_id, clock.now())
    await uow.commit()
