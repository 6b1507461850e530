"""Which providers this process pushes with, from settings: Web Push when a VAPID key is
configured (or generated in development), FCM and APNs when their credentials are given."""

from __future__ import annotations

from api.push.apns import ApnsProvider
from api.push.fcm import FcmProvider, ServiceAccount
from api.push.vapid import VapidKeys
from api.push.webpush import WebPushProvider
from api.settings import Settings
from domain.devices.model import Platform
from domain.devices.ports import PushProvider


def build_providers(settings: Settings, vapid: VapidKeys | None) -> dict[Platform, PushProvider]:
    ttl, timeout = settings.push_ttl_seconds, settings.push_timeout_seconds
    providers: dict[Platform, PushProvider] = {}
    if vapid is not None:
        providers[Platform.webpush] = WebPushProvider(vapid, ttl=ttl, timeout=timeout)
    if settings.fcm_credentials_file is not None:
        providers[Platform.fcm] = FcmProvider(
            ServiceAccount.from_file(settings.fcm_credentials_file),
            base_url=settings.fcm_base_url,
            ttl=ttl,
            timeout=timeout,
        )
    if (
        settings.apns_key_file is not None
        and settings.apns_key_id
        and settings.apns_team_id
        and settings.apns_topic
    ):
        providers[Platform.apns] = ApnsProvider(
            settings.apns_key_file.read_text(),
            settings.apns_key_id,
            settings.apns_team_id,
            settings.apns_topic,
            base_url=settings.apns_base_url,
            ttl=ttl,
            timeout=timeout,
        )
    return providers
