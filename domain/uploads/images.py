"""Images are decoded and encoded again before they are kept: whatever rode along in the file
(EXIF with the place a photo was taken, comments, other metadata chunks) is gone, the bytes are
known to be the image they claim, and a thumbnail is made.

Decompression bombs: an image may not have more than MAX_PIXELS pixels (a small file can claim
a huge canvas); Pillow's own guard is set to the same figure, and its warning is an error here.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from domain.errors import TooLarge, UnsupportedMedia
from domain.uploads.model import GIF, JPEG, PNG, WEBP

MAX_PIXELS = 40_000_000  # about 7,300 x 5,500: any camera's photo, not a bomb
MAX_FRAMES = 500
THUMBNAIL_SIZE = (320, 320)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_FORMATS = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}
# What an encoder may still read from the image's info: how to draw it, never metadata.
_KEEP_INFO = ("transparency", "duration", "loop", "background")


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    thumbnail: bytes


def clean_image(data: bytes, content_type: str) -> CleanImage:
    """Decode, drop metadata, encode again in the same format, and make a WebP thumbnail.
    Blocking (CPU): run it in a thread."""
    expected = _FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise TooLarge(f"An image may have at most {MAX_PIXELS:,} pixels.")
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_FRAMES:
                    raise TooLarge(f"An animation may have at most {MAX_FRAMES} frames.")
                if frames > 1:
                    return _clean_animation(image, expected)
                image.load()
                upright = ImageOps.exif_transpose(image)
                clean = _without_metadata(upright, image.info)
                return CleanImage(_encode(clean, expected), _thumbnail(clean))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(f"An image may have at most {MAX_PIXELS:,} pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UnsupportedMedia(
            "The image could not be read: it is damaged or not an image."
        ) from None


def _without_metadata(image: Image.Image, info: Mapping[Any, Any]) -> Image.Image:
    clean = image.copy()
    clean.info = {key: info[key] for key in _KEEP_INFO if key in info}
    return clean


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options.setdefault("quality", 90)
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _clean_animation(image: Image.Image, fmt: str) -> CleanImage:
    frames = [
        _without_metadata(frame.copy(), frame.info) for frame in ImageSequence.Iterator(image)
    ]
    durations = [int(frame.info.get("duration", 100)) for frame in frames]
    data = _encode(
        frames[0],
        fmt,
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=int(image.info.get("loop", 0)),
    )
    return CleanImage(data, _thumbnail(frames[0]))


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.convert("RGBA" if _has_alpha(image) else "RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, format="WEBP", quality=80)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
