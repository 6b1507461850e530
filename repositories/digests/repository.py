"""Notification mail and digests in SQL: a few set-based statements per batch of people, keyed
on their ids (keyset), so a run over everybody holds one batch in memory at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Date, and_, case, exists, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.communities.model import MembershipStatus, Role
from domain.digests.model import (
    DIGEST_POSTS,
    DIGEST_QUESTIONS,
    SESSION_DUE_AFTER,
    DigestContent,
    DigestFrequency,
    DigestPerson,
    DigestPost,
    MailLine,
    PendingMail,
    SessionDue,
    StewardNews,
    default_frequency,
)
from domain.mentorship.model import MentorshipStatus
from domain.mentorship.service import mentorship_url
from domain.notifications.model import NotificationKind
from domain.posts.context import post_url
from domain.posts.model import PostKind
from repositories.base import insert_or_ignore, rows_changed
from repositories.communities.tables import CommunityMember, CommunityRow
from repositories.digests.tables import DigestRecordRow, MailStateRow
from repositories.mentorship.tables import MentorshipRow, MentorshipSessionRow
from repositories.notifications.repository import can_see, visible
from repositories.notifications.tables import NotificationPreferenceRow, NotificationRow
from repositories.posts.tables import PostRow, PostTag
from repositories.skills.tables import SkillRow, UserSkill
from repositories.users.tables import RefreshTokenRow, UserAccount

states = MailStateRow.__table__  # type: ignore[attr-defined]
records = DigestRecordRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]
refresh_tokens = RefreshTokenRow.__table__  # type: ignore[attr-defined]
notifications = NotificationRow.__table__  # type: ignore[attr-defined]
preferences = NotificationPreferenceRow.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
post_tags = PostTag.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
user_skills = UserSkill.__table__  # type: ignore[attr-defined]
skills = SkillRow.__table__  # type: ignore[attr-defined]
mentorships = MentorshipRow.__table__  # type: ignore[attr-defined]
sessions = MentorshipSessionRow.__table__  # type: ignore[attr-defined]

ACTIVE = MembershipStatus.active.value


def _mailable() -> Any:
    """The person's address may get notification mail and digests now."""
    u = users.c
    return and_(u.is_active, u.email_verified_at.is_not(None), u.email_undeliverable_at.is_(None))


def _effective_digest() -> Any:
    """The person's digest setting: their choice, else weekly if they ever signed in (a refresh
    token was issued to them), else off."""
    signed_in = exists().where(refresh_tokens.c.user_id == users.c.id)
    chosen = select(states.c.email_digest).where(states.c.user_id == users.c.id).scalar_subquery()
    return func.coalesce(
        chosen,
        case(
            (signed_in, literal(DigestFrequency.weekly.value)),
            else_=literal(DigestFrequency.off.value),
        ),
    )


class SqlMailingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self) -> Any:
        dialect = self.session.get_bind().dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(states)

    # -- settings ---------------------------------------------------------------------------

    async def digest_frequency(self, user_id: UUID) -> DigestFrequency:
        chosen = await self.session.scalar(
            select(states.c.email_digest).where(states.c.user_id == user_id)
        )
        if chosen is not None:
            return DigestFrequency(chosen)
        signed_in = await self.session.scalar(
            select(exists().where(refresh_tokens.c.user_id == user_id))
        )
        return default_frequency(bool(signed_in))

    async def set_digest_frequency(self, user_id: UUID, frequency: DigestFrequency) -> None:
        stmt = self._insert().values(user_id=user_id, email_digest=frequency.value)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[states.c.user_id], set_={"email_digest": frequency.value}
            )
        )

    # -- notification mail ------------------------------------------------------------------

    def _pending_lines(
        self,
        kinds: Sequence[NotificationKind],
        quiet_since: datetime,
        lookback: datetime,
    ) -> tuple[Any, list[Any]]:
        n, s, p = notifications.c, states.c, preferences.c
        chosen = exists().where(p.user_id == n.user_id, p.kind == n.kind)
        wants_email = or_(
            exists().where(p.user_id == n.user_id, p.kind == n.kind, p.email.is_(True)),
            and_(n.kind.in_([k.value for k in kinds]), ~chosen),
        )
        # Comments are mailed as answers to the person's questions, not on every post.
        answers_only = or_(
            n.kind != NotificationKind.comment_on_post.value,
            exists().where(posts.c.id == n.subject_id, posts.c.kind == PostKind.question.value),
        )
        source = notifications.join(users, users.c.id == n.user_id).outerjoin(
            states, s.user_id == n.user_id
        )
        where = [
            n.read_at.is_(None),
            n.created_at > lookback,
            or_(s.notification_mailed_upto.is_(None), n.created_at > s.notification_mailed_upto),
            or_(s.notification_mailed_at.is_(None), s.notification_mailed_at <= quiet_since),
            _mailable(),
            wants_email,
            answers_only,
            visible(),
        ]
        return source, where

    async def pending_mail(
        self,
        kinds: Sequence[NotificationKind],
        quiet_since: datetime,
        lookback: datetime,
        after: UUID | None,
        limit: int,
        items: int,
    ) -> list[PendingMail]:
        n = notifications.c
        source, where = self._pending_lines(kinds, quiet_since, lookback)
        people = select(n.user_id).select_from(source).where(*where)
        if after is not None:
            people = people.where(n.user_id > after)
        ids = list(
            (
                await self.session.scalars(
                    people.group_by(n.user_id).order_by(n.user_id).limit(limit)
                )
            ).all()
        )
        if not ids:
            return []
        ranked = (
            select(
                n.user_id,
                n.kind,
                n.title,
                n.url,
                n.group_count,
                n.created_at,
                func.row_number()
                .over(partition_by=n.user_id, order_by=n.id.desc())
                .label("position"),
                func.count().over(partition_by=n.user_id).label("total"),
            )
            .select_from(source)
            .where(*where, n.user_id.in_(ids))
            .subquery()
        )
        rows = await self.session.execute(
            select(ranked)
            .where(ranked.c.position <= items)
            .order_by(ranked.c.user_id, ranked.c.position)
        )
        found: dict[UUID, PendingMail] = {}
        for row in rows:
            person = found.setdefault(row.user_id, PendingMail(row.user_id, [], int(row.total)))
            person.lines.append(
                MailLine(
                    NotificationKind(row.kind),
                    row.title,
                    row.url,
                    int(row.group_count),
                    row.created_at,
                )
            )
        return [found[i] for i in ids if i in found]

    async def claim_notification_mail(
        self, user_id: UUID, at: datetime, upto: datetime, quiet_since: datetime
    ) -> bool:
        s = states.c
        stmt = self._insert().values(
            user_id=user_id, notification_mailed_at=at, notification_mailed_upto=upto
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[s.user_id],
            set_={"notification_mailed_at": at, "notification_mailed_upto": upto},
            where=or_(s.notification_mailed_at.is_(None), s.notification_mailed_at <= quiet_since),
        )
        return rows_changed(await self.session.execute(stmt)) == 1

    # -- digests ----------------------------------------------------------------------------

    async def time_zones(self) -> list[str | None]:
        rows = await self.session.scalars(select(users.c.timezone).distinct())
        return list(rows.all())

    async def digest_people(
        self,
        frequency: DigestFrequency,
        period_key: str,
        time_zones: Sequence[str | None],
        after: UUID | None,
        limit: int,
    ) -> list[UUID]:
        u, r = users.c, records.c
        named = [z for z in time_zones if z is not None]
        in_zone = u.timezone.in_(named)
        if None in time_zones:
            in_zone = or_(in_zone, u.timezone.is_(None))
        stmt = select(u.id).where(
            in_zone,
            _mailable(),
            _effective_digest() == frequency.value,
            ~exists().where(r.user_id == u.id, r.period_key == period_key),
        )
        if after is not None:
            stmt = stmt.where(u.id > after)
        return list((await self.session.scalars(stmt.order_by(u.id).limit(limit))).all())

    async def digest_contents(
        self, people: Sequence[DigestPerson], now: datetime
    ) -> dict[UUID, DigestContent]:
        if not people:
            return {}
        ids = [p.user_id for p in people]
        since = min(p.since for p in people)
        contents = {i: DigestContent() for i in ids}
        for user_id, post in await self._top_posts(ids, since):
            contents[user_id].top_posts.append(post)
        for user_id, post in await self._open_questions(ids, since):
            contents[user_id].questions.append(post)
        for user_id, news in await self._stewarding(ids, since):
            contents[user_id].stewarding.append(news)
        for user_id, due in await self._sessions_due(ids, now):
            contents[user_id].sessions.append(due)
        return contents

    @staticmethod
    def _post(row: Any) -> DigestPost:
        return DigestPost(
            title=row.title,
            url=post_url(row.id),
            community=row.community,
            score=int(row.score),
            comments=int(row.comment_count),
        )

    async def _ranked_posts(
        self,
        owner: Any,
        source: Any,
        where: list[Any],
        order: list[Any],
        limit: int,
        community: Any = communities,
    ) -> list[tuple[UUID, DigestPost]]:
        p, c = posts.c, community.c
        ranked = (
            select(
                owner.label("owner"),
                p.id,
                p.title,
                p.score,
                p.comment_count,
                c.name.label("community"),
                func.row_number().over(partition_by=owner, order_by=order).label("position"),
            )
            .select_from(source)
            .where(*where)
            .subquery()
        )
        rows = await self.session.execute(
            select(ranked)
            .where(ranked.c.position <= limit)
            .order_by(ranked.c.owner, ranked.c.position)
        )
        return [(row.owner, self._post(row)) for row in rows]

    @staticmethod
    def _live_post(community: Any = communities) -> list[Any]:
        return [posts.c.deleted_at.is_(None), community.c.archived_at.is_(None)]

    async def _top_posts(self, ids: list[UUID], since: datetime) -> list[tuple[UUID, DigestPost]]:
        """The best-scored posts of the period in each person's communities (not their own)."""
        m, p, c = members.c, posts.c, communities.c
        source = members.join(posts, p.community_id == m.community_id).join(
            communities, c.id == m.community_id
        )
        where = [
            m.user_id.in_(ids),
            m.status == ACTIVE,
            p.created_at >= since,
            p.author_id != m.user_id,
            *self._live_post(),
        ]
        order = [p.score.desc(), p.comment_count.desc(), p.id]
        return await self._ranked_posts(m.user_id, source, where, order, DIGEST_POSTS)

    async def _open_questions(
        self, ids: list[UUID], since: datetime
    ) -> list[tuple[UUID, DigestPost]]:
        """Questions of the period without an answer, tagged with a skill the person holds,
        that they can see (newest first)."""
        # The community under another name: the visibility test reads `community` on its own.
        place = communities.alias("place")
        us, t, p, c = user_skills.c, post_tags.c, posts.c, place.c
        pairs = (
            select(us.user_id, t.post_id)
            .select_from(user_skills.join(post_tags, t.skill_id == us.skill_id))
            .where(us.user_id.in_(ids))
            .distinct()
            .subquery()
        )
        source = pairs.join(posts, p.id == pairs.c.post_id).join(place, c.id == p.community_id)
        where = [
            p.kind == PostKind.question.value,
            p.accepted_comment_id.is_(None),
            p.comment_count == 0,
            p.created_at >= since,
            p.author_id != pairs.c.user_id,
            can_see(p.community_id, pairs.c.user_id),
            *self._live_post(place),
        ]
        order = [p.created_at.desc(), p.id]
        return await self._ranked_posts(
            pairs.c.user_id, source, where, order, DIGEST_QUESTIONS, place
        )

    async def _stewarding(self, ids: list[UUID], since: datetime) -> list[tuple[UUID, StewardNews]]:
        """Per community the person stewards: members who joined in the period, and requests
        waiting for a decision."""
        steward, other, c = members.alias("steward"), members.alias("other"), communities.c
        joined = and_(other.c.status == ACTIVE, other.c.joined_at >= since)
        pending = other.c.status == MembershipStatus.pending.value
        rows = await self.session.execute(
            select(
                steward.c.user_id,
                c.name,
                c.slug,
                func.sum(case((joined, 1), else_=0)).label("new_members"),
                func.sum(case((pending, 1), else_=0)).label("pending"),
            )
            .select_from(
                steward.join(communities, c.id == steward.c.community_id).join(
                    other, other.c.community_id == steward.c.community_id
                )
            )
            .where(
                steward.c.user_id.in_(ids),
                steward.c.role == Role.steward.value,
                steward.c.status == ACTIVE,
                other.c.user_id != steward.c.user_id,
                or_(joined, pending),
                c.archived_at.is_(None),
            )
            .group_by(steward.c.user_id, c.id, c.name, c.slug)
            .order_by(steward.c.user_id, c.name)
        )
        return [
            (
                row.user_id,
                StewardNews(
                    community=row.name,
                    url=f"/communities/{row.slug}",
                    new_members=int(row.new_members),
                    pending_requests=int(row.pending),
                ),
            )
            for row in rows
        ]

    async def _sessions_due(self, ids: list[UUID], now: datetime) -> list[tuple[UUID, SessionDue]]:
        """Active mentorships of the person with no session logged for SESSION_DUE_AFTER."""
        ms, mentor, mentee = mentorships.c, users.alias("mentor"), users.alias("mentee")
        cutoff = now - SESSION_DUE_AFTER
        last = (
            select(func.max(sessions.c.held_on, type_=Date))
            .where(sessions.c.mentorship_id == ms.id)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            select(
                ms.id,
                ms.mentor_id,
                ms.mentee_id,
                ms.created_at,
                ms.responded_at,
                mentor.c.display_name.label("mentor_name"),
                mentee.c.display_name.label("mentee_name"),
                skills.c.name.label("skill"),
                last.label("last_session_on"),
            )
            .select_from(
                mentorships.join(mentor, mentor.c.id == ms.mentor_id)
                .join(mentee, mentee.c.id == ms.mentee_id)
                .join(skills, skills.c.id == ms.skill_id)
            )
            .where(
                ms.status == MentorshipStatus.active.value,
                or_(ms.mentor_id.in_(ids), ms.mentee_id.in_(ids)),
            )
            .order_by(ms.id)
        )
        wanted = set(ids)
        due: list[tuple[UUID, SessionDue]] = []
        for row in rows:
            started = row.responded_at or row.created_at
            last_on = row.last_session_on
            if last_on is not None and last_on > cutoff.date():
                continue
            if last_on is None and started > cutoff:
                continue
            for person, other in (
                (row.mentor_id, row.mentee_name),
                (row.mentee_id, row.mentor_name),
            ):
                if person in wanted:
                    due.append(
                        (person, SessionDue(other, row.skill, mentorship_url(row.id), last_on))
                    )
        return due

    async def claim_digests(
        self, people: Sequence[tuple[UUID, bool]], period_key: str, at: datetime
    ) -> set[UUID]:
        if not people:
            return set()
        stmt = (
            insert_or_ignore(self.session, records, ["user_id", "period_key"])
            .values(
                [
                    {"user_id": user_id, "period_key": period_key, "sent_at": at, "sent": sent}
                    for user_id, sent in people
                ]
            )
            .returning(records.c.user_id)
        )
        return set((await self.session.scalars(stmt)).all())
