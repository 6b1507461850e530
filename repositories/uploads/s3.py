"""Uploaded bytes in a bucket of an S3-compatible object store (AWS S3, MinIO, Ceph, ...) with
aioboto3, behind the FileStore port."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aioboto3
from botocore.exceptions import ClientError

from domain.uploads.ports import FileMissing
from repositories.uploads.storage import CHUNK, checked_key


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
                Bucket=self.bucket, Key=checked_key(key), Body=data, ContentType=content_type
            )

    async def open(self, key: str) -> AsyncIterator[bytes]:
        stack = contextlib.AsyncExitStack()
        s3 = await stack.enter_async_context(self._client())
        try:
            found = await s3.get_object(Bucket=self.bucket, Key=checked_key(key))
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
                batch = [{"Key": checked_key(key)} for key in keys[start : start + 1000]]
                await s3.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
