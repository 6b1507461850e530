"""The production front, for real: `leaderful serve` processes, alone and behind Debian's nginx
running deploy/nginx.conf (rendered into a temporary folder, free ports).

Pins: forwarding headers are believed only from LEADERFUL_TRUSTED_PROXIES; a body trickled at
1 byte/s is cut off (408) at the server and through the proxy; the proxy's X-Forwarded-For names
the client, and a client's own X-Forwarded-For changes nothing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Template

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LEADERFUL = ROOT / ".venv" / "bin" / "leaderful"
SITE_CONFIG = ROOT / "deploy" / "nginx.conf"
BODY_TIMEOUT = 2
CONCURRENCY = 8
SIGN_IN = {"username": "nobody@example.com", "password": "wrong-password-1"}


def _nginx() -> str:
    found = os.environ.get("LEADERFUL_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    if os.access(found, os.X_OK):
        return found
    message = f"nginx is not installed ({found}): run `make nginx` (Debian's package)."
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer in 30 s:\n{log.read_text()[-3000:]}")


@dataclass
class Server:
    base_url: str
    port: int


@pytest.fixture(scope="module")
def start_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    processes: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> Server:
        port = _free_port()
        log = tmp_path_factory.mktemp("serve") / "server.log"
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LEADERFUL_")},
            "LEADERFUL_DATABASE_URL": database_url,
            "LEADERFUL_SECRET_KEY": secrets.token_urlsafe(48),
            "LEADERFUL_RATE_LIMIT_AUTH": "3/minute",
            "LEADERFUL_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
            "LEADERFUL_SPA_DIR": str(log.parent / "no-spa"),
            "LEADERFUL_JOBS_INTERVAL_SECONDS": "0",
            "LEADERFUL_LOG_LEVEL": "WARNING",
            **env,
        }
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [str(LEADERFUL), "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(f"{base_url}/healthz", process, log)
        return Server(base_url, port)

    try:
        yield start
    finally:
        for process in processes:
            _stop(process)


@pytest.fixture(scope="module")
def direct(start_server) -> Server:
    """A server reached directly: no proxy is trusted, not even localhost."""
    server: Server = start_server(
        LEADERFUL_SERVER_KEEP_ALIVE_SECONDS="1", LEADERFUL_SERVER_LIMIT_CONCURRENCY=str(CONCURRENCY)
    )
    return server


@pytest.fixture(scope="module")
def proxied(start_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """deploy/nginx.conf before a server that trusts it (nginx reaches it from 127.0.0.1)."""
    nginx = _nginx()
    upstream: Server = start_server(LEADERFUL_TRUSTED_PROXIES="127.0.0.1")
    folder = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    site = Template(SITE_CONFIG.read_text()).safe_substitute(
        LEADERFUL_LISTEN=f"127.0.0.1:{port}", LEADERFUL_UPSTREAM=f"127.0.0.1:{upstream.port}"
    )
    (folder / "leaderful.conf").write_text(site)
    temp = "\n".join(
        f"  {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
{temp}
  uwsgi_temp_path {folder / "uwsgi"};
  scgi_temp_path {folder / "scgi"};
  include {folder / "leaderful.conf"};
}}
"""
    )
    log = folder / "nginx.out"
    command = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(log)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    with log.open("ab") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(f"{base_url}/healthz", process, log)
        yield Server(base_url, port)
    finally:
        _stop(process)


