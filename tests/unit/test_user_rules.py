"""Pure user rules: handles and the password policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.users.model import check_password_policy, handle_base, validate_handle


@given(st.text(max_size=60), st.emails())
def test_handle_base_is_always_a_valid_handle(display_name, email):
    validate_handle(handle_base(display_name, email))


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("Ada Lovelace", "a@x.io", "ada-lovelace"),
        ("Zoë Ça", "z@x.io", "zoe-ca"),
        ("李", "li.wei@x.io", "li-wei"),
        ("!!", "q@x.io", "member"),
    ],
)
def test_handle_base_examples(name, email, expected):
    assert handle_base(name, email) == expected


@pytest.mark.parametrize("handle", ["ab", "-abc", "abc-", "ABC def", "a" * 31, "a.b.c"])
def test_invalid_handles(handle):
    with pytest.raises(ValidationFailed):
        validate_handle(handle)


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "password123",
        "Password123",
        "aaaaaaaaaaaa",
        "ababababab",
        "jane@example.com",
        "x" * 257,
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationFailed):
        check_password_policy(password, email="jane@example.com", handle="jane")


def test_a_long_unusual_password_is_fine():
    check_password_policy("correct horse battery staple", email="jane@example.com", handle="jane")
