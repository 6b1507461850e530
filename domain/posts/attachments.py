"""Files on posts and comments: attaching the author's uploads when they save, and who may read
an upload (whoever may see what it is attached to; before that, only its uploader)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.actor import Actor
from domain.errors import NotFound, ValidationFailed
from domain.ports import UnitOfWork
from domain.posts.context import comment_context, post_context
from domain.posts.model import MAX_ATTACHMENTS
from domain.uploads.model import Attachment, Upload

UPLOAD_NOT_FOUND = "Upload not found."


async def claim_attachments(
    uow: UnitOfWork,
    actor: Actor,
    upload_ids: Sequence[UUID],
    current: Sequence[Attachment],
) -> list[Attachment]:
    """The attachments of a post (or comment) being saved, in the given order: the caller's own
    uploads, not attached elsewhere (those already on this post or comment may stay). Checked
    here; `attach` records them once the post or comment row is written."""
    ids = list(dict.fromkeys(upload_ids))
    if len(ids) > MAX_ATTACHMENTS:
        raise ValidationFailed(f"At most {MAX_ATTACHMENTS} attachments.", field="attachment_ids")
    mine = {a.id for a in current}
    found = {u.id: u for u in await uow.uploads.get_many(ids)} if ids else {}
    for upload_id in ids:
        upload = found.get(upload_id)
        if (
            upload is None
            or upload.owner_id != actor.user_id
            or (upload.attached and upload_id not in mine)
        ):
            raise ValidationFailed(
                f"Upload {upload_id} is not one of your unattached uploads.",
                field="attachment_ids",
            )
    return [found[i].attachment() for i in ids]


async def attach(
    uow: UnitOfWork,
    attachments: Sequence[Attachment],
    before: Sequence[Attachment],
    *,
    post_id: UUID,
    comment_id: UUID | None = None,
) -> None:
    """Record the attachments of a saved post or comment; those it had `before` and no longer
    has are detached (unattached again: their uploader's, removed after a day)."""
    if attachments or before:
        await uow.uploads.attach([a.id for a in attachments], post_id, comment_id)


async def visible_upload(uow: UnitOfWork, actor: Actor, upload_id: UUID) -> Upload:
    """An upload the caller may read: the same 404 as one that does not exist otherwise."""
    upload = await uow.uploads.get(upload_id)
    if upload is None:
        raise NotFound(UPLOAD_NOT_FOUND)
    try:
        if upload.comment_id is not None:
            await comment_context(uow, actor, upload.comment_id)
        elif upload.post_id is not None:
            await post_context(uow, actor, upload.post_id)
        elif upload.owner_id != actor.user_id:
            raise NotFound(UPLOAD_NOT_FOUND)
    except NotFound:
        raise NotFound(UPLOAD_NOT_FOUND) from None
    return upload
