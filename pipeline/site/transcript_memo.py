"""What the pages make of a transcript, remembered across builds: the key of its speaker turns, its search document.

A two-hour debate's transcript has about 2,000 cues. Every build laid them out as speaker turns (times in the
published audio, links into it) only to key the transcript page (the turns' digest) and to write the episode's
search document. Neither changes while the transcript, the audio's time map and the code stay the same: on 20
such episodes that was 0.4 s of a 0.9 s build that rendered nothing.

Now the turns' key is made from what they are made from (`turns_key`). The search document is kept under the
key of what it is made from: the episode's context digest, the turns' key and the language (`Memo.document`). The
turns themselves are made only when the transcript page is really rendered, or a document is missing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from pipeline.feed.sidecars import REMEMBERED_FROM, transcript_key
from pipeline.fsutil import cache_not_kept, code_digest, write_atomically
from pipeline.media.built import BuiltEpisode

log = logging.getLogger(__name__)

FOLDER = "transcript-documents"
"""In the cache: one file a document, named by its key (documents are written once, read when kept)."""
FORMAT = 1
KEPT_FROM = REMEMBERED_FROM
"""Transcripts of this many bytes or more (about 120 cues, ten minutes of debate) have their document kept: a
short one is laid out in well under a millisecond, and keeping the documents of ten thousand short transcripts
would hold ~15 MB more through a build whose memory is bounded (see feed/sidecars.py, bench/RESULTS.md, issue 13)."""
MADE_BY = ("site/episode_pages.py", "site/search.py", "site/words.py", "textfmt.py", "media/built.py", "media/formats.py",
           "audio/__init__.py", "audio/edits.py", "source/transcripts.py", "feed/sidecars.py")
"""The code the turns and the documents are made by (relative to the package): a change there makes them again."""


@cache
def _code() -> str:
    package = Path(__file__).resolve().parent.parent
    return code_digest(f"transcript memo {FORMAT}", tuple(package / name for name in MADE_BY))


def turns_key(item: BuiltEpisode, language: str) -> tuple[str, int]:
    """The key of `episode_pages.transcript_turns(item, language)`, and the transcript's size in bytes. The key is
    made from the transcript's bytes and kind, where the published audio puts each moment of the recording (its
    time map, trim and length), the main file the cues link into, the language and the code (MADE_BY)."""
    return transcript_key(item, _code(), item.main.name, language)


def document_key(context_key: str, turns: str, language: str) -> str:
    """The key of an episode's search document (`search.document`): its context's digest, its turns' key."""
    return hashlib.sha256(f"{_code()}|{context_key}|{turns}|{language}".encode()).hexdigest()


class Memo:
    """The search documents of the episodes with a long transcript (KEPT_FROM), one file each in `cache`'s FOLDER
    (None: none kept). A document is written when it is made, read when it is kept; after the build, the files
    of documents it did not use are removed (`save`). None is held in memory."""

    def __init__(self, cache: Path | None):
        self.folder = cache / FOLDER if cache is not None else None
        self.used: set[str] = set()
        self.unsaved = False

    def document(self, key: str, size: int, make: Callable[[], str]) -> str:
        """The document under `key`, else `make()`; kept when its transcript is `size` bytes, KEPT_FROM or more."""
        if size < KEPT_FROM or self.folder is None:
            return make()
        self.used.add(key)
        path = self.folder / f"{key}.html"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass  # not kept yet (or unreadable): made, and kept
        text = make()
        if not self.unsaved:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomically(path, text)
            except OSError as exc:
                self.unsaved = True  # said once, the build goes on without it
                cache_not_kept(log, "the transcripts' search documents", path, exc)
        return text

    def save(self) -> None:
        """Remove the kept documents this build did not use (an edited transcript's old one, a removed episode's)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix == ".html" and path.stem not in self.used and not path.name.startswith("."):
                path.unlink(missing_ok=True)
