"""Skill use cases: the taxonomy, profile skills, endorsements, learning goals, expert ranking.

Services resolve slugs and people, apply the rules of domain.skills.model, and commit once. What
must hold under concurrency (one name per normalised key, one endorsement per endorser x person x
skill, one goal per person x skill) is decided by unique indexes behind the repositories; the
checks here exist to give the caller a precise message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from domain.events.model import EventType
from domain.events.service import record
from domain.leadership.model import ActKind, SubjectType
from domain.leadership.service import record_act
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.skills.model import (
    MAX_ALIASES,
    Endorsement,
    Expert,
    GoalStatus,
    LearningGoal,
    Level,
    Skill,
    SkillCategory,
    SkillName,
    SkillRef,
    SkillSort,
    TaxonomyEntry,
    UserSkill,
    can_see_skill,
    check_due_on,
    check_evidence_post,
    check_level,
    clean_display_name,
    normalize_skill_name,
    slug_candidates,
    slugify,
)
from domain.users.model import User

# --- taxonomy ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillDraft:
    name: str
    description: str | None = None
    category: SkillCategory | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkillChanges:
    """Only the keys present are applied: name, description, category, aliases."""

    values: Mapping[str, Any]


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def skill_names(name: str, aliases: Iterable[str]) -> list[SkillName]:
    """The primary name first, then aliases that add a new normalised key (duplicates dropped)."""
    primary = SkillName(name=name, key=normalize_skill_name(name), primary=True)
    result, seen = [primary], {primary.key}
    for raw in aliases:
        alias = clean_display_name(raw, "aliases")
        key = normalize_skill_name(alias)
        if key not in seen:
            seen.add(key)
            result.append(SkillName(name=alias, key=key))
    if len(result) - 1 > MAX_ALIASES:
        raise ValidationFailed(f"A skill has at most {MAX_ALIASES} aliases.", field="aliases")
    return result


async def _refuse_taken(
    uow: UnitOfWork, actor: Actor, rows: list[SkillName], own: uuid.UUID | None = None
) -> None:
    owners = [o for o in await uow.skills.owners_of([n.key for n in rows]) if o.skill_id != own]
    if owners:
        owner = owners[0]
        given = next(n.name for n in rows if n.key == owner.key)
        if not can_see_skill(owner.skill_listed, actor.is_admin):
            raise Conflict(
                f'"{given}" is already in use by a skill waiting for an administrator\'s review.',
                code="skill_exists",
            )
        raise Conflict(
            f'"{given}" is already a name of the skill "{owner.skill_name}" '
            f"(slug {owner.skill_slug}).",
            code="skill_exists",
        )


async def free_slug(uow: UnitOfWork, name: str) -> str:
    candidates = slug_candidates(slugify(name))
    taken = await uow.skills.slugs_taken(candidates)
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return f"{candidates[0][:50]}-{uuid.uuid4().hex[:8]}"


async def create_skill(uow: UnitOfWork, clock: Clock, actor: Actor, draft: SkillDraft) -> Skill:
    """Anyone may add a skill; a name or alias equal to an existing one is a 409 naming it."""
    name = clean_display_name(draft.name)
    rows = skill_names(name, draft.aliases)
    await _refuse_taken(uow, actor, rows)
    now = clock.now()
    skill = Skill(
        id=uuid.uuid4(),
        slug=await free_slug(uow, name),
        name=name,
        description=_clean_text(draft.description),
        category=draft.category,
        created_at=now,
        updated_at=now,
        aliases=sorted((n.name for n in rows[1:]), key=str.casefold),
    )
    await uow.skills.add(skill, rows)
    await uow.commit()
    return skill


async def get_skill(uow: UnitOfWork, actor: Actor, slug: str) -> Skill:
    skill = await uow.skills.get_by_slug(slug)
    if skill is None or not can_see_skill(skill.listed, actor.is_admin):
        raise NotFound("Skill not found.")
    return skill


async def find_skill(uow: UnitOfWork, actor: Actor, slug: str) -> SkillRef | None:
    """The skill a slug (or a former slug or alias) names, if the caller may see it."""
    ref = await uow.skills.get_ref(slug)
    return ref if ref is not None and can_see_skill(ref.listed, actor.is_admin) else None


async def _skill_ref(uow: UnitOfWork, actor: Actor, slug: str) -> SkillRef:
    ref = await find_skill(uow, actor, slug)
    if ref is None:
        raise NotFound("Skill not found.")
    return ref


async def list_skills(
    uow: UnitOfWork,
    actor: Actor,
    q: str | None,
    category: SkillCategory | None,
    sort: SkillSort,
    page: PageRequest,
    *,
    listed: bool = True,
) -> PageResult[Skill]:
    """`q` matches the start of any name or alias after normalisation ("node" finds Node.js).
    `listed=False`: the unlisted skills, for administrators to review."""
    if not can_see_skill(listed, actor.is_admin):
        raise Forbidden("Only administrators review unlisted skills.")
    key = normalize_skill_name(q) if q else None
    return await uow.skills.search(key or None, category, sort, page, listed=listed)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("Only administrators curate the skill taxonomy.")


async def update_skill(
    uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, changes: SkillChanges
) -> Skill:
    """Admin edit. The slug never changes (links keep working); a rename keeps the old name as
    an alias unless the same request states the full alias list."""
    _require_admin(actor)
    skill = await get_skill(uow, actor, slug)
    values = changes.values
    rows: list[SkillName] | None = None
    if "name" in values or "aliases" in values:
        name = skill.name
        if "name" in values:
            if values["name"] is None:
                raise ValidationFailed("A skill name must not be blank.", field="name")
            name = clean_display_name(values["name"])
        if "aliases" in values:
            aliases = list(values["aliases"] or [])
        else:
            aliases = [*skill.aliases, skill.name]
        rows = skill_names(name, aliases)
        await _refuse_taken(uow, actor, rows, own=skill.id)
        skill.name = name
        skill.aliases = sorted((n.name for n in rows[1:]), key=str.casefold)
    if "description" in values:
        skill.description = _clean_text(values["description"])
    if "category" in values:
        skill.category = values["category"]
    if "listed" in values:
        if values["listed"] is None:
            raise ValidationFailed("listed is true or false.", field="listed")
        skill.listed = bool(values["listed"])
    skill.updated_at = clock.now()
    await uow.skills.update(skill, rows)
    await uow.commit()
    return skill


async def merge_skills(uow: UnitOfWork, clock: Clock, actor: Actor, slug: str, into: str) -> Skill:
    """Fold a duplicate into the skill that stays, in one transaction.

    User skills, endorsements and learning goals move to the target; a person who had both keeps
    the higher level, endorsements stay one per endorser and person, and the source's name,
    aliases and slug become aliases of the target, so searches and old links still find it.
    """
    _require_admin(actor)
    source = await _skill_ref(uow, actor, slug)
    target = await _skill_ref(uow, actor, into)
    if source.id == target.id:
        raise ValidationFailed("A skill cannot be merged into itself.", field="into")
    old_slug = SkillName(name=source.slug, key=normalize_skill_name(source.slug))
    if not await uow.skills.merge(source.id, target.id, [old_slug], clock.now()):
        raise NotFound("Skill not found.")
    if source.listed:  # the names that were public stay findable
        await uow.skills.mark_listed([target.id])
    await uow.commit()
    return await get_skill(uow, actor, target.slug)


async def load_taxonomy(uow: UnitOfWork, clock: Clock, entries: Iterable[TaxonomyEntry]) -> int:
    """Add the skills that are not there yet; returns how many. Running it again adds nothing.

    An entry whose name is already taken is skipped whole; an alias that is taken is dropped
    (the skill that owns it stays as it is, and an admin can merge the two later).
    """
    keys = await uow.skills.all_keys()
    slugs = await uow.skills.all_slugs()
    now = clock.now()
    created = 0
    for entry in entries:
        rows = [n for n in skill_names(entry.name, entry.aliases) if n.primary or n.key not in keys]
        if rows[0].key in keys:
            continue
        slug = next((c for c in slug_candidates(slugify(entry.name)) if c not in slugs), None)
        slug = slug or f"{slugify(entry.name)[:50]}-{uuid.uuid4().hex[:8]}"
        skill = Skill(
            id=uuid.uuid4(),
            slug=slug,
            name=entry.name,
            description=entry.description,
            category=entry.category,
            created_at=now,
            updated_at=now,
        )
        await uow.skills.add(skill, rows)
        keys.update(n.key for n in rows)
        slugs.add(slug)
        created += 1
    await uow.commit()
    return created


# --- profile skills and experts ----------------------------------------------------------------


async def _active_user(uow: UnitOfWork, handle: str) -> User:
    user = await uow.users.get_by_handle(handle.lower())
    if user is None or not user.is_active:
        raise NotFound("User not found.")
    return user


async def set_my_skill(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    slug: str,
    level: int,
    wants_to_teach: bool,
    precondition: Callable[[UserSkill | None], None] | None = None,
) -> UserSkill:
    """Add or update a skill on the caller's profile (the level is a self-assessment).
    `precondition` sees the skill on the profile before the change (None: not there yet)."""
    check_level(level)
    skill = await _skill_ref(uow, actor, slug)
    if precondition is not None:
        precondition(await uow.user_skills.get(actor.user_id, skill.id, actor))
    await uow.user_skills.upsert(actor.user_id, skill.id, level, wants_to_teach, clock.now())
    result = await uow.user_skills.get(actor.user_id, skill.id, actor)
    assert result is not None
    await uow.commit()
    return result


async def remove_my_skill(uow: UnitOfWork, actor: Actor, slug: str) -> None:
    """Removing a skill removes the endorsements received for it; goals are kept."""
    skill = await _skill_ref(uow, actor, slug)
    if not await uow.user_skills.remove(actor.user_id, skill.id):
        raise NotFound("This skill is not on your profile.")
    await uow.commit()


async def list_user_skills(
    uow: UnitOfWork, actor: Actor, handle: str, page: PageRequest
) -> PageResult[UserSkill]:
    """Each with the evidence the caller can see (posts and accepted answers on the skill)."""
    user = await _active_user(uow, handle)
    return await uow.user_skills.list_for_user(user.id, actor, page)


async def list_experts(
    uow: UnitOfWork, actor: Actor, slug: str, page: PageRequest, min_level: int = 1
) -> PageResult[Expert]:
    """Holders of the skill by expert score (see domain.skills.model.expert_score).

    The order is the stored public score, the same for everyone; each holder's parts and score
    add the private evidence the caller can see (domain.skills.model.visible_score), so nothing
    from a community the caller cannot read reaches what they are shown.
    """
    skill = await _skill_ref(uow, actor, slug)
    return await uow.user_skills.experts(skill.id, actor, page, min_level)


async def level_histogram(uow: UnitOfWork, actor: Actor, slug: str) -> list[tuple[int, int]]:
    """(level, people who list the skill at it) for every level, novice to expert."""
    skill = await _skill_ref(uow, actor, slug)
    counts = await uow.user_skills.level_counts(skill.id)
    return [(int(level), counts.get(int(level), 0)) for level in Level]


# --- endorsements ------------------------------------------------------------------------------


async def endorse(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    handle: str,
    slug: str,
    note: str | None,
    evidence_post_id: uuid.UUID | None,
    propose: bool = False,
    precondition: Callable[[Endorsement | None], None] | None = None,
) -> tuple[Endorsement, bool]:
    """Endorse a colleague's skill; True when this endorsement is new. `precondition` sees
    the caller's endorsement before the change (None: there is none yet).

    PUT replaces: the note and the evidence link are what this request says. An evidence link
    (which makes the endorsement weigh more) must be a post by the endorsed person, or a
    question whose accepted answer is theirs, that the endorser can see and that is tagged
    with the skill (domain.skills.model.check_evidence_post).

    With `propose`, a skill the person does not list is put on their profile as proposed (see
    domain.skills.model) and endorsed; without it, that is a 404 as before.
    """
    person = await _active_user(uow, handle)
    if person.id == actor.user_id:
        raise Forbidden("You cannot endorse yourself.")
    skill = await _skill_ref(uow, actor, slug)
    # Locks the person's skill until commit: their score is recomputed from committed inputs.
    if not await uow.user_skills.lock_holding(person.id, skill.id):
        if not propose:
            raise NotFound(f"{person.display_name} does not list {skill.name}.")
        await uow.user_skills.propose(person.id, skill.id, clock.now())
        await uow.user_skills.lock_holding(person.id, skill.id)
    if precondition is not None:
        precondition(await uow.endorsements.get(actor.user_id, person.id, skill.id))
    evidence_community: uuid.UUID | None = None
    if evidence_post_id is not None:
        found = await uow.endorsements.evidence_post(evidence_post_id, actor)
        check_evidence_post(found, person.id, person.display_name, skill)
        evidence_community = found.community_id if found is not None else None
    created = await uow.endorsements.put(
        uuid.uuid4(),
        actor.user_id,
        person.id,
        skill.id,
        _clean_text(note),
        evidence_post_id,
        clock.now(),
    )
    endorsement = await uow.endorsements.get(actor.user_id, person.id, skill.id)
    assert endorsement is not None
    if created and evidence_post_id is not None:
        # Vouching for a colleague with evidence is an act of leadership; the act sits in the
        # evidence's community, so it is as private as the evidence.
        await record_act(
            uow,
            actor.user_id,
            evidence_community,
            ActKind.endorsement_with_evidence,
            clock.now(),
            SubjectType.post,
            evidence_post_id,
        )
    if created:
        await record(
            uow,
            clock,
            EventType.endorsement_created,
            actor_id=actor.user_id,
            community_id=None,
            payload={
                "person_id": person.id,
                "skill_id": skill.id,
                "skill_slug": skill.slug,
                "skill_name": skill.name,
            },
        )
    await uow.commit()
    return endorsement, created


async def withdraw_endorsement(uow: UnitOfWork, actor: Actor, handle: str, slug: str) -> None:
    person = await _active_user(uow, handle)
    skill = await _skill_ref(uow, actor, slug)
    await uow.user_skills.lock_holding(person.id, skill.id)
    if not await uow.endorsements.remove(actor.user_id, person.id, skill.id):
        raise NotFound("You have not endorsed this skill.")
    await uow.commit()


async def list_endorsements(
    uow: UnitOfWork, actor: Actor, handle: str, slug: str, page: PageRequest
) -> PageResult[Endorsement]:
    """Newest first; an evidence link shows only to those who can see the post it names."""
    person = await _active_user(uow, handle)
    skill = await _skill_ref(uow, actor, slug)
    if await uow.user_skills.get(person.id, skill.id, actor) is None:
        raise NotFound(f"{person.display_name} does not list {skill.name}.")
    return await uow.endorsements.list_for(person.id, skill.id, actor, page)


# --- learning goals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoalDraft:
    skill: str  # slug
    target_level: int
    note: str | None = None
    due_on: date | None = None


async def create_goal(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: GoalDraft
) -> LearningGoal:
    check_level(draft.target_level, "target_level")
    now = clock.now()
    check_due_on(draft.due_on, now)
    skill = await find_skill(uow, actor, draft.skill)
    if skill is None:
        raise ValidationFailed(f"No skill has the slug {draft.skill!r}.", field="skill")
    goal = LearningGoal(
        id=uuid.uuid4(),
        user_id=actor.user_id,
        skill=skill,
        target_level=draft.target_level,
        status=GoalStatus.active,
        created_at=now,
        updated_at=now,
        note=_clean_text(draft.note),
        due_on=draft.due_on,
    )
    if not await uow.learning_goals.add(goal):
        raise Conflict(
            f"You already have a learning goal for {skill.name}; change that one instead.",
            code="goal_exists",
        )
    stored = await uow.learning_goals.get(actor.user_id, goal.id)
    assert stored is not None
    await uow.commit()
    return stored


async def get_goal(uow: UnitOfWork, actor: Actor, goal_id: uuid.UUID) -> LearningGoal:
    """Another person's goal is as missing as one that never existed."""
    goal = await uow.learning_goals.get(actor.user_id, goal_id)
    if goal is None:
        raise NotFound("Learning goal not found.")
    return goal


