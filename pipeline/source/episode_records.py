"""What reading an episode folder found, kept while the files it read stay the same: its fields and show notes.

Reading an episode is parsing episode.md's YAML, validating every field, checking the files it names and reading its
transcript and cover; on an archive of a thousand episodes that is a pass over every one of them in each build,
`check` and studio refresh. An episode that was read without any problem leaves a *record*: its validated fields,
the digest of episode.md's text, and the identity (device, inode, size, mtime in ns, as build_stamp.py and the
identity cache decide) of episode.md and of each file it names. episode.md is read each time (a small file; its
notes come from it) and its text must be the same, even after an edit that kept its size and time; the other
files (recording, transcript, cover, jingles) must keep their identities. While all of that holds, and the code
that reads them is the same (`records_stamp`), the record gives the episode's fields: nothing is parsed or
validated again. Anything that rewrites, replaces or `touch`es one of those files, turns it into a link, removes
it, or changes the code makes the episode be read again. An episode with a problem has no record (its problems
are found again each time).

The records live in `.cache/portevoix/episode-records.txt`: a first line (RECORDS_FORMAT and the code's stamp),
then one line per episode folder, `folder name TAB JSON`, in the order the folders are read (sorted by name).
The file is read and written line by line, side by side (a merge of two sorted lists), so that its records are
never all held at once: memory stays flat however many episodes there are. Losing the file only costs time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import stat
import threading
from collections.abc import Generator
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import yaml

from pipeline.fsutil import cache_not_kept, code_digest
from pipeline.source.fields import Schema

log = logging.getLogger(__name__)

FILE_NAME = "episode-records.txt"
RECORDS_FORMAT = "portevoix episode records 1"
"""Bump when what a record holds changes."""
PACKAGE = Path(__file__).resolve().parent.parent
NAMED = ("recording", "cover", "transcript", "intro", "outro")
"""The fields of episode.md naming a file of the episode's folder (episodes.NAMED_FILES)."""


def records_sources() -> list[Path]:
    """The files of the code that reads an episode folder: the packages that parse, validate and check it (and
    the presets its fields are checked against), and the modules they use."""
    folders = ("source", "i18n", "presets", "presets/leveler")
    sources = sorted(p for name in folders for p in (PACKAGE / name).glob("*") if p.suffix in (".py", ".json"))
    return sources + [PACKAGE / name for name in ("media/images.py", "textfmt.py", "errors.py", "plain.py", "fsutil.py")]


@cache
def records_stamp() -> str:
    """The version of what reads an episode folder (records_sources), with PyYAML's and Pillow's versions."""
    from PIL import __version__ as pillow

    return code_digest(f"PyYAML {yaml.__version__} {getattr(yaml, '__with_libyaml__', False)} Pillow {pillow}", records_sources())


@cache
def _schemas() -> dict[str, type[Schema]]:
    found: dict[str, type[Schema]] = {}
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
        pending.extend(cls.__subclasses__())
    return found


def encode(value: Any) -> Any:
    """A validated value as JSON data, its types written down (a Schema's class, a date); TypeError for anything else."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, Schema):
        cls = type(value)
        return {"s": f"{cls.__module__}.{cls.__qualname__}",
                "f": {name: encode(getattr(value, name)) for name in cls.fields if getattr(value, name) is not None}}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    raise TypeError(f"not kept in a record: {type(value).__name__}")


def decode(data: Any) -> Any:
    """`encode`'s value back (KeyError, ValueError or TypeError when `data` is not one of its answers)."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "s" in data:
        return _schemas()[data["s"]](**{name: decode(v) for name, v in data["f"].items()})
    if "t" in data:
        return dt.datetime.fromisoformat(data["t"])
    return dt.date.fromisoformat(data["d"])


