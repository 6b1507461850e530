"""Serve the built SPA at `/`: real files as they are, other non-API paths fall back to index.html.

It is reached from the 404 handler rather than a catch-all route, so that API paths keep their
own 404 and 405 answers.

Every page gets a strict Content-Security-Policy: scripts and everything else only from this
origin (no inline script at all), images also from the Markdown image hosts (which are the
only hosts posts may show images from) and from object URLs (uploads, fetched with the bearer
token), no plugins, no <base>, never inside a frame. Workers (the push service worker,
`/sw.js`) only from this origin.

`/sw.js` is served from the root, so its scope is the whole app, as JavaScript, never cached
without a check (a new version reaches browsers at once), and with a policy of its own (a
worker's policy comes from its own response): it loads nothing and talks to nothing but this
origin.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, HTMLResponse, Response

API_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")
SERVICE_WORKER = "sw.js"
SERVICE_WORKER_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'",
    "Service-Worker-Allowed": "/",
}

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Leaderful</title></head>
<body>
<h1>Leaderful</h1>
<p>The API is running. The web app has not been built yet: run <code>make run</code>.</p>
<p><a href="/api/docs">Open the API documentation</a></p>
</body></html>"""


def content_security_policy(image_hosts: list[str]) -> str:
    # blob: shows this origin's uploads, which the app reads with its bearer token (an <img>
    # cannot send one) and displays from object URLs.
    images = " ".join(["'self'", "data:", "blob:", *(f"https://{host}" for host in image_hosts)])
    return (
        # Inline styles stay allowed: the dialogs' scroll lock adds a <style> element whose text
        # varies with the scrollbar's width. Markdown never carries styles (domain/markdown.py).
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; worker-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


class SpaFiles:
    def __init__(self, spa_dir: Path, image_hosts: list[str]) -> None:
        self.root = spa_dir.resolve()
        self.index = self.root / "index.html"
        self.page_headers = {
            "Cache-Control": "no-cache",
            "Content-Security-Policy": content_security_policy(image_hosts),
        }

    def handles(self, method: str, path: str) -> bool:
        return method in ("GET", "HEAD") and not path.startswith(API_PREFIXES)

    def serve(self, path: str) -> Response:
        if not self.index.is_file():
            return HTMLResponse(PLACEHOLDER, headers=self.page_headers)
        relative = path.lstrip("/")
        if relative:
            candidate = (self.root / relative).resolve()
            if candidate.is_relative_to(self.root) and candidate.is_file():
                if relative == SERVICE_WORKER:
                    return FileResponse(
                        candidate,
                        media_type="text/javascript; charset=utf-8",
                        headers=SERVICE_WORKER_HEADERS,
                    )
                immutable = relative.startswith("assets/")
                cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
                return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(self.index, headers=self.page_headers)
