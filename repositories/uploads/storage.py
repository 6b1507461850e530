"""Where uploaded bytes live, behind the FileStore port: a directory on local disk (the embedded
default), or a bucket of an S3-compatible object store (aioboto3) when one is configured."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aioboto3
from botocore.exceptions import ClientError

from domain.uploads.ports import FileMissing

CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9a-f-]{36}(\.thumbnail)?$")


def _checked(key: str) -> str:
    # Keys are made by the domain from upload ids; anything else is a bug, never a path.
    if not _KEY.match(key):
        raise ValueError(f"not an upload key: {key!r}")
    return key


class LocalFileStore:
    """Files under `root/<first two characters>/<key>`, written whole (a temporary file
    renamed into place) so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise FileMissing(key) from None
        return self._chunks(handle)

    @staticmethod
    async def _chunks(handle: Any) -> AsyncIterator[bytes]:
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    async def delete(self, keys: Sequence[str]) -> None:
        await asyncio.to_thread(self._unlink, [self._path(key) for key in keys])

    @staticmethod
    def _unlink(paths: list[Path]) -> None:
        for path in paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


class S3FileStore:
    """Objects in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph, ...). A client is
    opened per operation: aioboto3 clients are bound to the event loop that made them."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.session = aioboto3.Session()
        self.options = {
            key: value
            for key, value in {
                "endpoint_url": endpoint_url,
                "region_name": region,
                "aws_access_key_id": access_key_id,
                "aws_secret_access_key": secret_access_key,
            }.items()
            if value
        }

    def _client(self) -> Any:
        return self.session.client("s3", **self.options)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        async with self._client() as s3:
            await s3.put_object(
                Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type
            )

    async def open(self, key: str) -> AsyncIterator[bytes]:
        stack = contextlib.AsyncExitStack()
        s3 = await stack.enter_async_context(self._client())
        try:
            found = await s3.get_object(Bucket=self.bucket, Key=_checked(key))
        except ClientError as exc:
            await stack.aclose()
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileMissing(key) from None
            raise
        except BaseException:
            await stack.aclose()
            raise
        return self._chunks(stack, found["Body"])

    @staticmethod
    async def _chunks(stack: contextlib.AsyncExitStack, body: Any) -> AsyncIterator[bytes]:
        async with stack:
            try:
                async for chunk in body.iter_chunks(CHUNK):
                    yield chunk
            finally:
                body.close()

    async def delete(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        async with self._client() as s3:
            for start in range(0, len(keys), 1000):  # the API's limit per request
                batch = [{"Key": _checked(key)} for key in keys[start : start + 1000]]
                await s3.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
