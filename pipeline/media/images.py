"""Cover images: checked, and made in the sizes the feed and the pages need (Pillow).

The feed wants a square RGB JPEG of 1400 to 3000 px; pages want small ones.
The user's file is only read. Its pixel size is read from the header before
anything is decoded (a 20000 px PNG would take gigabytes), damaged or
oversized chunks are one line, and the EXIF orientation a phone writes is
applied, so that a cover shows upright.
"""

from __future__ import annotations

import io
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


def feed_cover_size(path: Path) -> int:
    """The side, in pixels, of the feed's cover made from `path` (read from the header alone)."""
    with Image.open(path) as image:
        return max(FEED_MIN, min(FEED_MAX, min(image.size)))


def feed_cover(path: Path) -> bytes:
    """Square RGB JPEG between 1400 and 3000 px, as Apple Podcasts requires."""
    image = open_cover(path)
    return _jpeg(image, max(FEED_MIN, min(FEED_MAX, min(image.size))), quality=88)


def page_cover(path: Path, size: int) -> bytes:
    """A small JPEG for pages: a few kilobytes instead of the full cover."""
    return _jpeg(open_cover(path), size, quality=80)


# The cover `portevoix init` draws when the collective has none yet: the title and the collective's
# name on a plain background. It is marked (a JPEG comment holding the digest of the rest of the
# file), so that `check` can say it is still the generated one, and stops saying so as soon as the
# file is replaced or edited.

GENERATED_SIZE = FEED_MAX
_GENERATED_MARK = b"portevoix generated cover sha256="
BACKGROUND, INK, ACCENT = (28, 61, 90), (250, 246, 238), (242, 181, 68)
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",  # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",  # Fedora
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",  # Arch
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",  # macOS
    "/Library/Fonts/Arial Bold.ttf",
)
"""Fonts with every letter of French (é, ç, œ, «…»), tried in order; Pillow's own font is the last resort."""


_PLAIN_LETTERS = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "—": "-", "–": "-", "’": "'", "…": "...", "\u00a0": " ", "\u202f": " "})


def _font_file() -> str | None:
    return next((name for name in FONT_FILES if Path(name).is_file()), None)


def _fitted_lines(draw, text: str, font_for, width: int, start: int, smallest: int, max_lines: int):
    """(font, lines): the largest size from `start` down at which `text`, wrapped on words, fits `width` in `max_lines`."""
    words = text.split()
    size = start
    while True:
        font = font_for(size)
        lines: list[str] = []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and draw.textlength(candidate, font=font) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        fits = len(lines) <= max_lines and all(draw.textlength(line, font=font) <= width for line in lines)
        if fits or size <= smallest:
            return font, lines
        size = int(size * 0.9)


def generated_cover(title: str, author: str) -> bytes:
    """A square 3000 px JPEG with `title` and `author` on a plain background, marked as generated."""
    from PIL import ImageDraw, ImageFont

    font_file = _font_file()
    if font_file is None:
        # Pillow's built-in font has no accented letters, no œ and no dashes: write them plainly rather than as boxes.
        import unicodedata

        def plain(text: str) -> str:
            text = text.translate(_PLAIN_LETTERS)
            return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))

        title, author = plain(title), plain(author)

        def font_for(size: int):
            return ImageFont.load_default(size=size)
    else:

        def font_for(size: int):
            return ImageFont.truetype(font_file, size)

    size = GENERATED_SIZE
    margin = size // 10
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, title_lines = _fitted_lines(draw, title, font_for, size - 2 * margin, size // 9, size // 40, 5)
    author_font, author_lines = _fitted_lines(draw, author, font_for, size - 2 * margin, size // 22, size // 60, 2)
    line_height = int(title_font.size * 1.2)
    y = margin + size // 12
    for line in title_lines:
        draw.text((margin, y), line, font=title_font, fill=INK)
        y += line_height
    draw.rectangle((margin, y + size // 40, margin + size // 5, y + size // 40 + size // 100), fill=ACCENT)
    author_height = int(author_font.size * 1.25)
    y = size - margin - author_height * len(author_lines)
    for line in author_lines:
        draw.text((margin, y), line, font=author_font, fill=ACCENT)
        y += author_height
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, optimize=True, progressive=True)
    return _mark(buffer.getvalue())


def _mark(jpeg: bytes) -> bytes:
    import hashlib

    comment = _GENERATED_MARK + hashlib.sha256(jpeg).hexdigest().encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return jpeg[:2] + segment + jpeg[2:]


def is_generated_cover(path: Path) -> bool:
    """True when `path` is still, byte for byte, the cover `portevoix init` generated."""
    import hashlib

    try:
        with path.open("rb") as handle:
            head = handle.read(4 + 2 + 256)
            if head[:4] != b"\xff\xd8\xff\xfe":
                return False
            length = int.from_bytes(head[4:6], "big")
            comment = head[6 : 4 + length]
            if not comment.startswith(_GENERATED_MARK):
                return False
            handle.seek(4 + length)
            rest = handle.read()
    except OSError:
        return False
    return hashlib.sha256(b"\xff\xd8" + rest).hexdigest().encode() == comment[len(_GENERATED_MARK) :]
