"""Domain errors, raised by services and rules; api/errors.py maps them to problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a use case can raise on purpose."""

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


class NotFound(DomainError):
    """Missing, or invisible to the caller (the two are indistinguishable on purpose)."""


class Forbidden(DomainError):
    """The caller can see the thing but may not do this to it."""


class Unauthenticated(DomainError):
    """Credentials are missing, wrong, expired or revoked."""


class Conflict(DomainError):
    """The request conflicts with current state (duplicate, last steward, ...)."""


class InvalidState(Conflict):
    """A lifecycle transition that the state machine does not allow."""


class PreconditionFailed(DomainError):
    """If-Match did not match the current version."""


class Gone(DomainError):
    """What the client holds refers to history that is no longer kept (e.g. an old sync token)."""


class ValidationFailed(DomainError):
    """Well-formed but invalid values that only the domain can judge."""

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.field = field


class LinkRefused(DomainError):
    """The token of a mailed link (address verification, password reset) names no link that
    can be used now: unknown, used, expired, or for an address the account no longer uses.
    A refusal of what the token says, not of its form: `code` says which, and no request field
    is blamed (any well-formed token is valid input)."""


class RateLimited(DomainError):
    """A domain-level quota was exceeded (distinct from the HTTP rate limiter)."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Overloaded(DomainError):
    """Too much of some costly work is already under way; the client should retry shortly."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TooLarge(DomainError):
    """The content is larger than the deployment allows."""


class UnsupportedMedia(DomainError):
    """The content is of a type the product does not take."""
