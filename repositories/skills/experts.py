"""The expert ranking read: a skill's holders by stored score, plus what this viewer may see."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import Float, and_, cast, func, literal, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.pagination import PageRequest, PageResult
from domain.skills.model import EVIDENCE_MULTIPLIER, Expert, ScoreInputs, visible_score
from repositories.base import SortKey, keyset_page
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skills.rows import communities, endorsements, evidence, user_skills, users
from repositories.skills.scores import endorsement_weight
from repositories.skills.visibility import evidence_readable, private_visible_to


async def _private_inputs(
    session: AsyncSession, skill_id: UUID, user_ids: list[UUID], viewer: Actor
) -> dict[UUID, ScoreInputs]:
    """The evidence beyond the public score that this viewer may see, for one page of
    holders, in one statement: their evidence rows in the viewer's private communities, and
    the bonus of endorsements whose evidence post is in one of those."""
    rule = private_visible_to(viewer)
    ev, c, e = evidence, communities, endorsements
    counted = (
        select(
            ev.c.user_id,
            cast(func.sum(ev.c.accepted_answers), Float).label("accepted"),
            cast(func.sum(ev.c.helpful_reactions), Float).label("helpful"),
            literal(0.0, Float).label("bonus"),
        )
        .select_from(ev.join(c, c.c.id == ev.c.community_id))
        .where(ev.c.skill_id == skill_id, ev.c.user_id.in_(user_ids), rule(c))
        .group_by(ev.c.user_id)
    )
    endorser_skill = user_skills.alias("endorser_skill")
    bonus = endorsement_weight(e, endorser_skill.c.level) * literal(
        EVIDENCE_MULTIPLIER - 1.0, Float
    )
    cited = (
        select(
            e.c.user_id,
            literal(0.0, Float),
            literal(0.0, Float),
            cast(func.sum(bonus), Float),
        )
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
            e.c.skill_id == skill_id,
            e.c.user_id.in_(user_ids),
            evidence_readable(e.c.evidence_post_id, rule),
        )
        .group_by(e.c.user_id)
    )
    found: dict[UUID, ScoreInputs] = defaultdict(ScoreInputs)
    for user_id, accepted, helpful, extra in await session.execute(union_all(counted, cited)):
        found[user_id] = found[user_id] + ScoreInputs(
            float(extra or 0.0), int(accepted or 0), int(helpful or 0)
        )
    return found


async def expert_page(
    session: AsyncSession, skill_id: UUID, viewer: Actor, page: PageRequest
) -> PageResult[Expert]:
    """Ordered by the stored public score (an index range scan), then one statement adds
    the private evidence this viewer can see to each holder's parts and score. The order
    stays the public one, so a member may see a holder with private answers score above
    someone ranked before them; the alternative, ranking per viewer, would aggregate every
    holder's evidence on every request and leak nothing more, but costs the index."""
    stmt = (
        select(
            user_skills.c.level,
            user_skills.c.endorsement_count,
            user_skills.c.endorsement_points,
            user_skills.c.accepted_answers,
            user_skills.c.helpful_reactions,
            user_skills.c.score,
            user_skills.c.user_id,
            *ref_columns(users, "person"),
        )
        .join_from(user_skills, users, user_skills.c.user_id == users.c.id)
        .where(user_skills.c.skill_id == skill_id, users.c.is_active.is_(True))
    )
    public: dict[UUID, ScoreInputs] = {}

    def to_expert(row: Row[Any]) -> Expert:
        m = fields(row)
        public[m["user_id"]] = ScoreInputs(
            m["endorsement_points"], m["accepted_answers"], m["helpful_reactions"]
        )
        parts = visible_score(m["level"], public[m["user_id"]], ScoreInputs())
        return Expert(
            person=required_ref(row, "person"),
            level=m["level"],
            endorsement_count=m["endorsement_count"],
            parts=parts,
            score=parts.total,
            ranking_score=m["score"],
        )

    result = await keyset_page(
        session,
        stmt,
        [
            SortKey(user_skills.c.score, descending=True),
            SortKey(user_skills.c.user_id, descending=True),
        ],
        page,
        to_expert,
        lambda row: (fields(row)["score"], fields(row)["user_id"]),
    )
    if not result.items:
        return result
    private = await _private_inputs(session, skill_id, [x.person.id for x in result.items], viewer)
    items = []
    for expert in result.items:
        parts = visible_score(
            expert.level, public[expert.person.id], private.get(expert.person.id, ScoreInputs())
        )
        items.append(dataclasses.replace(expert, parts=parts, score=parts.total))
    return PageResult(items=items, next_position=result.next_position)
