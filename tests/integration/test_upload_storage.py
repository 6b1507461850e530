"""Uploads on both stores: the S3 adapter and the upload routes against a real S3-compatible
server (moto's standalone server, started here on a free port), the size limit, and the job
that clears away uploads nobody attached."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import httpx
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer

from api.jobs import configured_jobs, run_jobs_once
from api.main import build_file_store, create_app
from domain.uploads.ports import FileMissing, FileStore
from repositories.unit_of_work import SqlUnitOfWork
from repositories.uploads.s3 import S3FileStore
from repositories.uploads.storage import LocalFileStore
from tests.communities_helpers import create_community
from tests.conftest import draining, make_settings
from tests.helpers import FakeClock, assert_problem, register
from tests.uploads_helpers import PDF, png, upload, uploaded

BUCKET = "leaderful-test-uploads"
CREDENTIALS = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


def _s3_store(endpoint: str) -> S3FileStore:
    return S3FileStore(
        BUCKET,
        endpoint_url=endpoint,
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
    )


async def _read(store: FileStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in await store.open(key)])


@pytest.mark.parametrize("kind", ["local", "s3"])
async def test_a_store_keeps_streams_and_deletes_bytes(kind, s3_endpoint, tmp_path):
    store: FileStore = LocalFileStore(tmp_path) if kind == "local" else _s3_store(s3_endpoint)
    key = str(uuid.uuid4())
    data = bytes(range(256)) * 1000  # several chunks
    await store.put(key, data, "application/pdf")
    await store.put(f"{key}.thumbnail", b"thumb", "image/webp")
    assert await _read(store, key) == data
    await store.delete([key, f"{key}.thumbnail", str(uuid.uuid4())])  # a missing key is no error
    for gone in (key, f"{key}.thumbnail"):
        with pytest.raises(FileMissing):
            await store.open(gone)


async def test_a_store_refuses_keys_that_are_not_upload_ids(tmp_path):
    with pytest.raises(ValueError):
        await LocalFileStore(tmp_path).put("../escape", b"x", "text/plain")


def test_the_settings_choose_the_store(database_url, tmp_path):
    assert isinstance(build_file_store(make_settings(database_url, tmp_path)), LocalFileStore)
    s3 = make_settings(database_url, tmp_path, s3_bucket=BUCKET, **CREDENTIALS)
    assert isinstance(build_file_store(s3), S3FileStore)


@pytest.fixture
async def s3_app(
    app: FastAPI, database_url: str, s3_endpoint: str, tmp_path: Path
) -> AsyncIterator[FastAPI]:
    """An app on the test database whose uploads go to the S3 server, with a 64 KiB limit.
    (It asks for `app` so that the tables are emptied after the test.)"""
    settings = make_settings(
        database_url,
        tmp_path,
        s3_bucket=BUCKET,
        s3_endpoint_url=s3_endpoint,
        s3_region="us-east-1",
        max_upload_bytes=64 * 1024,
        **CREDENTIALS,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def s3_client(s3_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=s3_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver/api/v1", event_hooks=draining(s3_app)
    ) as http:
        yield http


async def test_uploads_on_s3_are_served_with_their_post_visibility(s3_client, s3_endpoint):
    client = s3_client
    ada, outsider = await register(client), await register(client)
    image = await uploaded(client, ada, png(), "diagram.png")
    # The bytes are in the bucket, under the upload's id, with its thumbnail beside them.
    listed = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).list_objects_v2(Bucket=BUCKET, Prefix=image["id"])
    assert {o["Key"] for o in listed["Contents"]} == {image["id"], f"{image['id']}.thumbnail"}

    slug = (
        await create_community(
            client, ada, "Vault Guild", visibility="private", join_policy="invite"
        )
    )["slug"]
    post = await client.post(
        f"/communities/{slug}/posts",
        json={"title": "Diagram", "attachment_ids": [image["id"]]},
        headers=ada.headers,
    )
    assert post.status_code == 201, post.text
    path = image["url"].removeprefix("/api/v1")
    served = await client.get(path, headers=ada.headers)
    assert served.status_code == 200 and served.content.startswith(b"\x89PNG")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert (await client.get(f"{path}/thumbnail", headers=ada.headers)).status_code == 200
    assert_problem(await client.get(path, headers=outsider.headers), 404)


async def test_a_file_over_the_limit_is_413_whether_or_not_its_length_is_announced(s3_client):
    client = s3_client
    ada = await register(client)
    assert (await upload(client, ada, PDF + b"x" * (60 * 1024), "fits.pdf")).status_code == 201
    too_big = PDF + b"x" * (64 * 1024)
    assert_problem(await upload(client, ada, too_big, "big.pdf"), 413)
    # Far beyond the limit: refused by the body guard before the body is read whole.
    response = await upload(client, ada, too_big * 4, "huge.pdf")
    problem = assert_problem(response, 413)
    assert "larger than" in problem["detail"]

    async def trickle() -> AsyncIterator[bytes]:
        # No Content-Length: the guard counts the chunks as they come.
        boundary = b"--b0undary\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="c.pdf"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 8192
        yield b"\r\n--b0undary--\r\n"

    response = await client.post(
        "/uploads",
        content=trickle(),
        headers={**ada.headers, "Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    assert_problem(response, 413)


async def test_uploads_never_attached_are_removed_after_a_day(
    app: FastAPI, client, database_url, tmp_path
):
    ada = await register(client)
    slug = (await create_community(client, ada, "Tidy Guild"))["slug"]
    stale = await uploaded(client, ada, png(), "forgotten.png")
    kept = await uploaded(client, ada, PDF, "attached.pdf")
    post = await client.post(
        f"/communities/{slug}/posts",
        json={"title": "Kept", "attachment_ids": [kept["id"]]},
        headers=ada.headers,
    )
    assert post.status_code == 201
    store: FileStore = app.state.file_store
    settings = make_settings(database_url, tmp_path, jobs_interval_seconds=60)
    jobs = [j for j in configured_jobs(settings, store) if j.name == "prune_unattached_uploads"]
    assert len(jobs) == 1

    def units() -> SqlUnitOfWork:
        return SqlUnitOfWork(app.state.session_factory)

    # Uploaded "now" (the system clock); a fake clock 23 hours on removes nothing...
    real_now = datetime.now(UTC)
    assert await run_jobs_once(units, FakeClock(real_now + timedelta(hours=23)), jobs) == {
        "prune_unattached_uploads": 0
    }
    stale_path = stale["url"].removeprefix("/api/v1")
    assert (await client.get(stale_path, headers=ada.headers)).status_code == 200
    # ... and 25 hours on, the unattached one goes (row and bytes); the attached one stays.
    assert await run_jobs_once(units, FakeClock(real_now + timedelta(hours=25)), jobs) == {
        "prune_unattached_uploads": 1
    }
    assert_problem(await client.get(stale_path, headers=ada.headers), 404)
    for key in (stale["id"], f"{stale['id']}.thumbnail"):
        with pytest.raises(FileMissing):
            await store.open(key)
    served = await client.get(kept["url"].removeprefix("/api/v1"), headers=ada.headers)
    assert served.status_code == 200 and served.content == PDF
