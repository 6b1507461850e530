"""Who holds a skill: profile skills, their evidence, and endorsements."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, case, delete, exists, func, or_, select, union, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.actor import Actor
from domain.errors import Conflict
from domain.pagination import PageRequest, PageResult
from domain.skills.model import (
    PROPOSED_LEVEL,
    Endorsement,
    Evidence,
    EvidencePost,
    Expert,
    ProfileEvidence,
    SkillSummary,
    UserSkill,
)
from repositories.base import SortKey, keyset_page
from repositories.mentorship.offers import holder_points
from repositories.people import ref_columns, required_ref
from repositories.rows import fields
from repositories.skills.counts import (
    KEPT_CHANGING,
    WRITE_ATTEMPTS,
    adjust,
    compare_and_set,
    holding_delta,
)
from repositories.skills.experts import expert_page
from repositories.skills.rows import (
    REF_COLUMNS,
    comments,
    communities,
    endorsements,
    evidence,
    insert_or_ignore,
    post_tags,
    posts,
    ref_from_row,
    rowcount_of,
    skills,
    user_skills,
    users,
)
from repositories.skills.scores import (
    lock_keys,
    recount_evidence_of,
    refresh_for_content,
    refresh_rows_of,
    share_skill,
)
from repositories.skills.visibility import evidence_readable, visible_to


def _holding(user_id: UUID, skill_id: UUID) -> ColumnElement[bool]:
    return and_(user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id)


def _proposal(user_id: UUID, skill_id: Any, at: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "skill_id": skill_id,
        "level": int(PROPOSED_LEVEL),
        "wants_to_teach": False,
        "proposed": True,
        "endorsement_count": 0,
        "endorsement_points": 0.0,
        "score": 0.0,
        "created_at": at,
        "updated_at": at,
    }


def _still(before: tuple[int, bool]) -> ColumnElement[bool]:
    """The user skill still holds the (level, wants_to_teach) it was read with."""
    return and_(user_skills.c.level == before[0], user_skills.c.wants_to_teach.is_(before[1]))


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
        user_skills.c.proposed,
        user_skills.c.created_at,
        user_skills.c.updated_at,
        skills.c.sort_name,
        *REF_COLUMNS,
        mine,
    ]


def _user_skill_from_row(row: Row[Any]) -> UserSkill:
    m = fields(row)
    return UserSkill(
        user_id=m["user_id"],
        skill=ref_from_row(row),
        level=m["level"],
        wants_to_teach=bool(m["wants_to_teach"]),
        endorsement_count=m["endorsement_count"],
        endorsed_by_me=bool(m["endorsed_by_me"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        proposed=bool(m["proposed"]),
    )


class SqlUserSkillRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _lock_affected(self, user_id: UUID, skill_id: UUID) -> None:
        """Lock my row and the rows of the people I endorsed in this skill, in user id order:
        their scores depend on my level and are recomputed below."""
        await share_skill(self.session, skill_id)
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

    async def _held_row(self, user_id: UUID, skill_id: UUID) -> tuple[int, bool, bool] | None:
        """(level, wants_to_teach, proposed) of a user skill, read under its lock."""
        row = (
            await self.session.execute(
                select(user_skills.c.level, user_skills.c.wants_to_teach, user_skills.c.proposed)
                .where(user_skills.c.user_id == user_id, user_skills.c.skill_id == skill_id)
                .with_for_update()
            )
        ).first()
        return (int(row[0]), bool(row[1]), bool(row[2])) if row else None

    async def _held(self, user_id: UUID, skill_id: UUID) -> tuple[int, bool] | None:
        """(level, wants_to_teach) of a user skill; read under its lock, it is what the write
        below changes the skill's counts from."""
        row = await self._held_row(user_id, skill_id)
        return (row[0], row[1]) if row else None

    async def _replace(
        self,
        user_id: UUID,
        skill_id: UUID,
        before: tuple[int, bool],
        after: tuple[int, bool],
        at: datetime,
    ) -> bool:
        """Write `after` over the row only while it still holds `before` (compare and set): the
        counts then move by what this write really replaced, also where the read took no lock
        (SQLite)."""
        result = await self.session.execute(
            update(user_skills)
            .where(_holding(user_id, skill_id), _still(before))
            .values(level=after[0], wants_to_teach=after[1], proposed=False, updated_at=at)
        )
        return rowcount_of(result) == 1

    async def upsert(
        self, user_id: UUID, skill_id: UUID, level: int, wants_to_teach: bool, at: datetime
    ) -> bool:
        await self._lock_affected(user_id, skill_id)
        after = (level, wants_to_teach)
        for _ in range(WRITE_ATTEMPTS):
            inserted = rowcount_of(
                await self.session.execute(
                    insert_or_ignore(self.session, user_skills, ["user_id", "skill_id"]).values(
                        user_id=user_id,
                        skill_id=skill_id,
                        level=level,
                        wants_to_teach=wants_to_teach,
                        endorsement_count=0,
                        endorsement_points=0.0,
                        score=0.0,
                        mentor_points=holder_points(user_id),
                        created_at=at,
                        updated_at=at,
                    )
                )
            )
            if inserted:
                before = None
                break
            held = await self._held_row(user_id, skill_id)
            if held is not None and await self._replace(user_id, skill_id, held[:2], after, at):
                # Claiming a proposed skill adds a holder: the proposal was never counted.
                before = None if held[2] else (held[0], held[1])
                break
        else:
            raise Conflict(KEPT_CHANGING)
        await adjust(self.session, skill_id, holding_delta(before, after))
        # Counting my evidence here also makes saving a skill the way to recount it by hand.
        await recount_evidence_of(self.session, [(user_id, skill_id)])
        # Theirs, and those of the people they endorse (whose endorsement from them their level
        # weighs).
        endorsed = await self._endorsed_keys(user_id, skill_id)
        await refresh_rows_of(self.session, [(user_id, skill_id), *endorsed])
        return inserted == 1

    async def remove(self, user_id: UUID, skill_id: UUID) -> bool:
        await self._lock_affected(user_id, skill_id)

        async def delete_held(held: tuple[int, bool]) -> bool:
            deleted = await self.session.execute(
                delete(user_skills).where(_holding(user_id, skill_id), _still(held))
            )
            return rowcount_of(deleted) == 1

        proposed = (await self._held_row(user_id, skill_id) or (0, False, False))[2]
        before = await compare_and_set(lambda: self._held(user_id, skill_id), delete_held)
        if before is None:
            return False
        if not proposed:  # a proposal was never counted
            await adjust(self.session, skill_id, holding_delta(before, None))
        await refresh_rows_of(self.session, await self._endorsed_keys(user_id, skill_id))
        return True

    async def _endorsed_keys(self, user_id: UUID, skill_id: UUID) -> list[tuple[UUID, UUID]]:
        """The user skills `user_id` endorses in `skill_id` (their level weighs those)."""
        endorsed = await self.session.execute(_endorsed_by(user_id, skill_id))
        return [(other, skill_id) for other in endorsed.scalars()]

    async def propose(self, user_id: UUID, skill_id: UUID, at: datetime) -> None:
        await self.session.execute(
            insert_or_ignore(self.session, user_skills, ["user_id", "skill_id"]).values(
                **_proposal(user_id, skill_id, at), mentor_points=holder_points(user_id)
            )
        )

    async def propose_tags(self, user_id: UUID, post_id: UUID, at: datetime) -> None:
        """The post's listed tags the person does not hold become proposals (two statements;
        their stored scores follow with the evidence recount of the accepted answer)."""
        tagged = await self.session.execute(
            select(post_tags.c.skill_id)
            .join_from(post_tags, skills, skills.c.id == post_tags.c.skill_id)
            .where(post_tags.c.post_id == post_id, skills.c.listed.is_(True))
        )
        rows = [_proposal(user_id, skill_id, at) for (skill_id,) in tagged]
        if rows:
            await self.session.execute(
                insert_or_ignore(self.session, user_skills, ["user_id", "skill_id"]).values(
                    mentor_points=holder_points(user_id)
                ),
                rows,
            )

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
                fields(row)["level"],
                fields(row)["sort_name"],
                fields(row)["skill_id"],
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
            .where(user_skills.c.user_id == user_id, user_skills.c.proposed.is_(False))
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

    async def experts(
        self, skill_id: UUID, viewer: Actor, page: PageRequest, min_level: int = 1
    ) -> PageResult[Expert]:
        return await expert_page(self.session, skill_id, viewer, page, min_level)

    async def level_counts(self, skill_id: UUID) -> dict[int, int]:
        us = user_skills
        stmt = (
            select(us.c.level, func.count())
            .where(us.c.skill_id == skill_id, us.c.proposed.is_(False))
            .group_by(us.c.level)
        )
        return {int(level): int(n) for level, n in (await self.session.execute(stmt)).all()}

    async def refresh_evidence(
        self,
        post_ids: Sequence[UUID],
        people: Sequence[UUID] | None = None,
        tags_changed: bool = False,
    ) -> None:
        if post_ids:
            await refresh_for_content(self.session, list(post_ids), people, tags_changed)

    async def refresh_community_evidence(self, community_id: UUID) -> None:
        """The evidence rows stay (they are per community); what changes is whether they are
        public, so only the scores of the people with evidence there, or with endorsements
        citing its posts, are recomputed."""
        ev, e = evidence, endorsements
        counted = select(ev.c.user_id, ev.c.skill_id).where(ev.c.community_id == community_id)
        cited = select(e.c.user_id, e.c.skill_id).where(
            e.c.evidence_post_id.in_(select(posts.c.id).where(posts.c.community_id == community_id))
        )
        await refresh_rows_of(self.session, await lock_keys(self.session, union(counted, cited)))


