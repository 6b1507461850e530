"""Skill insights in SQL: the facts the refresh reads, the swap of the rollups, and the page read
(one statement for the rollups, one for the pairs of the page's at-risk skills)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    FromClause,
    Integer,
    Row,
    Select,
    Uuid,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

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
from domain.skill_insights.ports import (
    ORGANISATION,
    CommunityAccess,
    InsightFacts,
    PairCandidates,
    PeopleCounts,
    QuestionFact,
    StoredPair,
)
from domain.skills.model import EXPERT_LEVEL, GoalStatus
from repositories.base import SortKey, keyset_bound, keyset_params, keyset_result
from repositories.mentorship.tables import MentorProfileRow
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skill_insights.tables import (
    SkillInsightPairRow,
    SkillInsightRow,
    SkillInsightRunRow,
)
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
runs = SkillInsightRunRow.__table__  # type: ignore[attr-defined]
pair_rows = SkillInsightPairRow.__table__  # type: ignore[attr-defined]
profiles = MentorProfileRow.__table__  # type: ignore[attr-defined]

QUESTION = "question"
OPEN_MENTORSHIP = ("requested", "active")
INSERT_CHUNK = 1000
DELETE_CHUNK = 500
IN_CHUNK = 1000
# A refresh that writes more rows than this (the first one) refreshes the planner's statistics.
ANALYZE_AFTER = 10_000
_CLAIMED = and_(user_skills.c.proposed.is_(False), users.c.is_active)
# The figures a refresh compares with what it computed (scope and skill first).
_STORED = (
    "scope_id",
    "skill_id",
    "learners",
    "questions",
    "unanswered",
    "median_first_answer_minutes",
    "experts",
    "answerers",
    "mentors",
    "accepted_answers",
    "bus_factor",
)

_SORT_KEYS = {
    InsightSort.gap: [SortKey(insights.c.gap, True), SortKey(insights.c.skill_id, True)],
    InsightSort.risk: [
        SortKey(insights.c.risk, True),
        SortKey(insights.c.gap, True),
        SortKey(insights.c.skill_id, True),
    ],
}


def zero() -> ColumnElement[int]:
    return literal(0, Integer())


@dataclass(frozen=True)
class _PeopleSource:
    """Where one kind of person of a skill comes from: (skill, person) rows of `source`."""

    skill_id: ColumnElement[UUID]
    person_id: ColumnElement[UUID]
    source: FromClause
    where: tuple[ColumnElement[bool], ...]


def _people_sources() -> tuple[_PeopleSource, _PeopleSource, _PeopleSource]:
    """Learners (an active goal), experts (level >= 4) and free mentors (accepting, below
    capacity, level >= 3), all active people, self-claimed levels only."""
    u, us, g = users, user_skills, goals
    learners = _PeopleSource(
        g.c.skill_id,
        g.c.user_id,
        g.join(u, u.c.id == g.c.user_id),
        (g.c.status == GoalStatus.active.value, u.c.is_active),
    )
    experts = _PeopleSource(
        us.c.skill_id,
        us.c.user_id,
        us.join(u, u.c.id == us.c.user_id),
        (_CLAIMED, us.c.level >= int(EXPERT_LEVEL)),
    )
    mentors = _PeopleSource(
        us.c.skill_id,
        us.c.user_id,
        profiles.join(us, us.c.user_id == profiles.c.user_id).join(u, u.c.id == us.c.user_id),
        (
            _CLAIMED,
            us.c.level >= int(MIN_MENTOR_LEVEL),
            profiles.c.accepting_mentees,
            profiles.c.active_mentees < profiles.c.capacity,
        ),
    )
    return learners, experts, mentors


def _people_counts() -> Select[Any]:
    """Learners, experts and free mentors per (scope, skill), counted by the database: the
    organisation's per skill, each community's over its active members."""
    learners, experts, mentors = _people_sources()
    every = union_all(
        *(
            select(scope, skill, *kinds).select_from(source).where(*part.where).group_by(*group)
            for part, kinds in (
                (learners, (func.count(), zero(), zero())),
                (experts, (zero(), func.count(), zero())),
                (mentors, (zero(), zero(), func.count())),
            )
            for scope, skill, source, group in (
                (
                    literal(ORGANISATION, Uuid()),
                    part.skill_id,
                    part.source,
                    (part.skill_id,),
                ),
                (
                    members.c.community_id,
                    part.skill_id,
                    part.source.join(
                        members,
                        and_(
                            members.c.user_id == part.person_id,
                            members.c.status == MembershipStatus.active.value,
                        ),
                    ),
                    (members.c.community_id, part.skill_id),
                ),
            )
        )
    ).subquery("every")
    scope, skill, n_learners, n_experts, n_mentors = every.c
    return select(
        scope.label("scope"),
        skill.label("skill"),
        func.sum(n_learners).label("learners"),
        func.sum(n_experts).label("experts"),
        func.sum(n_mentors).label("mentors"),
    ).group_by(scope, skill)


def _chunks(values: Sequence[UUID]) -> list[Sequence[UUID]]:
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


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

        await self._people_and_stored(facts, live_question, accepted_since)
        return facts

    async def _people_and_stored(
        self, facts: InsightFacts, live_question: ColumnElement[bool], accepted_since: datetime
    ) -> None:
        """The people counts and the stored figures of only those (scope, skill) pairs whose
        figures may have changed, compared in the database (one statement): pairs whose counts
        of learners, experts or free mentors differ from the stored ones (new and vanished pairs
        included), pairs whose stored figures count content (windows move on), and pairs with
        tagged questions in the longer window. Every other pair keeps its stored row."""
        p, t = posts, post_tags
        people = _people_counts().subquery("people")
        in_window = (
            select(p.c.community_id, t.c.skill_id)
            .select_from(p.join(t, t.c.post_id == p.c.id))
            .where(live_question, p.c.created_at >= accepted_since)
            .subquery("in_window")
        )
        content = union(
            select(in_window.c.community_id.label("scope"), in_window.c.skill_id),
            select(literal(ORGANISATION, Uuid()), in_window.c.skill_id),
        ).subquery("content")
        s = insights
        scope = func.coalesce(people.c.scope, s.c.scope_id)
        skill = func.coalesce(people.c.skill, s.c.skill_id)
        pairs = people.outerjoin(
            s, and_(s.c.scope_id == people.c.scope, s.c.skill_id == people.c.skill), full=True
        ).outerjoin(content, and_(content.c.scope == scope, content.c.skill_id == skill))
        rows = await self.session.execute(
            select(
                scope,
                skill,
                people.c.learners,
                people.c.experts,
                people.c.mentors,
                *(s.c[name] for name in _STORED),
            )
            .select_from(pairs)
            .where(
                or_(
                    people.c.scope.is_(None),
                    s.c.scope_id.is_(None),
                    s.c.learners != people.c.learners,
                    s.c.experts != people.c.experts,
                    s.c.mentors != people.c.mentors,
                    s.c.questions > 0,
                    s.c.answerers > 0,
                    s.c.accepted_answers > 0,
                    content.c.scope.is_not(None),
                )
            )
        )
        for r in rows.all():
            key = (r[0], r[1])
            if r[2] is not None:
                facts.people[key] = PeopleCounts(int(r[2]), int(r[3]), int(r[4]))
            if r[5] is not None:
                facts.stored[key] = _figures(r[5:])

    async def pair_candidates(
        self, keys: Collection[tuple[UUID, UUID]]
    ) -> tuple[dict[tuple[UUID, UUID], PairCandidates], set[tuple[UUID, UUID, UUID]]]:
        wanted = set(keys)
        candidates: dict[tuple[UUID, UUID], PairCandidates] = {k: PairCandidates() for k in wanted}
        if not wanted:
            return candidates, set()
        skill_ids = sorted({skill for _, skill in wanted})
        u, us, g = users, user_skills, goals
        free = and_(profiles.c.accepting_mentees, profiles.c.active_mentees < profiles.c.capacity)
        expert_rows = (
            select(us.c.skill_id, us.c.user_id, func.coalesce(free, False))
            .select_from(
                us.join(u, u.c.id == us.c.user_id).outerjoin(
                    profiles, profiles.c.user_id == us.c.user_id
                )
            )
            .where(_CLAIMED, us.c.level >= int(EXPERT_LEVEL))
            .order_by(us.c.skill_id, us.c.score.desc(), us.c.user_id)
        )
        learner_rows = (
            select(g.c.skill_id, g.c.user_id)
            .join(u, u.c.id == g.c.user_id)
            .where(g.c.status == GoalStatus.active.value, u.c.is_active)
            .order_by(g.c.created_at, g.c.id)
        )

        def add(scope: UUID, skill: UUID, person: UUID, is_free: bool | None) -> None:
            found = candidates.get((scope, skill))
            if found is None:
                return
            if is_free is None:
                found.learners.append(person)
            else:
                found.experts.append(person)
                if is_free:
                    found.free_mentors.add(person)

        for chunk in _chunks(skill_ids):
            in_skills = [us.c.skill_id.in_(chunk)]
            for r in await self.session.execute(expert_rows.where(*in_skills)):
                add(ORGANISATION, r[0], r[1], bool(r[2]))
            for r in await self.session.execute(learner_rows.where(g.c.skill_id.in_(chunk))):
                add(ORGANISATION, r[0], r[1], None)
        # A community's candidates: its active members, for the skills at risk somewhere (the
        # few rows of other pairs that this takes in are left out by `add`).
        in_community = [k for k in wanted if k[0] != ORGANISATION]
        community_ids = sorted({scope for scope, _ in in_community})
        community_skills = sorted({skill for _, skill in in_community})
        active = members.c.status == MembershipStatus.active.value
        for chunk in _chunks(community_ids):
            in_scope = and_(members.c.community_id.in_(chunk), active)
            for r in await self.session.execute(
                expert_rows.add_columns(members.c.community_id)
                .join(members, and_(members.c.user_id == us.c.user_id, in_scope))
                .where(us.c.skill_id.in_(community_skills))
            ):
                add(r[3], r[0], r[1], bool(r[2]))
            for r in await self.session.execute(
                learner_rows.add_columns(members.c.community_id)
                .join(members, and_(members.c.user_id == g.c.user_id, in_scope))
                .where(g.c.skill_id.in_(community_skills))
            ):
                add(r[2], r[0], r[1], None)
        m = mentorships
        open_mentorships: set[tuple[UUID, UUID, UUID]] = set()
        for chunk in _chunks(skill_ids):
            rows = await self.session.execute(
                select(m.c.mentor_id, m.c.mentee_id, m.c.skill_id).where(
                    m.c.status.in_(OPEN_MENTORSHIP), m.c.skill_id.in_(chunk)
                )
            )
            open_mentorships.update((r[0], r[1], r[2]) for r in rows)
        return candidates, open_mentorships

    async def apply(
        self,
        changed: Sequence[tuple[UUID, InsightFigures]],
        removed: Collection[tuple[UUID, UUID]],
        pairs: Sequence[StoredPair],
        at: datetime,
    ) -> None:
        gone = [*removed, *((scope, f.skill_id) for scope, f in changed)]
        key = tuple_(insights.c.scope_id, insights.c.skill_id)
        for start in range(0, len(gone), DELETE_CHUNK):
            await self.session.execute(
                delete(insights).where(key.in_(gone[start : start + DELETE_CHUNK]))
            )
        values = [_row(scope, figures) for scope, figures in changed]
        for start in range(0, len(values), INSERT_CHUNK):
            await self.session.execute(insert(insights), values[start : start + INSERT_CHUNK])
        await self.session.execute(delete(pair_rows))
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
        await self.session.execute(delete(runs))
        await self.session.execute(insert(runs).values(id=1, refreshed_at=at))
        if len(values) + len(removed) > ANALYZE_AFTER and self._dialect == "postgresql":
            # Many rows changed (the first refresh): fresh statistics keep the page reads on
            # their index until autovacuum gets round to the table (ANALYZE samples; cheap).
            await self.session.execute(text("ANALYZE skill_insight, skill_insight_pair"))

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

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
        keys = _SORT_KEYS[sort]
        stmt = _page_statement(sort, listed_only, page.after is not None, page.limit + 1)
        rows = (
            await self.session.execute(stmt, {"scope_id": scope_id, **keyset_params(page)})
        ).all()
        result = keyset_result(
            rows, page, _insight, lambda row: tuple(fields(row)[k.column.name] for k in keys)
        )
        at_risk = [item.skill.id for item in result.items if item.at_risk]
        if not at_risk:
            return result
        values: dict[str, Any] = {"scope_id": scope_id, "skills": at_risk}
        if pairs_for is not None:
            values["learner_id"] = pairs_for
        by_skill: dict[UUID, list[Pair]] = {}
        for row in await self.session.execute(_pairs_statement(pairs_for is not None), values):
            by_skill.setdefault(row.skill_id, []).append(
                Pair(expert=required_ref(row, "e"), learner=required_ref(row, "l"))
            )
        for item in result.items:
            item.pairs.extend(by_skill.get(item.skill.id, ()))
        return result


@cache
def _page_statement(sort: InsightSort, listed_only: bool, after: bool, limit: int) -> Select[Any]:
    """Built once per shape; the scope and the position are parameters. The time of the last
    refresh comes with every row (one row of its own table, read by its primary key)."""
    refreshed = select(runs.c.refreshed_at).where(runs.c.id == 1).scalar_subquery()
    stmt = (
        # skill_id comes with the skill's reference columns (the same value).
        select(
            *(col for col in insights.c if col.name != "skill_id"),
            refreshed.label("refreshed_at"),
            *REF_COLUMNS,
        )
        .select_from(insights.join(skills_table, skills_table.c.id == insights.c.skill_id))
        .where(insights.c.scope_id == bindparam("scope_id", type_=Uuid()))
    )
    if listed_only:
        stmt = stmt.where(skills_table.c.listed)
    return keyset_bound(stmt, _SORT_KEYS[sort], after=after, limit=limit)


@cache
def _pairs_statement(for_learner: bool) -> Select[Any]:
    """The stored pairs of a page's at-risk skills, both people's summaries joined."""
    expert, learner = users.alias("expert"), users.alias("learner")
    stmt = (
        select(pair_rows.c.skill_id, *ref_columns(expert, "e"), *ref_columns(learner, "l"))
        .select_from(
            pair_rows.join(expert, expert.c.id == pair_rows.c.expert_id).join(
                learner, learner.c.id == pair_rows.c.learner_id
            )
        )
        .where(
            pair_rows.c.scope_id == bindparam("scope_id", type_=Uuid()),
            pair_rows.c.skill_id.in_(bindparam("skills", expanding=True, type_=Uuid())),
            expert.c.is_active,
            learner.c.is_active,
        )
        .order_by(pair_rows.c.skill_id, pair_rows.c.position)
    )
    if for_learner:
        stmt = stmt.where(pair_rows.c.learner_id == bindparam("learner_id", type_=Uuid()))
    return stmt


def _row(scope: UUID, f: InsightFigures) -> dict[str, Any]:
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
    }


def _figures(r: Sequence[Any]) -> InsightFigures:
    """A stored rollup (the _STORED columns) as the refresh computes it."""
    return InsightFigures(
        skill_id=r[1],
        demand=Demand(
            learners=r[2], questions=r[3], unanswered=r[4], median_first_answer_minutes=r[5]
        ),
        supply=Supply(experts=r[6], answerers=r[7], mentors=r[8]),
        accepted_answers=r[9],
        bus_factor=r[10],
    )


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
