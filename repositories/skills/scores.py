"""The stored expert score and the evidence it counts: the formula in SQL and its upkeep."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Float,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
    tuple_,
    union,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from domain.communities.model import Visibility
from domain.skills.model import (
    ACCEPTED_ANSWER_POINTS,
    ENDORSEMENT_BASE,
    ENDORSER_LEVEL_POINTS,
    EVIDENCE_MULTIPLIER,
    HELPFUL_REACTION_POINTS,
    LEVEL_POINTS,
)
from repositories.skills.rows import (
    comments,
    communities,
    endorsements,
    evidence,
    post_tags,
    posts,
    private_rows,
    skills,
    user_skills,
)
from repositories.skills.visibility import evidence_readable, public_rule

Statements = tuple[Any, ...]


def claimed_level_of(table: Any) -> Any:
    """domain.skills.model.claimed_level in SQL: 0 for a proposed skill (NULL stays NULL, for
    an endorser who does not list the skill)."""
    return case((table.c.proposed.is_(True), literal(0)), else_=table.c.level)


def endorsement_weight(e: Any, endorser_level: Any) -> Any:
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


def _evidence_statements(held: ColumnElement[bool]) -> Statements:
    """Replace the evidence rows of the user skills matching `held` with a fresh count."""
    ev = evidence
    return (
        delete(ev).where(
            tuple_(ev.c.user_id, ev.c.skill_id).in_(
                select(user_skills.c.user_id, user_skills.c.skill_id).where(held)
            )
        ),
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
        ),
    )


async def recount_evidence(session: AsyncSession, held: ColumnElement[bool]) -> None:
    """Replace the evidence rows of the user skills matching `held` with a fresh count."""
    await _run(session, _evidence_statements(held))


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
    weight = endorsement_weight(e, claimed_level_of(endorser_skill)) * case(
        (
            evidence_readable(e.c.evidence_post_id, public_rule),
            literal(EVIDENCE_MULTIPLIER, Float),
        ),
        else_=literal(1.0, Float),
    )
    received = and_(e.c.user_id == user_skills.c.user_id, e.c.skill_id == user_skills.c.skill_id)
    points = (
        select(func.coalesce(func.sum(weight), literal(0.0, Float)))
        .select_from(with_endorser(e, endorser_skill))
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
                public_rule(c),
            )
            .scalar_subquery()
        )

    return {
        "endorsement_count": count,
        "endorsement_points": points,
        "accepted_answers": public_sum(ev.c.accepted_answers),
        "helpful_reactions": public_sum(ev.c.helpful_reactions),
        "private_evidence": private_evidence(),
    }


def private_rule(community: Any) -> ColumnElement[bool]:
    return community.c.visibility != Visibility.public.value  # type: ignore[no-any-return]


def private_evidence() -> ColumnElement[bool]:
    """Whether the user skill has evidence outside public communities: a skill_private_evidence
    row (evidence in a private community, or an endorsement citing a live post in one), which
    `_private_statements` write first. What a viewer may add to the public score is always a part
    of that, so a row without it shows every viewer its public parts."""
    pr, us = private_rows, user_skills
    return exists(
        select(literal(1)).where(pr.c.user_id == us.c.user_id, pr.c.skill_id == us.c.skill_id)
    )


def with_endorser(e: Any, endorser_skill: Any) -> Any:
    """Endorsements with the endorser's own listing of the skill (NULL when they do not list
    it), whose level weighs the endorsement."""
    return e.outerjoin(
        endorser_skill,
        and_(
            endorser_skill.c.user_id == e.c.endorser_id,
            endorser_skill.c.skill_id == e.c.skill_id,
        ),
    )


def endorsement_bonus(e: Any, endorser_skill: Any) -> Any:
    """What linking a live post adds to an endorsement's weight: x (EVIDENCE_MULTIPLIER - 1)."""
    return endorsement_weight(e, claimed_level_of(endorser_skill)) * literal(
        EVIDENCE_MULTIPLIER - 1.0, Float
    )


def _private_statements(held: ColumnElement[bool]) -> Statements:
    """Replace the skill_private_evidence rows of the user skills matching `held`: per private
    community, their evidence row there and the bonus of their endorsements citing a live post
    there. Runs after recount_evidence, and wherever endorsement_points is recomputed (the
    endorser's level weighs the bonus)."""
    pr, us = private_rows, user_skills
    # Aliased: `held` may hold subqueries of these tables, which must not correlate to them.
    ev, c, e, p = (
        evidence.alias("counted"),
        communities.alias("place"),
        endorsements.alias("citing"),
        posts.alias("cited"),
    )
    endorser_skill = us.alias("endorser_skill")
    cleared = delete(pr).where(
        tuple_(pr.c.user_id, pr.c.skill_id).in_(select(us.c.user_id, us.c.skill_id).where(held))
    )
    counted = (
        select(
            us.c.user_id,
            us.c.skill_id,
            ev.c.community_id,
            ev.c.accepted_answers.label("accepted"),
            ev.c.helpful_reactions.label("helpful"),
            literal(0.0, Float).label("bonus"),
        )
        .select_from(
            us.join(ev, and_(ev.c.user_id == us.c.user_id, ev.c.skill_id == us.c.skill_id)).join(
                c, c.c.id == ev.c.community_id
            )
        )
        .where(held, private_rule(c))
    )
    cited = (
        select(
            us.c.user_id,
            us.c.skill_id,
            p.c.community_id,
            literal(0),
            literal(0),
            cast(endorsement_bonus(e, endorser_skill), Float),
        )
        .select_from(
            us.join(
                with_endorser(e, endorser_skill),
                and_(e.c.user_id == us.c.user_id, e.c.skill_id == us.c.skill_id),
            )
            .join(p, p.c.id == e.c.evidence_post_id)
            .join(c, c.c.id == p.c.community_id)
        )
        .where(held, p.c.deleted_at.is_(None), private_rule(c))
    )
    rows = union_all(counted, cited).subquery("private")
    keys = (rows.c.user_id, rows.c.skill_id, rows.c.community_id)
    return cleared, insert(pr).from_select(
        [
            "user_id",
            "skill_id",
            "community_id",
            "accepted_answers",
            "helpful_reactions",
            "bonus",
        ],
        select(
            *keys,
            func.sum(rows.c.accepted),
            func.sum(rows.c.helpful),
            func.sum(rows.c.bonus),
        ).group_by(*keys),
    )