def same(first: Any, second: Any) -> bool:
    """True when two validated values are equal, types included (a record gives back exactly what was read)."""
    if type(first) is not type(second):
        return False
    if isinstance(first, list):
        return len(first) == len(second) and all(same(a, b) for a, b in zip(first, second))
    if isinstance(first, Schema):
        return all(same(getattr(first, name), getattr(second, name)) for name in type(first).fields)
    if isinstance(first, dt.datetime):
        return first == second and first.utcoffset() == second.utcoffset() and first.tzname() == second.tzname()
    return bool(first == second)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_identity(path: str) -> list[int] | None:
    """[device, inode, size, mtime_ns] of a regular file (not a link to one); None for anything else."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns]


def _read_files(folder: Path, meta: Schema, source: str) -> dict[str, list[int]] | None:
    """{file name: identity} of episode.md (`source`) and of every file `meta` names; None when one is not a regular
    file directly in `folder` (a name with a folder in it, or a link, is checked by reading the episode each time)."""
    names = [source] + [getattr(meta, key) for key in NAMED if getattr(meta, key)]
    files = {}
    for name in names:
        if not isinstance(name, str) or "/" in name or name in (".", ".."):
            return None
        identity = file_identity(os.path.join(folder, name))
        if identity is None:
            return None
        files[name] = identity
    return files


class EpisodeRecords:
    """The records of a podcast folder's episodes: `lookup` as each folder is read (in sorted order), `keep` for an
    episode read without a problem, `close` at the end (the file is replaced only when something changed)."""

    def __init__(self, cache_dir: Path, source: str = "episode.md"):
        self.path = cache_dir / FILE_NAME
        self.source = source
        self.stamp = records_stamp()
        self._old = self._read()
        self._ahead: tuple[str, str] | None = next(self._old, None)
        self._out: TextIO | None = None
        self._temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        self.changed = False
        self.used = 0

    def _read(self) -> Generator[tuple[str, str], None, None]:
        try:
            lines = open(self.path, encoding="utf-8")
        except OSError:
            return
        with lines:
            if lines.readline() != f"{RECORDS_FORMAT} {self.stamp}\n":
                self.changed = True
                return
            for line in lines:
                name, tab, value = line.partition("\t")
                if not tab or not line.endswith("\n"):
                    self.changed = True
                    return
                yield name, value

    def _find(self, name: str) -> str | None:
        """The old record of folder `name`: the old file's records before it are passed (those folders are gone)."""
        while self._ahead is not None and self._ahead[0] < name:
            self.changed = True
            self._ahead = next(self._old, None)
        if self._ahead is None or self._ahead[0] != name:
            return None
        value = self._ahead[1]
        self._ahead = next(self._old, None)
        return value

    def lookup(self, folder: Path, text: str) -> Any | None:
        """The fields of the episode in `folder` when its record still holds (`text`: episode.md's, as read now), else None."""
        value = self._find(folder.name)
        if value is None:
            return None
        try:
            record = json.loads(value)
            files = record["files"]
            if not isinstance(files, dict) or self.source not in files:
                raise ValueError("no episode file")
            for name, identity in files.items():
                if "/" in name or file_identity(os.path.join(folder, name)) != identity:
                    raise ValueError("changed")
            if record["text"] != text_digest(text):
                raise ValueError("edited")
            meta = decode(record["meta"])
            if set(files) != {self.source, *(getattr(meta, key) for key in NAMED if getattr(meta, key))}:
                raise ValueError("not the files it names")
        except (ValueError, KeyError, TypeError, AttributeError):
            self.changed = True
            return None
        self._write(folder.name, value.rstrip("\n"))
        self.used += 1
        return meta

    def keep(self, folder: Path, meta: Schema, text: str) -> None:
        """Remember the episode in `folder`, just read without a problem from episode.md's `text` (nothing, when its files are not all plain
        files of the folder, or its fields would not come back the same)."""
        files = _read_files(folder, meta, self.source)
        if files is None or "\t" in folder.name or "\n" in folder.name:
            return
        try:
            encoded = encode(meta)
        except TypeError as exc:
            log.debug("no record for %s: %s", folder.name, exc)
            return
        if not same(decode(encoded), meta):
            return
        self._write(folder.name, json.dumps({"files": files, "text": text_digest(text), "meta": encoded}, ensure_ascii=False, separators=(",", ":")))
        self.changed = True

    def _write(self, name: str, value: str) -> None:
        if self._out is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._out = open(self._temporary, "w", encoding="utf-8")
                self._out.write(f"{RECORDS_FORMAT} {self.stamp}\n")
            except OSError as exc:
                cache_not_kept(log, "episode records", self.path, exc)
                self._out = None
                return
        self._out.write(f"{name}\t{value}\n")

    def close(self) -> None:
        """Replace the file with the records used and made, when that differs from what it held."""
        if self._ahead is not None:
            self.changed = True  # records of folders after the last one read: gone
        self._old.close()
        out, self._out = self._out, None
        if out is None:
            if self.changed:
                self.path.unlink(missing_ok=True)
            return
        try:
            out.close()
            if self.changed:
                os.replace(self._temporary, self.path)
        except OSError as exc:
            cache_not_kept(log, "episode records", self.path, exc)
        finally:
            self._temporary.unlink(missing_ok=True)