def _client_from(address: str, base_url: str) -> httpx.Client:
    """A client on its own loopback address, so the proxy sees distinct clients."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(transport=transport, base_url=base_url, timeout=10)


def _sign_ins(http: httpx.Client, count: int, spoof: bool = True) -> list[int]:
    statuses = []
    for n in range(count):
        headers = {"X-Forwarded-For": f"198.51.100.{n}"} if spoof else {}
        response = http.post("/api/v1/auth/token", data=SIGN_IN, headers=headers)
        statuses.append(response.status_code)
    return statuses


def _trickle(host: str, port: int, source: str = "127.0.0.1") -> tuple[bytes, float]:
    """POST a JSON body at 1 byte per second; what comes back, and after how long."""
    body = b'{"email":"slow@example.com","password":"correct-horse-battery","display_name":"S"}'
    with socket.create_connection((host, port), timeout=30, source_address=(source, 0)) as sock:
        sock.sendall(
            b"POST /api/v1/auth/register HTTP/1.1\r\nHost: leaderful\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        started = time.monotonic()
        answer = b""
        sock.settimeout(1)
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break  # the other side has closed
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            answer += chunk
            if not chunk or b"\r\n\r\n" in answer:
                break
        return answer, time.monotonic() - started


def test_forwarded_for_from_an_untrusted_peer_is_ignored(direct: Server, app):
    with httpx.Client(base_url=direct.base_url, timeout=10) as http:
        assert _sign_ins(http, 5) == [401, 401, 401, 429, 429]


def test_a_trickled_body_is_cut_off_by_the_server(direct: Server, app):
    answer, seconds = _trickle("127.0.0.1", direct.port, source="127.0.0.7")
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"application/problem+json" in answer
    assert seconds < BODY_TIMEOUT + 3


def _status_within(url: str, wanted: int, seconds: float) -> int:
    """The status of GET url, asked until it is `wanted` or `seconds` have passed (the server
    notices opened and closed connections asynchronously, later on a loaded machine)."""
    deadline = time.monotonic() + seconds
    while True:
        status = httpx.get(url, timeout=5).status_code
        if status == wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def _read_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body): it may arrive in several reads."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return data


def test_idle_connections_are_bounded(direct: Server, app):
    # An idle keep-alive connection is closed by the server after its timeout (1 s here); the
    # bound leaves room for a loaded machine while staying far below "never".
    with socket.create_connection(("127.0.0.1", direct.port), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: leaderful\r\n\r\n")
        assert _read_response(sock).startswith(b"HTTP/1.1 200 ")
        sock.settimeout(10)
        started = time.monotonic()
        assert sock.recv(65536) == b""
        assert time.monotonic() - started < 6
    # Connections held open beyond the limit do not queue work: the next request gets 503, and
    # the server serves again as soon as they are gone.
    held = [
        socket.create_connection(("127.0.0.1", direct.port), timeout=5) for _ in range(CONCURRENCY)
    ]
    try:
        assert _status_within(f"{direct.base_url}/healthz", 503, 5) == 503
    finally:
        for sock in held:
            sock.close()
    assert _status_within(f"{direct.base_url}/healthz", 200, 5) == 200


def test_through_the_proxy_a_normal_request_passes(proxied: Server, app):
    with _client_from("127.0.0.2", proxied.base_url) as http:
        registered = http.post(
            "/api/v1/auth/register",
            json={
                "email": f"proxied{secrets.token_hex(4)}@example.com",
                "password": "correct-horse-battery",
                "display_name": "Proxied Person",
            },
        )
        assert registered.status_code == 201, registered.text
        me = http.get(
            "/api/v1/me",
            headers={"Authorization": f"Bearer {registered.json()['access_token']}"},
        )
        assert me.status_code == 200
        assert "x-request-id" in me.headers
        assert "uvicorn" not in me.headers.get("server", "")


def test_through_the_proxy_the_client_is_the_proxys_forwarded_for(proxied: Server, app):
    with _client_from("127.0.0.3", proxied.base_url) as first:
        # The client's own X-Forwarded-For is replaced by the proxy: no fresh buckets.
        assert _sign_ins(first, 5) == [401, 401, 401, 429, 429]
    with _client_from("127.0.0.4", proxied.base_url) as second:
        # Another client behind the same proxy has its own bucket: the app counted by the
        # address the proxy forwarded, not by the proxy's own (which both share).
        assert _sign_ins(second, 1, spoof=False) == [401]


def test_through_the_proxy_a_trickled_body_is_cut_off(proxied: Server, app):
    answer, seconds = _trickle("127.0.0.1", proxied.port, source="127.0.0.5")
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:300]
    assert seconds < BODY_TIMEOUT + 3


def test_through_the_proxy_a_notification_stream_opens_with_a_ticket(proxied: Server, app):
    """As a browser's EventSource does: a ticket in the URL, no Authorization header; the first
    event passes the proxy at once (the stream also sends X-Accel-Buffering: no)."""
    with _client_from("127.0.0.3", proxied.base_url) as http:
        registered = http.post(
            "/api/v1/auth/register",
            json={
                "email": f"streamed{secrets.token_hex(4)}@example.com",
                "password": "correct-horse-battery",
                "display_name": "Streamed Person",
            },
        )
        assert registered.status_code == 201, registered.text
        token = registered.json()["access_token"]
        ticket = http.post(
            "/api/v1/me/notifications/stream-ticket",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert ticket.status_code == 201, ticket.text
        started = time.monotonic()
        with http.stream(
            "GET", "/api/v1/me/notifications/stream", params={"ticket": ticket.json()["ticket"]}
        ) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            assert next(lines) == "event: unread_count"
            assert next(lines) == 'data: {"unread":0}'
        assert time.monotonic() - started < 2
