"""The caller's inbox, its preferences, and watching posts.

The inbox answers at `/me/notifications...` and, as API.md names it, at `/notifications...`:
the same routes under two paths (distinct operation ids)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Body, Depends, Form, Header, Path, Query, Request, Response, status
from pydantic import Field
from sse_starlette import EventSourceResponse

from api.concurrency import (
    CONDITIONAL_WRITE,
    CONDITIONAL_WRITE_NO_CONTENT,
    if_match_current,
    representation_tag,
)
from api.deps import (
    ClockDep,
    CurrentPrincipal,
    StreamActor,
    UowDep,
    paginator_for,
    short_unit,
)
from api.live import LiveHub, stream_events
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageCursor, PageLimit, QueryModel, Text
from api.schemas.notifications import (
    NotificationPreferences,
    NotificationPreferencesUpdate,
    NotificationPublic,
    NotificationSettings,
    NotificationSettingsUpdate,
    PostWatchPublic,
    ReadAll,
    StreamTicketPublic,
    UnreadCount,
    UnsubscribePublic,
    UnsubscribeQuery,
)
from domain.digests import service as mailing
from domain.digests.model import SettingsChange, Unsubscribe
from domain.digests.ports import UnsubscribeTokens
from domain.notifications import service as notifications
from domain.notifications.model import ChannelChange
from domain.posts import service as posts

router = ApiRouter(tags=["notifications"])
# The web app's own /unsubscribe answers the one-click POST too (RFC 8058: mail clients POST to
# the URL in List-Unsubscribe, and the first one there is that page).
page_router = ApiRouter(include_in_schema=False)

NotificationId = Annotated[UUID, Path(description="The notification's id.")]
PostId = Annotated[UUID, Path(description="The post's id.")]
NO_CONTENT = status.HTTP_204_NO_CONTENT


class NotificationsQuery(QueryModel):
    unread: bool = Field(False, description="Only the notifications you have not read.")
    limit: PageLimit = 20
    cursor: PageCursor = None


@router.get(
    "/notifications", name="list_inbox", responses=problem_responses(400, 401, 403, 422, 429)
)
@router.get("/me/notifications", responses=problem_responses(400, 401, 403, 422, 429))
async def list_notifications(
    request: Request,
    uow: UowDep,
    principal: CurrentPrincipal,
    query: Annotated[NotificationsQuery, Query()],
) -> Page[NotificationPublic]:
    """Your inbox, newest first. Repeated events on one subject are one line (`count`,
    `actors`); a line moves to the top when an event joins it. Notifications about a private
    community you left are not listed."""
    paginator = paginator_for(request, query.limit, query.cursor)
    scope = f"me.notifications:{int(query.unread)}"
    result = await notifications.inbox(uow, principal, query.unread, paginator.request(scope))
    return paginator.page(scope, result, NotificationPublic.of)


@router.get(
    "/notifications/unread-count",
    name="count_unread_inbox",
    responses=problem_responses(401, 403, 429),
)
@router.get("/me/notifications/unread-count", responses=problem_responses(401, 403, 429))
async def count_unread_notifications(uow: UowDep, principal: CurrentPrincipal) -> UnreadCount:
    """How many lines of your inbox are unread (a grouped line counts once)."""
    return UnreadCount(unread=await notifications.unread_count(uow, principal))


@router.post(
    "/notifications/{notification_id}/read",
    name="read_inbox_item",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
@router.post(
    "/me/notifications/{notification_id}/read",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def read_notification(
    notification_id: NotificationId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Idempotent. Someone else's notification is 404. Your open streams (other tabs and
    devices) get the new `unread_count`."""
    await notifications.mark_read(uow, clock, principal, notification_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/notifications/read-all",
    name="read_whole_inbox",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 422, 429),
)
@router.post(
    "/me/notifications/read-all",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 422, 429),
)
async def read_all_notifications(
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    body: Annotated[ReadAll | None, Body()] = None,
) -> Response:
    """Marks read `up_to` and everything older, so that what arrived meanwhile stays unread
    (ids are time-ordered; a line an event joined since has a newer id). Your open streams
    get the new `unread_count` when anything was unread."""
    await notifications.mark_all_read(uow, clock, principal, body.up_to if body else None)
    return Response(status_code=NO_CONTENT)


STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A Server-Sent Events stream (text/event-stream) that stays open. Events: "
        '`unread_count` (data: `{"unread": n}`), first on connect and after each change; '
        "`notification` (id: the line's id; data: the line as GET /me/notifications lists "
        "it, a NotificationPublic). A comment every 15 seconds keeps the connection alive.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    **problem_responses(401, 403, 422, 429),
}


