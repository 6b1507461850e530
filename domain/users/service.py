"""User use cases: registration, profile reads and edits, password change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    Unauthenticated,
    ValidationFailed,
)
from domain.pagination import PageRequest, PageResult
from domain.ports import UnitOfWork
from domain.users.model import (
    Role,
    User,
    UserProfile,
    UserStats,
    check_password_policy,
    handle_base,
    normalize_email,
    validate_handle,
)
from domain.users.ports import PasswordHasher


@dataclass(frozen=True, slots=True)
class Registration:
    email: str
    password: str
    display_name: str
    handle: str | None = None


async def _free_handle(uow: UnitOfWork, base: str) -> str:
    """The base handle, or base-2, base-3, ... whichever is free first (one query)."""
    candidates = [base] + [f"{base[:26]}-{n}" for n in range(2, 40)]
    taken = await uow.users.handles_taken(candidates)
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return f"{base[:20]}-{uuid.uuid4().hex[:8]}"


async def register_user(
    uow: UnitOfWork, hasher: PasswordHasher, clock: Clock, data: Registration
) -> User:
    """Create an account. The first user of an empty instance becomes admin, its address
    verified. Does not commit."""
    email = normalize_email(data.email)
    display_name = data.display_name.strip()
    if not display_name:
        raise ValidationFailed("The display name must not be blank.", field="display_name")
    handle = validate_handle(data.handle) if data.handle else None
    check_password_policy(data.password, email=email, handle=handle)
    # Hashed before any lookup: a taken email must cost what a new account costs, or the time
    # of the answer would tell which emails have accounts.
    password_hash = await hasher.hash(data.password)
    if await uow.users.get_by_email(email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    if handle is not None:
        if await uow.users.get_by_handle(handle) is not None:
            raise Conflict("This handle is taken.", code="handle_taken")
    else:
        handle = await _free_handle(uow, handle_base(display_name, email))
    is_first = await uow.users.count() == 0
    now = clock.now()
    user = User(
        id=uuid.uuid4(),
        email=email,
        handle=handle,
        display_name=display_name,
        role=Role.admin if is_first else Role.member,
        password_hash=password_hash,
        created_at=now,
        updated_at=now,
        # The first account of an empty instance has nobody to wait for: it counts as verified.
        email_verified_at=now if is_first else None,
    )
    await uow.users.add(user)
    return user


async def get_user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    user = await uow.users.get(user_id)
    if user is None or not user.is_active:
        raise NotFound("User not found.")
    return user


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """Only fields present in `fields` are applied; None clears an optional field."""

    values: dict[str, object]


EDITABLE_PROFILE_FIELDS = frozenset(
    {"display_name", "title", "bio", "location", "timezone", "avatar_url", "working_hours"}
)


async def update_me(
    uow: UnitOfWork, clock: Clock, actor: Actor, changes: ProfileChanges, if_match: int | None
) -> User:
    user = await get_user(uow, actor.user_id)
    if if_match is not None and if_match != user.version:
        raise PreconditionFailed("The profile changed since you read it.")
    for name, value in changes.values.items():
        if name not in EDITABLE_PROFILE_FIELDS:
            raise ValidationFailed(f"{name} cannot be changed here.", field=name)
        if name == "display_name":
            if not isinstance(value, str) or not value.strip():
                raise ValidationFailed("The display name must not be blank.", field=name)
            value = value.strip()
        setattr(user, name, value)
    user.updated_at = clock.now()
    user.version += 1
    await uow.users.update(user)
    await uow.commit()
    return user


async def search_users(uow: UnitOfWork, q: str | None, page: PageRequest) -> PageResult[User]:
    return await uow.users.search(q.strip() if q and q.strip() else None, page)


PROFILE_SKILLS = 10  # the profile shows the strongest few; /users/{handle}/skills has them all


async def get_profile(uow: UnitOfWork, handle: str, viewer: Actor | None = None) -> UserProfile:
    """`stats` count only content the viewer can see (public content when there is no viewer)."""
    user = await uow.users.get_by_handle(handle.lower())
    if user is None or not user.is_active:
        raise NotFound("User not found.")
    skills = await uow.user_skills.top_for_user(user.id, PROFILE_SKILLS)
    evidence = await uow.user_skills.profile_evidence(
        user.id, viewer or Actor(user_id=uuid.UUID(int=0))
    )
    mentor_profile, mentees = await uow.mentorship.mentor_summary(user.id)
    stats = UserStats(
        posts=evidence.posts,
        accepted_answers=evidence.accepted_answers,
        endorsements_received=evidence.endorsements_received,
        mentees=mentees,
    )
    return UserProfile(user=user, skills=list(skills), mentor_profile=mentor_profile, stats=stats)


async def change_password(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    actor: Actor,
    current_password: str,
    new_password: str,
    *,
    keep_personal_tokens: bool = False,
) -> int:
    """Verify the current password, store the new one and end every session: access tokens
    issued before now and all refresh tokens. Personal access tokens are revoked too unless
    `keep_personal_tokens`. Returns how many personal tokens were revoked."""
    user = await get_user(uow, actor.user_id)
    if not await hasher.verify(user.password_hash, current_password):
        raise ValidationFailed("The current password is wrong.", field="current_password")
    check_password_policy(new_password, email=user.email, handle=user.handle)
    now = clock.now()
    user.password_hash = await hasher.hash(new_password)
    user.token_version += 1
    user.updated_at = now
    user.version += 1
    await uow.users.update(user)
    await uow.refresh_tokens.revoke_all_for_user(user.id, now)
    revoked = 0
    if not keep_personal_tokens:
        revoked = await uow.personal_tokens.revoke_all_for_user(user.id, now)
    await uow.commit()
    return revoked


async def authenticate(
    uow: UnitOfWork, hasher: PasswordHasher, email: str, password: str, dummy_hash: str
) -> User:
    """Check credentials with the same work and the same answer whether or not the email exists."""
    user = await uow.users.get_by_email(normalize_email(email))
    if user is None or not user.is_active:
        await hasher.verify(dummy_hash, password)
        raise Unauthenticated("Incorrect email or password.")
    if not await hasher.verify(user.password_hash, password):
        raise Unauthenticated("Incorrect email or password.")
    if hasher.needs_rehash(user.password_hash):
        user.password_hash = await hasher.hash(password)
        await uow.users.update(user)
    return user
