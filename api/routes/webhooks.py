"""Webhooks: subscriptions of the organisation (`/webhooks`, administrators) and of a community
(`/communities/{slug}/webhooks`, its stewards), their deliveries, redelivery, ping and secret
rotation; and the event catalog, documented in the OpenAPI document's `webhooks` section.

Both scopes share one implementation: each route is registered once per scope, with the
dependency that says who the caller must be there. (No postponed annotations in this module:
the routes are built in a function, and FastAPI reads their annotations as objects.)"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status

from api.concurrency import (
    CONDITIONAL_GET,
    CONDITIONAL_WRITE,
    conditional_get,
    etag,
    if_match_version,
)
from api.deps import AdminPrincipal, ClockDep, CurrentPrincipal, UowDep, paginator_for
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.common import PageQuery, Text
from api.schemas.webhooks import (
    PAYLOADS,
    DeliveryPublic,
    WebhookCreate,
    WebhookPublic,
    WebhookUpdate,
    WebhookWithSecret,
)
from api.webhooks.delivery import WebhookDelivery
from auth.principal import Principal
from domain.webhooks import service as webhooks

router = ApiRouter(tags=["webhooks"])

Slug = Annotated[Text, Path(min_length=1, max_length=60, description="The community's slug.")]
WebhookId = Annotated[UUID, Path()]
DeliveryId = Annotated[UUID, Path()]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls, and for which webhooks: the organisation's (`slug` None) or a community's."""

    principal: Principal
    slug: str | None


async def organisation_caller(principal: AdminPrincipal) -> Caller:
    return Caller(principal, None)


async def community_caller(slug: Slug, principal: CurrentPrincipal) -> Caller:
    return Caller(principal, slug)


async def get_webhooks(request: Request) -> WebhookDelivery:
    delivery: WebhookDelivery = request.app.state.webhooks
    return delivery


WebhooksDep = Annotated[WebhookDelivery, Depends(get_webhooks)]


