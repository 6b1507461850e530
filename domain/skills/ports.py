"""Ports of this feature: the Protocols its services need; repositories/ implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.actor import Actor
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    Endorsement,
    EvidencePost,
    Expert,
    GoalStatus,
    LearningGoal,
    NameOwner,
    ProfileEvidence,
    Skill,
    SkillCategory,
    SkillName,
    SkillRef,
    SkillSort,
    SkillSummary,
    UserSkill,
)


class SkillRepository(Protocol):
    async def get_by_slug(self, slug: str) -> Skill | None:
        """With counts and aliases. A slug that is gone (merged away) resolves through the alias
        index to the skill that absorbed it, so old links keep working."""
        ...

    async def search(
        self,
        key_prefix: str | None,
        category: SkillCategory | None,
        sort: SkillSort,
        page: PageRequest,
        *,
        listed: bool = True,
    ) -> PageResult[Skill]:
        """Listed skills, or (`listed=False`) the unlisted ones for the administrators' review."""
        ...

    async def mark_listed(self, skill_ids: list[UUID]) -> None:
        """List these skills (those listed already stay as they are)."""
        ...

    async def mark_listed_in_community(self, community_id: UUID) -> None:
        """List every skill a live post of the community is tagged with."""
        ...

    async def owners_of(self, keys: list[str]) -> list[NameOwner]:
        """Which skills already own any of these normalised keys."""
        ...

    async def slugs_taken(self, candidates: list[str]) -> set[str]: ...

    async def all_keys(self) -> set[str]: ...

    async def add(self, skill: Skill, names: list[SkillName]) -> None: ...

    async def update(self, skill: Skill, names: list[SkillName] | None) -> None:
        """Store name, description and category; `names` (when given) replaces every name row."""
        ...

    async def get_ref(self, slug: str) -> SkillRef | None:
        """Like get_by_slug without counts and aliases: one cheap statement for writes."""
        ...

    async def all_slugs(self) -> set[str]: ...

    async def merge(
        self, source_id: UUID, target_id: UUID, extra: list[SkillName], at: datetime
    ) -> bool:
        """Move everything from source onto target and delete source, in the caller's
        transaction; False when either skill vanished before the locks were taken."""
        ...


class UserSkillRepository(Protocol):
    async def upsert(
        self, user_id: UUID, skill_id: UUID, level: int, wants_to_teach: bool, at: datetime
    ) -> bool:
        """True when the skill was added to the profile, False when it was updated."""
        ...

    async def remove(self, user_id: UUID, skill_id: UUID) -> bool: ...

    async def propose(self, user_id: UUID, skill_id: UUID, at: datetime) -> None:
        """Put the skill on the person's profile as proposed, unless they list it already."""
        ...

    async def propose_tags(self, user_id: UUID, post_id: UUID, at: datetime) -> None:
        """Propose the post's listed tags the person does not list (their accepted answer)."""
        ...

    async def lock_holding(self, user_id: UUID, skill_id: UUID) -> bool:
        """Lock the person's user skill until commit; False when they do not list the skill."""
        ...

    async def get(self, user_id: UUID, skill_id: UUID, viewer: Actor) -> UserSkill | None:
        """With `endorsed_by_me` and the evidence the viewer can see."""
        ...

    async def list_for_user(
        self, user_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[UserSkill]: ...

    async def top_for_user(self, user_id: UUID, limit: int) -> list[SkillSummary]: ...

    async def experts(
        self, skill_id: UUID, viewer: Actor, page: PageRequest, min_level: int = 1
    ) -> PageResult[Expert]:
        """Ordered by the stored public score; parts and score add what the viewer can see.
        People below `min_level` are left out unless peers proposed the skill for them."""
        ...

    async def level_counts(self, skill_id: UUID) -> dict[int, int]:
        """How many people list the skill at each level (proposals not counted)."""
        ...

    async def profile_evidence(self, user_id: UUID, viewer: Actor) -> ProfileEvidence:
        """Posts and accepted answers the viewer can see, and endorsements received."""
        ...

    async def refresh_evidence(
        self,
        post_ids: Sequence[UUID],
        people: Sequence[UUID] | None = None,
        tags_changed: bool = False,
    ) -> None:
        """Recount the skill evidence and stored scores that these posts feed (their authors',
        their commenters', endorsements citing them) after a write that changed it: a new post,
        an accepted answer, a helpful reaction, a deletion, new tags (`tags_changed`, so the
        skills a post no longer carries are recounted too). `people` narrows the work to the
        persons whose evidence changed, when the caller knows them (a reaction's target author)."""
        ...

    async def refresh_community_evidence(self, community_id: UUID) -> None:
        """Recompute every stored score that content of the community feeds: call it when the
        community's visibility changes (public content counts in stored scores, private not)."""
        ...


class EndorsementRepository(Protocol):
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
        """Insert, or replace note and evidence; True when it was created. Refreshes the
        person's score."""
        ...

    async def get(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> Endorsement | None: ...

    async def remove(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> bool: ...

    async def list_for(
        self, user_id: UUID, skill_id: UUID, viewer: Actor, page: PageRequest
    ) -> PageResult[Endorsement]:
        """Newest first; `evidence_post_id` is None where the viewer cannot see the post."""
        ...

    async def evidence_post(self, post_id: UUID, viewer: Actor) -> EvidencePost | None:
        """The live post with its tags and accepted answer's author, if the viewer can see it."""
        ...


class LearningGoalRepository(Protocol):
    async def add(self, goal: LearningGoal) -> bool:
        """False when the person already has a goal for this skill (the unique index decides)."""
        ...

    async def get(self, user_id: UUID, goal_id: UUID) -> LearningGoal | None: ...

    async def update(self, goal: LearningGoal) -> None: ...

    async def remove(self, user_id: UUID, goal_id: UUID) -> bool: ...

    async def list_for_user(
        self, user_id: UUID, status: GoalStatus | None, page: PageRequest
    ) -> PageResult[LearningGoal]: ...


class SkillsRepositories(Protocol):
    """This feature's part of the unit of work (domain.ports.UnitOfWork composes them)."""

    @property
    def skills(self) -> SkillRepository: ...

    @property
    def user_skills(self) -> UserSkillRepository: ...

    @property
    def endorsements(self) -> EndorsementRepository: ...

    @property
    def learning_goals(self) -> LearningGoalRepository: ...
