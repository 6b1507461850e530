"""Swagger UI at /api/docs, served from the assets the `fastapi-swagger` package installs (no
CDN: the docs work on networks without internet), under its own Content-Security-Policy: no
inline script (the start-up script is a file too), nothing from other origins."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, Response

from api.problems import problem

DOCS = "/api/docs"
ASSETS = Path(str(files("fastapi_swagger.resources")))
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
# The stylesheet embeds its icons as data: URLs.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def docs_router(openapi_url: str, title: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{DOCS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{DOCS}/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="{DOCS}/swagger-ui-bundle.js"></script>
<script src="{DOCS}/start.js"></script>
</body></html>"""
    start = f"""window.ui = SwaggerUIBundle({{
  url: {json.dumps(openapi_url)},
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}});
"""
    headers = {"Content-Security-Policy": POLICY, "Cache-Control": "no-cache"}

    @router.get(DOCS)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page, headers=headers)

    @router.get(f"{DOCS}/start.js")
    async def swagger_ui_start() -> Response:
        return Response(start, media_type="text/javascript", headers=headers)

    @router.get(DOCS + "/{name}")
    async def swagger_ui_asset(name: str) -> Response:
        media_type = ASSET_TYPES.get(name)
        if media_type is None:
            return problem(404, "Not found.")
        return FileResponse(
            ASSETS / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
        )

    return router
