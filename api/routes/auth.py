"""Registration, the OAuth2 password grant, refresh rotation and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Form, Query, Request, Response, status
from pydantic import Field

from api.deps import AuthDep, ClockDep, CurrentPrincipal, UowDep
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.auth import (
    LogoutRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    TokenResponse,
    VerifyEmailRequest,
)
from api.schemas.common import QueryModel, Secret, Text
from api.schemas.users import UserMe
from auth.service import TokenPair
from domain.accounts import service as accounts
from domain.errors import Forbidden, Unauthenticated
from domain.users.service import Registration

router = ApiRouter(prefix="/auth", tags=["auth"])

REFRESH_COOKIE = "leaderful_refresh"
COOKIE_PATH = "/api/v1/auth"
CSRF_HEADER = "x-requested-with"


def _set_refresh_cookie(request: Request, response: Response, raw: str, max_age: int) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        raw,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _token_response(
    request: Request, response: Response, pair: TokenPair, use_cookie: bool, max_age: int
) -> TokenResponse:
    if use_cookie:
        _set_refresh_cookie(request, response, pair.refresh_token, max_age)
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=None if use_cookie else pair.refresh_token,
        expires_in=pair.expires_in,
    )


class RegisterQuery(QueryModel):
    use_cookie: bool = Field(
        False, description="Set the refresh token as an httpOnly cookie (browsers)."
    )


class RefreshQuery(QueryModel):
    use_cookie: bool = Field(False, description="Read and rotate the refresh cookie.")


class LogoutQuery(QueryModel):
    use_cookie: bool = False


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 413, 415, 422, 429, 503),
)
async def register(
    body: RegisterRequest,
    request: Request,
    uow: UowDep,
    auth: AuthDep,
    response: Response,
    query: Annotated[RegisterQuery, Query()],
) -> RegisterResponse:
    """Create an account and sign in. The first account of an empty instance is an admin.
    The account works at once; a link to verify the address is mailed (the first account's
    address counts as verified). Limited per IP, like sign-in."""
    user, pair = await auth.register(
        uow,
        Registration(
            email=str(body.email),
            password=body.password,
            display_name=body.display_name,
            handle=body.handle,
        ),
    )
    response.headers["Location"] = f"/api/v1/users/{user.handle}"
    tokens = _token_response(
        request, response, pair, query.use_cookie, int(auth.refresh_lifetime.total_seconds())
    )
    return RegisterResponse(user=UserMe.from_user(user), **tokens.model_dump())


@router.post("/token", responses=problem_responses(401, 413, 415, 422, 429, 503))
async def create_token(
    request: Request,
    response: Response,
    uow: UowDep,
    auth: AuthDep,
    username: Annotated[Text, Form(max_length=320, description="The account's email.")],
    password: Annotated[Secret, Form(max_length=256)],
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
    use_cookie: Annotated[
        bool, Form(description="Set the refresh token as an httpOnly cookie (browsers).")
    ] = False,
) -> TokenResponse:
    """OAuth2 password grant. Unknown email and wrong password answer the same."""
    pair = await auth.login(uow, username, password)
    max_age = int(auth.refresh_lifetime.total_seconds())
    return _token_response(request, response, pair, use_cookie, max_age)


def _cookie_token(request: Request) -> str:
    if request.headers.get(CSRF_HEADER) is None:
        raise Forbidden("Cookie refreshes need the X-Requested-With header.")
    raw = request.cookies.get(REFRESH_COOKIE)
    if not raw:
        raise Unauthenticated("There is no refresh cookie; sign in again.")
    return raw


@router.post("/refresh", responses=problem_responses(401, 403, 413, 415, 422, 429))
async def refresh_token(
    request: Request,
    response: Response,
    uow: UowDep,
    auth: AuthDep,
    query: Annotated[RefreshQuery, Query()],
    body: Annotated[RefreshRequest | None, Body()] = None,
) -> TokenResponse:
    """Rotate: the presented refresh token dies; reusing it revokes its whole family."""
    use_cookie = query.use_cookie
    if use_cookie:
        raw = _cookie_token(request)
    elif body is not None and body.refresh_token:
        raw = body.refresh_token
    else:
        raise Unauthenticated("Send the refresh_token.")
    pair = await auth.refresh(uow, raw)
    max_age = int(auth.refresh_lifetime.total_seconds())
    return _token_response(request, response, pair, use_cookie, max_age)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 413, 415, 422, 429),
)
async def logout(
    request: Request,
    uow: UowDep,
    auth: AuthDep,
    principal: CurrentPrincipal,
    query: Annotated[LogoutQuery, Query()],
    body: Annotated[LogoutRequest | None, Body()] = None,
) -> Response:
    """Revoke the refresh token's family (this device's session)."""
    use_cookie = query.use_cookie
    raw = _cookie_token(request) if use_cookie else (body.refresh_token if body else None)
    await auth.logout(uow, principal, raw)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    if use_cookie:
        response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


@router.post(
    "/verify-email",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 413, 415, 422, 429),
)
async def verify_email(body: VerifyEmailRequest, uow: UowDep, clock: ClockDep) -> Response:
    """Confirm an address with the token of the mailed link (single use, 24 hours). No
    sign-in needed. An unknown, used, expired or outdated token is a 422 whose `code` says
    which (token_invalid, token_used, token_expired, token_stale)."""
    await accounts.verify_email(uow, clock, body.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses={
        202: {"description": "If an account has this address, a reset link is on its way."},
        **problem_responses(413, 415, 422, 429),
    },
)
async def request_password_reset(
    body: PasswordResetRequest, uow: UowDep, clock: ClockDep
) -> Response:
    """Mail a password reset link (single use, valid one hour) to the account with this
    address. The answer is the same, in the same time, whether or not there is one."""
    await accounts.request_password_reset(uow, clock, str(body.email))
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 413, 415, 422, 429, 503),
)
async def confirm_password_reset(
    body: PasswordResetConfirm, uow: UowDep, auth: AuthDep, clock: ClockDep
) -> Response:
    """Set a new password with the token of the mailed link. Every session ends, as after a
    password change: refresh tokens, access tokens issued before now and personal access
    tokens stop working. A bad token is a 422 with a `code` as for verify-email."""
    await accounts.confirm_password_reset(uow, auth.hasher, clock, body.token, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
