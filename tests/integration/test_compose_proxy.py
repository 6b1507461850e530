"""deploy/nginx.compose.conf, rendered as the nginx image renders it, is a site that Debian's
nginx accepts (`nginx -t`), and it streams a Server-Sent Events path without buffering: each
event reaches the client as the upstream writes it."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template

import httpx
import pytest

from tests.integration.test_reverse_proxy import _free_port, _nginx, _stop, _wait_for

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.compose.conf"
EVENT_GAP = 1.0


class Upstream(BaseHTTPRequestHandler):
    """Answers /healthz, and the stream paths with two events a second apart."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/healthz":
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        for n in range(2):
            self.wfile.write(f"event: ping\ndata: {n}\n\n".encode())
            self.wfile.flush()
            time.sleep(EVENT_GAP)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    nginx = _nginx()
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    folder = tmp_path_factory.mktemp("nginx-compose")
    port = _free_port()
    # As the image's envsubst step: only the LEADERFUL_ variables, nginx's own left alone.
    site = Template(SITE.read_text()).safe_substitute(
        LEADERFUL_LISTEN=f"127.0.0.1:{port}",
        LEADERFUL_UPSTREAM=f"127.0.0.1:{upstream.server_address[1]}",
    )
    assert "${" not in site
    (folder / "site.conf").write_text(site)
    temp = "\n".join(
        f"  {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
{temp}
  include {folder / "site.conf"};
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
        yield base_url
    finally:
        _stop(process)
        upstream.shutdown()


@pytest.mark.parametrize(
    "path", ["/api/v1/me/notifications/stream", "/api/v1/notifications/stream"]
)
def test_events_pass_the_proxy_as_they_are_written(proxy: str, path: str):
    arrivals = []
    started = time.monotonic()
    with httpx.stream("GET", proxy + path, timeout=10) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data:"):
                arrivals.append(time.monotonic() - started)
    assert len(arrivals) == 2
    # The first event arrives before the upstream writes the second: nothing was held back.
    assert arrivals[0] < EVENT_GAP / 2, arrivals


def test_other_paths_are_buffered_as_before(proxy: str):
    # The same slow upstream answer on a path outside the stream location arrives in one piece
    # (nginx buffers it), which shows the location above is what makes the difference.
    arrivals = []
    started = time.monotonic()
    with httpx.stream("GET", proxy + "/api/v1/notifications", timeout=10) as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                arrivals.append(time.monotonic() - started)
    assert len(arrivals) == 2
    assert arrivals[0] >= EVENT_GAP / 2, arrivals
