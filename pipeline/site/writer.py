"""The one writer of the output folder (`site/`).

Everything is written into a fresh staging folder beside `site/`; only when the
whole build has succeeded is it swapped into place (an atomic exchange of the
two folders where the system offers one). A failed or killed build leaves the
previous `site/` as it was. The writer refuses an output folder that holds
sources, so that it can never delete a podcast's own files.

A file that is the same as in the current `site/` is not written again: the staging
folder gets a hard link to the current site's file, which keeps its bytes and its
modification time (so that a publish sends only what changed). "The same" is known
without reading the site: a manifest in the cache remembers, for each file the last
build wrote, its identity (device, inode, size, mtime in ns) and what it was made from
(the digest of its bytes, or the cache file it was copied from). A file edited by hand,
or linked from elsewhere, no longer matches and is written afresh. Files of the site
are never hard links into the cache (editing a published file must not change the
cache): media are copied from the cache, by a reflink where the file system offers one.

The staging folder is not made from nothing each time: the previous build leaves a *spare* beside the site
(`site.spare`, `SPARE_SUFFIX`), the folders of the site with hard links to its unchanged files only (never an
older version of a file, nor a file the site no longer has: what it holds is the live site's own bytes). The
next build renames it into its staging folder and brings it up to date, so that a build where one episode
changed creates and removes a handful of files, not the whole tree's folders (which cost milliseconds each on
a busy disk). Nothing in the spare is trusted by its name: a file is kept only when its inode is the one the
manifest says the site's file is (see `_current`), so a spare left half-updated by a killed build, or touched
by hand, only makes the next build write more. When `site/` itself was deleted, the spare's files that are
still exactly what the manifest recorded (same inode, size and time, linked nowhere else) are the site's.
The spare is looked at one file at a time, where the build is (an lstat of the name it writes), never listed
whole into memory: at ten thousand episodes a table of its files was 120,000 names and inodes (21 MB), held
from the first page looked up to the end of the build, and another one of the previous site's at the swap.

An output folder other than the podcast's `site/` is replaced only when it is
empty or holds the marker file (`SITE_MARKER`) every site this writer makes
carries: a folder of someone's files given to `--output` by mistake is
refused, never deleted.
"""

from __future__ import annotations

import bisect
import ctypes
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

from pipeline import failpoints
from pipeline.errors import PortevoixError
from pipeline.fsutil import file_hashes, writing_atomically
from pipeline.paths import SITE_MARKER
from pipeline.source.static import static_files
from pipeline.i18n import say

log = logging.getLogger(__name__)

MANIFEST = ".cache/portevoix/site-manifest.txt"
"""What the last build wrote, per output folder: one line per file, see `read_manifest`."""
OLD_MANIFESTS = (".cache/portevoix/site-manifest.json",)
"""Manifests of older formats (never read: removed when the new one is saved)."""
MANIFEST_FORMAT = "portevoix site manifest 2"
"""The manifest's first line; bump when what it holds changes (another first line reads as no manifest)."""
FICLONE = 0x40049409
"""ioctl asking the file system for a copy that shares the source's blocks (Btrfs, XFS, bcachefs…)."""
STAGING_PREFIX = "site.new-"
RETIRED_PREFIX = "site.old-"
"""For the default output folder; another output folder NAME gets NAME.new-/NAME.old- beside it."""
SPARE_SUFFIX = ".spare"
"""The spare folder beside the output folder NAME: NAME.spare (see the module's docstring)."""
SITE_MARKER_TEXT = "This folder is a site written by portevoix; each build replaces it whole.\n"
DEFAULT_OUTPUT = "site"
SOURCE_MARKERS = ("podcast.yaml", ".git", "episode.md", "*/episode.md", "episodes/*/episode.md")
SOURCE_FOLDERS = ("episodes", "templates", ".cache", ".git")
"""Folders of a podcast folder that hold its sources or its cache: never an output folder, nor inside one."""


