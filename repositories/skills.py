"""Skills in SQL: the taxonomy and its name index, profile skills, endorsements, learning goals.

The expert score is stored, not computed per request. `user_skill.score` (with the parts it is made
of) is indexed as (skill_id, score, user_id), so a page of `/skills/{slug}/experts` is an index
range scan whatever the number of holders, like any plain list; computing it per request means
aggregating every endorsement of every holder and sorting them all before the first row comes back
(the "rank in ORDER BY" row of DESIGN.md's performance table). The price is upkeep: every write
that changes an input recomputes the affected rows from the source tables in the same
transaction, never incrementally, so a score cannot drift. Writers lock in one order (the skill
row shared, then user skills by user id and skill id) and recompute in a later statement than
the lock, so the recomputation sees every committed input and concurrent writers cannot deadlock.

Evidence (content tagged with a skill) is counted per person, skill and community into
`skill_evidence`: posts, accepted answers, helpful reactions. A content write (a post, an
accepted answer, a helpful reaction, new tags, a deletion) recounts the rows it feeds, driven by
the author's own rows through covering indexes (`refresh_evidence`, called by the posts
service); a change of a community's visibility only re-sums (`refresh_community_evidence`).

Visibility: the stored score sums evidence in public communities only, and counts an
endorsement's evidence link only when it names a live public post. It is the same for every
viewer, so it can be indexed. What a viewer is shown adds, in one more statement per page, the
evidence rows of the private communities that viewer can see (those where they are an active
member; all of them for administrators): a primary-key lookup per person on the page. Nothing
from a community reaches a viewer who cannot see it, at the price that a member's page is ordered
by the public score while showing scores that include their private evidence.
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
    MentorshipRow,
    PostRow,
    PostTag,
    SkillAlias,
    SkillEvidenceRow,
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
mentorships = MentorshipRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
comments = CommentRow.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
evidence = SkillEvidenceRow.__table__  # type: ignore[attr-defined]

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
    skills.c.listed,
]
REF_COLUMNS = [
    skills.c.id.label("skill_id"),
    skills.c.slug.label("skill_slug"),
    skills.c.name.label("skill_name"),
    skills.c.category.label("skill_category"),
    skills.c.listed.label("skill_listed"),
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
        listed=m["skill_listed"],
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
        listed=m["listed"],
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


# --- evidence: counted from the content ----------------------------------------------------------


def _content_of(held: ColumnElement[bool]) -> Any:
    """Per (person, skill, community) of the user skills matching `held`: their live posts
    tagged with the skill, their accepted answers to live questions tagged with it, and the
    helpful reactions on both (a comment through its post's tags). Three index-driven branches
    from the person's own rows (ix_post_author_evidence, ix_comment_author_evidence,
    ix_post_accepted_evidence), the post_tag primary key checking the skill."""
    us, p, cm, pt = user_skills, posts, comments, post_tags
    zero: Any = literal_column("0")
    one: Any = literal_column("1")

    def tagged(post: Any) -> Any:
        return and_(pt.c.post_id == post.c.id, pt.c.skill_id == us.c.skill_id)

    authored = (
        select(
            us.c.user_id,
            us.c.skill_id,
            p.c.community_id,
            one.label("posts"),
            zero.label("accepted"),
            p.c.helpful_count.label("helpful"),
        )
        .select_from(us.join(p, p.c.author_id == us.c.user_id).join(pt, tagged(p)))
        .where(held, p.c.deleted_at.is_(None))
    )
    accepted = (
        select(us.c.user_id, us.c.skill_id, p.c.community_id, zero, one, zero)
        .select_from(
            us.join(cm, cm.c.author_id == us.c.user_id)
            .join(p, and_(p.c.accepted_comment_id == cm.c.id, p.c.id == cm.c.post_id))
            .join(pt, tagged(p))
        )
        .where(held, cm.c.deleted_at.is_(None), p.c.deleted_at.is_(None))
    )
    helpful_comments = (
        select(us.c.user_id, us.c.skill_id, p.c.community_id, zero, zero, cm.c.helpful_count)
        .select_from(
            us.join(cm, cm.c.author_id == us.c.user_id)
            .join(p, p.c.id == cm.c.post_id)
            .join(pt, tagged(p))
        )
        .where(held, cm.c.helpful_count > 0, cm.c.deleted_at.is_(None), p.c.deleted_at.is_(None))
    )
    rows = union_all(authored, accepted, helpful_comments).subquery("content")
    return select(
        rows.c.user_id,
        rows.c.skill_id,
        rows.c.community_id,
        func.sum(rows.c.posts),
        func.sum(rows.c.accepted),
        func.sum(rows.c.helpful),
    ).group_by(rows.c.user_id, rows.c.skill_id, rows.c.community_id)


async def _recount(session: AsyncSession, held: ColumnElement[bool]) -> None:
    """Replace the evidence rows of the user skills matching `held` with a fresh count."""
    ev = evidence
    await session.execute(
        delete(ev).where(
            tuple_(ev.c.user_id, ev.c.skill_id).in_(
                select(user_skills.c.user_id, user_skills.c.skill_id).where(held)
            )
        )
    )
    await session.execute(
        insert(ev).from_select(
            [
                "user_id",
                "skill_id",
                "community_id",
                "posts",
                "accepted_answers",
                "helpful_reactions",
            ],
            _content_of(held),
        )
    )


# --- the stored score ---------------------------------------------------------------------------


def _public_inputs() -> dict[str, Any]:
    """The stored inputs of each updated user skill, from endorsements and skill_evidence.

    The SQL twin of domain.skills.model.expert_score over public evidence (tests assert they
    agree): each endorsement weighs (ENDORSEMENT_BASE + ENDORSER_LEVEL_POINTS x the endorser's
    level in the skill, 0 when they do not list it) x EVIDENCE_MULTIPLIER when it links a live
    post of a public community; accepted answers and helpful reactions are the person's evidence
    in public communities.
    """
    endorser_skill = user_skills.alias("endorser_skill")
    e, ev, c = endorsements, evidence, communities
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

    def public_sum(column: Any) -> Any:
        return (
            select(func.coalesce(func.sum(column), 0))
            .select_from(ev.join(c, c.c.id == ev.c.community_id))
            .where(
                ev.c.user_id == user_skills.c.user_id,
                ev.c.skill_id == user_skills.c.skill_id,
                _public(c),
            )
            .scalar_subquery()
        )

    return {
        "endorsement_count": count,
        "endorsement_points": points,
        "accepted_answers": public_sum(ev.c.accepted_answers),
        "helpful_reactions": public_sum(ev.c.helpful_reactions),
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
    """Recompute everything stored for the holders of one skill (`only` narrows them) from the
    source tables: their evidence from the content, then their endorsements and score."""
    where = user_skills.c.skill_id == skill_id
    if only is not None:
        where = and_(where, only)
    await _recount(session, where)
    await _refresh_rows(session, where)


# Keys per recomputing statement: two bind parameters each, well under every driver's limit.
REFRESH_BATCH = 500


async def _lock_keys(session: AsyncSession, keys: Any) -> list[tuple[UUID, UUID]]:
    """Lock the user skills whose (user_id, skill_id) are in `keys`, in that order."""
    us = user_skills
    locked = await session.execute(
        select(us.c.user_id, us.c.skill_id)
        .where(tuple_(us.c.user_id, us.c.skill_id).in_(keys))
        .order_by(us.c.user_id, us.c.skill_id)
        .with_for_update()
    )
    return [(user_id, skill_id) for user_id, skill_id in locked]


async def _refresh_for_content(
    session: AsyncSession,
    post_ids: list[UUID],
    people: Sequence[UUID] | None,
    tags_changed: bool,
) -> None:
    """Recount and rescore the user skills the content of `post_ids` feeds.

    The rows: the people involved (the posts' authors and commenters, or `people`) in the
    posts' tags, plus the user skills whose endorsements cite one of the posts; after a tag
    change also their skills with evidence counted in the posts' communities, so a removed tag
    takes its evidence away. They are locked in (user_id, skill_id) order first; recomputing
    runs in later statements, so it sees every input committed by the writers it waited for.
    """
    p, cm, e, ev = posts, comments, endorsements, evidence
    involved: Any = (
        list(people)
        if people is not None
        else union(
            select(p.c.author_id).where(p.c.id.in_(post_ids)),
            select(cm.c.author_id).where(cm.c.post_id.in_(post_ids)),
        )
    )
    held = user_skills.alias("held")
    tagged = select(held.c.user_id, held.c.skill_id).where(
        held.c.user_id.in_(involved),
        held.c.skill_id.in_(select(post_tags.c.skill_id).where(post_tags.c.post_id.in_(post_ids))),
    )
    counted = select(ev.c.user_id, ev.c.skill_id).where(
        ev.c.user_id.in_(involved),
        ev.c.community_id.in_(select(p.c.community_id).where(p.c.id.in_(post_ids))),
    )
    cited = select(e.c.user_id, e.c.skill_id).where(e.c.evidence_post_id.in_(post_ids))
    keys = await _lock_keys(
        session, union(tagged, counted, cited) if tags_changed else union(tagged, cited)
    )
    us = user_skills
    for start in range(0, len(keys), REFRESH_BATCH):
        batch = tuple_(us.c.user_id, us.c.skill_id).in_(keys[start : start + REFRESH_BATCH])
        await _recount(session, batch)
        await _refresh_rows(session, batch)


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
        *,
        listed: bool = True,
    ) -> PageResult[Skill]:
        stmt: Select[Any] = select(*SKILL_COLUMNS, *_count_columns()).where(
            skills.c.listed.is_(listed)
        )
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
            select(
                names.c.normalized,
                names.c.name,
                skills.c.id,
                skills.c.slug,
                skills.c.name,
                skills.c.listed,
            )
            .join_from(names, skills, names.c.skill_id == skills.c.id)
            .where(names.c.normalized.in_(keys))
        )
        return [
            NameOwner(key, name, skill_id, slug, skill, listed)
            for key, name, skill_id, slug, skill, listed in rows
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
                listed=skill.listed,
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
                listed=skill.listed,
            )
        )
        if rows is not None:
            await self.session.execute(delete(names).where(names.c.skill_id == skill.id))
            await self.session.execute(insert(names), _name_values(skill.id, rows))

    async def mark_listed(self, skill_ids: list[UUID]) -> None:
        await self.session.execute(
            update(skills)
            .where(skills.c.id.in_(skill_ids), skills.c.listed.is_(False))
            .values(listed=True)
        )

    async def mark_listed_in_community(self, community_id: UUID) -> None:
        tagged_there = (
            select(post_tags.c.skill_id)
            .join(posts, posts.c.id == post_tags.c.post_id)
            .where(posts.c.community_id == community_id, posts.c.deleted_at.is_(None))
        )
        await self.session.execute(
            update(skills)
            .where(skills.c.listed.is_(False), skills.c.id.in_(tagged_there))
            .values(listed=True)
        )

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

        # Mentorships follow the skill (kept, never cascaded away).
        await s.execute(
            update(mentorships)
            .where(mentorships.c.skill_id == source_id)
            .values(skill_id=target_id)
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


def _holding(user_id: UUID, skill_id: UUID) -> ColumnElement[bool]:
    return and_(user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id)


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
        # Counting my evidence here also makes saving a skill the way to recount it by hand.
        await _recount(self.session, _holding(user_id, skill_id))
        await _refresh_rows(
            self.session,
            and_(
                user_skills.c.skill_id == skill_id,
                or_(
                    user_skills.c.user_id == user_id,
                    user_skills.c.user_id.in_(_endorsed_by(user_id, skill_id)),
                ),
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
        await _refresh_rows(
            self.session,
            and_(
                user_skills.c.skill_id == skill_id,
                user_skills.c.user_id.in_(_endorsed_by(user_id, skill_id)),
            ),
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
        """Posts and accepted answers per skill for one page: the person's evidence rows in the
        communities the viewer can see (primary key ranges), in one statement."""
        if not skill_ids:
            return {}
        ev, c = evidence, communities
        rows = await self.session.execute(
            select(ev.c.skill_id, func.sum(ev.c.posts), func.sum(ev.c.accepted_answers))
            .select_from(ev.join(c, c.c.id == ev.c.community_id))
            .where(ev.c.user_id == user_id, ev.c.skill_id.in_(skill_ids), visible_to(viewer)(c))
            .group_by(ev.c.skill_id)
        )
        return {
            skill_id: Evidence(posts=int(n_posts), accepted_answers=int(n_answers))
            for skill_id, n_posts, n_answers in rows
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
        bonus = _endorsement_weight(e, endorser_skill.c.level) * literal(
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
                _evidence_readable(e.c.evidence_post_id, rule),
            )
            .group_by(e.c.user_id)
        )
        found: dict[UUID, ScoreInputs] = defaultdict(ScoreInputs)
        for user_id, accepted, helpful, extra in await self.session.execute(
            union_all(counted, cited)
        ):
            found[user_id] = found[user_id] + ScoreInputs(
                float(extra or 0.0), int(accepted or 0), int(helpful or 0)
            )
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
        self,
        post_ids: Sequence[UUID],
        people: Sequence[UUID] | None = None,
        tags_changed: bool = False,
    ) -> None:
        if post_ids:
            await _refresh_for_content(self.session, list(post_ids), people, tags_changed)

    async def refresh_community_evidence(self, community_id: UUID) -> None:
        """The evidence rows stay (they are per community); what changes is whether they are
        public, so only the scores of the people with evidence there, or with endorsements
        citing its posts, are recomputed."""
        ev, e = evidence, endorsements
        counted = select(ev.c.user_id, ev.c.skill_id).where(ev.c.community_id == community_id)
        cited = select(e.c.user_id, e.c.skill_id).where(
            e.c.evidence_post_id.in_(select(posts.c.id).where(posts.c.community_id == community_id))
        )
        keys = await _lock_keys(self.session, union(counted, cited))
        us = user_skills
        for start in range(0, len(keys), REFRESH_BATCH):
            batch = keys[start : start + REFRESH_BATCH]
            await _refresh_rows(self.session, tuple_(us.c.user_id, us.c.skill_id).in_(batch))


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
        await _refresh_rows(self.session, _holding(user_id, skill_id))
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
            await _refresh_rows(self.session, _holding(user_id, skill_id))
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
