"""The authenticated caller: a domain Actor plus what the presented token allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from auth.tokens import AccessClaims
from domain.actor import Actor
from domain.errors import Forbidden, Unauthenticated
from domain.users.model import Role, Scope, User


class TokenKind(StrEnum):
    access = "access"
    personal = "personal"


def scopes_for(user: User) -> frozenset[Scope]:
    """What an interactive session may do: everything the user's role allows."""
    if user.role is Role.admin:
        return frozenset({Scope.read, Scope.write, Scope.admin})
    return frozenset({Scope.read, Scope.write})


@dataclass(frozen=True, slots=True)
class Principal(Actor):
    """`is_admin` (what the domain reads as `actor.is_admin`) means administrator powers: the
    account is an administrator *and* the credential carries `admin`. `for_account` is where
    that is decided, for access tokens and personal tokens alike."""

    scopes: frozenset[Scope] = frozenset()
    token_kind: TokenKind = TokenKind.access
    token_id: UUID | None = None
    # The account as loaded while checking the token, so a request need not read it twice.
    user: User | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Both spellings of "administrator powers" must agree, whichever one a rule reads.
        if self.is_admin != (Scope.admin in self.scopes):
            raise ValueError("is_admin must be true exactly when the scopes include 'admin'")

    @classmethod
    def for_access_token(cls, claims: AccessClaims, account: User | None) -> Principal:
        """The principal of a verified access token, given the account it names as read now
        (None when there is none): the account must exist, be active and still carry the
        token's version (a password change or "sign out everywhere" bumps it)."""
        if (
            account is None
            or account.id != claims.user_id
            or not account.is_active
            or account.token_version != claims.token_version
        ):
            raise Unauthenticated("The access token is invalid or expired.")
        # Unknown scope names in a token are ignored, not errors.
        granted = frozenset(Scope(s) for s in claims.scopes if s in Scope.__members__)
        return cls.for_account(account, granted)

    @classmethod
    def for_account(
        cls,
        account: User,
        granted: frozenset[Scope],
        token_kind: TokenKind = TokenKind.access,
        token_id: UUID | None = None,
    ) -> Principal:
        """What a credential granting `granted` may do for `account`: never more than the
        account's role allows (a demoted admin's old `admin` token loses it), and administrator
        powers only when the credential itself carries `admin`."""
        scopes = granted & scopes_for(account)
        return cls(
            user_id=account.id,
            is_admin=Scope.admin in scopes,
            scopes=scopes,
            token_kind=token_kind,
            token_id=token_id,
            user=account,
        )

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    def require(self, scope: Scope) -> Principal:
        if not self.allows(scope):
            raise Forbidden(f"This token lacks the '{scope.value}' scope.")
        return self

    def require_session(self) -> Principal:
        """Credentials are managed from a signed-in session, never with a personal token: a
        leaked integration token must not mint others, list them or change the password."""
        if self.token_kind is not TokenKind.access:
            raise Forbidden(
                "Personal access tokens cannot manage credentials: sign in with your password "
                "and use that session's access token.",
                code="session_required",
            )
        return self
