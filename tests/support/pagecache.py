"""Files dropped from the page cache, and what of them is still in it (util-linux's fincore, an independent meter)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def evict(paths: list[Path]) -> None:
    """Drop these files from the page cache, so that reading them again would count as disk reads."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def evicted(paths: list[Path]) -> bool:
    """Drop `paths` from the page cache; False when the file system keeps them anyway (tmpfs)."""
    evict(paths)
    return resident_bytes(paths) == 0


def resident_bytes(paths: list[Path]) -> int:
    """Bytes of `paths` in the page cache, as util-linux's fincore counts them (an independent meter)."""
    result = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", *map(str, paths)], capture_output=True, text=True, check=True)
    return sum(int(line) for line in result.stdout.split())
