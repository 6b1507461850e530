"""deploy/compose.yaml cannot rot silently: the services a scaled deployment needs are there,
each with the settings it needs, every LEADERFUL_ variable is one the app reads, and the proxy
streams the live-update paths unbuffered."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
APP_SERVICES = ("migrate", "api", "worker")
STREAM_PATHS = ("/api/v1/me/notifications/stream", "/api/v1/notifications/stream")
# What every process of the app needs to be one of many: the shared database, Redis (rate
# limits, pub/sub), the broker, one signing key, and the proxy it may believe.
SHARED_SETTINGS = {
    "LEADERFUL_DATABASE_URL",
    "LEADERFUL_REDIS_URL",
    "LEADERFUL_BROKER_URL",
    "LEADERFUL_SECRET_KEY",
    "LEADERFUL_TRUSTED_PROXIES",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    assert isinstance(environment, dict), "write environment as a mapping"
    return {str(k): str(v) for k, v in environment.items()}


def _command(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    assert isinstance(command, list), "write commands as lists (no shell)"
    return [str(part) for part in command]


def test_the_services_of_a_scaled_deployment(compose):
    assert set(compose["services"]) == {*APP_SERVICES, "proxy", "postgres", "redis"}
    services = compose["services"]
    assert _command(services["api"])[:2] == ["leaderful", "serve"]
    assert _command(services["worker"]) == ["leaderful", "worker"]
    assert _command(services["migrate"]) == ["leaderful", "migrate"]
    # The API scales: several replicas by default, and nothing that pins one container (a
    # name, a host port) that a second replica would collide with.
    api = services["api"]
    assert "replicas" in api["deploy"] and "container_name" not in api and "ports" not in api
    # The app's services are built from the project's Dockerfile.
    for name in APP_SERVICES:
        build = services[name]["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == (
            DEPLOY.parent / "Dockerfile"
        )
    # The schema is migrated once, before API processes and workers start.
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["proxy"]["ports"], "the proxy is the only way in"


def test_each_app_process_has_the_settings_it_needs(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        environment = _environment(services[name])
        assert not SHARED_SETTINGS - environment.keys(), name
        # Every LEADERFUL_ variable is a setting the app reads (a typo would be ignored).
        for key in environment:
            assert key.removeprefix("LEADERFUL_").lower() in Settings.model_fields, key
        database = environment["LEADERFUL_DATABASE_URL"]
        assert database.startswith("postgresql+asyncpg://") and "@postgres:5432/" in database
        for key in ("LEADERFUL_REDIS_URL", "LEADERFUL_BROKER_URL"):
            assert environment[key].startswith("redis://redis:6379/"), key
        # The signing key is required, never a default written in the file.
        assert re.fullmatch(
            r"\$\{LEADERFUL_SECRET_KEY:\?[^}]*\}", environment["LEADERFUL_SECRET_KEY"]
        )
    # The address the API believes forwarding headers from is the proxy's, and only that.
    proxy_address = services["proxy"]["networks"]["backend"]["ipv4_address"]
    assert _environment(services["api"])["LEADERFUL_TRUSTED_PROXIES"] == proxy_address
    postgres = _environment(services["postgres"])
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_the_proxy_balances_the_replicas_and_streams_events_unbuffered(compose):
    proxy = compose["services"]["proxy"]
    environment = _environment(proxy)
    assert environment["LEADERFUL_UPSTREAM"] == "api:8000"
    (mount,) = proxy["volumes"]
    source, target = mount.split(":")[:2]
    assert target.startswith("/etc/nginx/templates/") and target.endswith(".template")
    site = (COMPOSE.parent / source).read_text()
    assert "server ${LEADERFUL_UPSTREAM};" in site and "listen ${LEADERFUL_LISTEN};" in site
    streams = re.search(r"location ~ (\S+) \{(.*?)\n    \}", site, re.DOTALL)
    assert streams is not None
    pattern, block = streams.groups()
    for path in STREAM_PATHS:
        assert re.fullmatch(pattern.strip("^$"), path), path
    assert not re.fullmatch(pattern.strip("^$"), "/api/v1/notifications")
    assert "proxy_buffering off;" in block
    read_timeout = re.search(r"proxy_read_timeout (\d+)([smh]);", block)
    assert read_timeout is not None
    seconds = int(read_timeout[1]) * {"s": 1, "m": 60, "h": 3600}[read_timeout[2]]
    assert seconds >= 15 * 60  # far beyond the 15 s heartbeat