def _score_statements(where: ColumnElement[bool]) -> Statements:
    """The inputs, then the score from them (a second statement, so each input is aggregated
    once). `where` must not depend on the columns being recomputed."""
    return (
        update(user_skills).where(where).values(**_public_inputs()),
        update(user_skills)
        .where(where)
        .values(
            score=literal(LEVEL_POINTS, Float) * cast(claimed_level_of(user_skills), Float)
            + user_skills.c.endorsement_points
            + literal(ACCEPTED_ANSWER_POINTS, Float) * cast(user_skills.c.accepted_answers, Float)
            + literal(HELPFUL_REACTION_POINTS, Float) * cast(user_skills.c.helpful_reactions, Float)
        ),
    )


async def refresh_rows(session: AsyncSession, where: ColumnElement[bool]) -> None:
    """Recompute the private evidence per community that the experts read adds for members,
    then the stored inputs and the score of the user skills matching `where`."""
    await _run(session, _private_statements(where) + _score_statements(where))


# --- the same upkeep for given user skills, with statements built once ---------------------------
# Building these statements costs more than running them (measured: about 3.3 ms of CPU for
# refresh_rows' four and 0.7 ms for recount_evidence's two, plus as much again for SQLAlchemy's
# cache keys, per call), and every reaction, answer or endorsement refreshes a few user skills.
# Keyed by an expanding list of (user_id, skill_id), they are built and keyed once per process.

HELD_KEYS: BindParameter[Any] = bindparam("held_keys", expanding=True)


def _keys_held() -> ColumnElement[bool]:
    return tuple_(user_skills.c.user_id, user_skills.c.skill_id).in_(HELD_KEYS)


@cache
def _evidence_by_keys() -> Statements:
    return _evidence_statements(_keys_held())


@cache
def _rows_by_keys() -> Statements:
    held = _keys_held()
    return _private_statements(held) + _score_statements(held)


async def _run_keyed(
    session: AsyncSession, statements: Statements, keys: Sequence[tuple[UUID, UUID]]
) -> None:
    for start in range(0, len(keys), REFRESH_BATCH):
        await _run(session, statements, {"held_keys": list(keys[start : start + REFRESH_BATCH])})


async def recount_evidence_of(session: AsyncSession, keys: Sequence[tuple[UUID, UUID]]) -> None:
    """`recount_evidence` for the user skills `keys` (person, skill)."""
    await _run_keyed(session, _evidence_by_keys(), keys)


async def refresh_rows_of(session: AsyncSession, keys: Sequence[tuple[UUID, UUID]]) -> None:
    """`refresh_rows` for the user skills `keys` (person, skill)."""
    await _run_keyed(session, _rows_by_keys(), keys)


async def _run(
    session: AsyncSession, statements: Statements, params: dict[str, Any] | None = None
) -> None:
    for statement in statements:
        await session.execute(statement, params)


async def refresh_scores(
    session: AsyncSession, skill_id: UUID, only: ColumnElement[bool] | None = None
) -> None:
    """Recompute everything stored for the holders of one skill (`only` narrows them) from the
    source tables: their evidence from the content, then their endorsements and score."""
    where = user_skills.c.skill_id == skill_id
    if only is not None:
        where = and_(where, only)
    await recount_evidence(session, where)
    await refresh_rows(session, where)


# Keys per recomputing statement: two bind parameters each, well under every driver's limit.
REFRESH_BATCH = 500


async def lock_keys(session: AsyncSession, keys: Any) -> list[tuple[UUID, UUID]]:
    """Lock the user skills whose (user_id, skill_id) are in `keys`, in that order."""
    us = user_skills
    locked = await session.execute(
        select(us.c.user_id, us.c.skill_id)
        .where(tuple_(us.c.user_id, us.c.skill_id).in_(keys))
        .order_by(us.c.user_id, us.c.skill_id)
        .with_for_update()
    )
    return [(user_id, skill_id) for user_id, skill_id in locked]


async def refresh_for_content(
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
    keys = await lock_keys(
        session, union(tagged, counted, cited) if tags_changed else union(tagged, cited)
    )
    await recount_evidence_of(session, keys)
    await refresh_rows_of(session, keys)


async def share_skill(session: AsyncSession, skill_id: UUID) -> None:
    """FOR KEY SHARE on the skill: many profile writers at once, but none during a merge."""
    await session.execute(
        select(skills.c.id)
        .where(skills.c.id == skill_id)
        .with_for_update(read=True, key_share=True)
    )
