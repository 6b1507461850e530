"""Upload use cases: taking a file, and clearing away the ones nobody attached.

Who may read an upload depends on what it is attached to: see domain/posts/attachments.py."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from domain.actor import Actor
from domain.clock import Clock
from domain.errors import TooLarge
from domain.ports import UnitOfWork
from domain.uploads.images import clean_image
from domain.uploads.model import (
    IMAGE_TYPES,
    THUMBNAIL_TYPE,
    UNATTACHED_TTL_HOURS,
    Upload,
    safe_filename,
    sniff,
)
from domain.uploads.ports import FileStore

PRUNE_BATCH = 500


async def create_upload(
    uow: UnitOfWork,
    clock: Clock,
    store: FileStore,
    actor: Actor,
    filename: str,
    data: bytes,
    max_bytes: int,
) -> Upload:
    """Keep a file for the caller to attach to a post or comment: typed by its bytes, images
    cleaned of metadata and given a thumbnail. Unattached, only its uploader can read it."""
    if len(data) > max_bytes:
        raise TooLarge(f"A file may have at most {max_bytes} bytes.")
    content_type = sniff(data, filename)
    thumbnail: bytes | None = None
    if content_type in IMAGE_TYPES:
        cleaned = await asyncio.to_thread(clean_image, data, content_type)
        data, thumbnail = cleaned.data, cleaned.thumbnail
    upload = Upload(
        id=uuid.uuid4(),
        owner_id=actor.user_id,
        content_type=content_type,
        size=len(data),
        filename=safe_filename(filename, content_type),
        has_thumbnail=thumbnail is not None,
        created_at=clock.now(),
    )
    # Bytes first: a row never points at nothing. Bytes whose row did not commit are orphans
    # on the store, never visible through the API.
    await store.put(upload.key, data, content_type)
    if thumbnail is not None:
        await store.put(upload.thumbnail_key, thumbnail, THUMBNAIL_TYPE)
    await uow.uploads.add(upload)
    await uow.commit()
    return upload


async def prune_unattached(uow: UnitOfWork, clock: Clock, *, store: FileStore) -> int:
    """Remove uploads never attached within UNATTACHED_TTL_HOURS (rows, then bytes); how many."""
    before = clock.now() - timedelta(hours=UNATTACHED_TTL_HOURS)
    removed = 0
    while True:
        stale = await uow.uploads.unattached_before(before, PRUNE_BATCH)
        if not stale:
            return removed
        # The row goes first (committed), then the bytes: an upload attached meanwhile keeps
        # its row (delete skips attached ones) and so keeps its bytes.
        ids = [u.id for u in stale]
        await uow.uploads.delete(ids)
        await uow.commit()
        still = {u.id for u in await uow.uploads.get_many(ids)}
        gone = [u for u in stale if u.id not in still]
        await store.delete([key for u in gone for key in (u.key, u.thumbnail_key)])
        removed += len(gone)
        if len(stale) < PRUNE_BATCH:
            return removed
