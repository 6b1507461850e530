"""Files for upload tests, made on the spot (images with Pillow, documents as their formats
are laid out)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
from PIL import Image

from tests.helpers import Account

GPS_IFD = 0x8825


def png(size: tuple[int, int] = (64, 48), color: str = "red", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_location(size: tuple[int, int] = (80, 60)) -> bytes:
    """A photo whose EXIF says where it was taken and with which camera."""
    image = Image.new("RGB", size, "blue")
    exif = Image.Exif()
    exif[0x010F] = "Leaky Camera Co"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


async def upload(
    client: httpx.AsyncClient,
    who: Account,
    data: bytes,
    name: str = "file.bin",
    content_type: str = "application/octet-stream",
) -> httpx.Response:
    return await client.post(
        "/uploads", files={"file": (name, data, content_type)}, headers=who.headers
    )


async def uploaded(client: httpx.AsyncClient, who: Account, data: bytes, name: str) -> Any:
    response = await upload(client, who, data, name)
    assert response.status_code == 201, response.text
    return response.json()