def _endorsement_from_row(row: Row[Any]) -> Endorsement:
    m = fields(row)
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
                (evidence_readable(e.c.evidence_post_id, visible_to(viewer)), evidence),
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
        inserted = rowcount_of(
            await self.session.execute(
                insert_or_ignore(
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
        await refresh_rows_of(self.session, [(user_id, skill_id)])
        return inserted == 1

    async def get(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> Endorsement | None:
        row = (
            await self.session.execute(
                self._select().where(self._key(endorser_id, user_id, skill_id))
            )
        ).first()
        return _endorsement_from_row(row) if row else None

    async def remove(self, endorser_id: UUID, user_id: UUID, skill_id: UUID) -> bool:
        deleted = rowcount_of(
            await self.session.execute(
                delete(endorsements).where(self._key(endorser_id, user_id, skill_id))
            )
        )
        if deleted:
            await refresh_rows_of(self.session, [(user_id, skill_id)])
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
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    async def evidence_post(self, post_id: UUID, viewer: Actor) -> EvidencePost | None:
        """One statement: the post, its accepted answer's author and its tags (one row each)."""
        p, c, pt = posts, communities, post_tags
        answer = comments.alias("answer")
        rows = (
            await self.session.execute(
                select(p.c.id, p.c.author_id, answer.c.author_id, pt.c.skill_id, p.c.community_id)
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
            community_id=rows[0][4],
        )
