"""Confirming a verified access token against its account (Principal.for_access_token)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from auth.principal import Principal, TokenKind
from auth.tokens import AccessClaims
from domain.errors import Forbidden, Unauthenticated
from domain.users.model import Role, Scope, User

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ACCOUNT = User(
    id=uuid.uuid4(),
    email="ada@example.com",
    handle="ada",
    display_name="Ada",
    role=Role.member,
    password_hash="x",
    created_at=NOW,
    updated_at=NOW,
    token_version=3,
)


def claims(**changes: object) -> AccessClaims:
    base = AccessClaims(ACCOUNT.id, frozenset({"read", "write"}), 3, "jti", NOW, NOW)
    return replace(base, **changes)


def confirm(account: User | None, **changes: object) -> Principal:
    return Principal.for_access_token(claims(**changes), account)


def test_a_live_account_confirms_the_token_with_the_scopes_both_allow():
    principal = confirm(ACCOUNT)
    assert principal == Principal(
        user_id=ACCOUNT.id, is_admin=False, scopes=frozenset({Scope.read, Scope.write})
    )
    assert principal.user is ACCOUNT


@pytest.mark.parametrize(
    "account",
    [
        None,
        replace(ACCOUNT, is_active=False),
        replace(ACCOUNT, token_version=4),
        replace(ACCOUNT, id=uuid.uuid4()),
    ],
    ids=["no account", "deactivated", "signed out everywhere", "another account"],
)
def test_anything_but_the_live_account_is_unauthenticated(account):
    with pytest.raises(Unauthenticated):
        confirm(account)


def test_the_needed_scope_must_be_granted_by_the_token():
    with pytest.raises(Forbidden):
        confirm(ACCOUNT, scopes=frozenset({"read"})).require(Scope.write)
    # Unknown scope names in a token are ignored, not errors.
    assert confirm(ACCOUNT, scopes=frozenset({"read", "root"})).scopes == {Scope.read}


def test_the_admin_scope_needs_the_role_as_well_as_the_claim():
    claimed = frozenset({"read", "write", "admin"})
    member = confirm(ACCOUNT, scopes=claimed)
    assert not member.allows(Scope.admin)
    admin = confirm(replace(ACCOUNT, role=Role.admin), scopes=claimed)
    assert admin.is_admin and admin.allows(Scope.admin)


def test_administrator_powers_need_the_admin_role_and_the_admin_scope():
    admin = replace(ACCOUNT, role=Role.admin)
    without = confirm(admin, scopes=frozenset({"read", "write"}))
    assert not without.is_admin and not without.allows(Scope.admin)
    # Personal tokens go through the same rule.
    for granted in ({Scope.read}, {Scope.read, Scope.write}):
        token = Principal.for_account(admin, frozenset(granted), TokenKind.personal)
        assert not token.is_admin
    token = Principal.for_account(admin, frozenset(Scope), TokenKind.personal)
    assert token.is_admin and token.allows(Scope.admin)
    # A demoted administrator's old `admin` token keeps no trace of it.
    demoted = Principal.for_account(ACCOUNT, frozenset(Scope), TokenKind.personal)
    assert not demoted.is_admin and demoted.scopes == {Scope.read, Scope.write}


def test_administrator_powers_without_the_admin_scope_cannot_be_built():
    with pytest.raises(ValueError, match="admin"):
        Principal(user_id=ACCOUNT.id, is_admin=True, scopes=frozenset({Scope.read}))
    with pytest.raises(ValueError, match="admin"):
        Principal(user_id=ACCOUNT.id, scopes=frozenset({Scope.read, Scope.admin}))


def test_only_session_tokens_manage_credentials():
    session = confirm(ACCOUNT)
    assert session.require_session() is session
    token = Principal.for_account(ACCOUNT, frozenset({Scope.read}), TokenKind.personal)
    with pytest.raises(Forbidden, match="session"):
        token.require_session()
