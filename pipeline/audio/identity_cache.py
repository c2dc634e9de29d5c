"""What is known about a source file, kept while the file stays the same: its digest and its probe.

A recording of two hours is a gigabyte or more; reading it to hash it, and decoding
parts of it to check it, on every `build` and `check` would make a large archive slow.
As git's index and make do, a file counts as unchanged while its identity is: the
device and inode it lives on, its size and its modification time in nanoseconds.
Anything that rewrites, replaces or `touch`es the file changes one of those, and what
was known about it is computed again (the digest then decides whether the processed
audio is still good: a `touch` alone keeps it).

The entries live in `.cache/portevoix/identity.json`; only those used by the last
run that saved are kept. Losing the file only costs time.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any
from collections.abc import Callable
from pipeline.fsutil import cache_not_kept, file_digest, write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "identity.json"
FORMAT = 1
"""Bump when what is stored (or how a probe is made) changes: every entry is then made again."""


def identity(stat: os.stat_result) -> tuple[str, list[int]]:
    """(entry key, what must still match): the file's device and inode, its size and mtime in ns."""
    return f"{stat.st_dev}:{stat.st_ino}", [stat.st_size, stat.st_mtime_ns]


class IdentityCache:
    """Facts about files (`digest`, `probe`), each recomputed only when the file's identity changes."""

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / FILE_NAME
        self.entries: dict[str, dict[str, Any] | str] = {}
        """{device:inode: entry}; an entry is held as its JSON text after `pack`, until it is looked at again."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("format") == FORMAT and isinstance(saved.get("files"), dict):
                self.entries = saved["files"]
        except (OSError, ValueError, AttributeError):
            pass
        self.used: set[str] = set()
        self.changed = False
        self.written: set[str] = set(self.entries)
        """The keys the file holds."""

    def _lookup(self, key: str) -> dict[str, Any] | None:
        """The entry of `key`, made a dict again when `pack` left it as text."""
        entry = self.entries.get(key)
        if isinstance(entry, str):
            entry = self.entries[key] = json.loads(entry)
        return entry

    def pack(self) -> None:
        """Hold every entry as its JSON text until it is looked at again (`_lookup`).

        For a caller done with most files for a while: a build, once its audio step is saved, only looks at its
        covers' entries again; at ten thousand episodes the 30,000 entries are 19 MB as dicts, 6 MB as text, and
        were held through the rest of the build (its peak, the pages and the feed, included)."""
        for key, entry in self.entries.items():
            if not isinstance(entry, str):
                self.entries[key] = json.dumps(entry, separators=(",", ":"))

    def _entry(self, path: Path) -> dict[str, Any]:
        key, stamp = identity(path.stat())
        self.used.add(key)
        entry = self._lookup(key)
        if entry is None or entry.get("stamp") != stamp:
            entry = self.entries[key] = {"stamp": stamp}
            self.changed = True
        return entry

    def _fact(self, path: Path, name: str, compute: Callable[[], Any]) -> Any:
        entry = self._entry(path)
        if name not in entry:
            before = path.stat()
            value = compute()
            if identity(path.stat()) != identity(before):
                return value  # the file changed while it was read: do not remember a value that may be stale
            entry[name] = value
            self.changed = True
        return entry[name]

    def digest(self, path: Path) -> str:
        """SHA-256 of the file's bytes, read only when the file is new or changed."""
        return self._fact(path, "sha256", lambda: file_digest(path))

    def learn_digest(self, path: Path, digest: str) -> None:
        """Remember `digest` as the SHA-256 of the file as it is now (one this process just wrote and hashed)."""
        self._fact(path, "sha256", lambda: digest)

    def known_digest(self, path: Path) -> str | None:
        """The file's SHA-256 when it is known for the file as it is now; None (nothing read) otherwise."""
        try:
            key, stamp = identity(path.stat())
        except OSError:
            return None
        entry = self._lookup(key)
        if entry is None or entry.get("stamp") != stamp:
            return None
        self.used.add(key)
        return entry.get("sha256")

    def fact(self, path: Path, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()` (a JSON value describing the file, e.g. its probe), made once while the file is unchanged.

        An exception raised by `compute` is not remembered: a file that fails is looked at again next time."""
        return self._fact(path, name, compute)

    def remembered(self, path: Path, name: str, key: str, compute: Callable[[], Any],
                   valid: Callable[[Any], bool] = lambda value: True) -> Any:
        """`compute()` made once for the file's identity and `key` (e.g. the digest of what was read and of
        the code that reads it): a stored value under another key, or damaged, is made again. The value is
        kept as JSON text, so that changing what is returned changes nothing kept.

        `compute` must return a JSON value that comes back as it went (see `plain`), else it is not kept;
        a kept value that `valid` refuses is made again."""
        entry = self._entry(path)
        kept = entry.get(name)
        if isinstance(kept, dict) and kept.get("key") == key and isinstance(kept.get("json"), str):
            try:
                value = json.loads(kept["json"])  # a fresh value each time: what the caller changes is not kept
            except (ValueError, RecursionError):
                pass  # damaged: made again
            else:
                if valid(value):
                    return value
        value = compute()
        if plain(value):
            entry[name] = {"key": key, "json": json.dumps(value, separators=(",", ":"))}
            self.changed = True
        return value

    def save(self, prune: bool = True) -> None:
        """Write the entries used since loading (others belong to files that are gone or not looked at).

        The others stay known in memory until the object is dropped: a build saves after reading the
        podcast folder, then uses the entries of the cache's tagged media, and saves again.
        `prune=False` keeps the others too: for a look at one file (the studio's page of one episode), which
        cannot know whether the files it did not look at are gone."""
        if not prune:
            self.used.update(self.entries)
        kept = {key: self._lookup(key) for key in sorted(self.used) if key in self.entries}
        if not self.changed and set(kept) == self.written:
            return
        try:
            write_atomically(self.path, json.dumps({"format": FORMAT, "files": kept}, separators=(",", ":")))
            self.written = set(kept)
        except OSError as exc:
            cache_not_kept(log, "file identity cache", self.path, exc)
        self.changed = False


def plain(value: Any) -> bool:
    """True when `value` comes back from JSON as it is: mappings with text keys, lists, text, numbers, booleans, None."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    return False
