"""The expert ranking read: a skill's holders by stored score, plus what this viewer may see."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.communities.model import MembershipStatus
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    Expert,
    ScoreInputs,
    claimed_level,
    visible_score,
)
from repositories.base import SortKey, keyset_bound, keyset_params, keyset_result
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skills.rows import members, private_rows, user_skills, users

SKILL = bindparam("skill_id", type_=user_skills.c.skill_id.type)
VIEWER = bindparam("viewer_id", type_=members.c.user_id.type)
HOLDERS = bindparam("holders", type_=user_skills.c.user_id.type, expanding=True)
KEYS = [
    SortKey(user_skills.c.score, descending=True),
    SortKey(user_skills.c.user_id, descending=True),
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
    communities (`user_skill.private_evidence`, at most a page of them): their stored private
    evidence rows (skill_private_evidence, a primary-key range per holder), each kept when the
    viewer is an active member of its community (a membership key lookup), every one for an
    administrator. Bounded by the page and its holders' private communities, whatever the
    content behind them."""
    pr, m = private_rows, members
    stmt = select(
        pr.c.user_id,
        func.sum(pr.c.accepted_answers),
        func.sum(pr.c.helpful_reactions),
        func.sum(pr.c.bonus),
    ).where(pr.c.skill_id == SKILL, pr.c.user_id.in_(HOLDERS))
    if not is_admin:
        # A scalar subquery, not EXISTS: PostgreSQL's generic plan joined EXISTS to every
        # membership of the viewer, read again per row (246 rows x 14 for a busy member); this
        # is one primary-key probe per private row.
        membership = (
            select(m.c.status)
            .where(m.c.community_id == pr.c.community_id, m.c.user_id == VIEWER)
            .scalar_subquery()
        )
        stmt = stmt.where(membership == MembershipStatus.active.value)
    return stmt.group_by(pr.c.user_id)


NO_PRIVATE = ScoreInputs(0.0, 0, 0)


async def private_parts(
    session: AsyncSession, skill_id: UUID, viewer: Actor, holders: list[UUID]
) -> dict[UUID, ScoreInputs]:
    """Per holder of `skill_id` among `holders` (a page's worth), the evidence and citation
    bonus in the private communities `viewer` may see; holders without any are left out."""
    result = await session.execute(
        _private_statement(viewer.is_admin),
        {"skill_id": skill_id, "viewer_id": viewer.user_id, "holders": holders},
    )
    return {
        user_id: ScoreInputs(float(bonus or 0.0), int(accepted or 0), int(helpful or 0))
        for user_id, accepted, helpful, bonus in result
    }


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
    score (`private_parts`). The order stays the public one, so a member may see a holder with
    private answers score above someone ranked before them; the alternative, ranking per viewer,
    would aggregate every holder's evidence on every request and leak nothing more, but costs
    the index."""
    stmt = _page_statement(page.after is not None, page.limit + 1, min_level)
    result = await session.execute(stmt, {"skill_id": skill_id, **keyset_params(page)})
    rows = [fields(row) for row in result]
    flagged = [m["user_id"] for m in rows[: page.limit] if m["private_evidence"]]
    private = await private_parts(session, skill_id, viewer, flagged) if flagged else {}
    return keyset_result(
        rows,
        page,
        lambda m: _expert(m, private.get(m["user_id"], NO_PRIVATE)),
        lambda m: (m["score"], m["user_id"]),
    )
