"""Settings from the environment (prefix LEADERFUL_), documented in .env.example."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR_DIR = Path("var")


def _embedded_secret(path: Path) -> str:
    """Embedded mode: generate a key once and keep it (0600) so restarts keep sessions valid."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LEADERFUL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///var/leaderful.db"
    db_pool_size: int = 10
    db_max_overflow: int = 5
    # How long a request waits for a database connection (all of the pool's are busy) before it
    # is answered 503 with Retry-After.
    database_wait_seconds: float = Field(default=5, gt=0, le=600)
    # Allocations between young-generation garbage collections (Python's default is 700); 0 keeps
    # the interpreter's settings. Request garbage is freed by reference counting; collecting every
    # 700 allocations cost a page request more time than its SQL (measured with `make bench`).
    gc_young_threshold: int = Field(default=50_000, ge=0)

    secret_key: SecretStr | None = None
    secret_key_file: Path = VAR_DIR / "secret_key"
    jwt_algorithm: str = "HS256"
    jwt_key_id: str | None = None
    # Older keys still accepted while their tokens live: "kid1=secret1,kid2=secret2".
    jwt_previous_keys: SecretStr | None = None
    # For RS256/ES256: PEM files; the public key of the signing key is derived from settings.
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "leaderful"
    jwt_audience: str = "leaderful-api"
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # Password hashing (argon2id) at once, and waiting beyond those; more answer 503.
    # Unset workers: one per CPU core.
    password_hash_workers: int | None = Field(default=None, ge=1)
    password_hash_queue: int = Field(default=8, ge=0)

    cors_origins: Annotated[list[str], NoDecode] = []
    # Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or CIDRs, comma
    # separated). Empty: the socket's peer is the client, whatever headers it sends.
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = []
    # Hosts that Markdown images may load from; images elsewhere become links (no tracking pixels).
    image_hosts: Annotated[list[str], NoDecode] = []
    rate_limit_enabled: bool = True
    rate_limit_default: str = "300/minute"
    rate_limit_auth: str = "10/minute"
    # Shared rate-limit buckets and live notification streams across server processes (Redis
    # pub/sub); unset, both stay inside the process.
    redis_url: str | None = None
    # Jobs and domain events: Redis Streams (acknowledged) when set, else taskiq's in-memory
    # broker inside the server process.
    broker_url: str | None = None
    # The Redis Stream the broker uses (one per deployment; tests use their own).
    broker_queue: str = "leaderful:tasks"
    # The relay moves committed domain events to the broker right after each commit that wrote
    # some, and sweeps the outbox every this many seconds for anything missed (0: nudges only).
    relay_interval_seconds: float = Field(default=1.0, ge=0)
    # false: this process runs no relay loop (tests relay and drain explicitly).
    events_relay: bool = True
    # A failing event consumer is tried this many times in all, waiting base * 2^(n-1) seconds
    # (at most a minute) between tries; then the event joins the dead-letter list.
    events_retry_attempts: int = Field(default=5, ge=1)
    events_retry_base_seconds: float = Field(default=1.0, ge=0)
    # Events handled at once by one process: each holds a database connection while it runs,
    # so this stays well below the pool the requests need.
    events_concurrency: int = Field(default=4, ge=1)
    # Notification streams: a heartbeat comment this often, and the accounts of open streams
    # are checked this often (a deactivated account's stream ends, and so does one whose
    # sessions ended without a message saying so, e.g. from `leaderful create-admin`).
    stream_heartbeat_seconds: float = Field(default=15, gt=0)
    stream_account_check_seconds: float = Field(default=15, ge=0)
    max_body_bytes: int = 1024 * 1024
    # A request body must arrive whole within this many seconds (slow-trickle clients get 408).
    body_timeout_seconds: float = Field(default=20, gt=0)
    metrics_enabled: bool = True
    # /metrics answers only `Authorization: Bearer <this>`; unset, it is 404 for everyone.
    metrics_token: SecretStr | None = None
    # `leaderful worker` serves its Prometheus metrics (events handled, retried, dead...) on this
    # port and address; unset, it serves none.
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    worker_metrics_host: str = "127.0.0.1"
    # `leaderful serve`: idle keep-alive connections are closed after this many seconds, and
    # connections plus requests in flight beyond the limit get 503 instead of queueing.
    server_keep_alive_seconds: int = Field(default=5, ge=1)
    server_limit_concurrency: int = Field(default=1000, ge=1)
    spa_dir: Path = Path("frontend/dist")
    log_level: str = "INFO"
    log_json: bool = True
    environment: str = "development"
    # How often the periodic jobs run (request expiry, steward terms); 0 disables every periodic
    # job, retention included. Without a broker the server process schedules and runs them;
    # with one, `leaderful worker` does (once per tick, however many run).
    jobs_interval_seconds: int = Field(default=300, ge=0)
    # Uploads (POST /uploads): the largest file taken, in bytes; where files are kept without an
    # object store; and the S3-compatible object store, used when a bucket is named.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    uploads_dir: Path = VAR_DIR / "uploads"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    # Notifications older than this are deleted by a daily job.
    notification_retention_days: int = Field(default=90, ge=1)
    # Outgoing mail. SMTP_URL: smtp://user:pass@host:587?starttls=true or smtps://user:pass@host
    # (port 465); unset, every message is written to MAIL_DIR as an .eml file instead (and its
    # subject logged). PUBLIC_URL is where the web app is, for the absolute links in mail.
    smtp_url: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    mail_from: str = "Leaderful <no-reply@leaderful.localhost>"
    public_url: str = "http://127.0.0.1:8000"
    mail_dir: Path = VAR_DIR / "mail"
    # A temporary failure (4xx, connection refused, timeout) is tried this many times in all,
    # waiting base * 2^(n-1) seconds (at most ten minutes) between tries.
    mail_retry_attempts: int = Field(default=6, ge=1)
    mail_retry_base_seconds: float = Field(default=5.0, ge=0)
    # Queued messages are sent MAIL_BATCH_SIZE at a time over one SMTP connection; a sender
    # holds the batch it claimed for MAIL_LEASE_SECONDS (one that dies meanwhile leaves it to
    # the next sender after that).
    mail_batch_size: int = Field(default=500, ge=1, le=10_000)
    mail_lease_seconds: float = Field(default=600, gt=0)
    # How often the notification mail job runs (the first mail of a quiet person goes out at
    # the next run) and the digest job (a digest goes out at the first run after 08:00 local).
    notification_mail_every_seconds: int = Field(default=60, ge=1)
    digest_every_seconds: int = Field(default=300, ge=1)
    # Webhooks: receivers must be public https URLs; true also allows http and private,
    # loopback and link-local receivers (tests, closed networks; metadata addresses never).
    webhook_allow_private: bool = False
    # How often due webhook retries are sent (first tries go out at once).
    webhook_retry_every_seconds: int = Field(default=15, ge=1)

    # Push notifications (POST /me/devices). Web Push signs with a VAPID key: a P-256 private
    # key, base64url (raw 32 bytes, as `vapid --gen` or web-push tools print it) or PEM. Unset in
    # development, one is generated once and kept (0600) in VAPID_PRIVATE_KEY_FILE; unset
    # elsewhere, Web Push is off. VAPID_SUBJECT (mailto: or https:) tells push services whom to
    # contact; unset, PUBLIC_URL when it is https, else a mailto: of MAIL_FROM's domain.
    vapid_private_key: SecretStr | None = None
    vapid_private_key_file: Path = VAR_DIR / "vapid_private_key"
    vapid_subject: str | None = None
    # How often the push job looks for new notification lines (a push is that late at most),
    # how long push services keep an undelivered push (TTL), and how long a push request waits.
    push_every_seconds: int = Field(default=5, ge=1)
    push_ttl_seconds: int = Field(default=24 * 3600, ge=0, le=28 * 24 * 3600)
    push_timeout_seconds: float = Field(default=10, gt=0)
    # A temporary failure (5xx, 429, timeout, connection refused) is tried this many times in
    # all, waiting base * 2^(n-1) seconds (at most ten minutes) between tries.
    push_retry_attempts: int = Field(default=6, ge=1)
    push_retry_base_seconds: float = Field(default=5.0, ge=0)
    # Tests and closed networks only: accept http:// Web Push endpoints (push services are
    # always https).
    push_allow_http: bool = False
    # Firebase Cloud Messaging (HTTP v1 API) for Android apps: the service account's JSON key
    # file (its project_id and token_uri are read from it); unset, FCM devices get nothing.
    fcm_credentials_file: Path | None = None
    fcm_base_url: str = "https://fcm.googleapis.com"
    # Apple Push Notification service (token-based, HTTP/2) for iOS apps: the .p8 signing key,
    # its key id, the team id and the app's bundle id (apns-topic); unset, APNs devices get
    # nothing. APNS_BASE_URL: https://api.sandbox.push.apple.com for development builds.
    apns_key_file: Path | None = None
    apns_key_id: str | None = None
    apns_team_id: str | None = None
    apns_topic: str | None = None
    apns_base_url: str = "https://api.push.apple.com"

    @field_validator("cors_origins", "trusted_proxies", "image_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip() for o in value.split(",") if o.strip()]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        # A bare address is a one-address network; host bits set are refused (a typo, not a range).
        if isinstance(value, list):
            return [ip_network(str(item)) for item in value]
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("PUBLIC_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("image_hosts")
    @classmethod
    def _lower_hosts(cls, value: list[str]) -> list[str]:
        return [host.lower() for host in value]

    @cached_property
    def resolved_secret_key(self) -> str:
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        return _embedded_secret(self.secret_key_file)

    @property
    def previous_keys(self) -> dict[str, str]:
        if self.jwt_previous_keys is None:
            return {}
        pairs = (p.split("=", 1) for p in self.jwt_previous_keys.get_secret_value().split(","))
        return {kid.strip(): key.strip() for kid, key in pairs if kid.strip() and key.strip()}

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
