"""The one writer of the output folder (`site/`).

Everything is written into a fresh staging folder beside `site/`; only when the
whole build has succeeded is it swapped into place (an atomic exchange of the
two folders where the system offers one). A failed or killed build leaves the
previous `site/` as it was. The writer refuses an output folder that holds
sources, so that it can never delete a podcast's own files.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.errors import PortevoixError

log = logging.getLogger(__name__)

STAGING_PREFIX = "site.new-"
RETIRED_PREFIX = "site.old-"
SOURCE_MARKERS = ("podcast.yaml", ".git", "episodes/*/episode.md")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE). False when not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


class SiteWriter:
    def __init__(self, output: Path, root: Path):
        self.output = output
        self.root = root
        self.staging: Path | None = None
        self._refuse_sources()

    def _refuse_sources(self) -> None:
        output = self.output.resolve()
        root = self.root.resolve()
        if output == root or output in root.parents:
            raise PortevoixError(f"{self.output}: the output folder contains the podcast folder; choose another one")
        if output.is_dir():
            held = [m for m in SOURCE_MARKERS if any(output.glob(m))]
            if held:
                raise PortevoixError(f"{self.output}: holds {held[0]}, which looks like sources; refusing to replace it")

    def recover(self) -> None:
        """Clean up after a build that was killed: restore a retired site, drop stale staging folders."""
        parent = self.output.parent
        retired = sorted(parent.glob(RETIRED_PREFIX + "*"))
        if retired and not self.output.exists():
            log.warning("restoring %s left by an interrupted build", retired[-1].name)
            os.rename(retired[-1], self.output)
        for stale in [*parent.glob(STAGING_PREFIX + "*"), *parent.glob(RETIRED_PREFIX + "*")]:
            shutil.rmtree(stale, ignore_errors=True)

    def start(self) -> Path:
        self.recover()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.output.parent))
        os.chmod(self.staging, 0o755)
        return self.staging

    def _target(self, name: str) -> Path:
        assert self.staging is not None, "start() first"
        target = (self.staging / name).resolve()
        if self.staging.resolve() not in target.parents:
            raise PortevoixError(f"{name}: would be written outside the site folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, name: str, text: str) -> Path:
        target = self._target(name)
        target.write_text(text, encoding="utf-8")
        return target

    def write_bytes(self, name: str, data: bytes) -> Path:
        target = self._target(name)
        target.write_bytes(data)
        return target

    def place_file(self, name: str, source: Path) -> Path:
        """Put `source` (a finished cache file, never changed afterwards) into the site: a hard link, or a copy."""
        target = self._target(name)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        return target

    def copy_tree(self, name: str, source: Path) -> None:
        """Copy a folder of static files into the site; later calls override earlier files."""
        if source.is_dir():
            shutil.copytree(source, self._target(name), dirs_exist_ok=True)

    def commit(self) -> None:
        """Swap the staging folder into place as the new `site/`."""
        assert self.staging is not None
        if self.output.exists() and _exchange(self.staging, self.output):
            shutil.rmtree(self.staging, ignore_errors=True)
        else:
            retired = None
            if self.output.exists():
                retired = self.output.with_name(f"{RETIRED_PREFIX}{os.getpid()}")
                os.rename(self.output, retired)
            os.rename(self.staging, self.output)
            if retired is not None:
                shutil.rmtree(retired, ignore_errors=True)
        self.staging = None

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
