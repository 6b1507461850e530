"""The committed OpenAPI document is usable by a generator other than the web app's: a Python
client generated from it by openapi-python-client registers, creates a community and a post,
reads the post back (with its ETag and a 304), and syncs, against the API served over HTTP.
Generation failing fails this test: it is never skipped."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from tests.live_helpers import serving

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _generate(into: Path) -> None:
    config = into / "config.yaml"
    config.write_text(
        "project_name_override: leaderful-client\npackage_name_override: leaderful_client\n"
    )
    done = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi" / "openapi.json"),
            "--output-path",
            str(into / "leaderful_client"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        # Its post-generation hook formats with ruff, from this environment.
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Warning" not in output and "Unable to" not in output, output


def _module(name: str) -> Any:
    return importlib.import_module(f"leaderful_client.{name}")


async def test_a_generated_python_client_works_against_the_live_api(
    app: FastAPI, tmp_path: Path
) -> None:
    _generate(tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        client_module = _module("client")
        register = _module("api.auth.register")
        create_community = _module("api.communities.create_community")
        create_post = _module("api.posts.create_post")
        get_post = _module("api.posts.get_post")
        sync = _module("api.sync.sync")
        models = _module("models")
        async with serving(app) as api_url:
            # The document's paths carry /api/v1: the client is pointed at the server.
            base_url = api_url.removesuffix("/api/v1")
            anonymous = client_module.Client(base_url=base_url)
            signed_up = await register.asyncio_detailed(
                client=anonymous,
                body=models.RegisterRequest.from_dict(
                    {
                        "email": "generated@example.com",
                        "password": "a long enough passphrase",
                        "display_name": "Generated Client",
                    }
                ),
            )
            assert signed_up.status_code == 201, signed_up.content
            me = client_module.AuthenticatedClient(
                base_url=base_url, token=signed_up.parsed.access_token
            )
            community = await create_community.asyncio_detailed(
                client=me,
                body=models.CommunityCreate.from_dict(
                    {"name": "Generated Guild", "purpose": "Proving the contract is usable."}
                ),
                idempotency_key="community-1",
            )
            assert community.status_code == 201, community.content
            created = await create_post.asyncio_detailed(
                community.parsed.slug,
                client=me,
                body=models.PostCreate.from_dict(
                    {"kind": "question", "title": "Does it round-trip?", "body": "It should."}
                ),
                idempotency_key="post-1",
            )
            assert created.status_code == 201, created.content
            read = await get_post.asyncio_detailed(created.parsed.id, client=me)
            assert read.status_code == 200
            assert read.parsed.title == "Does it round-trip?"
            assert read.parsed.community.slug == community.parsed.slug
            cached = await get_post.asyncio_detailed(
                created.parsed.id, client=me, if_none_match=read.headers["etag"]
            )
            assert cached.status_code == 304
            first = await sync.asyncio_detailed(client=me)
            assert first.status_code == 200, first.content
            synced = {(c.type_, str(c.id)) for c in first.parsed.changes}
            assert ("post", str(created.parsed.id)) in synced
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("leaderful_client")]:
            del sys.modules[name]
