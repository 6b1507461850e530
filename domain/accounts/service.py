"""Account flows that go through the person's mailbox: verifying an address (at registration and
after a change), changing the address, and resetting a forgotten password.

Every mailed link carries a single-use token (domain.accounts.model). The account works at once
whether or not its address is verified; what waits for verification is mail other than account
mail (domain.mail.model.may_receive).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from domain.accounts.model import (
    LIFETIMES,
    LINK_STALE,
    VERIFICATION_MAILS_PER_HOUR,
    AccountToken,
    TokenPurpose,
    check_usable,
    new_token,
    token_hash,
)
from domain.actor import Actor
from domain.clock import Clock
from domain.errors import (
    Conflict,
    LinkRefused,
    PreconditionFailed,
    RateLimited,
    ValidationFailed,
)
from domain.events.model import EventType
from domain.events.service import record
from domain.mail.model import MailCategory, MailMessage
from domain.mail.service import send_mail
from domain.ports import UnitOfWork
from domain.users.model import User, check_password_policy, normalize_email
from domain.users.ports import PasswordHasher
from domain.users.service import get_user

HOUR = timedelta(hours=1)


async def _issue(uow: UnitOfWork, clock: Clock, user: User, purpose: TokenPurpose) -> str:
    """A new token for `purpose` (older unused ones stop working); the raw value to mail."""
    now = clock.now()
    await uow.account_tokens.retire(user.id, purpose, now)
    raw = new_token(purpose)
    await uow.account_tokens.add(
        AccountToken(
            id=uuid.uuid4(),
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(raw),
            email=user.email,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return raw


async def start_verification(uow: UnitOfWork, clock: Clock, user: User) -> None:
    """Mail a verification link to the person's current address. Does not commit."""
    raw = await _issue(uow, clock, user, TokenPurpose.verify_email)
    await send_mail(
        uow,
        clock,
        MailMessage(
            template="verify_email",
            category=MailCategory.account,
            to_user_id=user.id,
            to_address=user.email,
            context={"token": raw},
        ),
    )


async def resend_verification(uow: UnitOfWork, clock: Clock, actor: Actor) -> None:
    """Another verification link; at most VERIFICATION_MAILS_PER_HOUR an hour (429)."""
    user = await get_user(uow, actor.user_id)
    if user.email_verified_at is not None:
        raise Conflict("Your address is already verified.", code="already_verified")
    now = clock.now()
    await uow.users.lock(user.id)  # two resends at once count one after the other
    sent = await uow.account_tokens.created_since(user.id, TokenPurpose.verify_email, now - HOUR)
    if len(sent) >= VERIFICATION_MAILS_PER_HOUR:
        wait = sent[-VERIFICATION_MAILS_PER_HOUR] + HOUR - now
        raise RateLimited(
            "Several verification e-mails were sent in the last hour; check your inbox and "
            "spam folder, or try again later.",
            retry_after=max(1, int(wait.total_seconds()) + 1),
        )
    await start_verification(uow, clock, user)
    await uow.commit()


async def verify_email(uow: UnitOfWork, clock: Clock, raw: str) -> None:
    """Confirm the address the link was mailed to. No sign-in needed: the link is the proof."""
    now = clock.now()
    token = check_usable(
        await uow.account_tokens.get_by_hash(token_hash(raw)), TokenPurpose.verify_email, now
    )
    user = await get_user(uow, token.user_id)
    if token.email != user.email:
        raise LinkRefused(LINK_STALE, code="token_stale")
    if not await uow.account_tokens.use(token.id, now):
        check_usable(None, TokenPurpose.verify_email, now)
    if user.email_verified_at is None:
        user.email_verified_at = now
        user.updated_at = now
        user.version += 1
        await uow.users.update(user)
    await uow.commit()


async def change_email(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    clock: Clock,
    actor: Actor,
    new_email: str,
    current_password: str,
    if_match: int | None = None,
) -> User:
    """Move the account to `new_email` (unverified, a verification link mailed there, a notice
    to the old address). A wrong password is a 422 on `current_password`, as for a password
    change; an address another account uses is a 409; `if_match`, the account's version the
    caller read (412 when it changed since)."""
    user = await get_user(uow, actor.user_id)
    if if_match is not None and if_match != user.version:
        raise PreconditionFailed("Your account changed since you read it.")
    if not await hasher.verify(user.password_hash, current_password):
        raise ValidationFailed("The current password is wrong.", field="current_password")
    email = normalize_email(new_email)
    if email == user.email:
        raise ValidationFailed("This is already your address.", field="email")
    if await uow.users.get_by_email(email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    old = user.email
    now = clock.now()
    user.email = email
    user.email_verified_at = None
    user.email_undeliverable_at = None
    user.email_undeliverable_reason = None
    user.updated_at = now
    user.version += 1
    await uow.users.update(user)
    # Links mailed to the old address (verification, reset) stop working.
    await uow.account_tokens.retire(user.id, TokenPurpose.reset_password, now)
    await start_verification(uow, clock, user)
    await send_mail(
        uow,
        clock,
        MailMessage(
            template="email_changed",
            category=MailCategory.account,
            to_user_id=user.id,
            to_address=old,
            context={"new_address": email},
        ),
    )
    await uow.commit()
    return user


async def request_password_reset(uow: UnitOfWork, clock: Clock, email: str) -> None:
    """Queue the request, whoever the address belongs to: the answer, and its time, are the
    same whether or not an account has it. The lookup and the mail happen in a job
    (`mail_password_reset`)."""
    await record(
        uow,
        clock,
        EventType.password_reset_requested,
        actor_id=None,
        community_id=None,
        payload={"email": normalize_email(email)},
    )
    await uow.commit()


async def mail_password_reset(uow: UnitOfWork, clock: Clock, email: str) -> bool:
    """The job's part: when an active account has `email`, mail it a reset link (1 h). Does
    not commit (the event consumer does)."""
    user = await uow.users.get_by_email(normalize_email(email))
    if user is None or not user.is_active:
        return False
    raw = await _issue(uow, clock, user, TokenPurpose.reset_password)
    await send_mail(
        uow,
        clock,
        MailMessage(
            template="password_reset",
            category=MailCategory.account,
            to_user_id=user.id,
            to_address=user.email,
            context={"token": raw},
        ),
    )
    return True


async def confirm_password_reset(
    uow: UnitOfWork, hasher: PasswordHasher, clock: Clock, raw: str, new_password: str
) -> None:
    """Set a new password with a reset link and end every session, as a password change does
    (access tokens issued before now, refresh tokens, personal access tokens). Having read the
    mail proves the address too."""
    now = clock.now()
    token = check_usable(
        await uow.account_tokens.get_by_hash(token_hash(raw)), TokenPurpose.reset_password, now
    )
    user = await get_user(uow, token.user_id)
    if token.email != user.email:
        raise LinkRefused(LINK_STALE, code="token_stale")
    check_password_policy(new_password, email=user.email, handle=user.handle)
    password_hash = await hasher.hash(new_password)
    if not await uow.account_tokens.use(token.id, now):
        check_usable(None, TokenPurpose.reset_password, now)
    await uow.account_tokens.retire(user.id, TokenPurpose.reset_password, now)
    user.password_hash = password_hash
    user.token_version += 1
    user.email_verified_at = user.email_verified_at or now
    user.updated_at = now
    user.version += 1
    await uow.users.update(user)
    await uow.refresh_tokens.revoke_all_for_user(user.id, now)
    await uow.personal_tokens.revoke_all_for_user(user.id, now)
    await uow.commit()
