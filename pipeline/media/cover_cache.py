"""The covers made from the user's images (feed, pages, tags), each made once into the cache.

Making a cover decodes the user's image, resizes and encodes it again: 0.04 to 0.3 s each, three or four per
image. A podcast's cover and each episode's own cover would cost that in every build, an edit's or an
addition's included. Each made cover is kept in `.cache/portevoix/covers/` under the digest of the image it
was made from (taken from the identity cache: the image is read again only after it changed), what was made
(feed, page or tag cover, its size) and the version of the code and of Pillow that made it. A build then reads
the made cover's few kilobytes instead; a changed image has another digest, so a new cover is made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from pipeline.audio.identity_cache import IdentityCache, identity
from pipeline.fsutil import code_digest, file_digest, write_atomically
from pipeline.media import images

FOLDER = "covers"
"""In the cache (`.cache/portevoix/`); its temporaries are swept by build.clear_interrupted_work."""


@cache
def maker_stamp() -> str:
    """The version of what makes covers (images.py and Pillow), part of each made cover's name."""
    from PIL import __version__ as pillow

    return code_digest(f"Pillow {pillow}", [Path(images.__file__)])[:8]


def checked_cover(path: Path, known: IdentityCache | None) -> list[str]:
    """images.cover_problems of `path` (which decodes the whole image: 15 to 60 ms), remembered by the identity
    cache (`known`) for the image's identity and the code that checks it."""
    if known is None:
        return images.cover_problems(path)
    return known.remembered(path, "cover_problems", maker_stamp(), lambda: images.cover_problems(path),
                            valid=lambda found: isinstance(found, list) and all(isinstance(line, str) for line in found))


class CoverCache:
    """Feed, page and tag covers of the images in the podcast folder, made once while each image stays the same.

    `known`: the identity cache, which gives each image's digest without reading it while it is unchanged."""

    def __init__(self, cache_root: Path, known: IdentityCache | None = None):
        self.folder = cache_root / FOLDER
        self.known = known

    def _digest(self, source: Path) -> str:
        return self.known.digest(source) if self.known is not None else file_digest(source)

    def _made(self, source: Path, kind: str, make: Callable[[], bytes]) -> Path:
        """The made cover's file: kept under the image's digest; when the image changed while it was being read
        (its identity before and after differ), under the made bytes' own digest instead, so that no name ever
        gives a cover made from other bytes than its name says."""
        before = identity(source.stat())
        target = self.folder / f"{self._digest(source)[:32]}-{kind}-{maker_stamp()}.jpg"
        if target.is_file():
            return target
        data = make()
        if identity(source.stat()) != before:
            target = self.folder / f"made-{hashlib.sha256(data).hexdigest()[:32]}-{kind}-{maker_stamp()}.jpg"
        write_atomically(target, data)
        return target

    def feed(self, source: Path) -> bytes:
        """images.feed_cover of `source`."""
        return self._made(source, "feed", lambda: images.feed_cover(source)).read_bytes()

    def page(self, source: Path, size: int) -> bytes:
        """images.page_cover of `source` at `size`."""
        return self._made(source, f"page{size}", lambda: images.page_cover(source, size)).read_bytes()

    def tag(self, source: Path) -> Path:
        """The cover to embed in audio tags (the feed's square RGB JPEG: tag readers, car radios and old players
        handle a plain RGB JPEG best, whatever the user's file is), as a file of the cache."""
        return self._made(source, "feed", lambda: images.feed_cover(source))
