"""The caller's own account (/me), personal access tokens, and the people directory."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Request, Response, status
from pydantic import Field

from api.concurrency import (
    CONDITIONAL_GET,
    CONDITIONAL_WRITE,
    conditional_get,
    etag,
    if_match_version,
)
from api.deps import (
    AuthDep,
    ClockDep,
    CurrentPrincipal,
    PaginatorDep,
    SessionPrincipal,
    UowDep,
    paginator_for,
)
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel, Text
from api.schemas.users import (
    EmailChange,
    MeUpdate,
    PasswordChange,
    PersonalTokenCreate,
    PersonalTokenCreated,
    PersonalTokenPublic,
    UserMe,
    UserProfilePublic,
    UserSummary,
)
from auth import personal_tokens
from domain.accounts import service as accounts
from domain.users import service as users
from domain.users.model import Scope

router = ApiRouter(tags=["users"])

HandlePath = Annotated[Text, Path(min_length=1, max_length=30)]


@router.get(
    "/me",
    response_model=UserMe,
    responses=problem_responses(401, 403, 429),
    openapi_extra=CONDITIONAL_GET,
)
async def get_me(request: Request, uow: UowDep, principal: CurrentPrincipal) -> Response:
    user = principal.user or await users.get_user(uow, principal.user_id)
    return conditional_get(request, user.version, UserMe.from_user(user))


@router.patch(
    "/me",
    responses=problem_responses(401, 403, 412, 413, 415, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def update_me(
    request: Request,
    response: Response,
    body: MeUpdate,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> UserMe:
    changes = users.ProfileChanges(body.changes())
    user = await users.update_me(uow, clock, principal, changes, if_match_version(request))
    public = UserMe.from_user(user)
    response.headers["ETag"] = etag(user.version, public)
    return public


TOKENS_REVOKED_HEADER = "Personal-Tokens-Revoked"


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        204: {
            "description": "Changed. Every session has ended.",
            "headers": {
                TOKENS_REVOKED_HEADER: {
                    "description": "How many personal access tokens were revoked "
                    "(0 with keep_personal_tokens).",
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
        },
        **problem_responses(401, 403, 413, 415, 422, 429, 503),
    },
)
async def change_password(
    body: PasswordChange,
    uow: UowDep,
    auth: AuthDep,
    clock: ClockDep,
    principal: SessionPrincipal,
) -> Response:
    """Needs a session token. Every refresh token and every access token issued before this
    stops working, and every personal access token too unless `keep_personal_tokens`."""
    revoked = await users.change_password(
        uow,
        auth.hasher,
        clock,
        principal,
        body.current_password,
        body.new_password,
        keep_personal_tokens=body.keep_personal_tokens,
    )
    return Response(
        status_code=status.HTTP_204_NO_CONTENT, headers={TOKENS_REVOKED_HEADER: str(revoked)}
    )


@router.put(
    "/me/email",
    responses=problem_responses(401, 403, 409, 412, 413, 415, 422, 429, 503),
    openapi_extra=CONDITIONAL_WRITE,
)
async def change_email(
    body: EmailChange,
    request: Request,
    response: Response,
    uow: UowDep,
    auth: AuthDep,
    clock: ClockDep,
    principal: SessionPrincipal,
) -> UserMe:
    """Needs a session token and the current password (wrong: 422 on `current_password`, as
    for a password change; an address another account has: 409). The new address is
    unverified until its mailed link is used, any undeliverable mark is cleared, and the old
    address gets a notice. If-Match takes the ETag of GET /me (412 when the account changed
    since)."""
    user = await accounts.change_email(
        uow,
        auth.hasher,
        clock,
        principal,
        str(body.email),
        body.current_password,
        if_match_version(request),
    )
    public = UserMe.from_user(user)
    response.headers["ETag"] = etag(user.version, public)
    return public


@router.post(
    "/me/email/verification",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses={
        202: {"description": "A new verification link is on its way."},
        **problem_responses(401, 403, 409, 429),
    },
)
async def resend_email_verification(
    uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Mail a new verification link to the current address (earlier links stop working).
    At most 5 verification e-mails an hour (429 with Retry-After); 409 when already
    verified."""
    await accounts.resend_verification(uow, clock, principal)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/me/tokens",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 413, 415, 422, 429),
    dependencies=[Idempotent],
)
async def create_personal_token(
    body: PersonalTokenCreate,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: SessionPrincipal,
) -> PersonalTokenCreated:
    """Needs a session token (a personal token gets 403). The secret `token` is in this
    response only; we keep just its hash. At most 20 per hour (429) and 100 active (422).
    A retry with the same Idempotency-Key answers the same token again instead of a second
    one (the stored answer is kept encrypted)."""
    token, raw = await personal_tokens.create_personal_token(
        uow,
        clock,
        principal,
        body.name,
        frozenset(Scope(s) for s in body.scopes),
        body.expires_in_days,
    )
    response.headers["Location"] = f"/api/v1/me/tokens/{token.id}"
    public = PersonalTokenPublic.of(token)
    return PersonalTokenCreated(
        id=public.id,
        name=public.name,
        scopes=public.scopes,
        token=raw,
        created_at=public.created_at,
        expires_at=public.expires_at,
    )


@router.get("/me/tokens", responses=problem_responses(400, 401, 403, 422, 429))
async def list_personal_tokens(
    uow: UowDep, principal: SessionPrincipal, paginator: PaginatorDep
) -> Page[PersonalTokenPublic]:
    """Needs a session token. `last_used_at` is recorded to the minute."""
    scope = "me.tokens"
    result = await personal_tokens.list_personal_tokens(uow, principal, paginator.request(scope))
    return paginator.page(scope, result, PersonalTokenPublic.of)


@router.delete(
    "/me/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def revoke_personal_token(
    token_id: UUID, uow: UowDep, clock: ClockDep, principal: SessionPrincipal
) -> Response:
    """Needs a session token; the revoked token stops working at once."""
    await personal_tokens.revoke_personal_token(uow, clock, principal, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class UsersQuery(QueryModel):
    q: Annotated[Text | None, Field(max_length=100, description="Prefix of a name or handle.")] = (
        None
    )
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get("/users", responses=problem_responses(400, 401, 403, 422, 429))
async def list_users(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[UsersQuery, Query()],
) -> Page[UserSummary]:
    q = query.q
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"users:{(q or '').strip().lower()}"
    result = await users.search_users(uow, q, paginator.request(scope))
    return paginator.page(scope, result, UserSummary.of)


@router.get("/users/{handle}", responses=problem_responses(401, 403, 404, 422, 429))
async def get_user(
    handle: HandlePath, uow: UowDep, principal: CurrentPrincipal
) -> UserProfilePublic:
    profile = await users.get_profile(uow, handle, principal)
    return UserProfilePublic.of_profile(profile)
