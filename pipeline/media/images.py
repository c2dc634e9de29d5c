"""Cover images: checked, and made in the sizes the feed and the pages need (Pillow).

The feed wants a square RGB JPEG of 1400 to 3000 px; pages want small ones.
The user's file is only read. Its pixel size is read from the header before
anything is decoded (a 20000 px PNG would take gigabytes), damaged or
oversized chunks are one line, and the EXIF orientation a phone writes is
applied, so that a cover shows upright.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

FEED_MIN, FEED_MAX = 1400, 3000
PAGE_SIZES = (160, 320)
"""Widths of the covers shown on pages (1x and 2x)."""


class ImageError(ValueError):
    pass


def open_cover(path: Path) -> Image.Image:
    """The cover, decoded and upright; ImageError (in words) when it cannot or must not be decoded."""
    try:
        image = Image.open(path)
        width, height = image.size  # from the header: nothing is decoded yet
        if max(width, height) > FEED_MAX:
            raise ImageError(f"is {width}x{height} px; a cover must be at most {FEED_MAX}x{FEED_MAX} (resize it to 3000x3000 or less)")
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as exc:
        raise ImageError("is far too large to be a cover (use a JPEG or PNG of 1400 to 3000 px)") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError("is not an image Pillow can read (use a JPEG or PNG file)") from exc
    except (ValueError, SyntaxError) as exc:
        # Pillow's words for a chunk too large to decompress (zTXt, iCCP…) or a damaged one.
        if isinstance(exc, ImageError):
            raise
        raise ImageError(f"has a damaged or oversized part ({str(exc).rstrip('.') or type(exc).__name__}): save it again as a plain JPEG or PNG") from None
    return upright if upright is not None else image


def cover_problems(path: Path) -> list[str]:
    """What makes `path` unfit as a podcast cover, in words (empty when it is fine)."""
    try:
        image = open_cover(path)
    except ImageError as exc:
        return [str(exc)]
    width, height = image.size
    problems = []
    if width != height:
        problems.append(f"is {width}x{height} px; a cover must be square (crop it to {min(width, height)}x{min(width, height)})")
    if min(width, height) < FEED_MIN:
        problems.append(f"is {width}x{height} px; podcast apps need at least {FEED_MIN}x{FEED_MIN}")
    return problems


def _jpeg(image: Image.Image, size: int, quality: int) -> bytes:
    # CMYK covers (made for print) are converted, not refused: every cover the site and feed publish is
    # re-encoded here as RGB JPEG anyway, and a collective should not need an image editor for this.
    rgb = (image.convert("RGBA") if image.mode == "P" else image).convert("RGB")
    if rgb.size != (size, size):
        rgb = rgb.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def feed_cover(path: Path) -> bytes:
    """Square RGB JPEG between 1400 and 3000 px, as Apple Podcasts requires."""
    image = open_cover(path)
    size = max(FEED_MIN, min(FEED_MAX, min(image.size)))
    return _jpeg(image, size, quality=88)


def page_cover(path: Path, size: int) -> bytes:
    """A small JPEG for pages: a few kilobytes instead of the full cover."""
    return _jpeg(open_cover(path), size, quality=80)


def tag_cover(path: Path, cache_root: Path) -> Path:
    """The cover to embed in audio tags: the feed's square RGB JPEG, made once into the cache.

    Tag readers (car radios, old players) handle a plain RGB JPEG best, whatever the user's file is.
    """
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    target = cache_root / "covers" / f"{digest}.jpg"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(feed_cover(path))
        os.replace(partial, target)
    return target
