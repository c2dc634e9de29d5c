"""An episode's transcript files (WebVTT, SubRip, plain text) made only when the site does not already hold them.

Every build made the three transcript files of every episode (sidecars.transcript_files) to learn their sizes
(the pages show them), their digests (the feed check's proofs, the writer's comparison with the current site) and
their bytes (written when they changed). For a two-hour debate that is its ~2,000 cues parsed (9 ms) and laid out
three times (3 ms), in each build, for files that had not changed.

Those files are made from the transcript's bytes and kind, where the published audio puts each moment of the
recording (its time map, trim and length), the episode's slug, title and transcript status, the language and the
code (MADE_BY): their *key*. What a build learnt of the files it made under a key, their sizes and SHA-256
digests, is kept in `.cache/portevoix/transcript-files.json`; a later build with the same key knows them without
making them (`SidecarFiles.known`), and makes their bytes only when asked for them (the writer, when the current
site does not hold those very bytes; the feed check, for an item it has not passed before). Losing the file
only costs time. Only transcripts of REMEMBERED_FROM bytes or more (sidecars.py) are remembered: a shorter one's
files are made at once, as they cost less than their memo.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path

from pipeline import paths
from pipeline.feed.sidecars import REMEMBERED_FROM, chapters_json, transcript_files, transcript_key
from pipeline.fsutil import cache_not_kept, code_digest, write_atomically
from pipeline.media.built import BuiltEpisode

log = logging.getLogger(__name__)

FILE_NAME = "transcript-files.json"
FORMAT = 1
MADE_BY = ("feed/sidecars.py", "feed/sidecar_memo.py", "source/transcripts.py", "source/cues.py", "source/fields.py",
           "textfmt.py", "paths.py", "media/built.py", "audio/__init__.py", "audio/edits.py")
"""The code the transcript files are made by (relative to the package): a change there makes them again."""
EXTENSIONS = ("vtt", "srt", "txt")
"""The files sidecars.transcript_files makes for an episode with a transcript, always all three."""


@cache
def _code() -> str:
    package = Path(__file__).resolve().parent.parent
    return code_digest(f"transcript files {FORMAT}", tuple(package / name for name in MADE_BY))


def files_key(item: BuiltEpisode, language: str) -> str:
    """The key of `sidecars.transcript_files(item, language)`: what those files are made from (see the module's
    docstring)."""
    meta = item.episode.meta
    return transcript_key(item, _code(), item.episode.slug, meta.title, meta.transcript_status, language)[0]


class Memo:
    """{key: {site path: [size, SHA-256 hex]}} of the transcript files made under each key, in `cache_dir`
    (None: nothing kept); `save` writes what this build used and made, when that changed."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / FILE_NAME if cache_dir is not None else None
        self.old: dict[str, dict[str, list]] = self._read()
        self.new: dict[str, dict[str, list]] = {}

    def _read(self) -> dict[str, dict[str, list]]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
            return {}
        return data["files"]

    def known(self, key: str) -> dict[str, tuple[int, str]] | None:
        """The files made under `key` as {site path: (size, digest)} when they are known (then kept by `save`), else None."""
        entry = self.old.get(key) or self.new.get(key)
        try:
            found = {name: (int(size), str(digest)) for name, (size, digest) in entry.items()} if isinstance(entry, dict) else None
        except (TypeError, ValueError):
            found = None
        if not found or len(found) != len(EXTENSIONS) or any(len(digest) != 64 for _, digest in found.values()):
            return None
        self.new[key] = {name: [size, digest] for name, (size, digest) in found.items()}
        return found

    def made(self, key: str, files: Mapping[str, bytes]) -> None:
        self.new[key] = {name: [len(data), hashlib.sha256(data).hexdigest()] for name, data in files.items()}

    def save(self) -> None:
        if self.path is None or self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps({"format": FORMAT, "files": self.new}, sort_keys=True, separators=(",", ":")))
        except OSError as exc:
            cache_not_kept(log, "the transcript files' sizes", self.path, exc)


class SidecarFiles(Mapping[str, bytes]):
    """{site path: bytes} of the files the feed points to besides the media: every episode's chapters (made here)
    and transcript files, whose bytes are made only when asked for when the memo knows their sizes and digests
    (`known`, `size`). Made bytes are held until `forget` (once written); an episode's three files are made
    together. What it holds and their sizes stay known after `forget`: the pages, made after the sidecars are
    written, show them."""

    def __init__(self, built: list[BuiltEpisode], language: str, memo: Memo):
        self.memo = memo
        self.eager: dict[str, bytes] = {}
        self.facts: dict[str, tuple[int, str]] = {}
        self.makers: dict[str, Callable[[], dict[str, bytes]]] = {}
        self.held: dict[str, bytes] = {}
        self.sizes: dict[str, int] = {}
        """{site path: size} of every file it holds."""
        self.forgotten: set[str] = set()
        for item in built:
            slug = item.episode.slug
            transcript = item.episode.transcript
            if transcript is not None and os.stat(transcript).st_size < REMEMBERED_FROM:
                self.eager.update(transcript_files(item, language))  # made at once, not remembered (see REMEMBERED_FROM)
            elif transcript is not None:
                key = files_key(item, language)
                known = memo.known(key)
                names = [paths.transcript_file(slug, extension) for extension in EXTENSIONS]
                if known is not None and set(known) == set(names):
                    self.facts.update(known)
                    maker = self._maker(item, language, key)
                    for name in names:
                        self.makers[name] = maker
                else:
                    made = transcript_files(item, language)
                    memo.made(key, made)
                    self.eager.update(made)
            chapters = chapters_json(item)
            if chapters is not None:
                self.eager[paths.chapters_file(slug)] = chapters
        self.sizes = {**{name: len(data) for name, data in self.eager.items()}, **{name: fact[0] for name, fact in self.facts.items()}}

    def _maker(self, item: BuiltEpisode, language: str, key: str) -> Callable[[], dict[str, bytes]]:
        def make() -> dict[str, bytes]:
            made = transcript_files(item, language)
            self.memo.made(key, made)
            return made

        return make

    def known(self, name: str) -> tuple[int, str] | None:
        """(size, SHA-256 hex) of `name` without making it, when the memo knows them."""
        return self.facts.get(name)

    def size(self, name: str) -> int:
        return self.sizes[name]

    def __getitem__(self, name: str) -> bytes:
        if name in self.eager:
            return self.eager[name]
        if name not in self.held:
            maker = self.makers[name]  # KeyError for a name it does not hold (or one made at the start, written, forgotten)
            for made_name, data in maker().items():
                if made_name in self.makers and (made_name == name or made_name not in self.forgotten):
                    self.held[made_name] = data
        return self.held[name]

    def __contains__(self, name: object) -> bool:
        return name in self.sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)

    def forget(self, name: str) -> None:
        """Drop the bytes of `name` once written (the writer does not ask for them again; its size stays known)."""
        self.eager.pop(name, None)
        self.held.pop(name, None)
        self.forgotten.add(name)