@router.get(
    "/notifications/stream",
    name="stream_inbox",
    response_class=EventSourceResponse,
    responses=STREAM_RESPONSES,
)
@router.get(
    "/me/notifications/stream", response_class=EventSourceResponse, responses=STREAM_RESPONSES
)
async def stream_notifications(
    request: Request,
    actor: StreamActor,
    last_event_id: Annotated[
        UUID | None,
        Header(
            alias="Last-Event-ID",
            description="The id of the last `notification` event received: every line newer "
            "than it (up to 200) is sent first (EventSource sends it when it reconnects).",
        ),
    ] = None,
) -> EventSourceResponse:
    """Your notifications as they happen, from any server process, within a second. Sign in
    with the Authorization header, or, where headers cannot be sent (EventSource), with
    `?ticket=` from POST /me/notifications/stream-ticket. A line that an event joins is sent
    again under a new id. The stream ends when the account's sessions end (a password change,
    or anything else that revokes its access tokens) or it is deactivated: within a second in
    every server process."""
    hub: LiveHub = request.app.state.live
    return EventSourceResponse(
        stream_events(hub, lambda: short_unit(request, read_only=True), actor, last_event_id),
        ping=request.app.state.settings.stream_heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/notifications/stream-ticket",
    name="create_inbox_stream_ticket",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 429),
)
@router.post(
    "/me/notifications/stream-ticket",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 429),
)
async def create_stream_ticket(
    response: Response, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> StreamTicketPublic:
    """A ticket that opens your notification stream once within 60 seconds
    (`GET /me/notifications/stream?ticket=...`): for EventSource, which cannot send an
    Authorization header. Stored hashed; a used or expired ticket is 401."""
    ticket = await notifications.issue_stream_ticket(uow, clock, principal)
    response.headers["Location"] = "/api/v1/me/notifications/stream"
    return StreamTicketPublic(ticket=ticket.ticket, expires_at=ticket.expires_at)


@router.get("/me/notification-preferences", responses=problem_responses(401, 403, 429))
async def get_notification_preferences(
    uow: UowDep, principal: CurrentPrincipal
) -> NotificationPreferences:
    """For every kind, its channels. Defaults: in-app on; e-mail on for mentions, answers to
    your questions (comment_on_post mails comments on questions only), accepted answers,
    mentorship requests and decisions, invitations; push off. E-mail for a kind is sent within
    a minute, then at most once per ten minutes (what arrives meanwhile is collapsed into one
    mail), and never for what you have already read."""
    return NotificationPreferences.of(await notifications.preferences(uow, principal))


@router.put(
    "/me/notification-preferences",
    responses=problem_responses(401, 403, 412, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def set_notification_preferences(
    body: NotificationPreferencesUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    principal: CurrentPrincipal,
) -> NotificationPreferences:
    """Change some kinds' channels. With `in_app` off, that kind writes no inbox line.
    If-Match takes the ETag of the GET (412 when the preferences changed since)."""

    async def current() -> NotificationPreferences:
        return NotificationPreferences.of(await notifications.preferences(uow, principal))

    await if_match_current(request, current)
    changes = {
        item.kind: ChannelChange(in_app=item.in_app, email=item.email, push=item.push)
        for item in body.preferences
    }
    public = NotificationPreferences.of(
        await notifications.set_preferences(uow, principal, changes)
    )
    response.headers["ETag"] = representation_tag(public)
    return public


@router.get("/posts/{post_id}/watch", responses=problem_responses(401, 403, 404, 422, 429))
async def get_post_watch(
    post_id: PostId, uow: UowDep, principal: CurrentPrincipal
) -> PostWatchPublic:
    """Whether you watch the post (are told of every new comment), and why. A post you cannot
    see is 404, like the post itself."""
    return PostWatchPublic.of(await posts.watch_state(uow, principal, post_id))


@router.put(
    "/posts/{post_id}/watch",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 404, 412, 422, 429),
    openapi_extra=CONDITIONAL_WRITE_NO_CONTENT,
)
async def watch_post(
    post_id: PostId,
    request: Request,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> Response:
    """Be notified of every new comment (authors and commenters watch automatically).
    If-Match takes the ETag of the GET (412 when your watch changed since); the answer's ETag
    is the GET's from now on."""

    async def current() -> PostWatchPublic:
        return PostWatchPublic.of(await posts.watch_state(uow, principal, post_id))

    await if_match_current(request, current)
    await posts.watch_post(uow, clock, principal, post_id)
    tag = representation_tag(await current())
    return Response(status_code=NO_CONTENT, headers={"ETag": tag})


@router.delete(
    "/posts/{post_id}/watch",
    status_code=NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def unwatch_post(
    post_id: PostId, uow: UowDep, clock: ClockDep, principal: CurrentPrincipal
) -> Response:
    """Stop being notified of new comments, even after commenting again."""
    await posts.unwatch_post(uow, clock, principal, post_id)
    return Response(status_code=NO_CONTENT)


@router.get("/me/notification-settings", responses=problem_responses(401, 403, 429))
async def get_notification_settings(
    uow: UowDep, principal: CurrentPrincipal
) -> NotificationSettings:
    """The e-mail digest and the two most asked-for e-mail switches. `email_on_mention` and
    `email_on_mentorship` are the same settings as the e-mail channel of those kinds in
    /me/notification-preferences."""
    return NotificationSettings.of(await mailing.notification_settings(uow, principal))


@router.put(
    "/me/notification-settings",
    responses=problem_responses(401, 403, 412, 422, 429),
    openapi_extra=CONDITIONAL_WRITE,
)
async def set_notification_settings(
    body: NotificationSettingsUpdate,
    request: Request,
    response: Response,
    uow: UowDep,
    principal: CurrentPrincipal,
) -> NotificationSettings:
    """Change the digest (`off`, `daily`, `weekly`) and the e-mail switches; a field left out
    keeps its setting. If-Match takes the ETag of the GET (412 when the settings changed
    since, here or through /me/notification-preferences)."""

    async def current() -> NotificationSettings:
        return NotificationSettings.of(await mailing.notification_settings(uow, principal))

    await if_match_current(request, current)
    change = SettingsChange(
        email_digest=body.email_digest,
        email_on_mention=body.email_on_mention,
        email_on_mentorship=body.email_on_mentorship,
    )
    public = NotificationSettings.of(
        await mailing.update_notification_settings(uow, principal, change)
    )
    response.headers["ETag"] = representation_tag(public)
    return public


def unsubscribe_tokens(request: Request) -> UnsubscribeTokens:
    tokens: UnsubscribeTokens = request.app.state.unsubscribe_tokens
    return tokens


TokensDep = Annotated[UnsubscribeTokens, Depends(unsubscribe_tokens)]
OneClick = Annotated[
    Text | None,
    Form(
        alias="List-Unsubscribe",
        max_length=40,
        description="`One-Click`, as mail clients send it (RFC 8058); optional.",
    ),
]


def _unsubscribed(request: Unsubscribe, done: bool) -> UnsubscribePublic:
    return UnsubscribePublic(
        category=request.topic.value, description=mailing.describe(request.topic), done=done
    )


@router.get("/unsubscribe", responses=problem_responses(422, 429))
async def describe_unsubscribe(
    tokens: TokensDep, query: Annotated[UnsubscribeQuery, Query()]
) -> UnsubscribePublic:
    """What the unsubscribe link of a mail would turn off, without turning it off (link
    scanners follow GET links). No sign-in: the signed token is the authorization. A token
    that was altered or made up is 422."""
    return _unsubscribed(mailing.read_unsubscribe(tokens, query.token), done=False)


@router.post("/unsubscribe", responses=problem_responses(404, 415, 422, 429))
async def unsubscribe(
    uow: UowDep,
    tokens: TokensDep,
    query: Annotated[UnsubscribeQuery, Query()],
    one_click: OneClick = None,
) -> UnsubscribePublic:
    """One-click unsubscribe (RFC 8058): turns off exactly what the mail's link names, the
    digest or the e-mail channel of the mail's notification kinds. No sign-in: the signed token
    names the person and the category and is good for nothing else. Takes the form body mail
    clients send (`List-Unsubscribe=One-Click`) or none. Repeating it is harmless; a token that
    was altered or made up is 422."""
    return _unsubscribed(await mailing.unsubscribe(uow, tokens, query.token), done=True)


@page_router.post("/unsubscribe")
async def unsubscribe_from_page(
    uow: UowDep,
    tokens: TokensDep,
    query: Annotated[UnsubscribeQuery, Query()],
    one_click: OneClick = None,
) -> UnsubscribePublic:
    """The one-click POST at the web app's /unsubscribe (the first List-Unsubscribe URL)."""
    return _unsubscribed(await mailing.unsubscribe(uow, tokens, query.token), done=True)
