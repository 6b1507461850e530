"""The hot read of users: an account by its id. Every authenticated request reads its caller's
account before anything else (`auth.service.AuthService.principal_for`): the most frequent
statement there is."""

from __future__ import annotations

from datetime import time
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.users.model import Role, User, WorkingHours
from repositories.rows import RowLike, fields
from repositories.users.tables import UserAccount

users = UserAccount.__table__  # type: ignore[attr-defined]

USER_COLUMNS = [c for c in users.c if c.name != "search_name"]

ACCOUNT = select(*USER_COLUMNS).where(users.c.id == bindparam("user_id", type_=users.c.id.type))


def encode_working_hours(hours: WorkingHours | None) -> str | None:
    if hours is None:
        return None
    days = "".join(str(d) for d in sorted(hours.days))
    return f"{days} {hours.start:%H:%M}-{hours.end:%H:%M}"


def decode_working_hours(text: str | None) -> WorkingHours | None:
    if not text:
        return None
    days, window = text.split(" ")
    start, end = window.split("-")
    return WorkingHours(
        frozenset(int(d) for d in days), time.fromisoformat(start), time.fromisoformat(end)
    )


def user_from_row(row: RowLike) -> User:
    m = fields(row)
    return User(
        id=m["id"],
        email=m["email"],
        handle=m["handle"],
        display_name=m["display_name"],
        role=Role(m["role"]),
        password_hash=m["password_hash"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        title=m["title"],
        bio=m["bio"],
        location=m["location"],
        timezone=m["timezone"],
        avatar_url=m["avatar_url"],
        working_hours=decode_working_hours(m["working_hours"]),
        is_active=m["is_active"],
        token_version=m["token_version"],
        version=m["version"],
        email_verified_at=m["email_verified_at"],
        email_undeliverable_at=m["email_undeliverable_at"],
        email_undeliverable_reason=m["email_undeliverable_reason"],
    )


async def account(session: AsyncSession, user_id: UUID) -> User | None:
    row = (await session.execute(ACCOUNT, {"user_id": user_id})).first()
    return user_from_row(row) if row else None
