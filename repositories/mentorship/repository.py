"""Mentorship in SQL: mentor profiles, mentorships, sessions, feedback and the candidate query.

What must hold under concurrency is decided by the database, never by a prior read:
- capacity: `take_slot` is one guarded UPDATE (`active_mentees + 1 WHERE active_mentees <
  capacity`); PostgreSQL re-checks the condition after waiting for a concurrent writer's row lock,
  so two accepts racing for the last place end with one success;
- one open request or active mentorship per mentor x mentee x skill: a partial unique index,
  with the insert's ON CONFLICT DO NOTHING turning a lost race into False;
- transitions: the row is locked (FOR UPDATE) while a service decides, and the UPDATE is guarded
  by the status it decided from;
- one feedback per participant: a unique index.

Recommendations read a bounded candidate set in one statement (see `candidates`), ordered by the
stored expert score through ix_user_skill_experts, so their cost does not grow with the number of
people holding the skill.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus
from domain.mentorship.model import (
    EXPIRED_REASON,
    OPEN_STATUSES,
    Feedback,
    LearningNeed,
    MentorCandidate,
    MentorProfile,
    Mentorship,
    MentorshipRole,
    MentorshipSession,
    MentorshipStatus,
)
from domain.mentorship.ports import MenteeContext
from domain.pagination import PageRequest, PageResult
from domain.skills.model import GoalStatus, SkillCategory, SkillRef
from repositories.base import SortKey, keyset_page
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.mentorship.offers import refresh_offer
from repositories.mentorship.tables import (
    MentorProfileRow,
    MentorshipFeedbackRow,
    MentorshipRow,
    MentorshipSessionRow,
)
from repositories.people import ref_columns, required_ref
from repositories.rows import RowLike, fields
from repositories.skills.counts import adjust as adjust_skill_counts
from repositories.skills.tables import LearningGoalRow, SkillRow, UserSkill
from repositories.users.tables import UserAccount

profiles = MentorProfileRow.__table__  # type: ignore[attr-defined]
mentorships = MentorshipRow.__table__  # type: ignore[attr-defined]
sessions = MentorshipSessionRow.__table__  # type: ignore[attr-defined]
feedback = MentorshipFeedbackRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
skills = SkillRow.__table__  # type: ignore[attr-defined]
user_skills = UserSkill.__table__  # type: ignore[attr-defined]
goals = LearningGoalRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]

OPEN_VALUES = sorted(s.value for s in OPEN_STATUSES)
SKILL_COLUMNS = [
    skills.c.slug.label("skill_slug"),
    skills.c.name.label("skill_name"),
    skills.c.category.label("skill_category"),
]


def _changed(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def _skill_ref(row: RowLike, id_key: str = "skill_id") -> SkillRef:
    m = fields(row)
    category = m["skill_category"]
    return SkillRef(
        id=m[id_key],
        slug=m["skill_slug"],
        name=m["skill_name"],
        category=SkillCategory(category) if category is not None else None,
    )


def _holders(index: int) -> Any:
    """The best `limit` mentors of skill `skill_<index>` for the mentee, as a subquery.

    A backward range of ix_user_skill_mentors: only holders who could mentor are in it (level
    and offer, kept on write), best stored mentor score first; the rows of the mentee and of
    mentors they already have an open request or active mentorship with for the skill are
    skipped. The LIMIT applies before people and profiles are joined (by primary key, for those
    rows only), whatever the number of holders. A deactivated mentor is dropped after the limit
    (they are rare, and only shorten the list).
    """
    us = user_skills
    mentee = bindparam("mentee_id", type_=us.c.user_id.type)
    open_pair = exists(
        select(mentorships.c.id).where(
            mentorships.c.mentor_id == us.c.user_id,
            mentorships.c.mentee_id == mentee,
            mentorships.c.skill_id == us.c.skill_id,
            or_(*(mentorships.c.status == status for status in OPEN_VALUES)),
        )
    )
    best = (
        select(
            us.c.user_id,
            us.c.skill_id,
            us.c.level,
            us.c.score,
            us.c.mentor_score,
            us.c.endorsement_count,
            us.c.accepted_answers,
        )
        .where(
            us.c.skill_id == bindparam(f"skill_{index}", type_=us.c.skill_id.type),
            us.c.mentor_score.is_not(None),
            us.c.user_id != mentee,
            ~open_pair,
        )
        .order_by(us.c.mentor_score.desc(), us.c.user_id.desc())
        .limit(bindparam("limit", type_=Integer()))
        .subquery()
    )
    return (
        select(
            *best.c,
            profiles.c.capacity,
            profiles.c.active_mentees,
            users.c.timezone.label("mentor_timezone"),
            *ref_columns(users, "mentor"),
        )
        .join_from(best, users, users.c.id == best.c.user_id)
        .join(profiles, profiles.c.user_id == best.c.user_id)
        .where(users.c.is_active == true())
        .subquery()
    )


@lru_cache(maxsize=16)
def _candidates_select(skill_count: int) -> Any:
    parts = [_holders(i) for i in range(skill_count)]
    return parts[0].select() if len(parts) == 1 else union_all(*(select(*p.c) for p in parts))


@lru_cache(maxsize=1)
def _need_select() -> Any:
    """The mentee's time zone, goal target and level for one skill (built once: every
    recommendation for a skill reads it)."""
    me = bindparam("user_id", type_=users.c.id.type)
    skill = bindparam("skill_id", type_=goals.c.skill_id.type)
    return (
        select(users.c.timezone, goals.c.target_level, user_skills.c.level.label("current_level"))
        .select_from(users)
        .outerjoin(
            goals,
            and_(
                goals.c.user_id == users.c.id,
                goals.c.skill_id == skill,
                goals.c.status == GoalStatus.active.value,
            ),
        )
        .outerjoin(
            user_skills,
            and_(user_skills.c.user_id == users.c.id, user_skills.c.skill_id == skill),
        )
        .where(users.c.id == me)
    )


@lru_cache(maxsize=1)
def _goals_select() -> Any:
    """The mentee's time zone and their `max_goals` newest active learning goals, with their
    level in each skill (built once)."""
    return (
        select(
            users.c.timezone,
            goals.c.skill_id,
            goals.c.target_level,
            user_skills.c.level.label("current_level"),
            *SKILL_COLUMNS,
        )
        .select_from(users)
        .outerjoin(
            goals,
            and_(goals.c.user_id == users.c.id, goals.c.status == GoalStatus.active.value),
        )
        .outerjoin(skills, skills.c.id == goals.c.skill_id)
        .outerjoin(
            user_skills,
            and_(
                user_skills.c.user_id == users.c.id,
                user_skills.c.skill_id == goals.c.skill_id,
            ),
        )
        .where(users.c.id == bindparam("user_id", type_=users.c.id.type))
        .order_by(goals.c.created_at.desc(), goals.c.id.desc())
        .limit(bindparam("max_goals", type_=Integer()))
    )


@lru_cache(maxsize=1)
def _shared_select() -> Any:
    """Names of the active communities that `others` share with `user_id` (both bound): built
    once, like the candidate query, since recommendations run it on every request."""
    active = MembershipStatus.active.value
    theirs = (
        select(members.c.user_id, members.c.community_id)
        .where(
            members.c.user_id.in_(bindparam("others", expanding=True)),
            members.c.status == active,
        )
        .cte("theirs")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    mine = members.alias("mine")
    return (
        select(theirs.c.user_id, communities.c.name)
        .select_from(theirs)
        .join(
            mine,
            and_(
                mine.c.community_id == theirs.c.community_id,
                mine.c.user_id == bindparam("user_id", type_=members.c.user_id.type),
                mine.c.status == active,
            ),
        )
        .join(communities, communities.c.id == theirs.c.community_id)
        .where(communities.c.archived_at.is_(None))
        .order_by(theirs.c.user_id, communities.c.search_name)
    )


def _candidate(row: RowLike, skill: SkillRef) -> MentorCandidate:
    m = fields(row)
    return MentorCandidate(
        mentor=required_ref(row, "mentor"),
        skill=skill,
        level=m["level"],
        expert_score=float(m["score"]),
        endorsement_count=m["endorsement_count"],
        accepted_answers=int(m["accepted_answers"]),
        capacity=m["capacity"],
        active_mentees=m["active_mentees"],
        timezone=m["mentor_timezone"],
    )


def _profile(row: Row[Any]) -> MentorProfile:
    m = fields(row)
    return MentorProfile(
        user_id=m["user_id"],
        accepting_mentees=bool(m["accepting_mentees"]),
        capacity=m["capacity"],
        active_mentees=m["active_mentees"],
        timezone=m["timezone"],
        about=m["about"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


_mentor = users.alias("mentor_user")
_mentee = users.alias("mentee_user")


def _mentorship_select() -> Select[Any]:
    ms = mentorships
    return (
        select(
            ms.c.id,
            ms.c.skill_id,
            ms.c.goal,
            ms.c.message,
            ms.c.status,
            ms.c.decline_reason,
            ms.c.confirmed_level,
            ms.c.created_at,
            ms.c.responded_at,
            ms.c.completed_at,
            *SKILL_COLUMNS,
            *ref_columns(_mentor, "mentor"),
            *ref_columns(_mentee, "mentee"),
        )
        .join_from(ms, skills, skills.c.id == ms.c.skill_id)
        .join(_mentor, _mentor.c.id == ms.c.mentor_id)
        .join(_mentee, _mentee.c.id == ms.c.mentee_id)
    )


def _mentorship(row: Row[Any]) -> Mentorship:
    m = fields(row)
    return Mentorship(
        id=m["id"],
        mentor=required_ref(row, "mentor"),
        mentee=required_ref(row, "mentee"),
        skill=_skill_ref(row),
        goal=m["goal"],
        status=MentorshipStatus(m["status"]),
        created_at=m["created_at"],
        message=m["message"],
        responded_at=m["responded_at"],
        completed_at=m["completed_at"],
        decline_reason=m["decline_reason"],
        confirmed_level=m["confirmed_level"],
    )


def _session(row: Row[Any]) -> MentorshipSession:
    m = fields(row)
    return MentorshipSession(
        id=m["id"],
        mentorship_id=m["mentorship_id"],
        held_on=m["held_on"],
        minutes=m["minutes"],
        notes=m["notes"],
        created_by=required_ref(row, "author"),
        created_at=m["created_at"],
    )


class SqlMentorshipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- mentor profiles ---

    async def get_profile(self, user_id: UUID) -> MentorProfile | None:
        row = (
            await self.session.execute(
                select(profiles, users.c.timezone)
                .join(users, users.c.id == profiles.c.user_id)
                .where(profiles.c.user_id == user_id)
            )
        ).first()
        return _profile(row) if row else None

    async def put_profile(self, profile: MentorProfile) -> None:
        offer = {
            "accepting_mentees": profile.accepting_mentees,
            "capacity": profile.capacity,
            "about": profile.about,
            "updated_at": profile.updated_at,
        }
        # The mentor profile's time zone is its person's.
        await self.session.execute(
            update(users)
            .where(
                users.c.id == profile.user_id, users.c.timezone.is_distinct_from(profile.timezone)
            )
            .values(
                timezone=profile.timezone,
                updated_at=profile.updated_at,
                version=users.c.version + 1,
            )
        )
        stmt = _insert(self.session, profiles).values(
            user_id=profile.user_id,
            active_mentees=0,
            created_at=profile.created_at,
            **offer,
        )
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["user_id"], set_=offer)
        )
        await refresh_offer(self.session, profile.user_id)

    async def mentor_summary(self, user_id: UUID) -> tuple[MentorProfile | None, int]:
        mentored = (
            select(func.count(func.distinct(mentorships.c.mentee_id)))
            .where(
                mentorships.c.mentor_id == user_id,
                mentorships.c.status.in_(
                    [MentorshipStatus.active.value, MentorshipStatus.completed.value]
                ),
            )
            .scalar_subquery()
        )
        row = (
            await self.session.execute(
                select(mentored.label("mentees"), profiles, users.c.timezone)
                .select_from(users)
                .outerjoin(profiles, profiles.c.user_id == users.c.id)
                .where(users.c.id == user_id)
            )
        ).first()
        if row is None:
            return None, 0
        profile = _profile(row) if fields(row)["user_id"] is not None else None
        return profile, int(fields(row)["mentees"] or 0)

    async def take_slot(self, mentor_id: UUID) -> bool:
        result = await self.session.execute(
            update(profiles)
            .where(profiles.c.user_id == mentor_id, profiles.c.active_mentees < profiles.c.capacity)
            .values(active_mentees=profiles.c.active_mentees + 1)
        )
        if _changed(result) != 1:
            return False
        await refresh_offer(self.session, mentor_id)
        return True

    async def release_slot(self, mentor_id: UUID) -> None:
        result = await self.session.execute(
            update(profiles)
            .where(profiles.c.user_id == mentor_id, profiles.c.active_mentees > 0)
            .values(active_mentees=profiles.c.active_mentees - 1)
        )
        if _changed(result) == 1:
            await refresh_offer(self.session, mentor_id)

    # --- mentorships ---

    async def add(self, mentorship: Mentorship) -> bool:
        stmt = (
            _insert(self.session, mentorships)
            .values(
                id=mentorship.id,
                mentor_id=mentorship.mentor.id,
                mentee_id=mentorship.mentee.id,
                skill_id=mentorship.skill.id,
                goal=mentorship.goal,
                message=mentorship.message,
                status=mentorship.status.value,
                created_at=mentorship.created_at,
            )
            .on_conflict_do_nothing()
        )
        return _changed(await self.session.execute(stmt)) == 1

    async def get(self, mentorship_id: UUID, *, for_update: bool = False) -> Mentorship | None:
        stmt = _mentorship_select().where(mentorships.c.id == mentorship_id)
        if for_update:
            stmt = stmt.with_for_update(of=mentorships)
        row = (await self.session.execute(stmt)).first()
        return _mentorship(row) if row else None

    async def get_many(self, mentorship_ids: list[UUID]) -> list[Mentorship]:
        if not mentorship_ids:
            return []
        stmt = _mentorship_select().where(mentorships.c.id.in_(mentorship_ids))
        return [_mentorship(row) for row in await self.session.execute(stmt)]

    async def change_status(self, mentorship: Mentorship, previous: MentorshipStatus) -> bool:
        result = await self.session.execute(
            update(mentorships)
            .where(mentorships.c.id == mentorship.id, mentorships.c.status == previous.value)
            .values(
                status=mentorship.status.value,
                responded_at=mentorship.responded_at,
                completed_at=mentorship.completed_at,
                decline_reason=mentorship.decline_reason,
                confirmed_level=mentorship.confirmed_level,
            )
        )
        return _changed(result) == 1

    async def list_for_user(
        self,
        user_id: UUID,
        role: MentorshipRole | None,
        status: MentorshipStatus | None,
        page: PageRequest,
    ) -> PageResult[Mentorship]:
        ms = mentorships
        if role is MentorshipRole.mentor:
            mine: Any = ms.c.mentor_id == user_id
        elif role is MentorshipRole.mentee:
            mine = ms.c.mentee_id == user_id
        else:
            mine = or_(ms.c.mentor_id == user_id, ms.c.mentee_id == user_id)
        stmt = _mentorship_select().where(mine)
        if status is not None:
            stmt = stmt.where(ms.c.status == status.value)
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(ms.c.created_at, descending=True), SortKey(ms.c.id, descending=True)],
            page,
            _mentorship,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    async def nth_recent_request(self, mentee_id: UUID, since: datetime, n: int) -> datetime | None:
        row = (
            await self.session.execute(
                select(mentorships.c.created_at)
                .where(mentorships.c.mentee_id == mentee_id, mentorships.c.created_at > since)
                .order_by(mentorships.c.created_at.desc(), mentorships.c.id.desc())
                .offset(n - 1)
                .limit(1)
            )
        ).first()
        return row[0] if row else None

    async def expire_requests(self, created_before: datetime, limit: int) -> int:
        batch = (
            select(mentorships.c.id)
            .where(
                mentorships.c.status == MentorshipStatus.requested.value,
                mentorships.c.created_at <= created_before,
            )
            .order_by(mentorships.c.created_at)
            .limit(limit)
        )
        result = await self.session.execute(
            update(mentorships)
            .where(
                mentorships.c.id.in_(batch.scalar_subquery()),
                # Guarded: a request accepted or declined meanwhile stays as it is.
                mentorships.c.status == MentorshipStatus.requested.value,
            )
            .values(status=MentorshipStatus.cancelled.value, decline_reason=EXPIRED_REASON)
        )
        return _changed(result)

    # --- sessions and feedback ---

    async def add_session(self, session: MentorshipSession) -> None:
        await self.session.execute(
            insert(sessions).values(
                id=session.id,
                mentorship_id=session.mentorship_id,
                held_on=session.held_on,
                minutes=session.minutes,
                notes=session.notes,
                created_by=session.created_by.id,
                created_at=session.created_at,
            )
        )

    async def list_sessions(
        self, mentorship_id: UUID, page: PageRequest
    ) -> PageResult[MentorshipSession]:
        stmt = (
            select(sessions, *ref_columns(users, "author"))
            .join(users, users.c.id == sessions.c.created_by)
            .where(sessions.c.mentorship_id == mentorship_id)
        )
        if page.after is not None:  # cursors carry the date as ISO text
            held_on, session_id = page.after
            page = PageRequest(page.limit, (date.fromisoformat(held_on), session_id))
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(sessions.c.held_on, descending=True), SortKey(sessions.c.id, descending=True)],
            page,
            _session,
            lambda row: (fields(row)["held_on"].isoformat(), fields(row)["id"]),
        )

    async def add_feedback(self, item: Feedback) -> bool:
        stmt = (
            _insert(self.session, feedback)
            .values(
                id=item.id,
                mentorship_id=item.mentorship_id,
                author_id=item.author.id,
                rating=item.rating,
                comment=item.comment,
                created_at=item.created_at,
            )
            .on_conflict_do_nothing(index_elements=["mentorship_id", "author_id"])
        )
        return _changed(await self.session.execute(stmt)) == 1

    # --- recommendations ---

    async def mentee_context(
        self, user_id: UUID, skill: SkillRef | None, max_goals: int
    ) -> MenteeContext:
        if skill is not None:
            one = {"user_id": user_id, "skill_id": skill.id}
            row = (await self.session.execute(_need_select(), one)).one()
            need = LearningNeed(skill, row.target_level, row.current_level)
            return MenteeContext(timezone=row.timezone, needs=[need])
        newest: dict[str, Any] = {"user_id": user_id, "max_goals": max_goals}
        rows = (await self.session.execute(_goals_select(), newest)).all()
        timezone = rows[0].timezone if rows else None
        needs = [
            LearningNeed(_skill_ref(row), row.target_level, row.current_level)
            for row in rows
            if row.skill_id is not None
        ]
        return MenteeContext(timezone=timezone, needs=needs)

    async def candidates(
        self, mentee_id: UUID, skills: list[SkillRef], limit: int
    ) -> list[MentorCandidate]:
        """One statement: per skill, a LIMITed backward scan of ix_user_skill_mentors (a UNION
        ALL of them when there are several skills); only those rows are then joined to their
        person and offer. Accepted answers are the stored public count
        (repositories/skills/scores.py keeps it), so a private community never shows through a
        reason."""
        if not skills:
            return []
        params: dict[str, Any] = {f"skill_{i}": skill.id for i, skill in enumerate(skills)}
        params.update(mentee_id=mentee_id, limit=limit)
        rows = await self.session.execute(_candidates_select(len(skills)), params)
        by_id = {skill.id: skill for skill in skills}
        return [_candidate(row, by_id[fields(row)["skill_id"]]) for row in rows]

    async def shared_communities(self, user_id: UUID, others: list[UUID]) -> dict[UUID, list[str]]:
        """Communities the caller shares with each of `others` (the bounded candidate list).

        Starts from the candidates' memberships (materialized: a few per person, read from
        ix_community_member_user alone) and hashes the caller's: a busy caller in hundreds of
        communities would otherwise be walked member list by member list.
        """
        if not others:
            return {}
        rows = await self.session.execute(_shared_select(), {"user_id": user_id, "others": others})
        shared: dict[UUID, list[str]] = defaultdict(list)
        for other, name in rows:
            shared[other].append(name)
        return shared

    async def holding(self, user_id: UUID, skill_id: UUID) -> tuple[int, bool] | None:
        row = (
            await self.session.execute(
                select(user_skills.c.level, user_skills.c.wants_to_teach).where(
                    user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id
                )
            )
        ).first()
        return (int(row[0]), bool(row[1])) if row else None

    async def achieve_goal(self, user_id: UUID, skill_id: UUID, level: int, at: datetime) -> bool:
        result = await self.session.execute(
            update(goals)
            .where(
                goals.c.user_id == user_id,
                goals.c.skill_id == skill_id,
                goals.c.status == GoalStatus.active.value,
                goals.c.target_level <= level,
            )
            .values(status=GoalStatus.achieved.value, updated_at=at)
        )
        if _changed(result) != 1:
            return False
        await adjust_skill_counts(self.session, skill_id, {"learner_count": -1})
        return True