async def update_goal(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    goal_id: uuid.UUID,
    changes: Mapping[str, Any],
) -> LearningGoal:
    """Any status may follow any other: people pick goals back up, or find they got there."""
    for required in ("target_level", "status"):
        if required in changes and changes[required] is None:
            raise ValidationFailed(f"{required} cannot be cleared.", field=required)
    goal = await get_goal(uow, actor, goal_id)
    if "target_level" in changes:
        goal.target_level = check_level(changes["target_level"], "target_level")
    if "status" in changes:
        goal.status = GoalStatus(changes["status"])
    if "note" in changes:
        goal.note = _clean_text(changes["note"])
    if "due_on" in changes and changes["due_on"] != goal.due_on:
        # A date already stored may have passed; only a new one must lie ahead.
        goal.due_on = check_due_on(changes["due_on"], clock.now())
    goal.updated_at = clock.now()
    await uow.learning_goals.update(goal)
    await uow.commit()
    return goal


async def delete_goal(uow: UnitOfWork, actor: Actor, goal_id: uuid.UUID) -> None:
    if not await uow.learning_goals.remove(actor.user_id, goal_id):
        raise NotFound("Learning goal not found.")
    await uow.commit()


async def list_goals(
    uow: UnitOfWork, actor: Actor, status: GoalStatus | None, page: PageRequest
) -> PageResult[LearningGoal]:
    return await uow.learning_goals.list_for_user(actor.user_id, status, page)
