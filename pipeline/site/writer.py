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

An output folder other than the podcast's `site/` is replaced only when it is
empty or holds the marker file (`SITE_MARKER`) every site this writer makes
carries: a folder of someone's files given to `--output` by mistake is
refused, never deleted.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.fsutil import write_atomically
from pipeline import failpoints
from pipeline.errors import PortevoixError
from pipeline.paths import SITE_MARKER
from pipeline.source.static import static_files
from pipeline.i18n import say

log = logging.getLogger(__name__)

MANIFEST = ".cache/portevoix/site-manifest.json"
"""What the last build wrote, per output folder: {site path: [device, inode, size, mtime_ns, made from]}."""
FICLONE = 0x40049409
"""ioctl asking the file system for a copy that shares the source's blocks (Btrfs, XFS, bcachefs…)."""
STAGING_PREFIX = "site.new-"
RETIRED_PREFIX = "site.old-"
"""For the default output folder; another output folder NAME gets NAME.new-/NAME.old- beside it."""
SITE_MARKER_TEXT = "This folder is a site written by portevoix; each build replaces it whole.\n"
DEFAULT_OUTPUT = "site"
SOURCE_MARKERS = ("podcast.yaml", ".git", "episode.md", "*/episode.md", "episodes/*/episode.md")
SOURCE_FOLDERS = ("episodes", "templates", ".cache", ".git")
"""Folders of a podcast folder that hold its sources or its cache: never an output folder, nor inside one."""


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


