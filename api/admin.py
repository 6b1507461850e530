"""Operator tasks run from the CLI against the configured database."""

from __future__ import annotations

from api.settings import Settings
from auth.passwords import Argon2PasswordHasher
from domain.clock import SystemClock
from domain.users.model import Role, normalize_email
from domain.users.service import Registration, register_user
from repositories.db import create_engine, create_session_factory
from repositories.unit_of_work import SqlUnitOfWork


async def create_or_promote_admin(
    settings: Settings, email: str, display_name: str, password: str
) -> bool:
    """True when a new account was created, False when an existing one was promoted."""
    engine = create_engine(settings.database_url)
    try:
        async with SqlUnitOfWork(create_session_factory(engine)) as uow:
            existing = await uow.users.get_by_email(normalize_email(email))
            if existing is not None:
                existing.role = Role.admin
                existing.token_version += 1  # re-issue tokens so the new role shows at once
                await uow.users.update(existing)
                await uow.commit()
                return False
            user = await register_user(
                uow,
                Argon2PasswordHasher(),
                SystemClock(),
                Registration(email=email, password=password, display_name=display_name),
            )
            user.role = Role.admin
            # The operator vouches for the address they typed.
            user.email_verified_at = user.email_verified_at or user.created_at
            await uow.users.update(user)
            await uow.commit()
            return True
    finally:
        await engine.dispose()
