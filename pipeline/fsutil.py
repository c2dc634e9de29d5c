"""Files written whole or not at all, and digests of files.

`write_atomically` is the one way the pipeline replaces a small file (a record, a cache index, the user's
podcast.yaml when the guid is added): a temporary file beside it, then one rename, so that a reader — or a
build killed half-way — sees the old file or the new one, never a part. `writing_atomically` does the same for
a file written piece by piece (a manifest of a hundred thousand lines), never held whole. `file_hashes` reads a file once, in
blocks (memory stays flat on an hours-long recording), for as many digests as asked.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

BLOCK = 1 << 20


def write_atomically(path: Path, data: str | bytes, *, mode: int | None = None, keep_mode: bool = False) -> None:
    """Replace (or create) `path` with `data` (text is written as UTF-8) in one rename.

    `keep_mode`: the new file keeps the permissions of the one it replaces (a file the user owns);
    `mode`: permissions given to the new file; otherwise a new file's usual ones (the umask's).
    """
    with writing_atomically(path, mode=mode, keep_mode=keep_mode) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def writing_atomically(path: Path, *, mode: int | None = None, keep_mode: bool = False, encoding: str | None = None) -> Iterator[IO[Any]]:
    """A file to write `path`'s new content into, piece by piece; it replaces `path` in one rename when the block
    ends, and is removed if the block raises (`path` is then as it was).

    Binary, or text in `encoding` when one is given; `mode` and `keep_mode` as for `write_atomically`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(temporary_name(path.name, os.getpid(), threading.get_ident()))
    try:
        with open(temporary, "w" if encoding else "wb", encoding=encoding) as out:
            yield out
        if keep_mode and path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        elif mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def temporary_name(name: str, pid: int, thread: int) -> str:
    """The hidden file beside `name` that `writing_atomically` writes into before its rename."""
    return f".{name}.{pid}.{thread}"


_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.\d+$")


def remove_abandoned_temporaries(folder: Path) -> list[str]:
    """Remove from `folder` (not below it) the temporary files of `writing_atomically` whose process is gone: a
    process killed between writing and renaming leaves one behind, and nothing else ever removes it. Returns
    their names. A temporary of a process still running is left alone (it is being written)."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMPORARY.match(entry.name)
        if not found or not entry.is_file(follow_symlinks=False) or process_alive(int(found["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or no such number): not ours to judge
    return True


def file_hashes(path: Path, *algorithms: str) -> tuple[int, list[hashlib._Hash]]:
    """(size in bytes, one finished hash object per algorithm named), from one read of the file."""
    hashes = [hashlib.new(name) for name in algorithms]
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            for digest in hashes:
                digest.update(block)
            size += len(block)
    return size, hashes


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (hex)."""
    return file_hashes(path, "sha256")[1][0].hexdigest()



def code_digest(label: str, paths: Iterable[Path]) -> str:
    """The SHA-256 of `label` and of these files' bytes: the version of the code (and of the libraries `label`
    names) a cached result was made by, so that changing that code makes it again."""
    digest = hashlib.sha256(label.encode())
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_not_kept(logger: logging.Logger, what: str, path: Path, exc: OSError) -> None:
    """Log that a cache could not be saved. A read-only podcast folder is not a problem for check (a cache only
    saves time), and the build that needs to write says so in its own line: then it is only an info line."""
    quiet = exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    (logger.info if quiet else logger.warning)("cannot keep the %s in %s: %s", what, path, exc)


PIECE_READ = 1 << 20
"""Bytes read at a time by `pieces`."""


def pieces(data: bytes | Path, mark: bytes) -> Iterator[bytes]:
    """The bytes of `data` (or of the file at that path, read a megabyte at a time, never held whole) cut before each
    `mark` but at the very start: the same pieces either way.

    A feed of ten thousand episodes is 23 MB; cut before each <item>, no piece is more than an item, and what
    is looked for in it (a tag, an attribute) cannot span two pieces."""
    if isinstance(data, bytes):
        start = 0
        while True:
            cut = data.find(mark, start + 1)
            if cut < 0:
                yield data[start:]
                return
            yield data[start:cut]
            start = cut
    with open(data, "rb") as source:
        held = b""
        while chunk := source.read(PIECE_READ):
            held += chunk
            start = 0
            while (cut := held.find(mark, start + 1)) >= 0:
                yield held[start:cut]
                start = cut
            held = held[start:]
        yield held
