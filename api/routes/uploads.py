"""Uploads: files for posts and comments. They are taken here, typed by their bytes, and served
back through the API (never from a public URL), so that whoever reads one passes the same
visibility check as for what it is attached to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import Depends, File, Path, Request, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from api.deps import ClockDep, CurrentPrincipal, ShortPrincipal, UowDep, short_unit
from api.problems import problem_responses
from api.routing import ApiRouter
from api.schemas.uploads import AttachmentPublic, upload_url
from api.settings import Settings
from domain.errors import NotFound, TooLarge
from domain.posts.attachments import UPLOAD_NOT_FOUND, visible_upload
from domain.uploads import service as uploads
from domain.uploads.model import IMAGE_TYPES, THUMBNAIL_TYPE, Upload
from domain.uploads.ports import FileMissing, FileStore

router = ApiRouter(tags=["uploads"])

UploadId = Annotated[UUID, Path()]
READ_CHUNK = 64 * 1024
# Served files load nothing, run nothing and are never framed, whatever they contain.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
FILE_RESPONSE = {
    200: {
        "description": "The file's bytes, with Content-Disposition (inline for images, "
        "attachment for documents).",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
    **problem_responses(404),
}


async def get_file_store(request: Request) -> FileStore:
    store: FileStore = request.app.state.file_store
    return store


FileStoreDep = Annotated[FileStore, Depends(get_file_store)]


async def _read_bounded(file: UploadFile, limit: int) -> bytes:
    """The file's bytes, read in chunks and refused as soon as they pass `limit`."""
    parts: list[bytes] = []
    size = 0
    while chunk := await file.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"A file may have at most {limit} bytes.")
        parts.append(chunk)
    return b"".join(parts)


@router.post(
    "/uploads",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(413, 415),
)
async def create_upload(
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="The file: an image or a document.")],
    uow: UowDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    store: FileStoreDep,
) -> AttachmentPublic:
    """Upload an image (PNG, JPEG, GIF, WebP) or a document (PDF, text, CSV, Word, Excel,
    PowerPoint, OpenDocument) to attach to a post or comment (`attachment_ids`). The type is
    read from the bytes; SVG, HTML and anything unknown are refused (415). Images lose their
    metadata (EXIF) and get a thumbnail. Never attached within a day, it is removed."""
    settings: Settings = request.app.state.settings
    data = await _read_bounded(file, settings.max_upload_bytes)
    upload = await uploads.create_upload(
        uow, clock, store, principal, file.filename or "", data, settings.max_upload_bytes
    )
    response.headers["Location"] = upload_url(upload.id)
    return AttachmentPublic.of(upload)


def _disposition(upload: Upload, thumbnail: bool) -> str:
    """Images are shown, documents saved; the name is the upload's safe name (an ASCII
    fallback, and the exact name in RFC 5987 form)."""
    kind = "inline" if upload.content_type in IMAGE_TYPES else "attachment"
    name = upload.filename
    if thumbnail:
        name = f"{name.rsplit('.', 1)[0]}.thumbnail.webp"
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    fallback = fallback.replace('"', "_").replace("\\", "_")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


async def _serve(
    request: Request, principal: ShortPrincipal, store: FileStore, upload_id: UUID, thumbnail: bool
) -> StreamingResponse:
    async with short_unit(request, read_only=True) as uow:
        upload = await visible_upload(uow, principal, upload_id)
    if thumbnail and not upload.has_thumbnail:
        raise NotFound("This upload has no thumbnail.")
    try:
        chunks: AsyncIterator[bytes] = await store.open(
            upload.thumbnail_key if thumbnail else upload.key
        )
    except FileMissing:
        raise NotFound(UPLOAD_NOT_FOUND) from None
    media_type = THUMBNAIL_TYPE if thumbnail else upload.content_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    headers = {**FILE_HEADERS, "Content-Disposition": _disposition(upload, thumbnail)}
    if not thumbnail:
        headers["Content-Length"] = str(upload.size)
    return StreamingResponse(chunks, media_type=media_type, headers=headers)


@router.get("/uploads/{upload_id}", response_class=StreamingResponse, responses=FILE_RESPONSE)
async def get_upload(
    upload_id: UploadId, request: Request, principal: ShortPrincipal, store: FileStoreDep
) -> StreamingResponse:
    """The file, to whoever may see the post or comment it is attached to (unattached: only its
    uploader); 404 to everyone else."""
    return await _serve(request, principal, store, upload_id, thumbnail=False)


@router.get(
    "/uploads/{upload_id}/thumbnail", response_class=StreamingResponse, responses=FILE_RESPONSE
)
async def get_upload_thumbnail(
    upload_id: UploadId, request: Request, principal: ShortPrincipal, store: FileStoreDep
) -> StreamingResponse:
    """An image's thumbnail (WebP, at most 320 px a side), to whoever may see the image."""
    return await _serve(request, principal, store, upload_id, thumbnail=True)