def entry(stat: os.stat_result, made_from: str) -> bytes:
    """A manifest entry: the file's identity and what it was made from, as one bytes object (a site of ten thousand
    episodes has over a hundred thousand files: one object each, not a list of five; see `packed_made_from`)."""
    return identity_text(stat).encode("ascii") + b"\t" + packed_made_from(made_from)


DIGEST_KINDS = ((b"s", "sha256:"), (b"i", "in:"))
"""The made-froms held as a letter and the digest's bytes (see `packed_made_from`)."""


def packed_made_from(made_from: str) -> bytes:
    """What a file was made from, as a manifest entry holds it in memory: a digest ("sha256:…", "in:…", 64 hex
    digits) as its 32 bytes after one letter saying which, anything else as its UTF-8 text after "=".

    Nine entries in ten are digests: as text, the manifest of ten thousand episodes was 33 MB in memory."""
    for letter, prefix in DIGEST_KINDS:
        if made_from.startswith(prefix):
            digits = made_from[len(prefix):]
            try:
                digest = bytes.fromhex(digits)
            except ValueError:
                break
            if len(digest) == 32 and digest.hex() == digits:  # comes back as it was (fromhex takes capitals, spaces)
                return letter + digest
            break
    return b"=" + made_from.encode("utf-8", "surrogatepass")


def made_from_text(packed: bytes) -> str:
    """`packed_made_from`'s text back."""
    letter, digest = packed[:1], packed[1:]
    for kind, prefix in DIGEST_KINDS:
        if letter == kind:
            return prefix + digest.hex()
    return digest.decode("utf-8", "surrogatepass")


def entry_identity(value: bytes) -> str:
    """"device inode size mtime_ns" of a manifest entry (compared as text with `identity_text`)."""
    return value.partition(b"\t")[0].decode("utf-8", "surrogatepass")


def entry_text(value: bytes) -> str:
    """A manifest entry as its file's line holds it: `device inode size mtime_ns TAB made from`."""
    identity, _, made = value.partition(b"\t")
    return identity.decode("utf-8", "surrogatepass") + "\t" + made_from_text(made)


def identity_text(stat: os.stat_result) -> str:
    """"device inode size mtime_ns": a file's identity as a manifest entry holds it."""
    return f"{stat.st_dev} {stat.st_ino} {stat.st_size} {stat.st_mtime_ns}"


