"""Skills in SQL: the taxonomy and its name index, profile skills, endorsements, learning goals.

The expert score is stored, not computed per request. `user_skill.score` (with the parts it is made
of) is indexed as (skill_id, score, user_id), so a page of `/skills/{slug}/experts` is an index
range scan whatever the number of holders, like any plain list; computing it per request means
aggregating every endorsement of every holder and sorting them all before the first row comes back
(the "rank in ORDER BY" row of DESIGN.md's performance table). The price is upkeep: every write
that changes an input (a level, an endorsement, a merge, and on the posts side an accepted answer,
a helpful reaction, a tag change, a deletion, a community's visibility) recomputes the affected
rows from the source tables in the same transaction, never incrementally, so a score cannot drift.
Writers lock in one order (the skill row shared, then user skills by user id and skill id) and
recompute in a later statement than the lock, so the recomputation sees every committed input and
concurrent writers cannot deadlock.

Visibility: the stored score counts public content only (live posts and comments in public
communities, evidence links to such posts). It is the same for every viewer, so it can be indexed.
What a viewer is shown adds, in one more statement per page, the private evidence that viewer can
see (communities where they are an active member; all of them for administrators). Evidence never
reaches a viewer who cannot see it, at the price that a member's page is ordered by the public
score while showing scores that include their private evidence.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Float,
    Select,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.actor import Actor
from domain.communities.model import MembershipStatus, Visibility
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    ACCEPTED_ANSWER_POINTS,
    ENDORSEMENT_BASE,
    ENDORSER_LEVEL_POINTS,
    EVIDENCE_MULTIPLIER,
    EXPERT_LEVEL,
    HELPFUL_REACTION_POINTS,
    LEVEL_POINTS,
    Endorsement,
    Evidence,
    EvidencePost,
    Expert,
    GoalStatus,
    LearningGoal,
    NameOwner,
    ProfileEvidence,
    ScoreInputs,
    Skill,
    SkillCategory,
    SkillName,
    SkillRef,
    SkillSort,
    SkillSummary,
    UserSkill,
    normalize_skill_name,
    visible_score,
)
from repositories.base import SortKey, keyset_page, like_prefix
from repositories.people import ref_columns, required_ref
from repositories.tables import (
    CommentRow,
    CommunityMember,
    CommunityRow,
    EndorsementRow,
    LearningGoalRow,
    PostRow,
    PostTag,
    SkillAlias,
    SkillRow,
    UserAccount,
)
from repositories.tables import UserSkill as UserSkillRow

skills = SkillRow.__table__  # type: ignore[attr-defined]
names = SkillAlias.__table__  # type: ignore[attr-defined]
user_skills = UserSkillRow.__table__  # type: ignore[attr-defined]
endorsements = EndorsementRow.__table__  # type: ignore[attr-defined]
goals = LearningGoalRow.__table__  # type: ignore[attr-defined]
post_tags = PostTag.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
comments = CommentRow.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]

SKILL_COLUMNS = [
    skills.c.id,
    skills.c.slug,
    skills.c.name,
    skills.c.sort_name,
    skills.c.description,
    skills.c.category,
    skills.c.holder_count,
    skills.c.created_at,
    skills.c.updated_at,
]
REF_COLUMNS = [
    skills.c.id.label("skill_id"),
    skills.c.slug.label("skill_slug"),
    skills.c.name.label("skill_name"),
    skills.c.category.label("skill_category"),
]


def _changed(result: Any) -> int:
    """Rows an INSERT/UPDATE/DELETE touched (ON CONFLICT DO NOTHING counts 0)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _insert_or_ignore(session: AsyncSession, table: Any, conflict: list[str]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING: the unique index, not a prior read, decides who wins."""
    dialect = session.get_bind().dialect.name
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing(index_elements=conflict)


def _category(value: str | None) -> SkillCategory | None:
    return SkillCategory(value) if value is not None else None


def _ref_from_row(row: Row[Any]) -> SkillRef:
    m = row._mapping
    return SkillRef(
        id=m["skill_id"],
        slug=m["skill_slug"],
        name=m["skill_name"],
        category=_category(m["skill_category"]),
    )


def _count_columns() -> list[Any]:
    """Exact counts as correlated subqueries: each is an index range count per listed skill."""
    expert = (
        select(func.count())
        .select_from(user_skills)
        .where(user_skills.c.skill_id == skills.c.id, user_skills.c.level >= int(EXPERT_LEVEL))
        .correlate(skills)
        .scalar_subquery()
    )
    teacher = (
        select(func.count())
        .select_from(user_skills)
        .where(user_skills.c.skill_id == skills.c.id, user_skills.c.wants_to_teach == true())
        .correlate(skills)
        .scalar_subquery()
    )
    learner = (
        select(func.count())
        .select_from(goals)
        .where(goals.c.skill_id == skills.c.id, goals.c.status == GoalStatus.active.value)
        .correlate(skills)
        .scalar_subquery()
    )
    return [
        expert.label("expert_count"),
        teacher.label("teacher_count"),
        learner.label("learner_count"),
    ]


def _skill_from_row(row: Row[Any]) -> Skill:
    m = row._mapping
    return Skill(
        id=m["id"],
        slug=m["slug"],
        name=m["name"],
        description=m["description"],
        category=_category(m["category"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        holder_count=m["holder_count"],
        expert_count=m["expert_count"],
        teacher_count=m["teacher_count"],
        learner_count=m["learner_count"],
    )


def _name_values(skill_id: UUID, rows: Sequence[SkillName]) -> list[dict[str, Any]]:
    return [
        {"normalized": n.key, "skill_id": skill_id, "name": n.name, "is_primary": n.primary}
        for n in rows
    ]


# --- evidence: who may see what ----------------------------------------------------------------

CommunityRule = Any  # (community table) -> ColumnElement[bool]


def _public(community: Any) -> ColumnElement[bool]:
    return community.c.visibility == Visibility.public.value  # type: ignore[no-any-return]


def _memberships(viewer: Actor) -> Select[Any]:
    return select(members.c.community_id).where(
        members.c.user_id == viewer.user_id,
        members.c.status == MembershipStatus.active.value,
    )


def visible_to(viewer: Actor) -> CommunityRule:
    """Content the viewer can read: public communities, their own, or any for an admin."""

    def rule(community: Any) -> ColumnElement[bool]:
        if viewer.is_admin:
            return true()
        return or_(_public(community), community.c.id.in_(_memberships(viewer)))

    return rule


def private_visible_to(viewer: Actor) -> CommunityRule:
    """What the viewer sees beyond the public score: private communities they belong to."""

    def rule(community: Any) -> ColumnElement[bool]:
        private = community.c.visibility != Visibility.public.value
        if viewer.is_admin:
            return private  # type: ignore[no-any-return]
        return and_(private, community.c.id.in_(_memberships(viewer)))

    return rule


def _accepted_answers(author: Any, skill: Any, rule: CommunityRule) -> Select[Any]:
    """The author's live comments accepted as the answer of a live question tagged `skill`."""
    p, cm, c, pt = posts, comments, communities, post_tags
    return (
        select(func.count())
        .select_from(
            cm.join(p, and_(p.c.id == cm.c.post_id, p.c.accepted_comment_id == cm.c.id))
            .join(c, c.c.id == p.c.community_id)
            .join(pt, and_(pt.c.post_id == p.c.id, pt.c.skill_id == skill))
        )
        .where(
            cm.c.author_id == author,
            cm.c.deleted_at.is_(None),
            p.c.deleted_at.is_(None),
            rule(c),
        )
    )


def _helpful_on_posts(author: Any, skill: Any, rule: CommunityRule) -> Select[Any]:
    p, c, pt = posts, communities, post_tags
    return (
        select(func.coalesce(func.sum(p.c.helpful_count), 0))
        .select_from(
            p.join(c, c.c.id == p.c.community_id).join(
                pt, and_(pt.c.post_id == p.c.id, pt.c.skill_id == skill)
            )
        )
        .where(p.c.author_id == author, p.c.deleted_at.is_(None), rule(c))
    )


def _helpful_on_comments(author: Any, skill: Any, rule: CommunityRule) -> Select[Any]:
    """A comment counts through its post's tags."""
    p, cm, c, pt = posts, comments, communities, post_tags
    return (
        select(func.coalesce(func.sum(cm.c.helpful_count), 0))
        .select_from(
            cm.join(p, p.c.id == cm.c.post_id)
            .join(c, c.c.id == p.c.community_id)
            .join(pt, and_(pt.c.post_id == p.c.id, pt.c.skill_id == skill))
        )
        .where(
            cm.c.author_id == author,
            cm.c.deleted_at.is_(None),
            p.c.deleted_at.is_(None),
            rule(c),
        )
    )


def _evidence_readable(post_id: Any, rule: CommunityRule) -> ColumnElement[bool]:
    """The evidence post is live and readable under `rule`."""
    p, c = posts, communities
    return exists(
        select(literal(1))
        .select_from(p.join(c, c.c.id == p.c.community_id))
        .where(p.c.id == post_id, p.c.deleted_at.is_(None), rule(c))
    )


def _endorsement_weight(e: Any, endorser_level: Any) -> Any:
    """ENDORSEMENT_BASE + ENDORSER_LEVEL_POINTS x the endorser's level (0 when not listed)."""
    return literal(ENDORSEMENT_BASE, Float) + literal(ENDORSER_LEVEL_POINTS, Float) * cast(
        func.coalesce(endorser_level, 0), Float
    )


# --- the stored score ---------------------------------------------------------------------------


def _public_inputs() -> dict[str, Any]:
    """The stored inputs of each updated user skill, recomputed from the source tables.

    The SQL twin of domain.skills.model.expert_score over public evidence (tests assert they
    agree): each endorsement weighs (ENDORSEMENT_BASE + ENDORSER_LEVEL_POINTS x the endorser's
    level in the skill, 0 when they do not list it) x EVIDENCE_MULTIPLIER when it links a live
    post of a public community; accepted answers and helpful reactions count on live content of
    public communities tagged with the skill.
    """
    endorser_skill = user_skills.alias("endorser_skill")
    e = endorsements
    weight = _endorsement_weight(e, endorser_skill.c.level) * case(
        (
            _evidence_readable(e.c.evidence_post_id, _public),
            literal(EVIDENCE_MULTIPLIER, Float),
        ),
        else_=literal(1.0, Float),
    )
    received = and_(e.c.user_id == user_skills.c.user_id, e.c.skill_id == user_skills.c.skill_id)
    points = (
        select(func.coalesce(func.sum(weight), literal(0.0, Float)))
        .select_from(
            e.outerjoin(
                endorser_skill,
                and_(
                    endorser_skill.c.user_id == e.c.endorser_id,
                    endorser_skill.c.skill_id == e.c.skill_id,
                ),
            )
        )
        .where(received)
        .scalar_subquery()
    )
    count = select(func.count()).select_from(e).where(received).scalar_subquery()
    person, skill = user_skills.c.user_id, user_skills.c.skill_id
    helpful = (
        _helpful_on_posts(person, skill, _public).scalar_subquery()
        + _helpful_on_comments(person, skill, _public).scalar_subquery()
    )
    return {
        "endorsement_count": count,
        "endorsement_points": points,
        "accepted_answers": _accepted_answers(person, skill, _public).scalar_subquery(),
        "helpful_reactions": helpful,
    }


async def _refresh_rows(session: AsyncSession, where: ColumnElement[bool]) -> None:
    """Recompute the inputs, then the score from them (a second statement, so each input is
    aggregated once). `where` must not depend on the columns being recomputed."""
    await session.execute(update(user_skills).where(where).values(**_public_inputs()))
    await session.execute(
        update(user_skills)
        .where(where)
        .values(
            score=literal(LEVEL_POINTS, Float) * cast(user_skills.c.level, Float)
            + user_skills.c.endorsement_points
            + literal(ACCEPTED_ANSWER_POINTS, Float) * cast(user_skills.c.accepted_answers, Float)
            + literal(HELPFUL_REACTION_POINTS, Float) * cast(user_skills.c.helpful_reactions, Float)
        )
    )


async def refresh_scores(
    session: AsyncSession, skill_id: UUID, only: ColumnElement[bool] | None = None
) -> None:
    """Recompute the stored score of the holders of one skill (`only` narrows them)."""
    where = user_skills.c.skill_id == skill_id
    await _refresh_rows(session, and_(where, only) if only is not None else where)


async def _refresh_for_content(
    session: AsyncSession, post_ids: Any, people: Sequence[UUID] | None
) -> None:
    """Refresh every stored score the content of `post_ids` (a list or a subquery) feeds.

    The rows: the people involved (the posts' authors and commenters, or `people`) in the posts'
    tags, plus their skills that hold evidence already (so a removed tag takes its evidence
    away), plus the user skills whose endorsements cite one of the posts. They are locked in
    (user_id, skill_id) order first; the recomputation then runs by key in later statements.
    """
    us, p, cm, e = user_skills, posts, comments, endorsements
    involved: Any = (
        list(people)
        if people is not None
        else union(
            select(p.c.author_id).where(p.c.id.in_(post_ids)),
            select(cm.c.author_id).where(cm.c.post_id.in_(post_ids)),
        )
    )
    held = user_skills.alias("held")
    fed = select(held.c.user_id, held.c.skill_id).where(
        held.c.user_id.in_(involved),
        or_(
            held.c.skill_id.in_(
                select(post_tags.c.skill_id).where(post_tags.c.post_id.in_(post_ids))
            ),
            held.c.accepted_answers > 0,
            held.c.helpful_reactions > 0,
        ),
    )
    cited = select(e.c.user_id, e.c.skill_id).where(e.c.evidence_post_id.in_(post_ids))
    locked = await session.execute(
        select(us.c.user_id, us.c.skill_id)
        .where(tuple_(us.c.user_id, us.c.skill_id).in_(union(fed, cited)))
        .order_by(us.c.user_id, us.c.skill_id)
        .with_for_update()
    )
    keys = [(user_id, skill_id) for user_id, skill_id in locked]
    if keys:
        await _refresh_rows(session, tuple_(us.c.user_id, us.c.skill_id).in_(keys))


async def _share_skill(session: AsyncSession, skill_id: UUID) -> None:
    """FOR KEY SHARE on the skill: many profile writers at once, but none during a merge."""
    await session.execute(
        select(skills.c.id)
        .where(skills.c.id == skill_id)
        .with_for_update(read=True, key_share=True)
    )


class SqlSkillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _aliases(self, skill_ids: list[UUID]) -> dict[UUID, list[str]]:
        found: dict[UUID, list[str]] = defaultdict(list)
        if not skill_ids:
            return found
        rows = await self.session.execute(
            select(names.c.skill_id, names.c.name).where(
                names.c.skill_id.in_(skill_ids), names.c.is_primary.is_(False)
            )
        )
        for skill_id, name in rows:
            found[skill_id].append(name)
        for values in found.values():
            values.sort(key=str.casefold)
        return found

    def _by_slug(self, slug: str) -> ColumnElement[bool]:
        by_alias = (
            select(names.c.skill_id)
            .where(names.c.normalized == normalize_skill_name(slug))
            .scalar_subquery()
        )
        return or_(skills.c.slug == slug, skills.c.id == by_alias)

    def _exact_first(self, slug: str) -> Any:
        return case((skills.c.slug == slug, 0), else_=1)

    async def get_by_slug(self, slug: str) -> Skill | None:
        row = (
            await self.session.execute(
                select(*SKILL_COLUMNS, *_count_columns())
                .where(self._by_slug(slug))
                .order_by(self._exact_first(slug))
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        skill = _skill_from_row(row)
        skill.aliases = (await self._aliases([skill.id])).get(skill.id, [])
        return skill

    async def get_ref(self, slug: str) -> SkillRef | None:
        row = (
            await self.session.execute(
                select(*REF_COLUMNS)
                .where(self._by_slug(slug))
                .order_by(self._exact_first(slug))
                .limit(1)
            )
        ).first()
        return _ref_from_row(row) if row else None

    async def search(
        self,
        key_prefix: str | None,
        category: SkillCategory | None,
        sort: SkillSort,
        page: PageRequest,
    ) -> PageResult[Skill]:
        stmt: Select[Any] = select(*SKILL_COLUMNS, *_count_columns())
        if key_prefix:
            matching = select(names.c.skill_id).where(
                names.c.normalized.like(like_prefix(key_prefix), escape="\\")
            )
            stmt = stmt.where(skills.c.id.in_(matching))
        if category is not None:
            stmt = stmt.where(skills.c.category == category.value)
        if sort is SkillSort.popular:
            keys = [
                SortKey(skills.c.holder_count, descending=True),
                SortKey(skills.c.sort_name),
                SortKey(skills.c.id),
            ]
        else:
            keys = [SortKey(skills.c.sort_name), SortKey(skills.c.id)]
        columns = (
            ["holder_count", "sort_name", "id"]
            if sort is SkillSort.popular
            else ["sort_name", "id"]
        )
        result = await keyset_page(
            self.session,
            stmt,
            keys,
            page,
            _skill_from_row,
            lambda row: tuple(row._mapping[c] for c in columns),
        )
        aliases = await self._aliases([s.id for s in result.items])
        for skill in result.items:
            skill.aliases = aliases.get(skill.id, [])
        return result

    async def owners_of(self, keys: list[str]) -> list[NameOwner]:
        if not keys:
            return []
        rows = await self.session.execute(
            select(names.c.normalized, names.c.name, skills.c.id, skills.c.slug, skills.c.name)
            .join_from(names, skills, names.c.skill_id == skills.c.id)
            .where(names.c.normalized.in_(keys))
        )
        return [
            NameOwner(key=key, name=name, skill_id=skill_id, skill_slug=slug, skill_name=skill)
            for key, name, skill_id, slug, skill in rows
        ]

    async def slugs_taken(self, candidates: list[str]) -> set[str]:
        rows = await self.session.execute(
            select(skills.c.slug).where(skills.c.slug.in_(candidates))
        )
        return {r[0] for r in rows}

    async def all_slugs(self) -> set[str]:
        return {r[0] for r in await self.session.execute(select(skills.c.slug))}

    async def all_keys(self) -> set[str]:
        return {r[0] for r in await self.session.execute(select(names.c.normalized))}

    async def add(self, skill: Skill, rows: list[SkillName]) -> None:
        await self.session.execute(
            insert(skills).values(
                id=skill.id,
                slug=skill.slug,
                name=skill.name,
                sort_name=skill.name.casefold(),
                description=skill.description,
                category=skill.category.value if skill.category else None,
                holder_count=0,
                created_at=skill.created_at,
                updated_at=skill.updated_at,
            )
        )
        await self.session.execute(insert(names), _name_values(skill.id, rows))

    async def update(self, skill: Skill, rows: list[SkillName] | None) -> None:
        await self.session.execute(
            update(skills)
            .where(skills.c.id == skill.id)
            .values(
                name=skill.name,
                sort_name=skill.name.casefold(),
                description=skill.description,
                category=skill.category.value if skill.category else None,
                updated_at=skill.updated_at,
            )
        )
        if rows is not None:
            await self.session.execute(delete(names).where(names.c.skill_id == skill.id))
            await self.session.execute(insert(names), _name_values(skill.id, rows))

    async def merge(
        self, source_id: UUID, target_id: UUID, extra: list[SkillName], at: datetime
    ) -> bool:
        """Everything as set operations, so the work does not grow with round trips.

        Locks first: both skill rows in id order (two opposite merges cannot deadlock), then
        every user skill of both in (user_id, skill_id) order, which makes concurrent profile
        and endorsement writers wait and then see the merged state. Unique indexes back every
        collapse, so a writer that slipped through fails loudly instead of duplicating.
        """
        s = self.session
        locked = await s.execute(
            select(skills.c.id)
            .where(skills.c.id.in_([source_id, target_id]))
            .order_by(skills.c.id)
            .with_for_update()
        )
        if len(locked.all()) != 2:
            return False
        await s.execute(
            select(user_skills.c.user_id)
            .where(user_skills.c.skill_id.in_([source_id, target_id]))
            .order_by(user_skills.c.user_id, user_skills.c.skill_id)
            .with_for_update()
        )
        holders_of_target = select(user_skills.c.user_id).where(user_skills.c.skill_id == target_id)

        # Endorsements of people who hold both: one per (endorser, person), the target's wins.
        e, twin = endorsements, endorsements.alias("twin")
        await s.execute(
            delete(e).where(
                e.c.skill_id == source_id,
                e.c.user_id.in_(holders_of_target),
                exists(
                    select(twin.c.id).where(
                        twin.c.skill_id == target_id,
                        twin.c.user_id == e.c.user_id,
                        twin.c.endorser_id == e.c.endorser_id,
                    )
                ),
            )
        )
        await s.execute(
            update(e)
            .where(e.c.skill_id == source_id, e.c.user_id.in_(holders_of_target))
            .values(skill_id=target_id)
        )

        # User skills: people with both keep the higher level and either teaching offer.
        src = user_skills.alias("src")
        mine = and_(src.c.skill_id == source_id, src.c.user_id == user_skills.c.user_id)
        src_level = select(src.c.level).where(mine).scalar_subquery()
        src_teach = select(src.c.wants_to_teach).where(mine).scalar_subquery()
        await s.execute(
            update(user_skills)
            .where(
                user_skills.c.skill_id == target_id,
                user_skills.c.user_id.in_(select(src.c.user_id).where(src.c.skill_id == source_id)),
            )
            .values(
                level=case((src_level > user_skills.c.level, src_level), else_=user_skills.c.level),
                wants_to_teach=or_(user_skills.c.wants_to_teach, src_teach),
                updated_at=at,
            )
        )
        tgt = user_skills.alias("tgt")
        await s.execute(
            delete(user_skills).where(
                user_skills.c.skill_id == source_id,
                user_skills.c.user_id.in_(select(tgt.c.user_id).where(tgt.c.skill_id == target_id)),
            )
        )
        # ON UPDATE CASCADE carries the remaining endorsements along with their user skill.
        await s.execute(
            update(user_skills)
            .where(user_skills.c.skill_id == source_id)
            .values(skill_id=target_id)
        )

        # Learning goals: one per person; an active goal beats a finished one, else the target's.
        other = goals.alias("other")
        active = GoalStatus.active.value
        await s.execute(
            delete(goals).where(
                goals.c.skill_id == target_id,
                goals.c.status != active,
                goals.c.user_id.in_(
                    select(other.c.user_id).where(
                        other.c.skill_id == source_id, other.c.status == active
                    )
                ),
            )
        )
        await s.execute(
            delete(goals).where(
                goals.c.skill_id == source_id,
                goals.c.user_id.in_(select(other.c.user_id).where(other.c.skill_id == target_id)),
            )
        )
        await s.execute(
            update(goals).where(goals.c.skill_id == source_id).values(skill_id=target_id)
        )

        # Names: the source's own name and aliases (and its old slug) now find the target.
        await s.execute(
            update(names)
            .where(names.c.skill_id == source_id)
            .values(skill_id=target_id, is_primary=False)
        )
        if extra:
            await s.execute(
                _insert_or_ignore(s, names, ["normalized"]), _name_values(target_id, extra)
            )

        # Post tags: a post tagged with both keeps one tag; the rest move to the target.
        tagged, other_tag = post_tags, post_tags.alias("other_tag")
        await s.execute(
            delete(tagged).where(
                tagged.c.skill_id == source_id,
                exists(
                    select(other_tag.c.post_id).where(
                        other_tag.c.post_id == tagged.c.post_id, other_tag.c.skill_id == target_id
                    )
                ),
            )
        )
        await s.execute(
            update(tagged).where(tagged.c.skill_id == source_id).values(skill_id=target_id)
        )

        holders = select(func.count()).select_from(holders_of_target.subquery()).scalar_subquery()
        await s.execute(
            update(skills)
            .where(skills.c.id == target_id)
            .values(holder_count=holders, updated_at=at)
        )
        await refresh_scores(s, target_id)
        await s.execute(delete(skills).where(skills.c.id == source_id))
        return True


def _endorsed_by(user_id: UUID, skill_id: UUID) -> Select[Any]:
    return select(endorsements.c.user_id).where(
        endorsements.c.endorser_id == user_id, endorsements.c.skill_id == skill_id
    )


def _user_skill_columns(viewer_id: UUID) -> list[Any]:
    mine = exists(
        select(endorsements.c.id).where(
            endorsements.c.endorser_id == viewer_id,
            endorsements.c.user_id == user_skills.c.user_id,
            endorsements.c.skill_id == user_skills.c.skill_id,
        )
    ).label("endorsed_by_me")
    return [
        user_skills.c.user_id,
        user_skills.c.level,
        user_skills.c.wants_to_teach,
        user_skills.c.endorsement_count,
        user_skills.c.created_at,
        user_skills.c.updated_at,
        skills.c.sort_name,
        *REF_COLUMNS,
        mine,
    ]


def _user_skill_from_row(row: Row[Any]) -> UserSkill:
    m = row._mapping
    return UserSkill(
        user_id=m["user_id"],
        skill=_ref_from_row(row),
        level=m["level"],
        wants_to_teach=bool(m["wants_to_teach"]),
        endorsement_count=m["endorsement_count"],
        endorsed_by_me=bool(m["endorsed_by_me"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


class SqlUserSkillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _lock_affected(self, user_id: UUID, skill_id: UUID) -> None:
        """Lock my row and the rows of the people I endorsed in this skill, in user id order:
        their scores depend on my level and are recomputed below."""
        await _share_skill(self.session, skill_id)
        await self.session.execute(
            select(user_skills.c.user_id)
            .where(
                user_skills.c.skill_id == skill_id,
                or_(
                    user_skills.c.user_id == user_id,
                    user_skills.c.user_id.in_(_endorsed_by(user_id, skill_id)),
                ),
            )
            .order_by(user_skills.c.user_id)
            .with_for_update()
        )

    async def upsert(
        self, user_id: UUID, skill_id: UUID, level: int, wants_to_teach: bool, at: datetime
    ) -> bool:
        await self._lock_affected(user_id, skill_id)
        inserted = _changed(
            await self.session.execute(
                _insert_or_ignore(self.session, user_skills, ["user_id", "skill_id"]).values(
                    user_id=user_id,
                    skill_id=skill_id,
                    level=level,
                    wants_to_teach=wants_to_teach,
                    endorsement_count=0,
                    endorsement_points=0.0,
                    score=0.0,
                    created_at=at,
                    updated_at=at,
                )
            )
        )
        if inserted:
            await self.session.execute(
                update(skills)
                .where(skills.c.id == skill_id)
                .values(holder_count=skills.c.holder_count + 1)
            )
        else:
            await self.session.execute(
                update(user_skills)
                .where(user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id)
                .values(level=level, wants_to_teach=wants_to_teach, updated_at=at)
            )
        await refresh_scores(
            self.session,
            skill_id,
            or_(
                user_skills.c.user_id == user_id,
                user_skills.c.user_id.in_(_endorsed_by(user_id, skill_id)),
            ),
        )
        return inserted == 1

    async def remove(self, user_id: UUID, skill_id: UUID) -> bool:
        await self._lock_affected(user_id, skill_id)
        deleted = _changed(
            await self.session.execute(
                delete(user_skills).where(
                    user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id
                )
            )
        )
        if not deleted:
            return False
        await self.session.execute(
            update(skills)
            .where(skills.c.id == skill_id)
            .values(holder_count=skills.c.holder_count - 1)
        )
        await refresh_scores(
            self.session, skill_id, user_skills.c.user_id.in_(_endorsed_by(user_id, skill_id))
        )
        return True

    async def lock_holding(self, user_id: UUID, skill_id: UUID) -> bool:
        row = (
            await self.session.execute(
                select(user_skills.c.level)
                .where(user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id)
                .with_for_update()
            )
        ).first()
        return row is not None

    def _select(self, viewer_id: UUID) -> Select[Any]:
        return select(*_user_skill_columns(viewer_id)).join_from(
            user_skills, skills, user_skills.c.skill_id == skills.c.id
        )

    async def _evidence(
        self, user_id: UUID, skill_ids: list[UUID], viewer: Actor
    ) -> dict[UUID, Evidence]:
        """Posts and accepted answers per skill for one page, in one statement, driven by the
        person's own posts and comments (ix_post_author, ix_comment_author)."""
        if not skill_ids:
            return {}
        p, cm, c, pt = posts, comments, communities, post_tags
        rule = visible_to(viewer)
        authored = (
            select(literal_column("'p'").label("part"), pt.c.skill_id, func.count().label("n"))
            .select_from(p.join(c, c.c.id == p.c.community_id).join(pt, pt.c.post_id == p.c.id))
            .where(
                p.c.author_id == user_id,
                p.c.deleted_at.is_(None),
                pt.c.skill_id.in_(skill_ids),
                rule(c),
            )
            .group_by(pt.c.skill_id)
        )
        accepted = (
            select(literal_column("'a'").label("part"), pt.c.skill_id, func.count().label("n"))
            .select_from(
                cm.join(p, and_(p.c.id == cm.c.post_id, p.c.accepted_comment_id == cm.c.id))
                .join(c, c.c.id == p.c.community_id)
                .join(pt, pt.c.post_id == p.c.id)
            )
            .where(
                cm.c.author_id == user_id,
                cm.c.deleted_at.is_(None),
                p.c.deleted_at.is_(None),
                pt.c.skill_id.in_(skill_ids),
                rule(c),
            )
            .group_by(pt.c.skill_id)
        )
        counts: dict[UUID, dict[str, int]] = defaultdict(dict)
        for part, skill_id, n in await self.session.execute(union_all(authored, accepted)):
            counts[skill_id][part] = int(n)
        return {
            skill_id: Evidence(posts=found.get("p", 0), accepted_answers=found.get("a", 0))
            for skill_id, found in counts.items()
        }

    async def _with_evidence(self, items: list[UserSkill], viewer: Actor) -> list[UserSkill]:
        if not items:
            return items
        found = await self._evidence(items[0].user_id, [i.skill.id for i in items], viewer)
        return [dataclasses.replace(i, evidence=found.get(i.skill.id, Evidence())) for i in items]

    async def get(self, user_id: UUID, skill_id: UUID, viewer: Actor) -> UserSkill | None:
        row = (
            await self.session.execute(
                self._select(viewer.user_id).where(
                    user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id
                )
            )
        ).first()
        if row is None:
            return None
        return (await self._with_evidence([_user_skill_from_row(row)], viewer))[0]

    async def list_for_user(
        self, user_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[UserSkill]:
        """Two statements per page: the skills, then the evidence the viewer can see."""
        result = await keyset_page(
            self.session,
            self._select(viewer.user_id).where(user_skills.c.user_id == user_id),
            [
                SortKey(user_skills.c.level, descending=True),
                SortKey(skills.c.sort_name),
                SortKey(skills.c.id),
            ],
            page,
            _user_skill_from_row,
            lambda row: (
                row._mapping["level"],
                row._mapping["sort_name"],
                row._mapping["skill_id"],
            ),
        )
        items = await self._with_evidence(result.items, viewer)
        return PageResult(items=items, next_position=result.next_position)

    async def top_for_user(self, user_id: UUID, limit: int) -> list[SkillSummary]:
        rows = await self.session.execute(
            select(
                skills.c.slug, skills.c.name, user_skills.c.level, user_skills.c.endorsement_count
            )
            .join_from(user_skills, skills, user_skills.c.skill_id == skills.c.id)
            .where(user_skills.c.user_id == user_id)
            .order_by(
                user_skills.c.level.desc(),
                user_skills.c.endorsement_count.desc(),
                skills.c.sort_name,
            )
            .limit(limit)
        )
        return [
            SkillSummary(slug=slug, name=name, level=level, endorsement_count=count)
            for slug, name, level, count in rows
        ]

    async def profile_evidence(self, user_id: UUID, viewer: Actor) -> ProfileEvidence:
        """One statement: three counts, each an index range over the person's own rows."""
        p, cm, c = posts, comments, communities
        rule = visible_to(viewer)
        authored = (
            select(func.count())
            .select_from(p.join(c, c.c.id == p.c.community_id))
            .where(p.c.author_id == user_id, p.c.deleted_at.is_(None), rule(c))
            .scalar_subquery()
        )
        accepted = (
            select(func.count())
            .select_from(
                cm.join(p, and_(p.c.id == cm.c.post_id, p.c.accepted_comment_id == cm.c.id)).join(
                    c, c.c.id == p.c.community_id
                )
            )
            .where(
                cm.c.author_id == user_id,
                cm.c.deleted_at.is_(None),
                p.c.deleted_at.is_(None),
                rule(c),
            )
            .scalar_subquery()
        )
        received = (
            select(func.count())
            .select_from(endorsements)
            .where(endorsements.c.user_id == user_id)
            .scalar_subquery()
        )
        row = (await self.session.execute(select(authored, accepted, received))).one()
        return ProfileEvidence(
            posts=int(row[0]), accepted_answers=int(row[1]), endorsements_received=int(row[2])
        )

    async def _private_inputs(
        self, skill_id: UUID, user_ids: list[UUID], viewer: Actor
    ) -> dict[UUID, ScoreInputs]:
        """The evidence beyond the public score that this viewer may see, for one page of
        holders, in one statement: accepted answers, helpful reactions, and the evidence bonus
        of endorsements citing posts in the viewer's private communities."""
        rule = private_visible_to(viewer)
        cm, p, e = comments, posts, endorsements

        def per_person(part: str, author: Any, total: Select[Any]) -> Select[Any]:
            # Reuse the scoring subqueries, grouped by person instead of correlated to one row.
            return (
                total.add_columns(literal_column(f"'{part}'").label("part"), author.label("uid"))
                .where(author.in_(user_ids))
                .group_by(author)
            )

        endorser_skill = user_skills.alias("endorser_skill")
        bonus = _endorsement_weight(e, endorser_skill.c.level) * literal(
            EVIDENCE_MULTIPLIER - 1.0, Float
        )
        cited = (
            select(
                cast(func.sum(bonus), Float),
                literal_column("'e'").label("part"),
                e.c.user_id.label("uid"),
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
                _evidence_readable(e.c.evidence_post_id, rule),
            )
            .group_by(e.c.user_id)
        )
        stmt = union_all(
            per_person("a", cm.c.author_id, _accepted_answers(cm.c.author_id, skill_id, rule)),
            per_person("h", p.c.author_id, _helpful_on_posts(p.c.author_id, skill_id, rule)),
            per_person("h", cm.c.author_id, _helpful_on_comments(cm.c.author_id, skill_id, rule)),
            cited,
        )
        found: dict[UUID, ScoreInputs] = defaultdict(ScoreInputs)
        for value, part, user_id in await self.session.execute(stmt):
            if part == "e":
                extra = ScoreInputs(endorsement_points=float(value or 0.0))
            elif part == "a":
                extra = ScoreInputs(accepted_answers=int(value or 0))
            else:
                extra = ScoreInputs(helpful_reactions=int(value or 0))
            found[user_id] = found[user_id] + extra
        return found

    async def experts(self, skill_id: UUID, viewer: Actor, page: PageRequest) -> PageResult[Expert]:
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
            m = row._mapping
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
            self.session,
            stmt,
            [
                SortKey(user_skills.c.score, descending=True),
                SortKey(user_skills.c.user_id, descending=True),
            ],
            page,
            to_expert,
            lambda row: (row._mapping["score"], row._mapping["user_id"]),
        )
        if not result.items:
            return result
        private = await self._private_inputs(skill_id, [x.person.id for x in result.items], viewer)
        items = []
        for expert in result.items:
            parts = visible_score(
                expert.level, public[expert.person.id], private.get(expert.person.id, ScoreInputs())
            )
            items.append(dataclasses.replace(expert, parts=parts, score=parts.total))
        return PageResult(items=items, next_position=result.next_position)

    async def refresh_evidence(
        self, post_ids: Sequence[UUID], people: Sequence[UUID] | None = None
    ) -> None:
        if post_ids:
            await _refresh_for_content(self.session, list(post_ids), people)

    async def refresh_community_evidence(self, community_id: UUID) -> None:
        await _refresh_for_content(
            self.session, select(posts.c.id).where(posts.c.community_id == community_id), None
        )


def _endorsement_from_row(row: Row[Any]) -> Endorsement:
    m = row._mapping
    return Endorsement(
        id=m["id"],
        endorser=required_ref(row, "endorser"),
        user_id=m["user_id"],
        skill_id=m["skill_id"],
        note=m["note"],
        evidence_post_id=m["evidence_post_id"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


class SqlEndorsementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self, viewer: Actor | None = None) -> Select[Any]:
        """`viewer` masks evidence links to posts they cannot see (None: the endorser's own)."""
        e = endorsements
        evidence: Any = e.c.evidence_post_id
        if viewer is not None:
            evidence = case(
                (_evidence_readable(e.c.evidence_post_id, visible_to(viewer)), evidence),
                else_=None,
            )
        return select(
            e.c.id,
            e.c.user_id,
            e.c.skill_id,
            e.c.note,
            evidence.label("evidence_post_id"),
            e.c.created_at,
            e.c.updated_at,
            *ref_columns(users, "endorser"),
        ).join_from(e, users, e.c.endorser_id == users.c.id)

    def _key(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> ColumnElement[bool]:
        e = endorsements
        return and_(
            e.c.endorser_id == endorser_id, e.c.user_id == user_id, e.c.skill_id == skill_id
        )

    async def put(
        self,
        endorsement_id: UUID,
        endorser_id: UUID,
        user_id: UUID,
        skill_id: UUID,
        note: str | None,
        evidence_post_id: UUID | None,
        at: datetime,
    ) -> bool:
        inserted = _changed(
            await self.session.execute(
                _insert_or_ignore(
                    self.session, endorsements, ["endorser_id", "skill_id", "user_id"]
                ).values(
                    id=endorsement_id,
                    endorser_id=endorser_id,
                    user_id=user_id,
                    skill_id=skill_id,
                    note=note,
                    evidence_post_id=evidence_post_id,
                    created_at=at,
                    updated_at=at,
                )
            )
        )
        if not inserted:
            await self.session.execute(
                update(endorsements)
                .where(self._key(endorser_id, user_id, skill_id))
                .values(note=note, evidence_post_id=evidence_post_id, updated_at=at)
            )
        # A new or changed evidence link changes the weight: always recompute.
        await refresh_scores(self.session, skill_id, user_skills.c.user_id == user_id)
        return inserted == 1

    async def get(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> Endorsement | None:
        row = (
            await self.session.execute(
                self._select().where(self._key(endorser_id, user_id, skill_id))
            )
        ).first()
        return _endorsement_from_row(row) if row else None

    async def remove(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> bool:
        deleted = _changed(
            await self.session.execute(
                delete(endorsements).where(self._key(endorser_id, user_id, skill_id))
            )
        )
        if deleted:
            await refresh_scores(self.session, skill_id, user_skills.c.user_id == user_id)
        return deleted == 1

    async def list_for(
        self, user_id: UUID, skill_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[Endorsement]:
        e = endorsements
        return await keyset_page(
            self.session,
            self._select(viewer).where(e.c.user_id == user_id, e.c.skill_id == skill_id),
            [SortKey(e.c.created_at, descending=True), SortKey(e.c.id, descending=True)],
            page,
            _endorsement_from_row,
            lambda row: (row._mapping["created_at"], row._mapping["id"]),
        )

    async def evidence_post(self, post_id: UUID, viewer: Actor) -> EvidencePost | None:
        """One statement: the post, its accepted answer's author and its tags (one row each)."""
        p, c, pt = posts, communities, post_tags
        answer = comments.alias("answer")
        rows = (
            await self.session.execute(
                select(p.c.id, p.c.author_id, answer.c.author_id, pt.c.skill_id)
                .select_from(
                    p.join(c, c.c.id == p.c.community_id)
                    .outerjoin(
                        answer,
                        and_(
                            answer.c.id == p.c.accepted_comment_id,
                            answer.c.post_id == p.c.id,
                            answer.c.deleted_at.is_(None),
                        ),
                    )
                    .outerjoin(pt, pt.c.post_id == p.c.id)
                )
                .where(p.c.id == post_id, p.c.deleted_at.is_(None), visible_to(viewer)(c))
            )
        ).all()
        if not rows:
            return None
        return EvidencePost(
            id=rows[0][0],
            author_id=rows[0][1],
            accepted_answer_author_id=rows[0][2],
            skill_ids=frozenset(r[3] for r in rows if r[3] is not None),
        )


def _goal_from_row(row: Row[Any]) -> LearningGoal:
    m = row._mapping
    return LearningGoal(
        id=m["id"],
        user_id=m["user_id"],
        skill=_ref_from_row(row),
        target_level=m["target_level"],
        status=GoalStatus(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        note=m["note"],
        due_on=m["due_on"],
        current_level=m["current_level"],
    )


class SqlLearningGoalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _select(self) -> Select[Any]:
        g = goals
        return (
            select(
                g.c.id,
                g.c.user_id,
                g.c.target_level,
                g.c.status,
                g.c.note,
                g.c.due_on,
                g.c.created_at,
                g.c.updated_at,
                user_skills.c.level.label("current_level"),
                *REF_COLUMNS,
            )
            .join_from(g, skills, g.c.skill_id == skills.c.id)
            .outerjoin(
                user_skills,
                and_(
                    user_skills.c.user_id == g.c.user_id,
                    user_skills.c.skill_id == g.c.skill_id,
                ),
            )
        )

    async def add(self, goal: LearningGoal) -> bool:
        result = await self.session.execute(
            _insert_or_ignore(self.session, goals, ["user_id", "skill_id"]).values(
                id=goal.id,
                user_id=goal.user_id,
                skill_id=goal.skill.id,
                target_level=goal.target_level,
                status=goal.status.value,
                note=goal.note,
                due_on=goal.due_on,
                created_at=goal.created_at,
                updated_at=goal.updated_at,
            )
        )
        return _changed(result) == 1

    async def get(self, user_id: UUID, goal_id: UUID) -> LearningGoal | None:
        row = (
            await self.session.execute(
                self._select().where(goals.c.id == goal_id, goals.c.user_id == user_id)
            )
        ).first()
        return _goal_from_row(row) if row else None

    async def update(self, goal: LearningGoal) -> None:
        await self.session.execute(
            update(goals)
            .where(goals.c.id == goal.id, goals.c.user_id == goal.user_id)
            .values(
                target_level=goal.target_level,
                status=goal.status.value,
                note=goal.note,
                due_on=goal.due_on,
                updated_at=goal.updated_at,
            )
        )

    async def remove(self, user_id: UUID, goal_id: UUID) -> bool:
        result = await self.session.execute(
            delete(goals).where(goals.c.id == goal_id, goals.c.user_id == user_id)
        )
        return _changed(result) == 1

    async def list_for_user(
        self, user_id: UUID, status: GoalStatus | None, page: PageRequest
    ) -> PageResult[LearningGoal]:
        stmt = self._select().where(goals.c.user_id == user_id)
        if status is not None:
            stmt = stmt.where(goals.c.status == status.value)
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(goals.c.created_at, descending=True), SortKey(goals.c.id, descending=True)],
            page,
            _goal_from_row,
            lambda row: (row._mapping["created_at"], row._mapping["id"]),
        )