class SiteWriter:
    def __init__(self, output: Path, root: Path):
        self.output = output
        self.root = root
        self.staging: Path | None = None
        self.staging_prefix = STAGING_PREFIX.replace("site", output.name, 1)
        self.retired_prefix = RETIRED_PREFIX.replace("site", output.name, 1)
        self._refuse_sources()
        self.manifest_path = root / MANIFEST
        self.previous: dict[str, list] = {}
        self.written: dict[str, list] = {}
        self.folders: set[Path] = set()
        self.reused = 0
        self._loaded: dict[str, list] | None = None

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

    def start(self) -> Path:
        self.recover()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=self.staging_prefix, dir=self.output.parent))
        os.chmod(self.staging, 0o755)
        self.previous, self.written, self.folders, self.reused = self._manifest(), {}, {self.staging}, 0
        self.write_text(SITE_MARKER, SITE_MARKER_TEXT)  # kept like any unchanged file, so that a site left as built stays up to date
        return self.staging

    def _manifest(self) -> dict[str, list]:
        """The manifest of the current site (what the last build wrote there, each file with what it was made from)."""
        if self._loaded is None:
            self._loaded = self._load_manifest()
        return self._loaded

    def _current(self, name: str, made_from: str) -> list | None:
        """The manifest's entry of the current site's `name` when that file is still what the last build made from
        `made_from` (same inode, size and time, linked nowhere else), else None."""
        before = self._manifest().get(name)
        if before is None or before[4] != made_from:
            return None
        try:
            current = os.lstat(self.output / name)
        except OSError:
            return None
        if current.st_nlink != 1 or [current.st_dev, current.st_ino, current.st_size, current.st_mtime_ns] != before[:4]:
            return None  # edited, replaced, or linked from elsewhere (an older build's link into the cache)
        return before

    def get(self, name: str, key: str) -> bytes | None:
        """The current site's `name` when the last build made it from input key `key` (pages.PageMemo)."""
        if self._current(name, "in:" + key) is None:
            return None
        try:
            return (self.output / name).read_bytes()
        except OSError:
            return None

    def tree(self, prefix: str, key: str) -> dict[str, bytes] | None:
        """Every file of the current site under `prefix` when the last build made them all from `key` (search.BundleMemo)."""
        names = [name for name in self._manifest() if name.startswith(prefix)]
        found = {}
        for name in names:
            data = self.get(name, key)
            if data is None:
                return None
            found[name] = data
        return found or None

    def _load_manifest(self) -> dict[str, list]:
        try:
            saved = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return dict(saved["files"]) if saved.get("output") == str(self.output) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _target(self, name: str) -> Path:
        """Where `name` goes in the staging folder; a name that would leave it is refused."""
        assert self.staging is not None, "start() first"
        parts = name.split("/")
        if name.startswith("/") or "\0" in name or any(part in ("", ".", "..") for part in parts):
            raise PortevoixError(f"{name}: would be written outside the site folder")
        target = self.staging.joinpath(*parts)
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.update([target.parent, *target.parent.parents])
        return target

    def _reuse(self, name: str, made_from: str, target: Path) -> bool:
        """Link the current site's `name` into the staging folder when it is what the last build made from `made_from`."""
        before = self._current(name, made_from)
        if before is None:
            return False
        try:
            os.link(self.output / name, target)
        except OSError:
            return False
        self.written[name] = before
        self.reused += 1
        return True

    def _remember(self, name: str, target: Path, made_from: str) -> None:
        stat = target.stat()
        self.written[name] = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, made_from]

    def write_text(self, name: str, text: str) -> Path:
        return self.write_bytes(name, text.encode("utf-8"))

    def keep(self, name: str, key: str) -> bool:
        """Link the current site's `name` into the staging folder when the last build made it from input key `key`."""
        return self._reuse(name, "in:" + key, self._target(name))

    def write_bytes(self, name: str, data: bytes, key: str | None = None) -> Path:
        """Write `data` at `name`; `key`: the input key it was made from (a page, the search bundle), which the
        current site's file is compared with, instead of the bytes' digest."""
        target = self._target(name)
        made_from = "in:" + key if key else "sha256:" + hashlib.sha256(data).hexdigest()
        if not self._reuse(name, made_from, target):
            target.write_bytes(data)
            self._remember(name, target, made_from)
        return target

    def place_file(self, name: str, source: Path) -> Path:
        """Put `source` (a finished cache file, never changed afterwards) into the site.

        The current site's copy when it is still that file's; otherwise a reflink or a copy,
        never a hard link (editing the published file must not change the cache)."""
        target = self._target(name)
        stat = source.stat()
        made_from = f"file:{source}|{stat.st_size}|{stat.st_mtime_ns}"
        if not self._reuse(name, made_from, target):
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
                target.unlink()
                del self.written[relative]
            self.write_bytes(relative, path.read_bytes())

    def _save_manifest(self) -> None:
        try:
            write_atomically(self.manifest_path, json.dumps({"output": str(self.output), "files": self.written}, separators=(",", ":")))
        except OSError as exc:
            log.warning("cannot keep the site manifest in %s: %s", self.manifest_path, exc)

    def commit(self) -> None:
        """Swap the staging folder into place as the new `site/`."""
        assert self.staging is not None
        self.manifest_path.unlink(missing_ok=True)  # until the new one is saved, nothing is known about site/
        if self.output.exists() and _exchange(self.staging, self.output):
            _remove_leftover(self.staging)  # now the previous site (or the empty folder it replaced)
        else:
            retired = None
            if self.output.exists():
                retired = self.output.with_name(f"{self.retired_prefix}{os.getpid()}")
                os.rename(self.output, retired)
                failpoints.reach("retired")  # the one moment without a site/: recover() puts the old one back
            os.rename(self.staging, self.output)
            if retired is not None:
                _remove_leftover(retired)
        self.staging = None
        self._save_manifest()  # the files keep their identities through the folders' swap

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def clone_or_copy(source: Path, target: Path) -> None:
    """A copy of `source` at `target`: a reflink (no bytes copied) where the file system can, else a plain copy."""
    with source.open("rb") as reader, target.open("wb") as writer:
        try:
            fcntl.ioctl(writer.fileno(), FICLONE, reader.fileno())
            return
        except OSError:
            pass
        shutil.copyfileobj(reader, writer, 1 << 20)
