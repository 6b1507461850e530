"""Uploaded files: what they are, which types the product takes, and how their type is decided.

The type comes from the bytes, never from the file's name or the type the client claims: a
closed list of magic numbers, checked again by decoding (images with Pillow, Office and
OpenDocument files by reading their zip directory). Markup (HTML, SVG, XML) is never taken: served
from this origin it could run script.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.errors import UnsupportedMedia

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
PDF = "application/pdf"
TEXT = "text/plain"
CSV = "text/csv"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})
# Each accepted type and the extension its files are saved under (whatever the uploaded name
# said: a PNG named "page.html" is downloaded as "page.png").
EXTENSIONS: dict[str, str] = {
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    PDF: "pdf",
    TEXT: "txt",
    CSV: "csv",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
}
THUMBNAIL_TYPE = WEBP
# Unattached uploads older than this are removed (rows and bytes) by a periodic job.
UNATTACHED_TTL_HOURS = 24
FILENAME_MAX = 120

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_TYPES = frozenset({ODT, ODS, ODP})
# Text that starts like markup is refused: a browser told otherwise might still render it.
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|meta|!--)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[^\w .()+-]+")


@dataclass(frozen=True, slots=True)
class Attachment:
    """An uploaded file shown under a post or comment. Kept on the post's (or comment's) own row
    as well, so that a page of posts has its attachments in the same statement."""

    id: UUID
    content_type: str
    size: int
    filename: str
    has_thumbnail: bool

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


@dataclass(slots=True)
class Upload:
    id: UUID
    owner_id: UUID
    content_type: str
    size: int
    filename: str
    has_thumbnail: bool
    created_at: datetime
    post_id: UUID | None = None
    comment_id: UUID | None = None

    @property
    def attached(self) -> bool:
        return self.post_id is not None

    @property
    def key(self) -> str:
        """Where its bytes are stored."""
        return str(self.id)

    @property
    def thumbnail_key(self) -> str:
        return f"{self.id}.thumbnail"

    def attachment(self) -> Attachment:
        return Attachment(self.id, self.content_type, self.size, self.filename, self.has_thumbnail)


def sniff(data: bytes, filename: str = "") -> str:
    """The content type of `data`, one of EXTENSIONS; UnsupportedMedia for anything else.

    `filename` only tells CSV from other plain text (both are inert text)."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return _text_type(data, filename)


def _office_type(data: bytes) -> str:
    """Office Open XML and OpenDocument files are zips: their directory says which (nothing is
    decompressed but OpenDocument's short `mimetype` entry). Macro-enabled files are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in _ODF_TYPES and not any("basic/" in n.lower() for n in names):
                    return declared
            if "[Content_Types].xml" in names and not any(
                n.lower().endswith("vbaproject.bin") for n in names
            ):
                for prefix, content_type in _OOXML_PARTS:
                    if any(n.startswith(prefix) for n in names):
                        return content_type
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError):
        pass
    raise UnsupportedMedia("Only Word, Excel, PowerPoint and OpenDocument files are taken.")


def _text_type(data: bytes, filename: str) -> str:
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedMedia(
            "This type of file is not taken: images (PNG, JPEG, GIF, WebP), PDF, text, CSV, "
            "and Office or OpenDocument files are."
        ) from None
    if _CONTROL.search(text) or _MARKUP.search(data[:4096]) or text.lstrip().startswith("<"):
        raise UnsupportedMedia("HTML, SVG, XML and binary files are not taken.")
    return CSV if filename.lower().endswith(".csv") else TEXT


def safe_filename(name: str, content_type: str) -> str:
    """A name fit for a Content-Disposition header and a download folder: no directories, no
    control characters or quotes, at most FILENAME_MAX characters, and the extension of the
    content's real type."""
    base = re.split(r"[/\\]", name)[-1]
    base = unicodedata.normalize("NFKC", base)
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._") or "file"
    extension = EXTENSIONS[content_type]
    return f"{stem[: FILENAME_MAX - len(extension) - 1]}.{extension}"
