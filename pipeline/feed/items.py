"""The feed made item by item: each <item>'s text made once, kept in `.cache/`, keyed by what it shows.

A feed page is its channel (feedgen's, without items) with the items' texts spliced in before
`</channel>`. Each item's text is what feedgen writes for it in the whole feed, byte for byte: it is
serialised inside an `<rss><channel>` with the feed's namespaces, pretty-printed at the same depth,
and cut out (lxml's indentation of an element depends only on its depth and on its own content).
The key of an item is the digest of its view (every value it shows, `rss.item_view`) and of the code
that writes it, so an edited or added episode makes its own item only; the others are read back as
bytes. No tree of the whole feed is ever built.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from importlib.metadata import version
from functools import cache
from pathlib import Path

from lxml import etree

from pipeline.audio.cache import CACHE_DIR
from pipeline.fsutil import code_digest, write_atomically

log = logging.getLogger(__name__)

FOLDER = "feed-items"
CHANNEL_CLOSE = b"  </channel>"
CHANNEL_END = CHANNEL_CLOSE + b"\n</rss>\n"
"""How a pretty-printed feed ends: the items go just before it."""
ITEM_START = b"    <item>"


@cache
def _code_version() -> str:
    """The digest of what writes an item: the feed modules' source and the versions of feedgen and lxml."""
    here = Path(__file__).resolve().parent
    return code_digest(f"feedgen {version('feedgen')} lxml {etree.LXML_VERSION}",
                       tuple(here / name for name in ("rss.py", "podcasting.py", "items.py")))


def item_key(view: dict) -> str:
    """The key of an item's text: the digest of its view and of the code that writes it."""
    text = json.dumps(view, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((_code_version() + "\0" + text).encode("utf-8")).hexdigest()


def channel_parts(channel: bytes) -> tuple[bytes, bytes, dict]:
    """(what comes before the items, what comes after, the namespaces) of a pretty-printed feed without items."""
    if not channel.endswith(CHANNEL_END):
        raise ValueError("the channel does not end as a pretty-printed feed does")
    head = channel[: -len(CHANNEL_END)]
    return head, CHANNEL_END, dict(etree.fromstring(channel).nsmap)


def item_text(element, nsmap: dict) -> bytes:
    """The text of one <item> element as it is in the whole pretty-printed feed (from ITEM_START to its last newline)."""
    rss = etree.Element("rss", nsmap=nsmap)
    channel = etree.SubElement(rss, "channel")
    channel.append(element)
    text = etree.tostring(rss, pretty_print=True, encoding="UTF-8")
    return text[text.index(ITEM_START) : text.rindex(CHANNEL_CLOSE)]


class ItemStore:
    """The items' texts in `.cache/portevoix/feed-items/<key>.xml`; only those the last build used are kept."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR / FOLDER
        self.used: set[str] = set()
        self.made = 0

    def text(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The item's text from the store, else `make()` (then kept).

        Each file starts with the SHA-256 of the text it holds, checked when it is read: a damaged or
        truncated file is made again, never spliced into the feed."""
        self.used.add(key)
        path = self.folder / f"{key}.xml"
        try:
            digest, _, data = path.read_bytes().partition(b"\n")
            if hashlib.sha256(data).hexdigest().encode() == digest:
                return data
        except OSError:
            pass
        data = make()
        self.made += 1
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
        except OSError as exc:
            log.warning("cannot keep a feed item in %s: %s", self.folder, exc)
        return data

    def prune(self) -> None:
        """Remove the texts no item of this build used (an edited episode's old text)."""
        try:
            names: Iterable[str] = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.removesuffix(".xml") not in self.used:  # also what a killed build left half-written
                (self.folder / name).unlink(missing_ok=True)
