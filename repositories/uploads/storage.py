"""Where uploaded bytes live, behind the FileStore port: a directory on local disk (the embedded
default). The S3-compatible store is in `repositories.uploads.s3`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from domain.uploads.ports import FileMissing

CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9a-f-]{36}(\.thumbnail)?$")


def checked_key(key: str) -> str:
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
        key = checked_key(key)
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
