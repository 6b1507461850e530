"""Follow-the-sun nudges in SQL: the questions due, who could answer them, who was asked
(domain/posts/nudges.py has the rules). Each method is one statement, whatever the batch size."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, exists, false, func, or_, select, true, type_coerce
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, Visibility
from domain.communities.ports import NudgeOutcome
from domain.notifications.model import NotificationKind
from domain.posts.model import DueQuestion, NewNudge, NudgeCandidate, PostKind
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.notifications.tables import NotificationPreferenceRow
from repositories.posts.tables import CommentRow, PostNudgeRow, PostRow, PostTag
from repositories.skills.tables import SkillRow, UserSkill
from repositories.types import UTCDateTime
from repositories.users.queries import decode_working_hours
from repositories.users.tables import UserAccount

p = PostRow.__table__  # type: ignore[attr-defined]
pt = PostTag.__table__  # type: ignore[attr-defined]
cm = CommentRow.__table__  # type: ignore[attr-defined]
nudges = PostNudgeRow.__table__  # type: ignore[attr-defined]
c = CommunityRow.__table__  # type: ignore[attr-defined]
mem = CommunityMember.__table__  # type: ignore[attr-defined]
prefs = NotificationPreferenceRow.__table__  # type: ignore[attr-defined]
skills = SkillRow.__table__  # type: ignore[attr-defined]
us = UserSkill.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]

# The most candidate rows one run reads (the strongest first): enough for a hundred questions.
CANDIDATE_LIMIT = 5000


def answered(post: Any) -> Any:
    """Someone other than the author answered the question (a live comment)."""
    return exists().where(
        cm.c.post_id == post.c.id, cm.c.author_id != post.c.author_id, cm.c.deleted_at.is_(None)
    )


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(nudges)


class SqlNudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due_questions(
        self, created_after: datetime, now: datetime, limit: int
    ) -> list[DueQuestion]:
        last_window = (
            select(func.coalesce(func.max(nudges.c.window), 0))
            .where(nudges.c.post_id == p.c.id, nudges.c.nudged_at.is_not(None))
            .scalar_subquery()
        )
        stmt = (
            select(
                p.c.id,
                p.c.community_id,
                p.c.title,
                p.c.created_at,
                c.c.nudge_after_minutes,
                last_window.label("last_window"),
            )
            .join(c, c.c.id == p.c.community_id)
            .where(
                # ix_post_question_due: kind, accepted_comment_id IS NULL, a created_at range.
                p.c.kind == PostKind.question.value,
                p.c.accepted_comment_id.is_(None),
                p.c.created_at >= created_after,
                p.c.created_at <= now,
                p.c.deleted_at.is_(None),
                c.c.nudge_after_minutes > 0,
                c.c.archived_at.is_(None),
                ~answered(p),
            )
            .order_by(p.c.created_at, p.c.id)
            .limit(limit)
        )
        rows = await self.session.execute(stmt)
        return [
            DueQuestion(
                post_id=r.id,
                community_id=r.community_id,
                title=r.title,
                created_at=r.created_at,
                nudge_after_minutes=r.nudge_after_minutes,
                last_window=int(r.last_window or 0),
            )
            for r in rows
        ]

    async def candidates(
        self,
        post_ids: list[UUID],
        min_level: int,
        top_experts: int,
        kind: NotificationKind,
    ) -> list[NudgeCandidate]:
        if not post_ids:
            return []
        ranked = us.alias("ranked")
        # The score a holder must reach to rank among the skill's top `top_experts` (walks
        # ix_user_skill_experts backwards); NULL when fewer hold the skill: all of them rank.
        threshold = (
            select(ranked.c.score)
            .where(ranked.c.skill_id == pt.c.skill_id)
            .order_by(ranked.c.score.desc())
            .limit(1)
            .offset(top_experts - 1)
            .scalar_subquery()
        )
        top = and_(us.c.score > 0, us.c.score >= func.coalesce(threshold, 0))
        can_see = or_(
            c.c.visibility == Visibility.public.value,
            exists().where(
                mem.c.community_id == c.c.id,
                mem.c.user_id == us.c.user_id,
                mem.c.status == MembershipStatus.active.value,
            ),
        )
        muted = exists().where(
            prefs.c.user_id == us.c.user_id, prefs.c.kind == kind.value, prefs.c.in_app == false()
        )
        asked = exists().where(nudges.c.post_id == pt.c.post_id, nudges.c.user_id == us.c.user_id)
        stmt = (
            select(
                pt.c.post_id,
                us.c.user_id,
                users.c.timezone,
                users.c.working_hours,
                skills.c.name.label("skill_name"),
                us.c.level,
                us.c.score,
                top.label("top_expert"),
            )
            .select_from(pt)
            .join(p, p.c.id == pt.c.post_id)
            .join(c, c.c.id == p.c.community_id)
            .join(skills, skills.c.id == pt.c.skill_id)
            .join(us, us.c.skill_id == pt.c.skill_id)
            .join(users, users.c.id == us.c.user_id)
            .where(
                pt.c.post_id.in_(post_ids),
                or_(us.c.level >= min_level, top),
                us.c.user_id != p.c.author_id,
                users.c.is_active == true(),
                users.c.timezone.is_not(None),
                can_see,
                ~muted,
                ~asked,
            )
            .order_by(us.c.score.desc(), us.c.user_id)
            .limit(CANDIDATE_LIMIT)
        )
        rows = await self.session.execute(stmt)
        return [
            NudgeCandidate(
                post_id=r.post_id,
                user_id=r.user_id,
                timezone=r.timezone,
                working_hours=decode_working_hours(r.working_hours),
                skill_name=r.skill_name,
                level=r.level,
                score=float(r.score),
                top_expert=bool(r.top_expert),
            )
            for r in rows
        ]

    async def recent(self, user_ids: list[UUID], since: datetime) -> dict[UUID, list[datetime]]:
        found: dict[UUID, list[datetime]] = defaultdict(list)
        if not user_ids:
            return found
        rows = await self.session.execute(
            select(nudges.c.user_id, nudges.c.nudged_at).where(
                nudges.c.user_id.in_(user_ids), nudges.c.nudged_at >= since
            )
        )
        for user_id, at in rows:
            found[user_id].append(at)
        return found

    async def record(self, chosen: list[NewNudge]) -> set[tuple[UUID, UUID]]:
        if not chosen:
            return set()
        stmt = (
            _insert(self.session)
            .on_conflict_do_nothing(index_elements=["post_id", "user_id"])
            .returning(nudges.c.post_id, nudges.c.user_id)
        )
        rows = await self.session.execute(
            stmt,
            [
                {
                    "post_id": n.post_id,
                    "user_id": n.user_id,
                    "window": n.window,
                    "reason": n.reason[:300],
                    "nudged_at": n.nudged_at,
                    "dismissed_at": None,
                }
                for n in chosen
            ],
        )
        return {(r.post_id, r.user_id) for r in rows}

    async def dismiss(self, post_id: UUID, user_id: UUID, at: datetime) -> None:
        stmt = _insert(self.session).values(
            post_id=post_id, user_id=user_id, window=0, reason=None, nudged_at=None, dismissed_at=at
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["post_id", "user_id"],
                set_={
                    "dismissed_at": func.coalesce(nudges.c.dismissed_at, stmt.excluded.dismissed_at)
                },
            )
        )

    async def outcome(self, community_id: UUID, since: datetime) -> NudgeOutcome:
        first_answer = (
            select(func.min(cm.c.created_at))
            .where(
                cm.c.post_id == p.c.id, cm.c.author_id != p.c.author_id, cm.c.deleted_at.is_(None)
            )
            .scalar_subquery()
        )
        nudged = exists().where(nudges.c.post_id == p.c.id, nudges.c.nudged_at.is_not(None))
        rows = (
            await self.session.execute(
                select(
                    p.c.created_at, type_coerce(first_answer, UTCDateTime()).label("answered_at")
                ).where(
                    p.c.community_id == community_id,
                    p.c.kind == PostKind.question.value,
                    p.c.deleted_at.is_(None),
                    p.c.created_at >= since,
                    nudged,
                )
            )
        ).all()
        minutes = [
            (r.answered_at - r.created_at).total_seconds() / 60
            for r in rows
            if r.answered_at is not None
        ]
        return NudgeOutcome(
            nudged_questions=len(rows), answered=len(minutes), first_answer_minutes=minutes
        )
