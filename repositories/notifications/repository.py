"""Notification rows: grouped on write, listed by keyset, filtered by what the reader can see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain.communities.model import MembershipStatus, Visibility
from domain.notifications.model import (
    GROUP_ACTORS,
    ChannelChoice,
    InboxItem,
    NotificationEvent,
    NotificationKind,
    Reason,
    WrittenNotification,
    group_key,
    time_ordered_id,
)
from domain.pagination import PageRequest, PageResult
from domain.users.model import UserRef
from repositories.base import SortKey, insert_or_ignore, keyset_page, rows_changed
from repositories.communities.tables import CommunityInvitation, CommunityMember, CommunityRow
from repositories.notifications.tables import (
    NotificationPreferenceRow,
    NotificationRow,
    PostWatchRow,
    StreamTicketRow,
)
from repositories.people import ref_columns, ref_from_row
from repositories.posts.tables import CommentRow, PostRow
from repositories.rows import fields
from repositories.users.tables import UserAccount

notifications = NotificationRow.__table__  # type: ignore[attr-defined]
preferences = NotificationPreferenceRow.__table__  # type: ignore[attr-defined]
watches = PostWatchRow.__table__  # type: ignore[attr-defined]
tickets = StreamTicketRow.__table__  # type: ignore[attr-defined]
communities = CommunityRow.__table__  # type: ignore[attr-defined]
members = CommunityMember.__table__  # type: ignore[attr-defined]
invitations = CommunityInvitation.__table__  # type: ignore[attr-defined]
posts = PostRow.__table__  # type: ignore[attr-defined]
comments = CommentRow.__table__  # type: ignore[attr-defined]
users = UserAccount.__table__  # type: ignore[attr-defined]

# Ids are time-ordered (a line takes a new id when an event joins it): the id alone orders.
_INBOX = [SortKey(notifications.c.id, descending=True)]
# Recipients per INSERT statement (15 bound values each: well under SQLite's and asyncpg's limits).
WRITE_BATCH = 500


def can_see(community_id: Any, user_id: Any) -> ColumnElement[bool]:
    """The user may see things in the community: it is public, or they are an active member, or
    they hold an open invitation to it (so that the invitation itself reaches them)."""
    return or_(
        exists().where(
            communities.c.id == community_id,
            communities.c.visibility == Visibility.public.value,
        ),
        exists().where(
            members.c.community_id == community_id,
            members.c.user_id == user_id,
            members.c.status == MembershipStatus.active.value,
        ),
        exists().where(
            invitations.c.community_id == community_id,
            invitations.c.invitee_id == user_id,
            invitations.c.accepted_at.is_(None),
        ),
    )


def visible() -> ColumnElement[bool]:
    n = notifications.c
    return or_(n.community_id.is_(None), can_see(n.community_id, n.user_id))


def _actor_ids(text: str | None) -> list[UUID]:
    return [UUID(hex=part) for part in text.split(",") if part] if text else []


def _latest_actors(actor_id: UUID | None) -> Any:
    """The grouped line's latest actors after `actor_id` acted, in SQL (the stored value is read
    inside the upsert, never from an earlier select): the actor first, then the previous ones
    without them, at most GROUP_ACTORS. Ids are 32 hex digits joined by commas."""
    previous = notifications.c.actor_ids
    if actor_id is None:
        return previous
    actor = actor_id.hex
    others = func.replace("," + func.coalesce(previous, "") + ",", f",{actor},", ",")
    kept = func.substr(actor + others, 1, GROUP_ACTORS * 33 - 1)
    return func.rtrim(kept, ",")


def _upsert(session: AsyncSession, table: Any, conflict: list[str], values: dict[str, Any]) -> Any:
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(values)
    changes = {k: v for k, v in values.items() if k not in conflict}
    return stmt.on_conflict_do_update(index_elements=conflict, set_=changes)


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[WrittenNotification] = []
        # Users who read something in this unit: their streams get the new count after commit.
        self.read_by: set[UUID] = set()

    async def _community_of(self, event: NotificationEvent) -> UUID | None:
        if event.community_id is not None:
            return event.community_id
        if event.subject_type == "community":
            return event.subject_id
        if event.subject_type == "post":
            found = await self.session.scalar(
                select(posts.c.community_id).where(posts.c.id == event.subject_id)
            )
            return found if isinstance(found, UUID) else None
        return None

    async def notify(
        self, event: NotificationEvent, user_ids: list[UUID]
    ) -> list[WrittenNotification]:
        community_id = await self._community_of(event)
        kind = event.kind.value
        muted = exists().where(
            preferences.c.user_id == users.c.id,
            preferences.c.kind == kind,
            preferences.c.in_app.is_(False),
        )
        allowed = select(users.c.id).where(users.c.id.in_(user_ids), users.c.is_active, ~muted)
        if community_id is not None:
            allowed = allowed.where(can_see(community_id, users.c.id))
        targets = list((await self.session.scalars(allowed)).all())
        key = group_key(event.kind, event.subject_type, event.subject_id)
        written: list[WrittenNotification] = []
        upsert = self._grouping_upsert(event)
        for start in range(0, len(targets), WRITE_BATCH):
            rows = [
                {
                    "id": time_ordered_id(event.occurred_at),
                    "user_id": user_id,
                    "kind": kind,
                    "reason": event.reason.value,
                    "actor_id": event.actor_id,
                    "subject_type": event.subject_type,
                    "subject_id": event.subject_id,
                    "title": event.title,
                    "url": event.url,
                    "community_id": community_id,
                    "anchor_id": event.anchor_id,
                    "group_key": key,
                    "group_count": 1,
                    "actor_ids": event.actor_id.hex if event.actor_id else None,
                    "created_at": event.occurred_at,
                }
                for user_id in targets[start : start + WRITE_BATCH]
            ]
            # Many parameter sets, one statement compiled once: SQLAlchemy sends them as one
            # multi-row INSERT (insertmanyvalues) and gathers the RETURNING rows.
            result = await self.session.execute(upsert, rows)
            written += [WrittenNotification(row.user_id, row.id) for row in result]
        self.pending += written
        return written

    async def notify_many(
        self, batch: Sequence[tuple[NotificationEvent, list[UUID]]]
    ) -> list[WrittenNotification]:
        events = [event for event, _ in batch]
        # The subjects' communities, read at once for posts that did not say theirs.
        unknown = [
            e.subject_id for e in events if e.community_id is None and e.subject_type == "post"
        ]
        found: dict[UUID, UUID] = {}
        if unknown:
            rows = await self.session.execute(
                select(posts.c.id, posts.c.community_id).where(posts.c.id.in_(unknown))
            )
            found = {row.id: row.community_id for row in rows}

        def community_of(event: NotificationEvent) -> UUID | None:
            if event.community_id is not None:
                return event.community_id
            if event.subject_type == "community":
                return event.subject_id
            return found.get(event.subject_id) if event.subject_type == "post" else None

        places = [community_of(event) for event in events]
        # Who may be told: active, and able to see the subject's community (one statement for
        # every (person, community) pair, one for people told of things outside communities).
        pairs = {(u, c) for (_, people), c in zip(batch, places, strict=True) if c for u in people}
        loose = {u for (_, people), c in zip(batch, places, strict=True) if not c for u in people}
        seeing: set[tuple[UUID, UUID | None]] = set()
        if pairs:
            place = communities.alias("place")
            rows = await self.session.execute(
                select(users.c.id, place.c.id.label("community_id"))
                .select_from(users.join(place, true()))
                .where(
                    tuple_(users.c.id, place.c.id).in_(sorted(pairs)),
                    users.c.is_active,
                    can_see(place.c.id, users.c.id),
                )
            )
            seeing |= {(row.id, row.community_id) for row in rows}
        if loose:
            active = await self.session.scalars(
                select(users.c.id).where(users.c.id.in_(sorted(loose)), users.c.is_active)
            )
            seeing |= {(user_id, None) for user_id in active}
        everybody = sorted({u for _, people in batch for u in people})
        muted = {
            (row.user_id, row.kind)
            for row in await self.session.execute(
                select(preferences.c.user_id, preferences.c.kind).where(
                    preferences.c.user_id.in_(everybody),
                    preferences.c.kind.in_(sorted({e.kind.value for e in events})),
                    preferences.c.in_app.is_(False),
                )
            )
        }
        # One row per person and group (the last notice of a subject wins), one upsert per
        # actor (its latest-actors update depends on who acted).
        by_actor: dict[UUID | None, dict[tuple[UUID, str], dict[str, Any]]] = {}
        for (event, people), community_id in zip(batch, places, strict=True):
            key = group_key(event.kind, event.subject_type, event.subject_id)
            rows_of = by_actor.setdefault(event.actor_id, {})
            for user_id in people:
                if (user_id, community_id) not in seeing or (user_id, event.kind.value) in muted:
                    continue
                rows_of[(user_id, key)] = self._row(event, user_id, community_id, key)
        written: list[WrittenNotification] = []
        for actor_id, rows_by_key in by_actor.items():
            upsert = self._grouping_upsert_for(actor_id)
            values = list(rows_by_key.values())
            for start in range(0, len(values), WRITE_BATCH):
                result = await self.session.execute(upsert, values[start : start + WRITE_BATCH])
                written += [WrittenNotification(row.user_id, row.id) for row in result]
        self.pending += written
        return written

    @staticmethod
    def _row(
        event: NotificationEvent, user_id: UUID, community_id: UUID | None, key: str
    ) -> dict[str, Any]:
        return {
            "id": time_ordered_id(event.occurred_at),
            "user_id": user_id,
            "kind": event.kind.value,
            "reason": event.reason.value,
            "actor_id": event.actor_id,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "title": event.title,
            "url": event.url,
            "community_id": community_id,
            "anchor_id": event.anchor_id,
            "group_key": key,
            "group_count": 1,
            "actor_ids": event.actor_id.hex if event.actor_id else None,
            "created_at": event.occurred_at,
        }

    def _grouping_upsert(self, event: NotificationEvent) -> Any:
        return self._grouping_upsert_for(event.actor_id)

    def _grouping_upsert_for(self, actor_id: UUID | None) -> Any:
        """INSERT ... ON CONFLICT on the partial unique index of unread lines: a recipient with
        an unread line of the group has it updated (count + 1, latest actors, a new id) by the
        same statement, so concurrent events can never write two unread lines for one person."""
        dialect = self.session.get_bind().dialect.name
        insert_into = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert_into(notifications)
        n, new = notifications.c, stmt.excluded
        return stmt.on_conflict_do_update(
            index_elements=[n.user_id, n.group_key],
            index_where=n.read_at.is_(None),
            set_={
                "id": new.id,
                "group_count": n.group_count + 1,
                "actor_id": new.actor_id,
                "actor_ids": _latest_actors(actor_id),
                "title": new.title,
                "url": new.url,
                "anchor_id": new.anchor_id,
                "reason": new.reason,
                "created_at": new.created_at,
            },
        ).returning(n.user_id, n.id)

    def take_pending(self) -> list[WrittenNotification]:
        """The lines written since the last call: the unit of work publishes them once it has
        committed, and drops them when it rolls back."""
        pending, self.pending = self.pending, []
        return pending

    def take_read(self) -> set[UUID]:
        """The users who read lines since the last call (see `take_pending`)."""
        read_by, self.read_by = self.read_by, set()
        return read_by

    async def lines(self, notification_ids: list[UUID]) -> dict[UUID, InboxItem]:
        if not notification_ids:
            return {}
        n = notifications.c
        rows = (
            await self.session.execute(
                select(notifications, *ref_columns(users, "by"))
                .outerjoin(users, users.c.id == n.actor_id)
                .where(n.id.in_(notification_ids), visible())
            )
        ).all()
        items = await self._items(rows)
        return {item.id: item for item in items}

    async def unread_counts(self, user_ids: list[UUID]) -> dict[UUID, int]:
        if not user_ids:
            return {}
        n = notifications.c
        rows = await self.session.execute(
            select(n.user_id, func.count())
            .where(n.user_id.in_(user_ids), n.read_at.is_(None), visible())
            .group_by(n.user_id)
        )
        counts = {user_id: 0 for user_id in user_ids}
        counts.update({row[0]: int(row[1]) for row in rows})
        return counts

    async def since(self, user_id: UUID, after: UUID, limit: int) -> list[InboxItem]:
        n = notifications.c
        rows = (
            await self.session.execute(
                select(notifications, *ref_columns(users, "by"))
                .outerjoin(users, users.c.id == n.actor_id)
                .where(n.user_id == user_id, n.id > after, visible())
                .order_by(n.id)
                .limit(limit)
            )
        ).all()
        return await self._items(rows)

    async def active_users(self, user_ids: list[UUID]) -> dict[UUID, int]:
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(users.c.id, users.c.token_version).where(
                users.c.id.in_(user_ids), users.c.is_active
            )
        )
        return {row[0]: int(row[1]) for row in rows}

    async def _items(self, rows: Sequence[Row[Any]]) -> list[InboxItem]:
        """Rows of notification + actor columns as inbox items, with the other recent actors of
        grouped lines read for all of them in one statement."""
        if not rows:
            return []
        wanted = {i for row in rows for i in _actor_ids(fields(row)["actor_ids"])}
        people = {
            ref.id: ref
            for ref in (
                ref_from_row(r, "by")
                for r in await self.session.execute(
                    select(*ref_columns(users, "by")).where(users.c.id.in_(wanted))
                )
            )
            if ref is not None
        }
        return [self._item(row, people) for row in rows]

    async def inbox(self, user_id: UUID, unread: bool, page: PageRequest) -> PageResult[InboxItem]:
        n = notifications.c
        stmt = (
            select(notifications, *ref_columns(users, "by"))
            .outerjoin(users, users.c.id == n.actor_id)
            .where(n.user_id == user_id, visible())
        )
        if unread:
            stmt = stmt.where(n.read_at.is_(None))
        result = await keyset_page(
            self.session,
            stmt,
            _INBOX,
            page,
            lambda row: row,
            lambda row: (fields(row)["id"],),
        )
        rows: list[Row[Any]] = result.items
        if not rows:
            return PageResult([], result.next_position)
        return PageResult(await self._items(rows), result.next_position)

    @staticmethod
    def _item(row: Row[Any], people: dict[UUID, UserRef]) -> InboxItem:
        f = fields(row)
        actor = ref_from_row(row, "by")
        actors = [people[i] for i in _actor_ids(f["actor_ids"]) if i in people]
        return InboxItem(
            id=f["id"],
            kind=NotificationKind(f["kind"]),
            reason=Reason(f["reason"]),
            actor=actor,
            actors=actors or ([actor] if actor else []),
            count=f["group_count"],
            subject_type=f["subject_type"],
            subject_id=f["subject_id"],
            title=f["title"],
            url=f["url"],
            anchor_id=f["anchor_id"],
            community_id=f["community_id"],
            created_at=f["created_at"],
            read_at=f["read_at"],
        )

    async def unread_count(self, user_id: UUID) -> int:
        n = notifications.c
        count = await self.session.scalar(
            select(func.count())
            .select_from(notifications)
            .where(n.user_id == user_id, n.read_at.is_(None), visible())
        )
        return int(count or 0)

    async def mark_read(self, user_id: UUID, notification_id: UUID, at: datetime) -> bool:
        n = notifications.c
        result = await self.session.execute(
            update(notifications)
            .where(n.id == notification_id, n.user_id == user_id, visible())
            .values(read_at=func.coalesce(n.read_at, at))
        )
        found = rows_changed(result) == 1
        if found:
            self.read_by.add(user_id)
        return found

    async def mark_all_read(self, user_id: UUID, up_to: UUID | None, at: datetime) -> None:
        n = notifications.c
        unread = [n.user_id == user_id, n.read_at.is_(None)]
        if up_to is not None:
            # Time-ordered ids: "up to" a line is it and everything older; a line that an event
            # joined since has a newer id and stays unread.
            unread.append(n.id <= up_to)
        result = await self.session.execute(
            update(notifications).where(and_(*unread)).values(read_at=at)
        )
        if rows_changed(result):
            self.read_by.add(user_id)

    async def preferences(self, user_id: UUID) -> dict[NotificationKind, ChannelChoice]:
        rows = await self.session.execute(
            select(preferences).where(preferences.c.user_id == user_id)
        )
        known = {k.value for k in NotificationKind}
        return {
            NotificationKind(row.kind): ChannelChoice(row.in_app, row.email, row.push)
            for row in rows
            if row.kind in known
        }

    async def set_preferences(
        self, user_id: UUID, choices: dict[NotificationKind, ChannelChoice]
    ) -> None:
        p = preferences.c
        await self.session.execute(
            delete(preferences).where(p.user_id == user_id, p.kind.in_([k.value for k in choices]))
        )
        await self.session.execute(
            insert(preferences),
            [
                {
                    "user_id": user_id,
                    "kind": kind.value,
                    "in_app": choice.in_app,
                    "email": choice.email,
                    "push": choice.push,
                }
                for kind, choice in choices.items()
            ],
        )

    async def prune(self, before: datetime, limit: int) -> int:
        oldest = select(notifications.c.id).where(notifications.c.created_at < before).limit(limit)
        result = await self.session.execute(
            delete(notifications).where(notifications.c.id.in_(oldest.scalar_subquery()))
        )
        return rows_changed(result)


class SqlStreamTicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, user_id: UUID, ticket_hash: str, expires_at: datetime, at: datetime
    ) -> None:
        t = tickets.c
        await self.session.execute(delete(tickets).where(t.user_id == user_id, t.expires_at <= at))
        await self.session.execute(
            insert(tickets).values(ticket_hash=ticket_hash, user_id=user_id, expires_at=expires_at)
        )

    async def take(self, ticket_hash: str, at: datetime) -> UUID | None:
        t = tickets.c
        # One statement: of two requests presenting the same ticket, only one deletes it.
        taken = await self.session.execute(
            delete(tickets).where(t.ticket_hash == ticket_hash).returning(t.user_id, t.expires_at)
        )
        row = taken.first()
        if row is None or row.expires_at <= at:
            return None
        user_id: UUID = row.user_id
        return user_id


class SqlWatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def watch(self, post_id: UUID, user_id: UUID, at: datetime, *, explicit: bool) -> None:
        values = {"post_id": post_id, "user_id": user_id, "watching": True, "created_at": at}
        if explicit:
            await self.session.execute(
                _upsert(self.session, watches, ["post_id", "user_id"], values)
            )
        else:
            stmt = insert_or_ignore(self.session, watches, ["post_id", "user_id"])
            await self.session.execute(stmt.values(values))

    async def unwatch(self, post_id: UUID, user_id: UUID, at: datetime) -> None:
        values = {"post_id": post_id, "user_id": user_id, "watching": False, "created_at": at}
        await self.session.execute(_upsert(self.session, watches, ["post_id", "user_id"], values))

    async def watcher_ids(self, post_id: UUID) -> list[UUID]:
        rows = await self.session.scalars(
            select(watches.c.user_id).where(watches.c.post_id == post_id, watches.c.watching)
        )
        return list(rows.all())

    async def choice(self, post_id: UUID, user_id: UUID) -> tuple[bool | None, bool]:
        w, c = watches.c, comments.c
        stored = (
            select(w.watching).where(w.post_id == post_id, w.user_id == user_id).scalar_subquery()
        )
        commented = exists().where(c.post_id == post_id, c.author_id == user_id)
        row = (await self.session.execute(select(stored, commented))).one()
        return (None if row[0] is None else bool(row[0])), bool(row[1])
