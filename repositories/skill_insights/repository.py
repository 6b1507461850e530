"""Skill insights in SQL: the facts the refresh reads, the swap of the rollups, and the page read
(one statement for the rollups, one for the pairs of the page's at-risk skills)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.communities.model import MembershipStatus, Role, Visibility
from domain.mentorship.model import MIN_MENTOR_LEVEL
from domain.pagination import PageRequest, PageResult
from domain.skill_insights.model import (
    Demand,
    GapParts,
    InsightFigures,
    InsightSort,
    Pair,
    SkillInsight,
    Supply,
    gap_parts,
    risk_rank,
)
from domain.skill_insights.ports import CommunityAccess, InsightFacts, QuestionFact, StoredPair
from domain.skills.model import EXPERT_LEVEL, GoalStatus
from repositories.base import SortKey, keyset_page
from repositories.mentorship.tables import MentorProfileRow
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skill_insights.tables import SkillInsightPairRow, SkillInsightRow
from repositories.skills.rows import (
    REF_COLUMNS,
    comments,
    communities,
    goals,
    members,
    mentorships,
    post_tags,
    posts,
    ref_from_row,
    user_skills,
    users,
)
from repositories.skills.rows import skills as skills_table

insights = SkillInsightRow.__table__  # type: ignore[attr-defined]
pair_rows = SkillInsightPairRow.__table__  # type: ignore[attr-defined]
profiles = MentorProfileRow.__table__  # type: ignore[attr-defined]

QUESTION = "question"
OPEN_MENTORSHIP = ("requested", "active")
INSERT_CHUNK = 1000

_SORT_KEYS = {
    InsightSort.gap: [SortKey(insights.c.gap, True), SortKey(insights.c.skill_id, True)],
    InsightSort.risk: [
        SortKey(insights.c.risk, True),
        SortKey(insights.c.gap, True),
        SortKey(insights.c.skill_id, True),
    ],
}


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max((end - start).total_seconds() / 60, 0.0)


class SqlSkillInsightRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the refresh -----------------------------------------------------------------------

    async def facts(self, questions_since: datetime, accepted_since: datetime) -> InsightFacts:
        p, t, c = posts, post_tags, comments
        live_question = and_(p.c.kind == QUESTION, p.c.deleted_at.is_(None))
        # A reply counts as an answer when it is top-level, live and not the asker's own.
        answer = and_(
            c.c.post_id == p.c.id,
            c.c.parent_id.is_(None),
            c.c.deleted_at.is_(None),
            c.c.author_id != p.c.author_id,
        )
        first_answer = select(func.min(c.c.created_at)).where(answer).scalar_subquery()
        tagged = p.join(t, t.c.post_id == p.c.id)
        facts = InsightFacts()
        rows = await self.session.execute(
            select(
                p.c.community_id,
                t.c.skill_id,
                p.c.accepted_comment_id.is_not(None).label("accepted"),
                p.c.created_at,
                first_answer.label("first_answer_at"),
            )
            .select_from(tagged)
            .where(live_question, p.c.created_at >= questions_since)
        )
        facts.questions = [
            QuestionFact(
                r.community_id,
                r.skill_id,
                bool(r.accepted),
                _minutes(r.created_at, r.first_answer_at),
            )
            for r in rows
        ]
        rows = await self.session.execute(
            select(p.c.community_id, t.c.skill_id, c.c.author_id)
            .distinct()
            .select_from(tagged.join(c, answer))
            .where(
                live_question,
                p.c.created_at >= questions_since,
                c.c.created_at >= questions_since,
            )
        )
        facts.answerers = [(r[0], r[1], r[2]) for r in rows]
        rows = await self.session.execute(
            select(p.c.community_id, t.c.skill_id, c.c.author_id, func.count())
            .select_from(tagged.join(c, c.c.id == p.c.accepted_comment_id))
            .where(live_question, c.c.deleted_at.is_(None), p.c.created_at >= accepted_since)
            .group_by(p.c.community_id, t.c.skill_id, c.c.author_id)
        )
        facts.accepted = [(r[0], r[1], r[2], int(r[3])) for r in rows]

        u = users
        rows = await self.session.execute(
            select(goals.c.skill_id, goals.c.user_id)
            .join(u, u.c.id == goals.c.user_id)
            .where(goals.c.status == GoalStatus.active.value, u.c.is_active)
            .order_by(goals.c.created_at, goals.c.id)
        )
        facts.goals = [(r[0], r[1]) for r in rows]
        us = user_skills
        claimed = and_(us.c.proposed.is_(False), u.c.is_active)
        rows = await self.session.execute(
            select(us.c.skill_id, us.c.user_id)
            .join(u, u.c.id == us.c.user_id)
            .where(claimed, us.c.level >= int(EXPERT_LEVEL))
            .order_by(us.c.skill_id, us.c.score.desc(), us.c.user_id)
        )
        facts.experts = [(r[0], r[1]) for r in rows]
        rows = await self.session.execute(
            select(us.c.skill_id, us.c.user_id)
            .select_from(
                profiles.join(us, us.c.user_id == profiles.c.user_id).join(
                    u, u.c.id == us.c.user_id
                )
            )
            .where(
                claimed,
                us.c.level >= int(MIN_MENTOR_LEVEL),
                profiles.c.accepting_mentees,
                profiles.c.active_mentees < profiles.c.capacity,
            )
        )
        facts.mentors = [(r[0], r[1]) for r in rows]
        rows = await self.session.execute(
            select(members.c.community_id, members.c.user_id).where(
                members.c.status == MembershipStatus.active.value
            )
        )
        facts.memberships = [(r[0], r[1]) for r in rows]
        m = mentorships
        rows = await self.session.execute(
            select(m.c.mentor_id, m.c.mentee_id, m.c.skill_id).where(
                m.c.status.in_(OPEN_MENTORSHIP)
            )
        )
        facts.open_mentorships = {(r[0], r[1], r[2]) for r in rows}
        return facts

    async def replace(
        self,
        rollups: Sequence[tuple[UUID, InsightFigures]],
        pairs: Sequence[StoredPair],
        at: datetime,
    ) -> int:
        await self.session.execute(delete(pair_rows))
        await self.session.execute(delete(insights))
        values = [_row(scope, figures, at) for scope, figures in rollups]
        for start in range(0, len(values), INSERT_CHUNK):
            await self.session.execute(insert(insights), values[start : start + INSERT_CHUNK])
        pair_values = [
            {
                "scope_id": p.scope_id,
                "skill_id": p.skill_id,
                "position": p.position,
                "expert_id": p.expert_id,
                "learner_id": p.learner_id,
            }
            for p in pairs
        ]
        for start in range(0, len(pair_values), INSERT_CHUNK):
            await self.session.execute(insert(pair_rows), pair_values[start : start + INSERT_CHUNK])
        if self.session.get_bind().dialect.name == "postgresql":
            # Every row was just replaced: fresh statistics keep the page reads on their index
            # until autovacuum gets round to the table (ANALYZE samples; it is cheap).
            await self.session.execute(text("ANALYZE skill_insight, skill_insight_pair"))
        return len(values)

    # --- reads -----------------------------------------------------------------------------

    async def community_access(self, slug: str, viewer: Actor) -> CommunityAccess | None:
        c, m = communities, members
        row = (
            await self.session.execute(
                select(c.c.id, c.c.visibility, m.c.role)
                .select_from(
                    c.outerjoin(
                        m,
                        and_(
                            m.c.community_id == c.c.id,
                            m.c.user_id == viewer.user_id,
                            m.c.status == MembershipStatus.active.value,
                        ),
                    )
                )
                .where(c.c.slug == slug.lower())
            )
        ).first()
        if row is None:
            return None
        return CommunityAccess(
            id=row.id,
            visibility=Visibility(row.visibility),
            role=None if row.role is None else Role(row.role),
        )

    async def page(
        self,
        scope_id: UUID,
        sort: InsightSort,
        page: PageRequest,
        *,
        listed_only: bool,
        pairs_for: UUID | None,
    ) -> PageResult[SkillInsight]:
        from_skills = insights.join(skills_table, skills_table.c.id == insights.c.skill_id)
        stmt = (
            # skill_id comes with the skill's reference columns (the same value).
            select(*(col for col in insights.c if col.name != "skill_id"), *REF_COLUMNS)
            .select_from(from_skills)
            .where(insights.c.scope_id == scope_id)
        )
        if listed_only:
            stmt = stmt.where(skills_table.c.listed)
        keys = _SORT_KEYS[sort]
        result = await keyset_page(
            self.session,
            stmt,
            keys,
            page,
            _insight,
            lambda row: tuple(fields(row)[k.column.name] for k in keys),
        )
        at_risk = [item.skill.id for item in result.items if item.at_risk]
        if not at_risk:
            return result
        expert, learner = users.alias("expert"), users.alias("learner")
        pq = (
            select(pair_rows.c.skill_id, *ref_columns(expert, "e"), *ref_columns(learner, "l"))
            .select_from(
                pair_rows.join(expert, expert.c.id == pair_rows.c.expert_id).join(
                    learner, learner.c.id == pair_rows.c.learner_id
                )
            )
            .where(
                pair_rows.c.scope_id == scope_id,
                pair_rows.c.skill_id.in_(at_risk),
                expert.c.is_active,
                learner.c.is_active,
            )
            .order_by(pair_rows.c.skill_id, pair_rows.c.position)
        )
        if pairs_for is not None:
            pq = pq.where(pair_rows.c.learner_id == pairs_for)
        by_skill: dict[UUID, list[Pair]] = {}
        for row in await self.session.execute(pq):
            by_skill.setdefault(row.skill_id, []).append(
                Pair(expert=required_ref(row, "e"), learner=required_ref(row, "l"))
            )
        for item in result.items:
            item.pairs.extend(by_skill.get(item.skill.id, ()))
        return result


def _row(scope: UUID, f: InsightFigures, at: datetime) -> dict[str, Any]:
    return {
        "scope_id": scope,
        "skill_id": f.skill_id,
        "learners": f.demand.learners,
        "questions": f.demand.questions,
        "unanswered": f.demand.unanswered,
        "median_first_answer_minutes": f.demand.median_first_answer_minutes,
        "experts": f.supply.experts,
        "answerers": f.supply.answerers,
        "mentors": f.supply.mentors,
        "accepted_answers": f.accepted_answers,
        "bus_factor": f.bus_factor,
        "risk": risk_rank(f.bus_factor),
        "gap": round(f.parts.total, 6),
        "refreshed_at": at,
    }


def _insight(row: Row[Any]) -> SkillInsight:
    m = fields(row)
    demand = Demand(
        learners=m["learners"],
        questions=m["questions"],
        unanswered=m["unanswered"],
        median_first_answer_minutes=m["median_first_answer_minutes"],
    )
    supply = Supply(experts=m["experts"], answerers=m["answerers"], mentors=m["mentors"])
    parts: GapParts = gap_parts(demand, supply)
    return SkillInsight(
        skill=ref_from_row(row),
        demand=demand,
        supply=supply,
        parts=parts,
        gap=m["gap"],
        accepted_answers=m["accepted_answers"],
        bus_factor=m["bus_factor"],
        refreshed_at=m["refreshed_at"],
        pairs=[],
    )