def _register(prefix: str, caller: Callable[..., Any], scope: str, audience: str) -> None:
    """The webhook routes under `prefix`, for callers given by `caller`. `scope` goes into the
    route names (operationIds): `` for the organisation, `community_` for a community."""
    Who = Annotated[Caller, Depends(caller)]
    base = f"{prefix}/webhooks"
    one = f"{base}/{{webhook_id}}"
    denied = (403, 404) if scope else (403,)

    def location(c: Caller, webhook_id: UUID) -> str:
        if c.slug is None:
            return f"/api/v1/webhooks/{webhook_id}"
        return f"/api/v1/communities/{c.slug}/webhooks/{webhook_id}"

    async def create(
        who: Who,
        body: WebhookCreate,
        request: Request,
        response: Response,
        uow: UowDep,
        clock: ClockDep,
        hooks: WebhooksDep,
    ) -> WebhookWithSecret:
        created = await webhooks.create_webhook(
            uow,
            clock,
            hooks.box,
            hooks.urls,
            who.principal,
            who.slug,
            webhooks.WebhookDraft(
                url=body.url,
                event_types=tuple(body.event_types),
                description=body.description,
                enabled=body.enabled,
                include_private_communities=body.include_private_communities,
            ),
        )
        response.headers["Location"] = location(who, created.webhook.id)
        public = WebhookWithSecret.with_secret(created.webhook, created.secret)
        response.headers["ETag"] = etag(created.webhook.version)
        return public

    async def list_(
        who: Who, request: Request, uow: UowDep, query: Annotated[PageQuery, Query()]
    ) -> Page[WebhookPublic]:
        paginator = paginator_for(request, query.limit, query.cursor)
        key = f"webhooks:{who.slug or ''}"
        result = await webhooks.list_webhooks(uow, who.principal, who.slug, paginator.request(key))
        return paginator.page(key, result, WebhookPublic.of)

    async def get(who: Who, webhook_id: WebhookId, request: Request, uow: UowDep) -> Response:
        found = await webhooks.get_webhook(uow, who.principal, who.slug, webhook_id)
        return conditional_get(request, found.version, WebhookPublic.of(found))

    async def update(
        who: Who,
        webhook_id: WebhookId,
        body: WebhookUpdate,
        request: Request,
        response: Response,
        uow: UowDep,
        clock: ClockDep,
        hooks: WebhooksDep,
    ) -> WebhookPublic:
        changed = await webhooks.update_webhook(
            uow,
            clock,
            hooks.urls,
            who.principal,
            who.slug,
            webhook_id,
            body.model_dump(exclude_unset=True),
            if_match_version(request),
        )
        public = WebhookPublic.of(changed)
        response.headers["ETag"] = etag(changed.version, public)
        return public

    async def delete(who: Who, webhook_id: WebhookId, uow: UowDep) -> Response:
        await webhooks.delete_webhook(uow, who.principal, who.slug, webhook_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    async def rotate(
        who: Who, webhook_id: WebhookId, uow: UowDep, clock: ClockDep, hooks: WebhooksDep
    ) -> WebhookWithSecret:
        rotated = await webhooks.rotate_secret(
            uow, clock, hooks.box, who.principal, who.slug, webhook_id
        )
        return WebhookWithSecret.with_secret(rotated.webhook, rotated.secret)

    async def deliveries(
        who: Who,
        webhook_id: WebhookId,
        request: Request,
        uow: UowDep,
        query: Annotated[PageQuery, Query()],
    ) -> Page[DeliveryPublic]:
        paginator = paginator_for(request, query.limit, query.cursor)
        key = f"webhook-deliveries:{webhook_id}"
        result = await webhooks.list_deliveries(
            uow, who.principal, who.slug, webhook_id, paginator.request(key)
        )
        return paginator.page(key, result, DeliveryPublic.of)

    async def redeliver(
        who: Who,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
        uow: UowDep,
        clock: ClockDep,
        hooks: WebhooksDep,
    ) -> DeliveryPublic:
        delivery = await webhooks.redeliver(
            uow, clock, who.principal, who.slug, webhook_id, delivery_id
        )
        await hooks.kick([delivery.id])
        return DeliveryPublic.of(delivery)

    async def ping(
        who: Who, webhook_id: WebhookId, uow: UowDep, clock: ClockDep, hooks: WebhooksDep
    ) -> DeliveryPublic:
        delivery = await webhooks.ping(uow, clock, who.principal, who.slug, webhook_id)
        await hooks.kick([delivery.id])
        return DeliveryPublic.of(delivery)

    create.__doc__ = (
        f"Subscribe a receiver ({audience}). The answer carries the signing `secret`, shown only "
        "here. Honours Idempotency-Key."
    )
    list_.__doc__ = "Newest first."
    get.__doc__ = "With an ETag."
    update.__doc__ = "Send If-Match with the ETag you read: 412 when it changed meanwhile."
    delete.__doc__ = "The webhook and its deliveries go; nothing more is sent."
    rotate.__doc__ = (
        "A new secret, shown only in this answer. The previous one keeps signing beside it for "
        "24 hours (webhook-signature then carries both signatures)."
    )
    deliveries.__doc__ = (
        "Deliveries, newest first, each with its tries: status code, duration and the first "
        "kilobyte of the answer."
    )
    redeliver.__doc__ = (
        "Send the delivery again now (same body, same webhook-id); 202: the try runs in the "
        "background, see the deliveries."
    )
    ping.__doc__ = "Send a `webhook.ping` message now (202: see the deliveries for the answer)."

    add = router.add_api_route
    add(
        base,
        create,
        methods=["POST"],
        name=f"create_{scope}webhook",
        status_code=status.HTTP_201_CREATED,
        responses=problem_responses(*denied),
        dependencies=[Idempotent],
    )
    add(
        base,
        list_,
        methods=["GET"],
        name=f"list_{scope}webhooks",
        responses=problem_responses(*denied),
    )
    add(
        one,
        get,
        methods=["GET"],
        name=f"get_{scope}webhook",
        response_model=WebhookPublic,
        responses=problem_responses(403, 404),
        openapi_extra=CONDITIONAL_GET,
    )
    add(
        one,
        update,
        methods=["PATCH"],
        name=f"update_{scope}webhook",
        responses=problem_responses(403, 404, 412),
        openapi_extra=CONDITIONAL_WRITE,
    )
    add(
        one,
        delete,
        methods=["DELETE"],
        name=f"delete_{scope}webhook",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
        responses=problem_responses(403, 404),
    )
    add(
        f"{one}/rotate-secret",
        rotate,
        methods=["POST"],
        name=f"rotate_{scope}webhook_secret",
        responses=problem_responses(403, 404),
    )
    add(
        f"{one}/deliveries",
        deliveries,
        methods=["GET"],
        name=f"list_{scope}webhook_deliveries",
        responses=problem_responses(403, 404),
    )
    add(
        f"{one}/deliveries/{{delivery_id}}/redeliver",
        redeliver,
        methods=["POST"],
        name=f"redeliver_{scope}webhook_delivery",
        status_code=status.HTTP_202_ACCEPTED,
        responses=problem_responses(403, 404, 409),
    )
    add(
        f"{one}/ping",
        ping,
        methods=["POST"],
        name=f"ping_{scope}webhook",
        status_code=status.HTTP_202_ACCEPTED,
        responses=problem_responses(403, 404, 409),
    )


_register("", organisation_caller, "", "administrators: every community's events")
_register(
    "/communities/{slug}",
    community_caller,
    "community_",
    "the community's stewards: its events only",
)


# --- the event catalog, for the OpenAPI document's `webhooks` section ------------------------

catalog = APIRouter()

SIGNATURE_HEADERS = {
    "webhook_id": "The delivery's id: the same on every try; use it to skip duplicates.",
    "webhook_timestamp": "Seconds since the Unix epoch when this try was signed.",
    "webhook_signature": "`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per valid "
    "secret, separated by spaces.",
}
EVENT_DOCS = {
    "post.created": "A post was published in a community.",
    "comment.created": "A post got a comment (or a reply).",
    "answer.accepted": "A question's author or a moderator accepted an answer.",
    "reaction.added": "Someone reacted to a post or a comment.",
    "membership.approved": "A join request was approved: the person is now a member.",
    "webhook.ping": "Sent by POST …/ping, to every webhook whatever its event types.",
}


def _document(event_type: str, model: type[Any]) -> None:
    async def receive(
        body: model,  # type: ignore[valid-type]
        webhook_id: Annotated[
            str, Header(alias="webhook-id", description=SIGNATURE_HEADERS["webhook_id"])
        ],
        webhook_timestamp: Annotated[
            str,
            Header(alias="webhook-timestamp", description=SIGNATURE_HEADERS["webhook_timestamp"]),
        ],
        webhook_signature: Annotated[
            str,
            Header(alias="webhook-signature", description=SIGNATURE_HEADERS["webhook_signature"]),
        ],
    ) -> None:
        """What your receiver gets."""

    receive.__doc__ = (
        f"{EVENT_DOCS[event_type]} Signed per Standard Webhooks (headers webhook-id, "
        "webhook-timestamp, webhook-signature). Answer 2xx within 10 seconds; anything else "
        "is tried again (8 tries over about a day)."
    )
    catalog.add_api_route(
        event_type,
        receive,
        methods=["POST"],
        name=f"{event_type.replace('.', '_')}_v1",
        operation_id="".join(p.capitalize() for p in event_type.split(".")) + "V1",
        summary=f"{event_type} (version 1)",
        status_code=200,
        response_class=Response,
        responses={200: {"description": "Any 2xx: received."}},
    )


for _type, _model in PAYLOADS.items():
    _document(_type, _model)