def entry_inode(value: bytes | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def read_manifest(path: Path, output: Path) -> dict[str, bytes] | None:
    """{site path: entry (see `entry`)} the last build wrote into `output`; None when there is none (or another
    format, or for another output folder, or damaged).

    The file: MANIFEST_FORMAT, the output folder as a JSON string, then one line per file, `site path TAB device
    inode size mtime_ns TAB made from`, read line by line (never held whole). A name or a made-from with a
    newline, a name with a tab, is not written: such a file is only written again by the next build."""
    entries = manifest_entries(path, output)
    if entries is None:
        return None
    files: dict[str, bytes] = {}
    for name, value in entries:
        if value is None:
            return None  # truncated or damaged
        files[name] = value
    return files


def manifest_entries(path: Path, output: Path) -> Iterator[tuple[str, bytes | None]] | None:
    """The manifest's (site path, entry) one line at a time (see `read_manifest`); None when the file is not one
    for `output`; a damaged or truncated line comes as (its name, None), and ends the entries."""
    try:
        lines = open(path, encoding="utf-8")
    except OSError:
        return None
    try:
        if lines.readline() != MANIFEST_FORMAT + "\n" or lines.readline() != json.dumps(str(output)) + "\n":
            lines.close()
            return None
    except (OSError, UnicodeDecodeError):
        lines.close()
        return None
    return _entries(lines)


def _entries(lines: TextIO) -> Iterator[tuple[str, bytes | None]]:
    with lines:
        try:
            for line in lines:
                name, tab, value = line.partition("\t")
                identity, tab_too, made_from = value.partition("\t")
                if not tab or not line.endswith("\n") or not tab_too:
                    yield name, None
                    return
                yield name, identity.encode("utf-8", "surrogatepass") + b"\t" + packed_made_from(made_from[:-1])
        except (OSError, UnicodeDecodeError):
            yield "", None


class ManifestTable:
    """The previous build's manifest as the writer looks it up: {site path: entry} (`get`), held in three flat
    arrays, not as a dict of 120,000 names and entries (27 MB at ten thousand episodes, live from the first page
    looked up to the swap, the build's peak included: 10 MB here).

    A name is found by its hash (Python's, a 64-bit number: the names themselves are not kept), in a sorted array
    of the hashes; `entries` holds the entries one after the other, `ends` where each ends. Two names with the same
    hash are not told apart: the one read last is kept, and the other's lookup gives an entry of another file. That
    costs the other file a fresh write, never a wrong reuse: an entry is trusted only when the file found at the
    name is that very file (its device, inode, size and time, linked nowhere else; see `SiteWriter._found`)."""

    def __init__(self, entries: Iterable[tuple[str, bytes]] = ()):
        hashes, ends, data = array("q"), array("q"), bytearray()
        for name, value in entries:
            data += value
            hashes.append(hash(name))
            ends.append(len(data))
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.hashes = array("q", (hashes[i] for i in order))
        self.starts = array("q", (ends[i - 1] if i else 0 for i in order))
        self.ends = array("q", (ends[i] for i in order))
        self.entries = bytes(data)

    def get(self, name: str) -> bytes | None:
        wanted = hash(name)
        at = bisect.bisect_right(self.hashes, wanted) - 1  # the last read of equal hashes: the latest line wins
        if at < 0 or self.hashes[at] != wanted:
            return None
        return self.entries[self.starts[at]:self.ends[at]]

    def __len__(self) -> int:
        return len(self.hashes)


def read_manifest_table(path: Path, output: Path) -> ManifestTable | None:
    """The manifest as a ManifestTable (see read_manifest), None when there is none, or it is damaged."""
    entries = manifest_entries(path, output)
    if entries is None:
        return None
    damaged = False

    def whole() -> Iterator[tuple[str, bytes]]:
        nonlocal damaged
        for name, value in entries:
            if value is None:
                damaged = True
                return
            yield name, value

    table = ManifestTable(whole())
    return None if damaged else table


def write_manifest(path: Path, output: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> None:
    """Write the manifest (see read_manifest) entry by entry, never held whole, replacing the old one in one rename.

    `files`: {site path: entry}, or its (site path, entry) pairs one by one."""
    with writing_atomically(path, encoding="utf-8") as out:
        out.write(f"{MANIFEST_FORMAT}\n{json.dumps(str(output))}\n")
        for name, value in files.items() if isinstance(files, Mapping) else files:
            text = entry_text(value)
            if "\t" not in name and "\n" not in name and "\n" not in text:
                out.write(f"{name}\t{text}\n")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE). False when not supported."""
    if failpoints.flag("no-exchange"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def is_site(folder: Path) -> bool:
    """True when `folder` holds the marker of a site portevoix wrote."""
    marker = folder / SITE_MARKER
    return marker.is_file() and not marker.is_symlink()


def _remove_leftover(folder: Path) -> None:
    """Delete a staging or retired folder of ours: only when it is a site we wrote, or empty."""
    if folder.is_symlink() or not folder.is_dir():
        return
    if is_site(folder):
        shutil.rmtree(folder, ignore_errors=True)
    else:
        try:
            folder.rmdir()
        except OSError:
            log.warning("leaving %s alone: it is not a site portevoix wrote", folder)


def _prune(folder: Path, keep_file: Callable[[str, int], bool], keep_folder: Callable[[str], bool]) -> None:
    """Remove below `folder` every entry that is not a folder (symbolic links included, never followed) for which
    `keep_file(relative path, inode)` is false, and every folder for which `keep_folder(relative path)` is false
    (with all it holds).

    One folder at a time, as os.scandir reads it (its inode needs no stat): only the names to remove are held, and
    removed once the folder is read, never while it is."""
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        doomed = []
        try:
            entries = os.scandir(path)
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = prefix + entry.name
                try:
                    is_folder = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_folder = False
                if is_folder:
                    if keep_folder(name):
                        pending.append((name + "/", entry.path))
                    else:
                        doomed.append(entry.path)
                elif not keep_file(name, entry.inode()):
                    doomed.append(entry.path)
        for doomed_path in doomed:
            _remove(doomed_path)


def _remove_empty_spare(spare: Path) -> None:
    """Remove `spare` when it is a folder that is no site (no marker) and holds folders only, not one file or link:
    what an older build left when it pruned the marker away (see SiteWriter._keep_as_spare). Anything else is left."""
    if spare.is_symlink() or not spare.is_dir() or is_site(spare):
        return
    folders = []
    for folder, subfolders, files in os.walk(spare):
        if files or any(os.path.islink(os.path.join(folder, name)) for name in subfolders):
            return
        folders.append(folder)
    for folder in reversed(folders):  # os.walk lists a folder before those it holds
        try:
            os.rmdir(folder)
        except OSError:
            return


def _remove(path: Path | str) -> None:
    """Remove an entry of our staging or spare folder, whatever it is (a file, a link, a folder)."""
    try:
        os.unlink(path)
    except IsADirectoryError:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except PermissionError:  # Linux answers EISDIR, some systems EPERM, for unlink() of a folder
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            raise


class SiteWriter:
    def __init__(self, output: Path, root: Path):
        self.output = output
        self.root = root
        self.staging: Path | None = None
        self.staging_prefix = STAGING_PREFIX.replace("site", output.name, 1)
        self.retired_prefix = RETIRED_PREFIX.replace("site", output.name, 1)
        self._refuse_sources()
        self.manifest_path = root / MANIFEST
        self.previous = ManifestTable()
        self.written: dict[str, bytes | None] = {}
        """{site path: entry} (see `entry`) of what the current site holds, of what this build wrote; None for a file
        kept from the current site, whose entry is the previous manifest's (`_written_entry`): at ten thousand
        episodes, 120,000 copies of entries (13 MB) not made while the site is written, the build's peak."""
        self.folders: set[str] = set()
        """Folders of the staging folder this build uses (relative; "" is the staging folder itself)."""
        self.reused = 0
        self._loaded: ManifestTable | None = None
        self.spare = output.with_name(output.name + SPARE_SUFFIX)
        self._spare_usable: bool | None = None
        self.holding: Path | None = None
        """Where the spare's files are (the spare, then the staging folder it became), when there is a usable spare:
        what it holds at a site path this build has not written is the spare's (see `_spare_inode`)."""

    def _refuse_sources(self) -> None:
        output = self.output.resolve()
        root = self.root.resolve()
        if output == root or output in root.parents:
            raise PortevoixError(f"{self.output}: the output folder contains the podcast folder; choose another one")
        if output.is_relative_to(root) and output.relative_to(root).parts[0] in SOURCE_FOLDERS:
            raise PortevoixError(f"{self.output}: is part of the podcast's sources; choose another output folder")
        if output.is_dir():
            held = [m for m in SOURCE_MARKERS if any(output.glob(m))]
            if held:
                raise PortevoixError(f"{self.output}: holds {held[0]}, which looks like sources; refusing to replace it")
        if output == root / DEFAULT_OUTPUT:
            return  # the podcast's own site/: a build may always replace it
        if output.exists() and not output.is_dir():
            raise PortevoixError(say("output_not_folder", output=self.output))
        if output.is_dir() and not is_site(output) and any(output.iterdir()):
            raise PortevoixError(say("output_foreign", output=self.output, marker=SITE_MARKER))

    def recover(self) -> None:
        """Clean up after a build that was killed: restore a retired site, drop stale staging folders."""
        parent = self.output.parent
        retired = sorted((p for p in parent.glob(self.retired_prefix + "*") if is_site(p)), key=lambda p: p.stat().st_mtime)
        if retired and not self.output.exists():
            log.warning("restoring %s left by an interrupted build", retired[-1].name)
            os.rename(retired[-1], self.output)
        for stale in [*parent.glob(self.staging_prefix + "*"), *parent.glob(self.retired_prefix + "*")]:
            _remove_leftover(stale)

    def _has_spare(self) -> bool:
        """Whether there is a spare folder to take files from: one portevoix wrote (asked once, before `start`)."""
        if self._spare_usable is None:
            self._spare_usable = self.spare.is_dir() and not self.spare.is_symlink() and is_site(self.spare)
            self.holding = self.spare if self._spare_usable else None
        return self._spare_usable

    def _spare_inode(self, name: str) -> int | None:
        """The inode of what the spare holds at site path `name` when it is not a folder (a file, a link), else None;
        None too for a name this build has written (what the staging folder holds there is then its own)."""
        self._has_spare()
        if self.holding is None or name in self.written:
            return None
        try:
            found = os.lstat(f"{self.holding}/{name}")
        except OSError:
            return None
        return None if stat.S_ISDIR(found.st_mode) else found.st_ino

    def start(self) -> Path:
        self.recover()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=self.staging_prefix, dir=self.output.parent))
        self.previous, self.written, self.folders, self.reused = self._manifest(), {}, {""}, 0
        if self._has_spare():
            os.rename(self.spare, staging)  # replaces the empty folder just made: the name is ours, and unique
            failpoints.reach("spare")
        self.staging = staging
        self.holding = staging if self._spare_usable else None
        self._spare_usable = False  # the spare is the staging folder now: not asked again
        os.chmod(self.staging, 0o755)
        self.write_text(SITE_MARKER, SITE_MARKER_TEXT)  # kept like any unchanged file, so that a site left as built stays up to date
        return self.staging

    def _manifest(self) -> ManifestTable:
        """The manifest of the current site (what the last build wrote there, each file with what it was made from)."""
        if self._loaded is None:
            self._loaded = self._load_manifest()
        return self._loaded

    def _current(self, name: str, made_from: str) -> bytes | None:
        """The manifest's entry of the current site's `name` when that file is still what the last build made from
        `made_from` (same inode, size and time, linked nowhere else), else None."""
        found = self._found(name, made_from)
        return None if found is None else found[0]

    def _found(self, name: str, made_from: str) -> tuple[bytes, str, bool] | None:
        """The manifest's entry of `name`, where that very file is (in the site, or else in the spare folder), and
        whether the spare holds it (as the site's second link, or alone)."""
        before = self._manifest().get(name)
        if before is None:
            return None
        identity, _, made = before.partition(b"\t")
        if made != packed_made_from(made_from):
            return None
        where = f"{self.output}/{name}"  # strings, not paths: this runs for every file of the site
        try:
            current = os.lstat(where)
            # Linked once, or twice when the spare's entry is this very file: anything else is linked from elsewhere
            # (an older build's link into the cache, a copy made with `cp -l`…).
            links = 2 if current.st_nlink == 2 and self._spare_inode(name) == current.st_ino else 1
            in_spare = links == 2
        except FileNotFoundError:
            if self._spare_inode(name) is None:
                return None
            where = f"{self.holding}/{name}"
            try:
                current = os.lstat(where)
            except OSError:
                return None
            links, in_spare = 1, True
        except OSError:
            return None
        if not stat.S_ISREG(current.st_mode) or current.st_nlink != links:
            return None
        if identity_text(current).encode("ascii") != identity:
            return None  # edited or replaced
        return before, where, in_spare

    def get(self, name: str, key: str) -> bytes | None:
        """The current site's `name` when the last build made it from input key `key` (pages.PageMemo)."""
        found = self._found(name, "in:" + key)
        if found is None:
            return None
        try:
            with open(found[1], "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def has(self, name: str, key: str) -> bool:
        """Whether the current site holds `name` as made from input key `key` (pages.PageMemo), without reading it."""
        return self._found(name, "in:" + key) is not None

    def _load_manifest(self) -> ManifestTable:
        return read_manifest_table(self.manifest_path, self.output) or ManifestTable()

    def _target(self, name: str) -> str:
        """Where `name` goes in the staging folder, as a string (this runs for every file of the site: a Path each
        was a third of the writer's time at 1,000 episodes); a name that would leave it is refused."""
        assert self.staging is not None, "start() first"
        parts = name.split("/")
        if name.startswith("/") or "\0" in name or "" in parts or "." in parts or ".." in parts:
            raise PortevoixError(f"{name}: would be written outside the site folder")
        folder = name.rpartition("/")[0]
        if folder not in self.folders:
            self._folder(parts[:-1])
        return f"{self.staging}/{name}"

    def _folder(self, parts: list[str]) -> None:
        """Make (or take from the spare) the staging folder `parts`, and each folder above it."""
        assert self.staging is not None
        for depth in range(1, len(parts) + 1):
            relative = "/".join(parts[:depth])
            if relative in self.folders:
                continue
            path = f"{self.staging}/{relative}"
            try:  # looked at first: the staging folder is the spare, which holds nearly every folder already
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                os.mkdir(path)
            else:
                if stat.S_ISDIR(mode):
                    pass
                elif self.holding is not None and relative not in self.written:  # the spare's file (a link…) where this build wants a folder
                    _remove(path)
                    os.mkdir(path)
                else:
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path)
            self.folders.add(relative)

    def _clear(self, name: str, target: str) -> None:
        """Make room at `target` for a new file: what the spare had there is removed, never written through
        (it may be a hard link to the live site's file); a folder, with all it held."""
        if self.holding is not None and name not in self.written:
            _remove(target)

    def _reuse(self, name: str, made_from: str, target: str) -> bool:
        """Link the current site's `name` into the staging folder when it is what the last build made from `made_from`."""
        found = self._found(name, made_from)
        if found is None:
            return False
        _, where, in_spare = found
        if not in_spare:  # else the staging folder (the spare) holds that very file at `name` already
            self._clear(name, target)
            try:
                os.link(where, target)
            except OSError:
                return False
        self.written[name] = None  # its entry, as the previous manifest holds it (see `written`)
        self.reused += 1
        return True

    def _remember(self, name: str, target: str, made_from: str) -> None:
        self.written[name] = entry(os.stat(target), made_from)

    def write_text(self, name: str, text: str) -> str:
        return self.write_bytes(name, text.encode("utf-8"))

    def keep(self, name: str, key: str) -> bool:
        """Link the current site's `name` into the staging folder when the last build made it from input key `key`."""
        return self._reuse(name, "in:" + key, self._target(name))

    def keep_digest(self, name: str, digest: str) -> bool:
        """Link the current site's `name` into the staging folder when it holds the bytes of SHA-256 `digest` (hex),
        as written by write_bytes (a file whose bytes are made only when they must be written)."""
        return self._reuse(name, "sha256:" + digest, self._target(name))

    def write_bytes(self, name: str, data: bytes, key: str | None = None) -> str:
        """Write `data` at `name`; `key`: the input key it was made from (a page, the search bundle), which the
        current site's file is compared with, instead of the bytes' digest."""
        target = self._target(name)
        made_from = "in:" + key if key else "sha256:" + hashlib.sha256(data).hexdigest()
        if not self._reuse(name, made_from, target):
            self._clear(name, target)
            with open(target, "wb") as out:
                out.write(data)
            self._remember(name, target, made_from)
        return target

    def write_file(self, name: str, source: Path) -> str:
        """Write at `name` a copy of the file `source`, a file of this build's own (the feed pages, see rss.render):
        as `write_bytes` would write its bytes (the same entry, by their digest), read as a stream, never held whole."""
        target = self._target(name)
        made_from = "sha256:" + file_hashes(source, "sha256")[1][0].hexdigest()
        if not self._reuse(name, made_from, target):
            self._clear(name, target)
            clone_or_copy(source, target)
            self._remember(name, target, made_from)
        return target

    def place_file(self, name: str, source: Path) -> str:
        """Put `source` (a finished cache file, never changed afterwards) into the site.

        The current site's copy when it is still that file's; otherwise a reflink or a copy,
        never a hard link (editing the published file must not change the cache)."""
        target = self._target(name)
        stat = source.stat()
        made_from = f"file:{source}|{stat.st_size}|{stat.st_mtime_ns}"
        if not self._reuse(name, made_from, target):
            self._clear(name, target)
            clone_or_copy(source, target)
            self._remember(name, target, made_from)
        return target

    def copy_tree(self, name: str, source: Path, shown: str = "") -> None:
        """Copy a folder of static files into the site; later calls override earlier files.

        Regular files only (see source/static.py): what the folder holds is checked before anything is copied."""
        files, problems = static_files(source, shown or source.as_posix())
        if problems:
            raise PortevoixError(*problems)
        for relative_name, path in files:
            relative = f"{name}/{relative_name}"
            target = self._target(relative)
            if relative in self.written:
                os.unlink(target)
                del self.written[relative]
            self.write_bytes(relative, path.read_bytes())

    def _written_entry(self, name: str) -> bytes | None:
        """The entry of what this build put at `name` (see `written`), None when it put nothing there."""
        if name not in self.written:
            return None
        value = self.written[name]
        return self._manifest().get(name) if value is None else value

    def _written_entries(self) -> Iterator[tuple[str, bytes]]:
        for name in self.written:
            value = self._written_entry(name)
            if value is not None:
                yield name, value

    def _save_manifest(self) -> None:
        try:
            write_manifest(self.manifest_path, self.output, self._written_entries())
            for old in OLD_MANIFESTS:
                (self.root / old).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot keep the site manifest in %s: %s", self.manifest_path, exc)

    def _drop_leftovers(self) -> None:
        """Remove from the staging folder what the spare held and this build did not want."""
        assert self.staging is not None
        if self.holding is not None:
            _prune(self.staging, lambda name, inode: name in self.written, lambda name: name in self.folders)
        self.holding = None

    def _keep_as_spare(self, previous: Path) -> None:
        """Make the previous site the next build's spare: only its files that the new site shares (same inode)
        are kept, with their folders; or remove it, when it is not a site portevoix wrote.

        The spare always holds the site's marker (a link to the new site's own): a build that kept nothing (no
        manifest, a site moved) wrote a marker of its own, and a spare pruned of the old one was no site, so no
        later build took it as its staging folder and each one made every folder again (3,000 at a thousand
        episodes). A spare left like that, folders without a single file, is removed here to make room."""
        _remove_empty_spare(self.spare)
        if not is_site(previous) or self.spare.exists() or self.spare.is_symlink():
            _remove_leftover(previous)
            return
        _prune(previous, lambda name, inode: entry_inode(self._written_entry(name)) == inode, lambda name: name in self.folders)
        if not is_site(previous):
            try:
                os.link(self.output / SITE_MARKER, previous / SITE_MARKER)
            except OSError as exc:
                log.debug("no marker in the spare: %s", exc)
        os.rename(previous, self.spare)

    def commit(self) -> None:
        """Swap the staging folder into place as the new `site/`; the previous one becomes the spare."""
        assert self.staging is not None
        self._drop_leftovers()
        self.manifest_path.unlink(missing_ok=True)  # until the new one is saved, nothing is known about site/
        previous = None
        if self.output.exists() and _exchange(self.staging, self.output):
            previous = self.staging  # now the previous site (or the empty folder it replaced)
        else:
            if self.output.exists():
                previous = self.output.with_name(f"{self.retired_prefix}{os.getpid()}")
                os.rename(self.output, previous)
                failpoints.reach("retired")  # the one moment without a site/: recover() puts the old one back
            os.rename(self.staging, self.output)
        self.staging = None
        self._save_manifest()  # the files keep their identities through the folders' swap
        if previous is not None:
            self._keep_as_spare(previous)
        # what the previous site held and what this build wrote are on disk now (the manifest): a hundred thousand
        # entries each at ten thousand episodes, not held through the rest of the build
        self.previous, self.written, self._loaded = ManifestTable(), {}, None

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def clone_or_copy(source: Path, target: Path | str) -> None:
    """A copy of `source` at `target`: a reflink (no bytes copied) where the file system can, else a plain copy."""
    with open(source, "rb") as reader, open(target, "wb") as writer:
        try:
            fcntl.ioctl(writer.fileno(), FICLONE, reader.fileno())
            return
        except OSError:
            pass
        shutil.copyfileobj(reader, writer, 1 << 20)
