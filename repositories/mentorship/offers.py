"""A mentor's offer as the holders of their skills store it: `user_skill.mentor_points`.

The caller-independent part of a mentor's recommendation score (their expert score plus the
points of their open places) is stored per user skill (`mentor_score`, a column the database
computes from the row; see repositories/skills/tables.py), so recommendations read the best
mentors of a skill from an index range instead of ranking its holders per request. The points
change with the offer, so every write that changes an offer (a profile PUT, an accept taking a
place, a completion freeing one) calls `refresh_offer`, and every write that adds a user skill
copies the person's points with `holder_points`.

`offer_points` is domain.mentorship.model.capacity_points in SQL, for an offer that takes
requests (accepting, with a place open); tests check that both agree on every capacity and
number of mentees.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Float, and_, case, cast, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.mentorship.model import MAX_OPEN_PLACES_COUNTED, OPEN_PLACE_POINTS
from repositories.mentorship.tables import MentorProfileRow
from repositories.skills.tables import UserSkill

profiles = MentorProfileRow.__table__  # type: ignore[attr-defined]
user_skills = UserSkill.__table__  # type: ignore[attr-defined]


def offer_points(accepting: Any, capacity: Any, active: Any) -> ColumnElement[Any]:
    """capacity_points(open places) while the offer takes requests, else NULL."""
    open_places = capacity - active
    counted = case(
        (open_places >= MAX_OPEN_PLACES_COUNTED, literal(MAX_OPEN_PLACES_COUNTED)),
        else_=open_places,
    )
    return case(
        (
            and_(accepting.is_(True), open_places > 0),
            literal(OPEN_PLACE_POINTS, Float) * cast(counted, Float),
        ),
        else_=literal(None, Float),
    )


def holder_points(user_id: Any) -> Any:
    """The points of `user_id`'s offer (NULL without a profile), as a scalar subquery."""
    p = profiles.c
    points = offer_points(p.accepting_mentees, p.capacity, p.active_mentees)
    return select(points).where(p.user_id == user_id).scalar_subquery()


async def refresh_offer(session: AsyncSession, user_id: UUID) -> None:
    """Copy the person's offer onto each skill they hold (their mentor_score follows)."""
    await session.execute(
        update(user_skills)
        .where(user_skills.c.user_id == user_id)
        .values(mentor_points=holder_points(user_skills.c.user_id))
    )


async def refresh_offers(session: AsyncSession) -> None:
    """Every offer onto the skills of its person, in one statement (a bulk load's last step)."""
    await session.execute(
        update(user_skills)
        .where(user_skills.c.user_id.in_(select(profiles.c.user_id)))
        .values(mentor_points=holder_points(user_skills.c.user_id))
    )
