"""Users and their credentials (refresh tokens, personal access tokens) in SQL. The caller's
account, read on every request, is `repositories.users.queries.account`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import PageRequest, PageResult
from domain.users.model import PersonalToken, RefreshToken, Scope, User
from repositories.base import SortKey, keyset_page, like_prefix
from repositories.rows import fields
from repositories.users import queries
from repositories.users.queries import USER_COLUMNS, encode_working_hours, user_from_row
from repositories.users.tables import PersonalAccessToken, RefreshTokenRow, UserAccount

users = UserAccount.__table__  # type: ignore[attr-defined]
refresh_tokens = RefreshTokenRow.__table__  # type: ignore[attr-defined]
personal_tokens = PersonalAccessToken.__table__  # type: ignore[attr-defined]


def _user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "handle": user.handle,
        "display_name": user.display_name,
        "search_name": user.display_name.lower(),
        "title": user.title,
        "bio": user.bio,
        "location": user.location,
        "timezone": user.timezone,
        "avatar_url": user.avatar_url,
        "working_hours": encode_working_hours(user.working_hours),
        "role": user.role.value,
        "password_hash": user.password_hash,
        "is_active": user.is_active,
        "token_version": user.token_version,
        "version": user.version,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "email_verified_at": user.email_verified_at,
        "email_undeliverable_at": user.email_undeliverable_at,
        "email_undeliverable_reason": user.email_undeliverable_reason,
    }


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Token versions as read, so that a write which moves one (every session of that
        # account ends) is known, whichever use case made it.
        self._versions_read: dict[UUID, int] = {}
        self.sessions_ended: dict[UUID, int] = {}

    def _seen(self, user: User | None) -> User | None:
        if user is not None:
            self._versions_read.setdefault(user.id, user.token_version)
        return user

    async def _one(self, *where: Any) -> User | None:
        row = (await self.session.execute(select(*USER_COLUMNS).where(*where))).first()
        return self._seen(user_from_row(row) if row else None)

    async def get(self, user_id: UUID) -> User | None:
        return self._seen(await queries.account(self.session, user_id))

    def take_sessions_ended(self) -> dict[UUID, int]:
        """Accounts whose token version this unit changed, with the new version."""
        ended, self.sessions_ended = self.sessions_ended, {}
        self._versions_read.clear()
        return ended

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(users.c.email == email)

    async def get_by_handle(self, handle: str) -> User | None:
        return await self._one(users.c.handle == handle)

    async def handles_taken(self, candidates: list[str]) -> set[str]:
        rows = await self.session.execute(
            select(users.c.handle).where(users.c.handle.in_(candidates))
        )
        return {r[0] for r in rows}

    async def count(self) -> int:
        return int(
            (await self.session.execute(select(func.count()).select_from(users))).scalar_one()
        )

    async def add(self, user: User) -> None:
        await self.session.execute(insert(users).values(**_user_values(user)))

    async def update(self, user: User) -> None:
        values = _user_values(user)
        del values["id"], values["created_at"]
        await self.session.execute(update(users).where(users.c.id == user.id).values(**values))
        if self._versions_read.get(user.id, user.token_version) != user.token_version:
            self.sessions_ended[user.id] = user.token_version

    async def lock(self, user_id: UUID) -> None:
        # A row lock on PostgreSQL; SQLite lets one writer at a time anyway.
        await self.session.execute(
            select(users.c.id).where(users.c.id == user_id).with_for_update()
        )

    async def search(self, q: str | None, page: PageRequest) -> PageResult[User]:
        stmt = select(*USER_COLUMNS).where(users.c.is_active.is_(True))
        if q:
            pattern = like_prefix(q.lower())
            stmt = stmt.where(
                or_(
                    users.c.handle.like(pattern, escape="\\"),
                    users.c.search_name.like(pattern, escape="\\"),
                )
            )
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(users.c.handle)],
            page,
            user_from_row,
            lambda row: (fields(row)["handle"],),
        )


def refresh_from_row(row: Row[Any]) -> RefreshToken:
    m = fields(row)
    return RefreshToken(
        id=m["id"],
        family_id=m["family_id"],
        user_id=m["user_id"],
        token_hash=m["token_hash"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        used_at=m["used_at"],
        revoked_at=m["revoked_at"],
    )


class SqlRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        await self.session.execute(
            insert(refresh_tokens).values(
                id=token.id,
                family_id=token.family_id,
                user_id=token.user_id,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
        )

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        row = (
            await self.session.execute(
                select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
            )
        ).first()
        return refresh_from_row(row) if row else None

    async def mark_used(self, token_id: UUID, at: datetime) -> bool:
        # The WHERE makes this a compare-and-set: of two concurrent refreshes only one wins.
        result = await self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used_at.is_(None))
            .values(used_at=at)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        await self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> None:
        await self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )


def personal_from_row(row: Row[Any]) -> PersonalToken:
    m = fields(row)
    return PersonalToken(
        id=m["id"],
        user_id=m["user_id"],
        name=m["name"],
        scopes=frozenset(Scope(s) for s in m["scopes"].split()),
        token_hash=m["token_hash"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        revoked_at=m["revoked_at"],
        last_used_at=m["last_used_at"],
    )


class SqlPersonalTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: PersonalToken) -> None:
        await self.session.execute(
            insert(personal_tokens).values(
                id=token.id,
                user_id=token.user_id,
                name=token.name,
                scopes=" ".join(sorted(s.value for s in token.scopes)),
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
        )

    async def get_by_hash(self, token_hash: str) -> PersonalToken | None:
        row = (
            await self.session.execute(
                select(personal_tokens).where(personal_tokens.c.token_hash == token_hash)
            )
        ).first()
        return personal_from_row(row) if row else None

    async def list_for_user(self, user_id: UUID, page: PageRequest) -> PageResult[PersonalToken]:
        t = personal_tokens
        stmt = select(t).where(t.c.user_id == user_id, t.c.revoked_at.is_(None))
        return await keyset_page(
            self.session,
            stmt,
            [SortKey(t.c.created_at, descending=True), SortKey(t.c.id, descending=True)],
            page,
            personal_from_row,
            lambda row: (fields(row)["created_at"], fields(row)["id"]),
        )

    async def revoke(self, user_id: UUID, token_id: UUID, at: datetime) -> bool:
        t = personal_tokens
        result = await self.session.execute(
            update(t)
            .where(t.c.id == token_id, t.c.user_id == user_id, t.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def revoke_all_for_user(self, user_id: UUID, at: datetime) -> int:
        t = personal_tokens
        result = await self.session.execute(
            update(t)
            .where(
                t.c.user_id == user_id,
                t.c.revoked_at.is_(None),
                or_(t.c.expires_at.is_(None), t.c.expires_at > at),
            )
            .values(revoked_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def lock_owner(self, user_id: UUID) -> None:
        # A row lock on PostgreSQL; SQLite has no FOR UPDATE but lets one writer at a time anyway.
        await self.session.execute(
            select(users.c.id).where(users.c.id == user_id).with_for_update()
        )

    async def created_since(self, user_id: UUID, since: datetime) -> tuple[int, datetime | None]:
        t = personal_tokens
        row = (
            await self.session.execute(
                select(func.count(), func.min(t.c.created_at)).where(
                    t.c.user_id == user_id, t.c.created_at > since
                )
            )
        ).one()
        return int(row[0]), row[1]

    async def count_active(self, user_id: UUID, now: datetime) -> int:
        t = personal_tokens
        stmt = (
            select(func.count())
            .select_from(t)
            .where(
                t.c.user_id == user_id,
                t.c.revoked_at.is_(None),
                or_(t.c.expires_at.is_(None), t.c.expires_at > now),
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def mark_used(self, token_id: UUID, at: datetime, stale_before: datetime) -> bool:
        t = personal_tokens
        # SKIP LOCKED: a request whose token row another transaction is writing (its own
        # last_used_at, a revocation) neither waits for it nor writes; SQLite ignores it.
        stale = (
            select(t.c.id)
            .where(
                t.c.id == token_id,
                or_(t.c.last_used_at.is_(None), t.c.last_used_at < stale_before),
            )
            .with_for_update(skip_locked=True)
        )
        result = await self.session.execute(
            update(t).where(t.c.id.in_(stale)).values(last_used_at=at)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]
