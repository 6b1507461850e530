"""The expert ranking read: a skill's holders by stored score, plus what this viewer may see."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Float, Select, and_, bindparam, cast, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.actor import Actor
from domain.communities.model import MembershipStatus, Visibility
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    EVIDENCE_MULTIPLIER,
    Expert,
    ScoreInputs,
    claimed_level,
    visible_score,
)
from repositories.base import SortKey, keyset_bound, keyset_params, keyset_result
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skills.rows import (
    communities,
    endorsements,
    evidence,
    members,
    user_skills,
    users,
)
from repositories.skills.scores import claimed_level_of, endorsement_weight
from repositories.skills.visibility import evidence_readable

SKILL = bindparam("skill_id", type_=user_skills.c.skill_id.type)
VIEWER = bindparam("viewer_id", type_=members.c.user_id.type)
HOLDERS = bindparam("holders", type_=user_skills.c.user_id.type, expanding=True)
KEYS = [
    SortKey(user_skills.c.score, descending=True),
    SortKey(user_skills.c.user_id, descending=True),
]


def _private_rule(is_admin: bool) -> Any:
    """Private communities the viewer belongs to (every private one for an administrator)."""

    def rule(community: Any) -> ColumnElement[bool]:
        private = community.c.visibility != Visibility.public.value
        if is_admin:
            return private  # type: ignore[no-any-return]
        member = exists(
            select(literal(1)).where(
                members.c.community_id == community.c.id,
                members.c.user_id == VIEWER,
                members.c.status == MembershipStatus.active.value,
            )
        )
        return and_(private, member)

    return rule


def _private_columns(is_admin: bool) -> list[Any]:
    """Per holder row, the evidence beyond the public score that this viewer may see: their
    evidence rows in the viewer's private communities (a primary-key range each), and the bonus
    of endorsements whose evidence post is in one of those. Correlated, so they run for the
    page's rows only."""
    rule = _private_rule(is_admin)
    ev, c, e, us = evidence, communities, endorsements, user_skills
    mine = and_(ev.c.user_id == us.c.user_id, ev.c.skill_id == us.c.skill_id)

    def private_sum(column: Any) -> Any:
        return (
            select(func.coalesce(func.sum(column), 0))
            .select_from(ev.join(c, c.c.id == ev.c.community_id))
            .where(mine, rule(c))
            .scalar_subquery()
        )

    endorser_skill = us.alias("endorser_skill")
    bonus = endorsement_weight(e, claimed_level_of(endorser_skill)) * literal(
        EVIDENCE_MULTIPLIER - 1.0, Float
    )
    cited = (
        select(func.coalesce(cast(func.sum(bonus), Float), literal(0.0, Float)))
        .select_from(
            e.outerjoin(
                endorser_skill,
                and_(
                    endorser_skill.c.user_id == e.c.endorser_id,
                    endorser_skill.c.skill_id == e.c.skill_id,
                ),
            )
        )
        .where(
            e.c.user_id == us.c.user_id,
            e.c.skill_id == us.c.skill_id,
            evidence_readable(e.c.evidence_post_id, rule),
        )
        .scalar_subquery()
    )
    return [
        private_sum(ev.c.accepted_answers).label("private_accepted"),
        private_sum(ev.c.helpful_reactions).label("private_helpful"),
        cited.label("private_bonus"),
    ]


@cache
def _page_statement(after: bool, limit: int, min_level: int) -> Select[Any]:
    """Built once per shape; the skill and the position are parameters. `min_level` is part of
    the shape (a bound level made the plan for any value look costlier), and the statement reads
    two tables only: for a skill with many holders PostgreSQL may still plan it per request, and
    then planning costs about 0.3 ms instead of the 2-8 ms it took while the private evidence
    was part of it."""
    us = user_skills
    stmt = (
        select(
            us.c.level,
            us.c.proposed,
            us.c.endorsement_count,
            us.c.endorsement_points,
            us.c.accepted_answers,
            us.c.helpful_reactions,
            us.c.score,
            us.c.private_evidence,
            us.c.user_id,
            *ref_columns(users, "person"),
        )
        .join_from(us, users, us.c.user_id == users.c.id)
        .where(us.c.skill_id == SKILL, users.c.is_active.is_(True))
    )
    if min_level > 1:
        # Below `min_level` only people whose skill peers proposed (their evidence ranks them).
        stmt = stmt.where(or_(us.c.level >= min_level, us.c.proposed.is_(True)))
    return keyset_bound(stmt, KEYS, after=after, limit=limit)


@cache
def _private_statement(is_admin: bool) -> Select[Any]:
    """What this viewer may add to the page's holders that have evidence outside public
    communities (`user_skill.private_evidence`), at most a page of them."""
    us = user_skills
    return select(us.c.user_id, *_private_columns(is_admin)).where(
        us.c.skill_id == SKILL, us.c.user_id.in_(HOLDERS)
    )


NO_PRIVATE = ScoreInputs(0.0, 0, 0)


def _expert(m: Mapping[str, Any], private: ScoreInputs) -> Expert:
    public = ScoreInputs(m["endorsement_points"], m["accepted_answers"], m["helpful_reactions"])
    parts = visible_score(claimed_level(m["level"], bool(m["proposed"])), public, private)
    return Expert(
        person=required_ref(m, "person"),
        level=m["level"],
        endorsement_count=m["endorsement_count"],
        parts=parts,
        score=parts.total,
        ranking_score=m["score"],
        proposed=bool(m["proposed"]),
    )


async def expert_page(
    session: AsyncSession, skill_id: UUID, viewer: Actor, page: PageRequest, min_level: int = 1
) -> PageResult[Expert]:
    """Ordered by the stored public score: an index range scan of the page's rows, one
    statement. Only when some of them have evidence outside public communities does a second
    statement add, for those rows, the private evidence this viewer can see to their parts and
    score. The order stays the public one, so a member may see a holder with private answers
    score above someone ranked before them; the alternative, ranking per viewer, would aggregate
    every holder's evidence on every request and leak nothing more, but costs the index."""
    stmt = _page_statement(page.after is not None, page.limit + 1, min_level)
    result = await session.execute(stmt, {"skill_id": skill_id, **keyset_params(page)})
    rows = [fields(row) for row in result]
    flagged = [m["user_id"] for m in rows[: page.limit] if m["private_evidence"]]
    private: dict[UUID, ScoreInputs] = {}
    if flagged:
        extra = await session.execute(
            _private_statement(viewer.is_admin),
            {"skill_id": skill_id, "viewer_id": viewer.user_id, "holders": flagged},
        )
        for user_id, accepted, helpful, bonus in extra:
            private[user_id] = ScoreInputs(
                float(bonus or 0.0), int(accepted or 0), int(helpful or 0)
            )
    return keyset_result(
        rows,
        page,
        lambda m: _expert(m, private.get(m["user_id"], NO_PRIVATE)),
        lambda m: (m["score"], m["user_id"]),
    )
