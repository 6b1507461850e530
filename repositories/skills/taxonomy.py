"""The skill taxonomy: skills, their names and aliases, search, listing and merge."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    GoalStatus,
    NameOwner,
    Skill,
    SkillCategory,
    SkillName,
    SkillRef,
    SkillSort,
    normalize_skill_name,
)
from repositories.base import SortKey, keyset_bound, keyset_params, keyset_result, like_prefix
from repositories.rows import fields
from repositories.skills.counts import recount
from repositories.skills.rows import (
    REF_COLUMNS,
    SKILL_COLUMNS,
    endorsements,
    goals,
    insert_or_ignore,
    mentorships,
    name_values,
    names,
    post_tags,
    posts,
    ref_from_row,
    skill_from_row,
    skills,
    user_skills,
)
from repositories.skills.scores import refresh_scores

# Aliases travel in the skill's own row, joined by a character no skill name holds (names are
# printable text): one statement per page instead of a second one for the aliases.
ALIAS_SEPARATOR = "\x1f"
ALIASES = (
    select(func.aggregate_strings(names.c.name, ALIAS_SEPARATOR))
    .where(names.c.skill_id == skills.c.id, names.c.is_primary.is_(False))
    .correlate(skills)
    .scalar_subquery()
    .label("alias_list")
)


SLUG = bindparam("slug", type_=skills.c.slug.type)
NAME_KEY = bindparam("name_key", type_=names.c.normalized.type)


def _named(stmt: Select[Any]) -> Select[Any]:
    """The skill a slug names: its own slug first, else the skill holding it as a name or alias
    (a former slug stays one). Built once, the slug and its normalised key bound."""
    by_alias = select(names.c.skill_id).where(names.c.normalized == NAME_KEY).scalar_subquery()
    return (
        stmt.where(or_(skills.c.slug == SLUG, skills.c.id == by_alias))
        .order_by(case((skills.c.slug == SLUG, 0), else_=1))
        .limit(1)
    )


SKILL_BY_SLUG = _named(select(*SKILL_COLUMNS, ALIASES))
REF_BY_SLUG = _named(select(*REF_COLUMNS))


def _slug_values(slug: str) -> dict[str, str]:
    return {"slug": slug, "name_key": normalize_skill_name(slug)}


def skill_with_aliases(row: Any) -> Skill:
    skill = skill_from_row(row)
    joined = fields(row)["alias_list"]
    skill.aliases = sorted(joined.split(ALIAS_SEPARATOR), key=str.casefold) if joined else []
    return skill


NAME_PREFIX = bindparam("name_prefix", type_=names.c.normalized.type)
CATEGORY = bindparam("category", type_=skills.c.category.type)
LIST_KEYS = {
    # sort=popular: (holder_count DESC, sort_name, id), ix_skill_popular's exact order
    True: [
        SortKey(skills.c.holder_count, descending=True),
        SortKey(skills.c.sort_name),
        SortKey(skills.c.id),
    ],
    False: [SortKey(skills.c.sort_name), SortKey(skills.c.id)],
}
LIST_POSITION = {True: ("holder_count", "sort_name", "id"), False: ("sort_name", "id")}


@cache
def _list_statement(
    prefix: bool, category: bool, popular: bool, listed: bool, after: bool, limit: int
) -> Select[Any]:
    """One page of the skill list, built once per shape: the stored counts and sort name are
    the skill's own columns, read in the order of the matching index."""
    stmt: Select[Any] = select(*SKILL_COLUMNS, ALIASES).where(skills.c.listed.is_(listed))
    if prefix:
        matching = select(names.c.skill_id).where(names.c.normalized.like(NAME_PREFIX, escape="\\"))
        stmt = stmt.where(skills.c.id.in_(matching))
    if category:
        stmt = stmt.where(skills.c.category == CATEGORY)
    return keyset_bound(stmt, LIST_KEYS[popular], after=after, limit=limit)


class SqlSkillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_slug(self, slug: str) -> Skill | None:
        row = (await self.session.execute(SKILL_BY_SLUG, _slug_values(slug))).first()
        return skill_with_aliases(row) if row is not None else None

    async def get_ref(self, slug: str) -> SkillRef | None:
        row = (await self.session.execute(REF_BY_SLUG, _slug_values(slug))).first()
        return ref_from_row(row) if row else None

    async def search(
        self,
        key_prefix: str | None,
        category: SkillCategory | None,
        sort: SkillSort,
        page: PageRequest,
        *,
        listed: bool = True,
    ) -> PageResult[Skill]:
        popular = sort is SkillSort.popular
        stmt = _list_statement(
            bool(key_prefix),
            category is not None,
            popular,
            listed,
            page.after is not None,
            page.limit + 1,
        )
        values: dict[str, Any] = keyset_params(page)
        if key_prefix:
            values["name_prefix"] = like_prefix(key_prefix)
        if category is not None:
            values["category"] = category.value
        rows = [fields(row) for row in await self.session.execute(stmt, values)]
        columns = LIST_POSITION[popular]
        return keyset_result(rows, page, skill_with_aliases, lambda m: tuple(m[c] for c in columns))

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
        await self.session.execute(insert(names), name_values(skill.id, rows))

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
            await self.session.execute(insert(names), name_values(skill.id, rows))

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
                insert_or_ignore(s, names, ["normalized"]), name_values(target_id, extra)
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

        # Both skill rows are locked: no per-row writer can move the counts meanwhile.
        await recount(s, [target_id])
        await s.execute(update(skills).where(skills.c.id == target_id).values(updated_at=at))
        await refresh_scores(s, target_id)
        await s.execute(delete(skills).where(skills.c.id == source_id))
        return True
