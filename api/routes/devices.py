"""Devices that receive push notifications: the caller's own Web Push subscriptions and native
app tokens, and the Web Push public key the web app subscribes with."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Request, Response, status

from api.deps import ClockDep, CurrentPrincipal, PaginatorDep, UowDep
from api.idempotency import Idempotent
from api.pagination import Page
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.devices import (
    DEVICES_PATH,
    DeviceCreate,
    DevicePublic,
    VapidPublicKey,
    WebPushDeviceCreate,
)
from api.settings import Settings
from domain.devices import service as devices
from domain.devices.model import Platform, native_draft, web_push_draft
from domain.errors import NotFound

router = ApiRouter(tags=["devices"])

DeviceId = Annotated[UUID, Path()]
PUSH_OFF = "Web Push is not configured on this server."


@router.get("/push/vapid-public-key", responses=problem_responses(401, 404))
async def get_vapid_public_key(request: Request, principal: CurrentPrincipal) -> VapidPublicKey:
    """The key to subscribe with (`PushManager.subscribe({applicationServerKey})`); 404 when
    the server has no VAPID key (Web Push off)."""
    vapid = request.app.state.vapid
    if vapid is None:
        raise NotFound(PUSH_OFF)
    return VapidPublicKey(public_key=vapid.public_key)


@router.post(
    "/me/devices",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
    dependencies=[Idempotent],
)
async def create_device(
    body: DeviceCreate,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
) -> DevicePublic:
    """Register this browser's Web Push subscription or a native app's FCM/APNs token to get
    pushes (those of the kinds whose `push` channel is on, inside your working hours). The same
    endpoint or token again updates its registration (201 either way, same id)."""
    settings: Settings = request.app.state.settings
    if isinstance(body, WebPushDeviceCreate):
        keys = body.subscription.keys
        draft = web_push_draft(
            body.subscription.endpoint,
            keys.p256dh,
            keys.auth,
            body.name,
            allow_http=settings.push_allow_http,
        )
    else:
        draft = native_draft(Platform(body.platform), body.token, body.name)
    device, _ = await devices.register_device(uow, clock, principal, draft)
    response.headers["Location"] = f"{DEVICES_PATH}/{device.id}"
    return DevicePublic.of(device)


@router.get("/me/devices", responses=problem_responses(400, 401, 403, 422))
async def list_devices(
    uow: UowDep, principal: CurrentPrincipal, paginator: PaginatorDep
) -> Page[DevicePublic]:
    """Your devices, newest first."""
    scope = "me.devices"
    result = await devices.list_devices(uow, principal, paginator.request(scope))
    return paginator.page(scope, result, DevicePublic.of)


@router.get("/me/devices/{device_id}", responses=problem_responses(401, 403, 404, 422))
async def get_device(device_id: DeviceId, uow: UowDep, principal: CurrentPrincipal) -> DevicePublic:
    """One of your devices; anyone else's is 404."""
    return DevicePublic.of(await devices.own_device(uow, principal, device_id))


@router.delete(
    "/me/devices/{device_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_device(device_id: DeviceId, uow: UowDep, principal: CurrentPrincipal) -> Response:
    """Stop pushing to the device; anyone else's is 404."""
    await devices.delete_device(uow, principal, device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
